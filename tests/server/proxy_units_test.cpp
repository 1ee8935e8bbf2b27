// The proxy's text helpers on their own: SDP ICE rewriting for restarts, ICE fragments, the two
// spellings of proxy paths, and --ice-server specs.
#include <doctest/doctest.h>

#include "server/proxy/ice_servers.hpp"
#include "server/proxy/proxy_paths.hpp"
#include "server/proxy/sdp_text.hpp"

using namespace confhost;

namespace {

const std::string kOffer =
    "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:old1\r\na=ice-pwd:oldpassword1\r\n"
    "a=fingerprint:sha-256 AA\r\na=setup:actpass\r\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host\r\n"
    "a=end-of-candidates\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=ice-ufrag:old1\r\na=ice-pwd:oldpassword1\r\n";

}  // namespace

TEST_SUITE("proxy text") {

TEST_CASE("an ICE restart re-issues the SDP with the new credentials, only the new candidates and a newer version") {
  const std::vector<sdp::Candidate> fresh = {{"1", 0, "candidate:2 1 udp 2 10.0.0.2 6000 typ host"}};
  const std::string out = sdp::withIceCredentials(kOffer, "new2", "newpassword2", fresh);
  CHECK(out.find("o=- 42 3 IN IP4 127.0.0.1\r\n") != std::string::npos);
  CHECK(out.find("old1") == std::string::npos);
  CHECK(out.find("oldpassword1") == std::string::npos);
  CHECK(out.find("a=ice-ufrag:new2\r\n") != std::string::npos);
  CHECK(out.find("10.0.0.1") == std::string::npos);
  CHECK(out.find("a=end-of-candidates") == std::string::npos);
  // The candidate of mid 1 lands in the video section.
  CHECK(out.find("a=candidate:2 1 udp 2 10.0.0.2 6000 typ host") > out.find("m=video"));
  CHECK(sdp::iceUfragOf(out) == "new2");
}

TEST_CASE("the ICE fragment of an SDP has its credentials and the sections with candidates, CRLF") {
  const std::string frag = sdp::iceFragmentOf(kOffer);
  CHECK(frag == "a=ice-ufrag:old1\r\na=ice-pwd:oldpassword1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                "a=candidate:1 1 udp 1 10.0.0.1 5000 typ host\r\na=end-of-candidates\r\n");
}

TEST_CASE("a trickle fragment gives credentials, candidates with their mid, and end-of-candidates") {
  const auto f = sdp::parseIceFragment(
      "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uY\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n"
      "a=end-of-candidates\r\n");
  CHECK(f.ufrag == "EsAw");
  CHECK(f.pwd == "P2uY");
  REQUIRE(f.candidates.size() == 1);
  CHECK(f.candidates[0].mid == "0");
  CHECK(f.candidates[0].line == "candidate:1 1 udp 1 1.2.3.4 5 typ host");
  CHECK(f.completed);
}

TEST_CASE("SDP checks name the problem") {
  CHECK(sdp::checkSdp("").error().message().find("no body") != std::string::npos);
  CHECK(sdp::checkSdp("hello").error().message().find("v=0") != std::string::npos);
  CHECK(sdp::checkSdp("v=0\r\n\xff").error().message().find("UTF-8") != std::string::npos);
  CHECK(sdp::checkSdp(kOffer + "a=fingerprint:x\r\n").ok());
}

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
