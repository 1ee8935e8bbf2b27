#include "router.hpp"

#include <nlohmann/json.hpp>

namespace confhost {

namespace http = beast::http;

void Router::addExact(std::string path, Handler handler) { exact_.emplace_back(std::move(path), std::move(handler)); }
void Router::addPrefix(std::string prefix, Handler handler) {
  prefixes_.emplace_back(std::move(prefix), std::move(handler));
}
void Router::setFallback(Handler handler) { fallback_ = std::move(handler); }

WsEndpoint* Router::webSocketEndpointFor(const HttpRequest& request) const {
  // The reference server takes upgrades at "/" with any query; so do we.
  return targetPath(request.target()) == "/" ? webSocket_ : nullptr;
}

void Router::handle(HttpRequest request, Respond respond) const {
  const std::string path = targetPath(request.target());
  for (const auto& [exact, handler] : exact_)
    if (path == exact) return handler(std::move(request), std::move(respond));
  for (const auto& [prefix, handler] : prefixes_)
    if (path.compare(0, prefix.size(), prefix) == 0) return handler(std::move(request), std::move(respond));
  if (fallback_) return fallback_(std::move(request), std::move(respond));
  respond(jsonError(request, http::status::not_found, "no such resource: " + path));
}

std::string targetPath(std::string_view target) {
  const auto q = target.find('?');
  return std::string(target.substr(0, q));
}

std::string targetQuery(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
}

HttpResponse makeResponse(const HttpRequest& request, http::status status, std::string body,
                          std::string_view contentType) {
  HttpResponse res{status, request.version()};
  res.set(http::field::server, "confhost-server");
  res.set(http::field::content_type, contentType);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(request.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

HttpResponse jsonError(const HttpRequest& request, http::status status, const std::string& reason,
                       std::string_view key) {
  nlohmann::json body;
  body[std::string(key)] = reason;
  return makeResponse(request, status, body.dump());
}

}  // namespace confhost
