#pragma once
// Round-trip authentication (SPEC 7), as the reference's validator endpoints:
//   POST /validateCredentials   {username, password, token}  → {"result": true|false}
//   POST /invalidateCredentials {username, password, token}  → {"result": true|false}
// The dev stack's validator is in memory and deliberately simple: when --auth-user/--auth-password/
// --auth-token are all unset it accepts any credentials (so the auth flow can be exercised without
// setup); otherwise each configured value must match exactly (an unset one is not checked).
// Invalidating a token makes later validations of that token fail until the server restarts.
#include <set>
#include <string>

#include "http_types.hpp"

namespace confhost {

struct CredentialSettings {
  std::string user;
  std::string password;
  std::string token;
  bool configured() const { return !user.empty() || !password.empty() || !token.empty(); }
};

class CredentialValidator {
 public:
  explicit CredentialValidator(CredentialSettings settings) : settings_(std::move(settings)) {}

  void handleValidate(const HttpRequest& request, const Respond& respond);
  void handleInvalidate(const HttpRequest& request, const Respond& respond);

  bool validate(const std::string& user, const std::string& password, const std::string& token) const;

 private:
  CredentialSettings settings_;
  std::set<std::string> invalidated_;  // tokens revoked through /invalidateCredentials
};

}  // namespace confhost
