#pragma once
// Round-trip authentication (a client proves its credentials before it publishes), as the reference's validator endpoints:
//   POST /validateCredentials   {username, password, token}  → {"result": true|false}
//   POST /invalidateCredentials {username, password, token}  → {"result": true|false}
// The dev stack's validator is in memory and deliberately simple: when --auth-user/--auth-password/
// --auth-token are all unset it accepts any credentials (so the auth flow can be exercised without
// setup); otherwise each configured value must match exactly (an unset one is not checked).
// Invalidating a token makes later validations of that token fail until the server restarts; it
// changes state, so it needs the Stream Manager access token (query `accessToken` or
// `Authorization: Bearer`; otherwise 401 {errorMessage}), and the revocation list is bounded
// (maxInvalidated tokens of at most kMaxTokenLength bytes; over that, 429 / 413 naming the limit).
#include <set>
#include <string>

#include "server/net/http_types.hpp"

namespace confhost {

struct CredentialSettings {
  std::string user;
  std::string password;
  std::string token;
  std::string accessToken;           // --sm-token: needed by /invalidateCredentials
  std::size_t maxInvalidated = 10000;
  bool configured() const { return !user.empty() || !password.empty() || !token.empty(); }
};

class CredentialValidator {
 public:
  static constexpr std::size_t kMaxTokenLength = 512;

  explicit CredentialValidator(CredentialSettings settings) : settings_(std::move(settings)) {}

  void handleValidate(const HttpRequest& request, const Respond& respond);
  void handleInvalidate(const HttpRequest& request, const Respond& respond);

  bool validate(const std::string& user, const std::string& password, const std::string& token) const;

 private:
  CredentialSettings settings_;
  std::set<std::string> invalidated_;  // tokens revoked through /invalidateCredentials
};

}  // namespace confhost
