#include "server/proxy/proxy_http.hpp"

#include <boost/beast/http/field.hpp>

#include <cctype>
#include <map>

#include "core/protocol/json_limits.hpp"

namespace confhost::proxyhttp {

namespace http = boost::beast::http;

HttpResponse response(const HttpRequest& req, http::status status, std::string body, const std::string& contentType) {
  HttpResponse res{status, req.version()};
  res.set(http::field::server, "confhost");
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, kExposedHeaders);
  res.set(http::field::cache_control, "no-store");
  if (!body.empty()) {
    if (contentType.rfind("text/", 0) == 0) {
      body = printableText(body, 4096);  // reasons may quote what the client sent
      if (body.back() != '\n') body += '\n';
    }
    res.set(http::field::content_type, contentType);
  }
  res.body() = std::move(body);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
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

std::string mediaTypeOf(const HttpRequest& req) {
  std::string ct(req[http::field::content_type]);
  if (auto semi = ct.find(';'); semi != std::string::npos) ct.resize(semi);
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ct;
}

http::status statusFor(const Error& e) {
  static const std::map<int, http::status> byCode = {
      {0, http::status::service_unavailable},   {458, http::status::service_unavailable},
      {459, http::status::service_unavailable}, {464, http::status::bad_request},
      {465, http::status::bad_request},         {431, http::status::bad_request},
      {437, http::status::bad_request},         {492, http::status::bad_request},
      {425, http::status::conflict},            {434, http::status::conflict},
      {436, http::status::conflict},            {491, http::status::conflict},
      {426, http::status::not_found},           {428, http::status::not_found},
      {485, http::status::not_found},           {432, http::status::service_unavailable},
  };
  auto it = byCode.find(e.janusCode);
  return it == byCode.end() ? http::status::bad_gateway : it->second;
}

std::string originError(const Error& e) {
  return e.janusCode ? "the origin media server refused: " + e.message() : e.message();
}

}  // namespace confhost::proxyhttp
