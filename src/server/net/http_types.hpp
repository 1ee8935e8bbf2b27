#pragma once
// The HTTP vocabulary shared by the router and every feature (ConferenceApi, StreamManagerApi,
// WhipWhepProxy, static files). A feature answers through `Respond` exactly once, possibly later
// (after an origin round trip): the session keeps the connection until it does.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>

namespace confhost {

namespace beast = boost::beast;

using HttpRequest = beast::http::request<beast::http::string_body>;
using HttpResponse = beast::http::response<beast::http::string_body>;
using Respond = std::function<void(HttpResponse)>;

}  // namespace confhost
