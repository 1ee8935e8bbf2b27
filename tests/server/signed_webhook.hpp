#pragma once
// POST /webhook as a real sender does it: the body signed with HMAC-SHA256 under the server's webhook
// secret, in `X-Confhost-Signature: sha256=<hex>`. Computed here with OpenSSL directly, not with the
// server's own helper, so a mistake there cannot cancel out.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <string>

#include "test_clients.hpp"
#include "test_server.hpp"

namespace confhost::test {

inline std::string hmacSha256Hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

inline HttpResult signedWebhook(int port, const std::string& body, const std::string& secret = kWebhookSecret) {
  return https(port, "POST", "/webhook", body, {{"X-Confhost-Signature", "sha256=" + hmacSha256Hex(secret, body)}});
}

}  // namespace confhost::test
