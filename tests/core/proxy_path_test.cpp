// The proxy's URLs: what the client builds is what the server parses, in both spellings.
#include <doctest/doctest.h>

#include "core/media/proxy_path.hpp"

using namespace confhost;

TEST_SUITE("proxy paths") {

TEST_CASE("a URL the client builds names, on the server, the same endpoint, scope and stream") {
  for (Endpoint e : {Endpoint::Whip, Endpoint::Whep, Endpoint::Conference}) {
    const std::string url = proxyUrl("https://h:1", e, "live/room1", "alice");
    CHECK(url == "https://h:1" + std::string(kProxyPrefix) + std::string(toString(e)) + "/live/room1/alice");
    const ProxyPath p = parseProxyPath(url.substr(std::string("https://h:1").size()));
    CHECK(p.kind == ProxyPath::Kind::Endpoint);
    CHECK((p.endpoint == e));
    CHECK(p.scope == "live/room1");
    CHECK(p.stream == "alice");
    CHECK(p.resourceBase == std::string(kProxyPrefix) + "resource/");
    CHECK(!p.originSpelling);
  }
}

TEST_CASE("the Red5 origin spelling names the same endpoints, and its resources live under it") {
  auto p = parseProxyPath("/live/room1/whep/endpoint/alice");
  CHECK((p.kind == ProxyPath::Kind::Endpoint && p.endpoint == Endpoint::Whep));
  CHECK((p.scope == "live/room1" && p.stream == "alice"));
  CHECK(p.resourceBase == "/live/room1/whep/resource/");
  CHECK(p.originSpelling);
  p = parseProxyPath("/live/whip/endpoint/bob");
  CHECK((p.endpoint == Endpoint::Whip && p.scope == "live" && p.stream == "bob"));
  p = parseProxyPath("/live/room1/whip/resource/abc123");
  CHECK((p.kind == ProxyPath::Kind::Resource && p.id == "abc123"));
}

TEST_CASE("resources and the debug page have their own paths") {
  CHECK(parseProxyPath(std::string(kProxyPrefix) + "resource/abc123").id == "abc123");
  CHECK(parseProxyPath(std::string(kProxyPrefix) + "debug").kind == ProxyPath::Kind::Debug);
}

TEST_CASE("a path that names no endpoint is 404, a bad name 400, each with the reason") {
  CHECK(parseProxyPath("/whep/endpoint/alice").status == 400);
  const auto unknown = parseProxyPath(std::string(kProxyPrefix) + "whop/live/a");
  CHECK(unknown.status == 404);
  CHECK(unknown.problem.find("expected whip/, whep/, conference/") != std::string::npos);
  const auto badName = parseProxyPath(std::string(kProxyPrefix) + "conference/live/room1/a b");
  CHECK(badName.status == 400);
  CHECK(badName.problem.find("stream") != std::string::npos);
}

TEST_CASE("the router sends both spellings to the proxy, and nothing else") {
  CHECK(isProxyPath("/live/room1/whep/endpoint/alice"));
  CHECK(isProxyPath(std::string(kProxyPrefix) + "resource/x"));
  CHECK(!isProxyPath("/index.html"));
  CHECK(!isProxyPath("/streammanager/api/4.0/event/list"));
}

}  // TEST_SUITE
