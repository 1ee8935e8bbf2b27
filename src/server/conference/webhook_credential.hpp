#pragma once
// The credential POST /webhook must carry, one of:
//   - the signature of its body (server/security/webhook_signature.hpp), for senders that can sign;
//   - the webhook token in its URL, /webhook?token=<t>, for senders that only take a URL (a Red5 Pro
//     live app's webhooks.endpoint). The token is --webhook-token, generated at start and printed.
// Each credential the request carries must be right, and it must carry at least one. Tokens are
// compared in constant time. A refusal names the credential and says how to give it.
#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"
#include "server/net/http_types.hpp"

namespace confhost {

inline constexpr std::string_view kWebhookTokenParam = "token";

struct WebhookCredentials {
  std::string secret;  // --webhook-secret: the HMAC key of the signature
  std::string token;   // --webhook-token: the URL token
};

Status checkWebhookCredential(const HttpRequest& request, const WebhookCredentials& credentials);

}  // namespace confhost
