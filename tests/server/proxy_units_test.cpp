// The proxy's units on their own: a resource's phases, and --ice-server specs.
#include <doctest/doctest.h>

#include "server/proxy/ice_servers.hpp"
#include "server/proxy/resource_phase.hpp"

using namespace confhost;

TEST_SUITE("proxy text") {

TEST_CASE("a resource is up only once Janus says webrtcup, and its SDP exchange completes once") {
  using P = ResourcePhase;
  using E = ResourceEvent;
  CHECK((nextPhase(P::Negotiating, E::SdpExchanged) == P::Negotiated));
  CHECK((nextPhase(P::Negotiated, E::WebrtcUp) == P::Up));
  CHECK((nextPhase(P::Negotiating, E::WebrtcUp) == P::Up));  // reported before our answer went out
  CHECK((nextPhase(P::Up, E::SdpExchanged) == P::Up));        // a late answer does not step back
  CHECK((nextPhase(P::Up, E::WebrtcUp) == P::Up));
  CHECK((nextPhase(P::Negotiated, E::SdpExchanged) == P::Negotiated));
  CHECK(toString(P::Negotiated) == "negotiated");
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
