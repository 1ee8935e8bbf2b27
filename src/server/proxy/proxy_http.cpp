#include "server/proxy/proxy_http.hpp"

#include <boost/beast/http/field.hpp>

#include <cctype>
#include <map>

#include "core/protocol/json_limits.hpp"
#include "server/net/router.hpp"
#include "server/origin/janus_client.hpp"

namespace confhost::proxyhttp {

namespace http = boost::beast::http;

HttpResponse response(const HttpRequest& req, http::status status, std::string body, const std::string& contentType) {
  const bool text = !body.empty() && contentType.rfind("text/", 0) == 0;
  if (text) {
    body = printableText(body, 4096);  // reasons may quote what the client sent
    if (body.back() != '\n') body += '\n';
  }
  const bool empty = body.empty();
  HttpResponse res = makeResponse(req, status, std::move(body), contentType);
  if (empty) res.erase(http::field::content_type);
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, kExposedHeaders);
  return res;
}

HttpResponse error(const HttpRequest& req, http::status status, const std::string& reason) {
  return response(req, status, reason);
}

HttpResponse retryLater(const HttpRequest& req, http::status status, const std::string& reason,
                        std::chrono::seconds after) {
  auto res = response(req, status, reason);
  res.set(http::field::retry_after, std::to_string(after.count()));
  return res;
}

HttpResponse methodNotAllowed(const HttpRequest& req, const std::string& reason, const char* allow) {
  auto res = response(req, http::status::method_not_allowed, reason);
  res.set(http::field::allow, allow);
  return res;
}

std::string mediaTypeOf(const HttpRequest& req) {
  std::string ct(req[http::field::content_type]);
  if (auto semi = ct.find(';'); semi != std::string::npos) ct.resize(semi);
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ct;
}

http::status statusFor(const Error& e) {
  static const std::map<int, http::status> byCode = {
      {janus::kTransportFailed, http::status::service_unavailable},
      {janus::kSessionNotFound, http::status::service_unavailable},
      {janus::kHandleNotFound, http::status::service_unavailable},
      {janus::kJsepUnknownType, http::status::bad_request},
      {janus::kJsepInvalidSdp, http::status::bad_request},
      {janus::kVideoRoomInvalidSdpType, http::status::bad_request},
      {janus::kVideoRoomInvalidSdp, http::status::bad_request},
      {janus::kAudioBridgeNoSuchUser, http::status::bad_request},
      {janus::kVideoRoomAlreadyJoined, http::status::conflict},
      {janus::kVideoRoomAlreadyPublished, http::status::conflict},
      {janus::kVideoRoomIdExists, http::status::conflict},
      {janus::kAudioBridgeAlreadyJoined, http::status::conflict},
      {janus::kVideoRoomNoSuchRoom, http::status::not_found},
      {janus::kVideoRoomNoSuchFeed, http::status::not_found},
      {janus::kAudioBridgeNoSuchRoom, http::status::not_found},
      {janus::kVideoRoomPublishersFull, http::status::service_unavailable},
  };
  auto it = byCode.find(e.janusCode);
  return it == byCode.end() ? http::status::bad_gateway : it->second;
}

std::string originError(const Error& e) {
  return e.janusCode ? "the origin media server refused: " + e.message() : e.message();
}

}  // namespace confhost::proxyhttp
