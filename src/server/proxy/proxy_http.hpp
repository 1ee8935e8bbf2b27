#pragma once
// The HTTP side shared by the WHIP/WHEP proxy's files: the router's responses plus the CORS headers
// every proxy answer carries (errors included, so a console on another origin can read why), the media type of a
// request, and how an origin (Janus) error becomes an HTTP status and a sentence.
#include <boost/beast/http/status.hpp>

#include <chrono>
#include <string>

#include "core/protocol/expected.hpp"
#include "server/net/http_types.hpp"

namespace confhost::proxyhttp {

// Headers a browser page may read from a proxy answer (Access-Control-Expose-Headers).
inline constexpr const char* kExposedHeaders = "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After, Allow";

HttpResponse response(const HttpRequest& req, beast::http::status status, std::string body = "",
                      const std::string& contentType = "text/plain; charset=utf-8");
HttpResponse error(const HttpRequest& req, beast::http::status status, const std::string& reason);
// 405 with the methods `allow`ed.
HttpResponse methodNotAllowed(const HttpRequest& req, const std::string& reason, const char* allow);
// An error the client may retry: with `Retry-After: <seconds>`.
HttpResponse retryLater(const HttpRequest& req, beast::http::status status, const std::string& reason,
                        std::chrono::seconds after);

// "application/sdp; charset=x" → "application/sdp" (lowercase, "" when absent).
std::string mediaTypeOf(const HttpRequest& req);

// Janus error codes → the status the client is given. Code 0 is a transport failure (Janus down).
beast::http::status statusFor(const Error& e);
std::string originError(const Error& e);

}  // namespace confhost::proxyhttp
