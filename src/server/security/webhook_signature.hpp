#pragma once
// POST /webhook is signed: the sender computes HMAC-SHA256 over the raw request body with the stack's
// webhook secret (--webhook-secret, generated at start and printed like the host token) and sends it
// as
//   X-Confhost-Signature: sha256=<64 lowercase hex digits>
// The server recomputes it and compares in constant time. Anything else is refused with 401 and a
// reason; the rooms do not change. (A signature proves who sent the body, not when: a captured
// request could be replayed, which TLS on the public port makes hard to capture in the first place.)
#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"
#include "server/net/http_types.hpp"

namespace confhost {

inline constexpr std::string_view kWebhookSignatureHeader = "X-Confhost-Signature";

// "sha256=<hex>" for `body` under `secret`: what a sender puts in the header.
std::string webhookSignature(const std::string& secret, std::string_view body);

// Ok when the request carries a valid signature of its body; otherwise the reason to refuse.
Status checkWebhookSignature(const HttpRequest& request, const std::string& secret);

}  // namespace confhost
