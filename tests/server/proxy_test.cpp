// The WHIP/WHEP proxy's HTTP contract that needs no origin (the server runs --no-janus): methods,
// CORS and ICE-server headers, the debug token, and the refusal of bad input with a reason. What
// needs Janus (201s, trickle, ICE restarts, WHEP modes) is in tests/media/conformance.test.mjs.
#include <doctest/doctest.h>

#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;

namespace {

const std::string kProxy = "/as/v1/proxy/";
// Enough SDP to pass the proxy's own checks (Janus would see it next).
const std::string kOffer =
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
    "a=fingerprint:sha-256 00:11\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n";

HttpResult post(const std::string& path, const std::string& body, const std::string& type = "application/sdp") {
  return https(sharedServer().port(), "POST", path, body, {{"Content-Type", type}});
}

// Every proxy answer, errors included, lets a page on another origin read the WHIP/WHEP headers.
void checkExposesHeaders(const HttpResult& r) {
  const std::string exposed = r.header("access-control-expose-headers");
  for (const char* h : {"Location", "ETag", "Link", "Accept-Patch", "Retry-After"}) CHECK(exposed.find(h) != std::string::npos);
  CHECK(r.header("access-control-allow-origin") == "*");
}

}  // namespace

TEST_SUITE("whip/whep proxy") {

TEST_CASE("OPTIONS on an endpoint gives the methods, Accept-Post and the configured ICE servers as Link headers") {
  TestServer server({"--ice-server", "stun:stun.example.org:3478", "--ice-server",
                     "turn:turn.example.org:3478?transport=udp,alice,s3cret"});
  for (const std::string path : {kProxy + "whip/live/room1/alice", std::string("/live/room1/whep/endpoint/alice")}) {
    CAPTURE(path);
    const auto r = https(server.port(), "OPTIONS", path);
    CHECK(r.status == 204);
    CHECK(r.header("accept-post") == "application/sdp");
    const std::string methods = r.header("access-control-allow-methods");
    for (const char* m : {"POST", "PATCH", "DELETE", "GET", "OPTIONS"}) CHECK(methods.find(m) != std::string::npos);
    // The test client keeps the last of repeated headers: the TURN server, with its credentials.
    CHECK(r.header("link") ==
          "<turn:turn.example.org:3478?transport=udp>; rel=\"ice-server\"; username=\"alice\"; credential=\"s3cret\"; "
          "credential-type=\"password\"");
    checkExposesHeaders(r);
  }
}

TEST_CASE("a malformed --ice-server stops the server") {
  // (The reason goes to the server's log; the test sees that it never starts.)
  CHECK_THROWS_AS(TestServer({"--ice-server", "http://stun.example.org"}), std::runtime_error);
}

TEST_CASE("RFC 9725 4.2: GET, PUT and HEAD on an endpoint or a session are 405 with Allow") {
  const auto onEndpoint = https(sharedServer().port(), "GET", kProxy + "whip/live/room1/alice");
  CHECK(onEndpoint.status == 405);
  CHECK(onEndpoint.header("allow") == "POST, OPTIONS");
  checkExposesHeaders(onEndpoint);
  CHECK(https(sharedServer().port(), "PUT", "/live/room1/whip/endpoint/alice").status == 405);
  const auto onSession = https(sharedServer().port(), "GET", kProxy + "resource/0123456789abcdef");
  CHECK(onSession.status == 405);
  CHECK(onSession.header("allow") == "PATCH, DELETE, OPTIONS");
}

TEST_CASE("the proxy's debug state needs the Stream Manager token") {
  const auto none = https(sharedServer().port(), "GET", kProxy + "debug");
  CHECK(none.status == 401);
  CHECK(none.body.find("Stream Manager token") != std::string::npos);
  CHECK(https(sharedServer().port(), "GET", kProxy + "debug?accessToken=wrong").status == 401);
  const auto byQuery = https(sharedServer().port(), "GET", kProxy + "debug?accessToken=" + kSmToken);
  CHECK(byQuery.status == 200);
  CHECK(byQuery.json()["janus"]["connected"] == false);
  CHECK(byQuery.json()["resources"].is_array());
  const auto byHeader = https(sharedServer().port(), "GET", kProxy + "debug", "", {{"Authorization", "Bearer " + kSmToken}});
  CHECK(byHeader.status == 200);
}

TEST_CASE("a WHEP play of a stream nobody publishes is 409 Conflict with Retry-After, on both spellings") {
  for (const std::string path : {kProxy + "whep/live/room1/ghost", std::string("/live/room1/whep/endpoint/ghost?requestId=r1")}) {
    CAPTURE(path);
    const auto empty = https(sharedServer().port(), "POST", path);
    CHECK(empty.status == 409);
    CHECK(!empty.header("retry-after").empty());
    CHECK(empty.body.find("ghost") != std::string::npos);
    checkExposesHeaders(empty);
    CHECK(post(path, kOffer).status == 409);
  }
}

TEST_CASE("a WHIP publish while the origin is down is 503 with the reason") {
  const auto r = post(kProxy + "whip/live/room1/alice", kOffer);
  CHECK(r.status == 503);
  CHECK(r.body.find("--no-janus") != std::string::npos);
  CHECK(post("/live/room1/whip/endpoint/alice", kOffer).status == 503);
}

TEST_CASE("bad input is refused with a reason that names the problem") {
  SUBCASE("wrong Content-Type") {
    const auto r = post(kProxy + "whip/live/room1/alice", kOffer, "application/json");
    CHECK(r.status == 415);
    CHECK(r.body.find("application/sdp") != std::string::npos);
    checkExposesHeaders(r);
  }
  SUBCASE("not SDP") {
    const auto r = post(kProxy + "whip/live/room1/alice", "hello");
    CHECK(r.status == 400);
    CHECK(r.body.find("v=0") != std::string::npos);
  }
  SUBCASE("no body") { CHECK(post(kProxy + "whip/live/room1/alice", "").status == 400); }
  SUBCASE("SDP that is not UTF-8") {
    const auto r = post(kProxy + "conference/live/room1/alice", kOffer + "a=x:\xff\xfe\r\n");
    CHECK(r.status == 400);
    CHECK(r.body.find("UTF-8") != std::string::npos);
  }
  SUBCASE("SDP too large") {
    const auto r = post(kProxy + "whip/live/room1/alice", kOffer + std::string(200 * 1024, 'x'));
    CHECK(r.status == 413);
  }
  SUBCASE("invalid stream or scope names") {
    CHECK(post(kProxy + "whip/live/room1/b%20ob", kOffer).status == 400);
    CHECK(post(kProxy + "whip/alice", kOffer).status == 400);
    CHECK(post("/live/r%00oom/whip/endpoint/alice", kOffer).status == 400);
    const auto r = post("/live/room1/whep/endpoint/a/b", kOffer);
    CHECK(r.status == 400);
    CHECK(r.body.find("/whep/endpoint/<stream>") != std::string::npos);
  }
  SUBCASE("unknown proxy path") {
    const auto r = post(kProxy + "nope/live/room1/alice", kOffer);
    CHECK(r.status == 404);
    checkExposesHeaders(r);
  }
  SUBCASE("unknown resource") {
    const std::map<std::string, std::string> frag = {{"Content-Type", "application/trickle-ice-sdpfrag"}};
    CHECK(https(sharedServer().port(), "PATCH", kProxy + "resource/0123456789abcdef", "a=end-of-candidates\r\n", frag).status == 404);
    CHECK(https(sharedServer().port(), "DELETE", kProxy + "resource/0123456789abcdef").status == 404);
    CHECK(https(sharedServer().port(), "DELETE", "/live/room1/whep/resource/0123456789abcdef").status == 404);
  }
}

}  // TEST_SUITE
