// The proxy's text helpers on their own: the two spellings of proxy paths, and --ice-server specs.
#include <doctest/doctest.h>

#include "server/proxy/ice_servers.hpp"
#include "server/proxy/proxy_paths.hpp"

using namespace confhost;

TEST_SUITE("proxy text") {

TEST_CASE("proxy paths and their Red5 origin spellings name the same endpoints") {
  auto p = parseProxyPath("/as/v1/proxy/whep/live/room1/alice");
  CHECK((p.kind == ProxyPath::Kind::Whep && p.scope == "live/room1" && p.stream == "alice"));
  CHECK(p.resourceBase == "/as/v1/proxy/resource/");
  p = parseProxyPath("/live/room1/whep/endpoint/alice");
  CHECK((p.kind == ProxyPath::Kind::Whep && p.scope == "live/room1" && p.stream == "alice"));
  CHECK(p.resourceBase == "/live/room1/whep/resource/");
  p = parseProxyPath("/live/whip/endpoint/bob");
  CHECK((p.kind == ProxyPath::Kind::Whip && p.scope == "live" && p.stream == "bob"));
  p = parseProxyPath("/live/room1/whip/resource/abc123");
  CHECK((p.kind == ProxyPath::Kind::Resource && p.id == "abc123"));
  CHECK(parseProxyPath("/as/v1/proxy/resource/abc123").id == "abc123");
  CHECK(parseProxyPath("/as/v1/proxy/debug").kind == ProxyPath::Kind::Debug);
  CHECK(parseProxyPath("/whep/endpoint/alice").status == 400);
  CHECK(parseProxyPath("/as/v1/proxy/whop/live/a").status == 404);
  CHECK(parseProxyPath("/as/v1/proxy/conference/live/room1/a b").status == 400);
  CHECK(isOriginStylePath("/live/room1/whep/endpoint/alice"));
  CHECK(!isOriginStylePath("/index.html"));
}

TEST_CASE("--ice-server specs become RFC 9725 Link header values") {
  auto stun = parseIceServer("stun:stun.example.org:3478");
  REQUIRE(stun);
  CHECK(linkHeaderOf(*stun) == "<stun:stun.example.org:3478>; rel=\"ice-server\"");
  auto turn = parseIceServer("turns:turn.example.org:5349?transport=tcp,u,p");
  REQUIRE(turn);
  CHECK(linkHeaderOf(*turn) ==
        "<turns:turn.example.org:5349?transport=tcp>; rel=\"ice-server\"; username=\"u\"; credential=\"p\"; "
        "credential-type=\"password\"");
  CHECK(!parseIceServer("http://x"));
  CHECK(!parseIceServer("turn:t.example.org"));           // TURN without credentials
  CHECK(!parseIceServer("stun:s.example.org,user"));      // a username without a credential
  CHECK(!parseIceServer("stun:s.example.org\"; rel=x"));  // header injection
}

}  // TEST_SUITE
