#include "server/conference/webhook_credential.hpp"

#include "core/protocol/query_string.hpp"
#include "server/net/router.hpp"
#include "server/security/random_token.hpp"
#include "server/security/webhook_signature.hpp"

namespace confhost {

Status checkWebhookCredential(const HttpRequest& request, const WebhookCredentials& credentials) {
  const bool signedBody = request.find(std::string(kWebhookSignatureHeader)) != request.end();
  const auto token = parseQueryParams(targetQuery(request.target())).get(std::string(kWebhookTokenParam));
  if (!signedBody && !token)
    return Error{"credential", "missing: sign the body (" + std::string(kWebhookSignatureHeader) +
                                   ": sha256=<hex of HMAC-SHA256(webhook secret, body)>) or put the webhook "
                                   "token in the URL (/webhook?" + std::string(kWebhookTokenParam) + "=<webhook token>)"};
  if (signedBody)
    if (auto signature = checkWebhookSignature(request, credentials.secret); !signature) return signature;
  if (token && (credentials.token.empty() || !tokensEqual(*token, credentials.token)))
    return Error{std::string(kWebhookTokenParam), "wrong webhook token (the one the stack printed at start, or --webhook-token)"};
  return {};
}

}  // namespace confhost
