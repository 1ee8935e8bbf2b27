#include "server/security/credential_validator.hpp"

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "server/security/access_token.hpp"
#include "server/logging/log.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"

namespace confhost {

namespace http = beast::http;

namespace {

struct Credentials {
  std::string username, password, token;
};

// Parses the body; on error answers 400 naming the field and returns false.
bool parseCredentials(const HttpRequest& request, const Respond& respond, Credentials& out) {
  if (request.method() != http::verb::post) {
    respond(jsonError(request, http::status::method_not_allowed, "method: use POST with a JSON body"));
    return false;
  }
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    respond(jsonError(request, http::status::bad_request, "body: must be a JSON object {username, password, token}"));
    return false;
  }
  for (const char* field : {"username", "password", "token"}) {
    if (body.contains(field) && !body[field].is_string() && !body[field].is_null()) {
      respond(jsonError(request, http::status::bad_request, std::string(field) + ": must be a string"));
      return false;
    }
  }
  const auto get = [&](const char* f) { return body.contains(f) && body[f].is_string() ? body[f].get<std::string>() : ""; };
  out = {get("username"), get("password"), get("token")};
  return true;
}

}  // namespace

bool CredentialValidator::validate(const std::string& user, const std::string& password, const std::string& token) const {
  if (!token.empty() && invalidated_.count(token)) return false;
  if (!settings_.configured()) return true;
  if (!settings_.user.empty() && !tokensEqual(user, settings_.user)) return false;
  if (!settings_.password.empty() && !tokensEqual(password, settings_.password)) return false;
  if (!settings_.token.empty() && !tokensEqual(token, settings_.token)) return false;
  return true;
}

void CredentialValidator::handleValidate(const HttpRequest& request, const Respond& respond) {
  Credentials c;
  if (!parseCredentials(request, respond, c)) return;
  const bool ok = validate(c.username, c.password, c.token);
  if (!ok) logInfo("auth", "refused credentials for user '" + c.username + "'");
  respond(makeResponse(request, http::status::ok, nlohmann::json{{"result", ok}}.dump()));
}

void CredentialValidator::handleInvalidate(const HttpRequest& request, const Respond& respond) {
  if (!carriesAccessToken(request, settings_.accessToken))
    return respond(jsonError(request, http::status::unauthorized, "accessToken: missing or wrong", "errorMessage"));
  Credentials c;
  if (!parseCredentials(request, respond, c)) return;
  if (c.token.size() > kMaxTokenLength)
    return respond(jsonError(request, http::status::payload_too_large,
                             "token: longer than " + std::to_string(kMaxTokenLength) + " bytes", "errorMessage"));
  const bool ok = validate(c.username, c.password, c.token);
  if (ok && !c.token.empty() && !invalidated_.count(c.token)) {
    if (invalidated_.size() >= settings_.maxInvalidated)
      return respond(jsonError(request, http::status::too_many_requests,
                               "token: the stack already holds " + std::to_string(invalidated_.size()) +
                                   " invalidated tokens, the limit",
                               "errorMessage"));
    invalidated_.insert(c.token);
  }
  respond(makeResponse(request, http::status::ok, nlohmann::json{{"result", ok}}.dump()));
}

}  // namespace confhost
