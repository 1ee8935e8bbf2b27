#include <doctest/doctest.h>

#include "core/protocol/http_message.hpp"

using namespace confhost;

TEST_CASE("findHeader is case-insensitive and findHeaders returns repeats in order") {
  HttpHeaders h{{"Content-Type", "application/sdp"}, {"link", "a"}, {"LINK", "b"}};
  CHECK(findHeader(h, "content-type").value() == "application/sdp");
  CHECK_FALSE(findHeader(h, "etag").has_value());
  CHECK(findHeaders(h, "Link") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("ICE servers come from repeated Link headers with rel=ice-server") {
  HttpHeaders h{{"Link", "<stun:stun.example.net>; rel=\"ice-server\""},
                {"Link", "<turn:turn.example.net?transport=udp>; rel=\"ice-server\"; username=\"user\"; "
                         "credential=\"pass\"; credential-type=\"password\""},
                {"Link", "<https://example.net/other>; rel=\"next\""}};
  const auto servers = parseIceServerLinks(h);
  REQUIRE(servers.size() == 2);
  CHECK(servers[0] == IceServer{"stun:stun.example.net", "", ""});
  CHECK(servers[1] == IceServer{"turn:turn.example.net?transport=udp", "user", "pass"});
}

TEST_CASE("ICE servers come from one comma-separated Link header, quotes may hold commas") {
  HttpHeaders h{{"link", "<stun:a.net:3478>; rel=ice-server, <turn:b.net:3478>; rel=\"ice-server\"; "
                         "username=\"u,1\"; credential=\"p;2\", <https://x>; rel=\"alternate\""}};
  const auto servers = parseIceServerLinks(h);
  REQUIRE(servers.size() == 2);
  CHECK(servers[0].urls == "stun:a.net:3478");
  CHECK(servers[1] == IceServer{"turn:b.net:3478", "u,1", "p;2"});
}

TEST_CASE("malformed Link values are skipped, not fatal") {
  HttpHeaders h{{"Link", "stun:no-brackets; rel=ice-server, <stun:ok>; rel=\"ice-server\", <unclosed"}};
  const auto servers = parseIceServerLinks(h);
  REQUIRE(servers.size() == 1);
  CHECK(servers[0].urls == "stun:ok");
}

TEST_CASE("Location is resolved against the endpoint URL") {
  const std::string base = "https://host:8443/as/v1/proxy/whep/live/room1/alice";
  CHECK(resolveUrl(base, "https://other/res/1") == "https://other/res/1");
  CHECK(resolveUrl(base, "/as/v1/proxy/resource/abc") == "https://host:8443/as/v1/proxy/resource/abc");
  CHECK(resolveUrl(base, "resource/abc") == "https://host:8443/as/v1/proxy/whep/live/room1/resource/abc");
  CHECK(resolveUrl(base, "../x") == "https://host:8443/as/v1/proxy/whep/live/x");
  CHECK(resolveUrl(base, "//cdn.net/r") == "https://cdn.net/r");
  CHECK(resolveUrl(base, "/r?id=1") == "https://host:8443/r?id=1");
  CHECK(resolveUrl("https://host/whip?token=t", "r/1") == "https://host/r/1");
}

TEST_CASE("httpErrorReason shows status, phrase and the server's reason") {
  CHECK(httpErrorReason({1, 409, {}, "stream name already publishing", ""}) ==
        "409 Conflict: stream name already publishing");
  CHECK(httpErrorReason({1, 404, {}, R"({"errorMessage":"no such stream live/room1/bob"})", ""}) ==
        "404 Not Found: no such stream live/room1/bob");
  CHECK(httpErrorReason({1, 403, {}, R"({"error":"bad token"})", ""}) == "403 Forbidden: bad token");
  CHECK(httpErrorReason({1, 503, {}, "", ""}) == "503 Service Unavailable");
  CHECK(httpErrorReason({1, 500, {}, "<html><body>oops</body></html>", ""}) == "500 Internal Server Error");
  CHECK(httpErrorReason({1, 400, {}, "  bad SDP: no m-line\n", ""}) == "400 Bad Request: bad SDP: no m-line");
  CHECK(httpErrorReason({1, 0, {}, "", "connection refused"}) == "network error: connection refused");
  CHECK(httpErrorReason({1, 499, {}, "", ""}) == "499");
}
