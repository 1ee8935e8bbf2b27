#include "server/security/access_token.hpp"

#include <boost/beast/http.hpp>

#include "core/protocol/query_string.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"

namespace confhost {

bool carriesAccessToken(const HttpRequest& request, const std::string& accessToken) {
  // An empty configured token would match an empty query value: never accept that.
  if (accessToken.empty()) return false;
  const QueryParams params = parseQueryParams(targetQuery(request.target()));
  if (auto token = params.get("accessToken")) return tokensEqual(*token, accessToken);
  const auto auth = request.find(beast::http::field::authorization);
  if (auth == request.end()) return false;
  const std::string value(auth->value());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.compare(0, kBearer.size(), kBearer) != 0) return false;
  return tokensEqual(value.substr(kBearer.size()), accessToken);
}

}  // namespace confhost
