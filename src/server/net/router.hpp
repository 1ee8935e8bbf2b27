#pragma once
// Decides which feature answers a request, most specific first: a WebSocket upgrade at `/` → the Conference
// API; then exact paths (/webhook, ...), then path prefixes (/streammanager/, /as/v1/proxy/, ...), in
// registration order; anything else → the static files (or a fallback handler).
//
// The router is also the server's last line of defence against hostile requests: a handler that
// throws answers 500 instead of unwinding into the io_context, and a JSON body nested deeper than
// kMaxJsonDepth is refused before any feature parses it (nlohmann values copy and dump recursively).
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/net/http_types.hpp"
#include "server/site/static_files.hpp"
#include "server/net/ws_connection.hpp"

namespace confhost {

class Router {
 public:
  using Handler = std::function<void(HttpRequest request, Respond respond)>;

  void addExact(std::string path, Handler handler);
  void addPrefix(std::string prefix, Handler handler);
  // Paths no exact or prefix route took, chosen by a test on the whole path (the WHIP/WHEP proxy's
  // Red5 origin spellings, "/<app>/whip/endpoint/<stream>"); checked in registration order.
  void addMatching(std::function<bool(std::string_view path)> matches, Handler handler);
  void setFallback(Handler handler);
  // Static files answer whatever no other handler takes, streamed from disk (before any fallback).
  void setStaticFiles(const StaticFiles* files) { staticFiles_ = files; }
  void setWebSocketEndpoint(WsEndpoint* endpoint) { webSocket_ = endpoint; }

  // The endpoint for an upgrade request, or nullptr when this path does not take WebSockets.
  WsEndpoint* webSocketEndpointFor(const HttpRequest& request) const;
  // `respondFile` takes streamed file answers; without it static files are answered in memory.
  void handle(HttpRequest request, Respond respond, RespondFile respondFile = nullptr) const;

 private:
  void dispatch(HttpRequest request, Respond respond, RespondFile respondFile) const;

  std::vector<std::pair<std::string, Handler>> exact_, prefixes_;
  std::vector<std::pair<std::function<bool(std::string_view)>, Handler>> matching_;
  Handler fallback_;
  WsEndpoint* webSocket_ = nullptr;
  const StaticFiles* staticFiles_ = nullptr;
};

// The path of a request target ("/a/b?x=1" → "/a/b") and its raw query ("x=1", "" when none).
std::string targetPath(std::string_view target);
std::string targetQuery(std::string_view target);

// A JSON (or plain) answer with the usual headers; `keepAlive` follows the request.
HttpResponse makeResponse(const HttpRequest& request, beast::http::status status, std::string body,
                          std::string_view contentType = "application/json");
// {"errorMessage": reason} (Stream Manager style) or {"error": reason}. The reason may carry bytes a
// client sent (a path, a query value): invalid UTF-8 in it is replaced, never thrown on.
HttpResponse jsonError(const HttpRequest& request, beast::http::status status, const std::string& reason,
                       std::string_view key = "error");

}  // namespace confhost
