#pragma once
// Decides which feature answers a request (CONTRACT order): a WebSocket upgrade at `/` → the Conference
// API; then exact paths (/webhook, ...), then path prefixes (/streammanager/, /as/v1/proxy/, ...), in
// registration order; anything else → the fallback (static files).
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http_types.hpp"
#include "ws_connection.hpp"

namespace confhost {

class Router {
 public:
  using Handler = std::function<void(HttpRequest request, Respond respond)>;

  void addExact(std::string path, Handler handler);
  void addPrefix(std::string prefix, Handler handler);
  void setFallback(Handler handler);
  void setWebSocketEndpoint(WsEndpoint* endpoint) { webSocket_ = endpoint; }

  // The endpoint for an upgrade request, or nullptr when this path does not take WebSockets.
  WsEndpoint* webSocketEndpointFor(const HttpRequest& request) const;
  void handle(HttpRequest request, Respond respond) const;

 private:
  std::vector<std::pair<std::string, Handler>> exact_, prefixes_;
  Handler fallback_;
  WsEndpoint* webSocket_ = nullptr;
};

// The path of a request target ("/a/b?x=1" → "/a/b") and its raw query ("x=1", "" when none).
std::string targetPath(std::string_view target);
std::string targetQuery(std::string_view target);

// A JSON (or plain) answer with the usual headers; `keepAlive` follows the request.
HttpResponse makeResponse(const HttpRequest& request, beast::http::status status, std::string body,
                          std::string_view contentType = "application/json");
// {"errorMessage": reason} (Stream Manager style) or {"error": reason}.
HttpResponse jsonError(const HttpRequest& request, beast::http::status status, const std::string& reason,
                       std::string_view key = "error");

}  // namespace confhost
