#include "server/security/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>

#include "server/security/random_token.hpp"

namespace confhost {

std::string webhookSignature(const std::string& secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

Status checkWebhookSignature(const HttpRequest& request, const std::string& secret) {
  const std::string header(kWebhookSignatureHeader);
  const auto it = request.find(header);
  if (it == request.end())
    return Error{header, "missing; sign the body with HMAC-SHA256 and the stack's webhook secret "
                         "(--webhook-secret) and send sha256=<hex>"};
  std::string given(it->value());
  for (char& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (secret.empty() || !tokensEqual(given, webhookSignature(secret, request.body())))
    return Error{header, "does not match the body (expected sha256=<hex of HMAC-SHA256(webhook secret, body)>)"};
  return {};
}

}  // namespace confhost
