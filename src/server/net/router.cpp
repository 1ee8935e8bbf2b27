#include "server/net/router.hpp"

#include <nlohmann/json.hpp>

#include <exception>

#include "core/protocol/json_limits.hpp"
#include "server/logging/log.hpp"

namespace confhost {

namespace http = beast::http;

void Router::addExact(std::string path, Handler handler) { exact_.emplace_back(std::move(path), std::move(handler)); }
void Router::addPrefix(std::string prefix, Handler handler) {
  prefixes_.emplace_back(std::move(prefix), std::move(handler));
}
void Router::addMatching(std::function<bool(std::string_view)> matches, Handler handler) {
  matching_.emplace_back(std::move(matches), std::move(handler));
}
void Router::setFallback(Handler handler) { fallback_ = std::move(handler); }

WsEndpoint* Router::webSocketEndpointFor(const HttpRequest& request) const {
  // The reference server takes upgrades at "/" with any query; so do we.
  return targetPath(request.target()) == "/" ? webSocket_ : nullptr;
}

void Router::handle(HttpRequest request, Respond respond, RespondFile respondFile) const {
  // Enough of the request to answer after it has been moved into a handler.
  HttpRequest head;
  head.version(request.version());
  head.keep_alive(request.keep_alive());
  const std::string what = std::string(request.method_string()) + " " + printableText(targetPath(request.target()));
  // Any JSON body, whichever feature reads it: refused here when too deep to be handled safely.
  const std::string_view body = request.body();
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (body[first] == '[' || body[first] == '{') && jsonNestingExceeds(body)) {
    logInfo("http", what + ": refused a JSON body nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return respond(jsonError(head, http::status::bad_request,
                             "body: JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
  }
  try {
    dispatch(std::move(request), respond, std::move(respondFile));
  } catch (const std::exception& e) {
    logError("http", what + ": the handler failed: " + printableText(e.what()));
    respond(jsonError(head, http::status::internal_server_error, "internal error: " + printableText(e.what())));
  } catch (...) {
    logError("http", what + ": the handler failed with an unknown exception");
    respond(jsonError(head, http::status::internal_server_error, "internal error"));
  }
}

void Router::dispatch(HttpRequest request, Respond respond, RespondFile respondFile) const {
  const std::string path = targetPath(request.target());
  for (const auto& [exact, handler] : exact_)
    if (path == exact) return handler(std::move(request), std::move(respond));
  for (const auto& [prefix, handler] : prefixes_)
    if (path.compare(0, prefix.size(), prefix) == 0) return handler(std::move(request), std::move(respond));
  for (const auto& [matches, handler] : matching_)
    if (matches(path)) return handler(std::move(request), std::move(respond));
  if (staticFiles_) return staticFiles_->handle(request, respond, respondFile);
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
  return makeResponse(request, status, dumpJson(body));
}

}  // namespace confhost
