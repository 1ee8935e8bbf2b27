#include <doctest/doctest.h>

#include <string>

#include "core/media/media_session_client.hpp"
#include "test_effects.hpp"

using namespace confhost;
using confhost::testing::all;
using confhost::testing::has;
using confhost::testing::only;
using namespace confhost::media;

namespace {

const char* kEndpoint = "https://host:8443/as/v1/proxy/whep/live/room1/alice";
const char* kOffer =
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:uf1\r\na=ice-pwd:pw1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=ice-ufrag:uf1\r\na=ice-pwd:pw1\r\n";
const char* kAnswer = "v=0\r\no=- 3 4 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
const char* kServerOffer = "v=0\r\no=- 5 6 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

std::string name(State s) { return std::string(toString(s)); }

// The last StateChanged's state name, "" when the effects change no state.
std::string lastState(const std::vector<Effect>& effects) {
  auto changes = all<StateChanged>(effects);
  return changes.empty() ? "" : name(changes.back().state);
}

// The standard flow: our own offer from the first POST.
Start whep() {
  Start s;
  s.kind = Kind::Whep;
  s.endpoint = kEndpoint;
  s.serverOfferFirst = false;
  return s;
}

HttpResponse response(int id, int status, HttpHeaders headers = {}, std::string body = "") {
  return HttpResponse{id, status, std::move(headers), std::move(body), ""};
}

// Drives a client to the POST of its offer; returns the POST.
HttpRequest startAndOffer(MediaSessionClient& c, Start s = whep()) {
  auto fx = c.handle(s);
  REQUIRE(lastState(fx) == "offering");
  const int peer = only<CreatePeer>(fx).peerId;
  fx = c.handle(LocalOfferReady{peer, kOffer});
  return only<HttpRequest>(fx);
}

// Standard flow up to Connected; returns the effects of the 201.
std::vector<Effect> connectStandard(MediaSessionClient& c, HttpHeaders extra = {}) {
  const auto post = startAndOffer(c);
  HttpHeaders headers{{"Location", "/as/v1/proxy/resource/r1"}, {"Content-Type", "application/sdp"},
                      {"ETag", "\"e1\""}};
  for (auto& h : extra) headers.push_back(h);
  return c.handle(response(post.requestId, 201, headers, kAnswer));
}

// 406 flow up to Connected.
void connectServerOffer(MediaSessionClient& c) {
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 406,
                              {{"Location", "/as/v1/proxy/resource/r2"},
                               {"Content-Type", "application/sdp"},
                               {"ETag", "\"e2\""}},
                              kServerOffer));
  REQUIRE(name(c.state()) == "answering");
  fx = c.handle(LocalAnswerReady{c.peerId(), kOffer});
  const auto patch = only<HttpRequest>(fx);
  fx = c.handle(response(patch.requestId, 204));
  REQUIRE(name(c.state()) == "connected");
}

Config retrying() {
  Config cfg;
  cfg.retry.enabled = true;
  return cfg;
}

}  // namespace

// ---- start ------------------------------------------------------------------------------------------

TEST_CASE("Start creates an offering peer with the kind's direction and asks for an offer") {
  MediaSessionClient c;
  Start s = whep();
  s.iceServers = {{"stun:stun.l.google.com:19302", "", ""}};
  auto fx = c.handle(s);
  REQUIRE(fx.size() == 3);
  const auto peer = std::get<CreatePeer>(fx[0]);
  CHECK(peer.peerId > 0);
  CHECK(peer.offerer);
  CHECK((peer.direction == Direction::RecvOnly));
  CHECK(peer.tracks.audio);
  CHECK(peer.tracks.video);
  CHECK(peer.iceServers == s.iceServers);
  CHECK(std::get<CreateOffer>(fx[1]).peerId == peer.peerId);
  CHECK(name(std::get<StateChanged>(fx[2]).state) == "offering");
  CHECK(name(c.state()) == "offering");
}

TEST_CASE("a WHIP start sends, the conference join overrides direction and tracks") {
  MediaSessionClient pub;
  Start s = whep();
  s.kind = Kind::Whip;
  s.source = "camera";
  s.maxBitrateKbps = 1500;
  auto peer = only<CreatePeer>(pub.handle(s));
  CHECK((peer.direction == Direction::SendOnly));
  CHECK(peer.source == "camera");
  CHECK(peer.maxBitrateKbps == 1500);

  MediaSessionClient join;
  s.direction = Direction::SendRecv;
  s.tracks = {true, false};
  peer = only<CreatePeer>(join.handle(s));
  CHECK((peer.direction == Direction::SendRecv));
  CHECK(peer.tracks.audio);
  CHECK_FALSE(peer.tracks.video);
}

TEST_CASE("Start with a bad endpoint is refused and changes nothing") {
  MediaSessionClient c;
  Start s = whep();
  s.endpoint = "";
  CHECK(c.handle(s).empty());
  CHECK(c.lastRefusal() == "endpoint: missing");
  s.endpoint = "ftp://x/y";
  CHECK(c.handle(s).empty());
  CHECK(c.lastRefusal() == "endpoint: must be an absolute http(s) URL, got \"ftp://x/y\"");
  s = whep();
  s.tracks = {false, false};
  CHECK(c.handle(s).empty());
  CHECK(c.lastRefusal() == "tracks: need audio or video");
  CHECK(name(c.state()) == "idle");
}

TEST_CASE("Start while a session is active is refused and names the state") {
  MediaSessionClient c;
  c.handle(whep());
  CHECK(c.handle(whep()).empty());
  CHECK(c.lastRefusal() == "Start while offering");
  CHECK(name(c.state()) == "offering");
}

// ---- standard flow ----------------------------------------------------------------------------------

TEST_CASE("the local offer is POSTed as application/sdp to the endpoint") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  CHECK(post.method == "POST");
  CHECK(post.url == kEndpoint);
  CHECK(findHeader(post.headers, "content-type").value() == "application/sdp");
  CHECK(post.body == kOffer);
  CHECK(name(c.state()) == "offering");
}

TEST_CASE("auth parameters go in the query string and a bearer token in Authorization") {
  MediaSessionClient c;
  Start s = whep();
  s.auth.username = "al ice";
  s.auth.password = "p&w";
  s.auth.token = "t1";
  s.auth.bearerToken = "jwt";
  const auto post = startAndOffer(c, s);
  CHECK(post.url == std::string(kEndpoint) + "?username=al%20ice&password=p%26w&token=t1");
  CHECK(findHeader(post.headers, "authorization").value() == "Bearer jwt");
}

TEST_CASE("201 Created with an answer: remote answer set, resource and ETag kept, Connected") {
  MediaSessionClient c;
  auto fx = connectStandard(c);
  const auto srd = only<SetRemoteDescription>(fx);
  CHECK((srd.type == SdpType::Answer));
  CHECK(srd.sdp == kAnswer);
  CHECK(srd.peerId == c.peerId());
  CHECK(lastState(fx) == "connected");
  CHECK(c.resourceUrl() == "https://host:8443/as/v1/proxy/resource/r1");
  CHECK(c.etag() == "\"e1\"");
  CHECK_FALSE(c.usedServerOffer());
  CHECK_FALSE(c.rtcConnected());
  c.handle(RtcStateChanged{c.peerId(), RtcState::Connected});
  CHECK(c.rtcConnected());
}

TEST_CASE("an absolute Location is kept as is") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 201, {{"Location", "https://media.example/res/9"}}, kAnswer));
  CHECK(c.resourceUrl() == "https://media.example/res/9");
}

TEST_CASE("a 201 without an answer body fails the session") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/r"}}, ""));
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason() == "201 Created: the server sent no SDP answer");
}

TEST_CASE("Link headers' ICE servers update the peer and are kept for the next attempt") {
  MediaSessionClient c(retrying());
  Start s = whep();
  s.iceServers = {{"stun:configured", "", ""}};
  c.handle(s);
  const int peer = c.peerId();
  auto fx = c.handle(LocalOfferReady{peer, kOffer});
  const int id = only<HttpRequest>(fx).requestId;
  fx = c.handle(response(id, 201,
                         {{"Location", "/r"},
                          {"Link", "<stun:s.net>; rel=\"ice-server\""},
                          {"Link", "<turn:t.net>; rel=\"ice-server\"; username=\"u\"; credential=\"c\""}},
                         kAnswer));
  const auto update = only<UpdateIceServers>(fx);
  REQUIRE(update.iceServers.size() == 3);
  CHECK(update.iceServers[0].urls == "stun:configured");
  CHECK(update.iceServers[2] == IceServer{"turn:t.net", "u", "c"});
  CHECK(c.linkIceServers().size() == 2);
  // the next attempt's peer starts with them
  c.handle(Tick{0});
  c.handle(RtcStateChanged{c.peerId(), RtcState::Failed});
  fx = c.handle(Tick{10000});
  CHECK(only<CreatePeer>(fx).iceServers.size() == 3);
}

// ---- 406 server-offer flow --------------------------------------------------------------------------

TEST_CASE("406 with the server's offer: fresh answering peer, remote offer, answer, PATCH, 204 → Connected") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  const int offeringPeer = c.peerId();
  auto fx = c.handle(response(post.requestId, 406,
                              {{"Location", "resource/r2"},
                               {"Content-Type", "application/sdp; charset=utf-8"},
                               {"ETag", "\"e2\""}},
                              kServerOffer));
  REQUIRE(fx.size() == 5);
  CHECK(std::get<ClosePeer>(fx[0]).peerId == offeringPeer);
  const auto peer = std::get<CreatePeer>(fx[1]);
  CHECK_FALSE(peer.offerer);
  CHECK(peer.peerId != offeringPeer);
  const auto srd = std::get<SetRemoteDescription>(fx[2]);
  CHECK((srd.type == SdpType::Offer));
  CHECK(srd.sdp == kServerOffer);
  CHECK(std::get<CreateAnswer>(fx[3]).peerId == peer.peerId);
  CHECK(name(std::get<StateChanged>(fx[4]).state) == "answering");
  CHECK(c.resourceUrl() == "https://host:8443/as/v1/proxy/whep/live/room1/resource/r2");
  CHECK(c.usedServerOffer());

  fx = c.handle(LocalAnswerReady{peer.peerId, "answer-sdp"});
  const auto patch = only<HttpRequest>(fx);
  CHECK(patch.method == "PATCH");
  CHECK(patch.url == c.resourceUrl());
  CHECK(findHeader(patch.headers, "content-type").value() == "application/sdp");
  CHECK(findHeader(patch.headers, "if-match").value() == "\"e2\"");
  CHECK(patch.body == "answer-sdp");
  CHECK(name(c.state()) == "answering");

  fx = c.handle(response(patch.requestId, 204, {{"ETag", "\"e3\""}}));
  CHECK(lastState(fx) == "connected");
  CHECK(c.etag() == "\"e3\"");
}

TEST_CASE("in the 406 flow the answering peer is created with the Link ICE servers") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 406,
                              {{"Location", "/r"},
                               {"Content-Type", "application/sdp"},
                               {"Link", "<turn:t.net>; rel=\"ice-server\"; username=\"u\"; credential=\"c\""}},
                              kServerOffer));
  CHECK_FALSE(has<UpdateIceServers>(fx));
  const auto peer = only<CreatePeer>(fx);
  REQUIRE(peer.iceServers.size() == 1);
  CHECK(peer.iceServers[0] == IceServer{"turn:t.net", "u", "c"});
}

TEST_CASE("a 201 without Location still connects, Stop then has nothing to DELETE") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 201, {}, kAnswer));
  CHECK(name(c.state()) == "connected");
  auto fx = c.handle(Stop{});
  CHECK_FALSE(has<HttpRequest>(fx));
  CHECK(lastState(fx) == "stopped");
}

TEST_CASE("late callbacks of the closed offering peer are ignored") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  const int offeringPeer = c.peerId();
  c.handle(response(post.requestId, 406, {{"Location", "/r"}, {"Content-Type", "application/sdp"}},
                    kServerOffer));
  CHECK(c.handle(RtcStateChanged{offeringPeer, RtcState::Failed}).empty());
  CHECK(c.handle(RtcError{offeringPeer, "boom"}).empty());
  CHECK(c.handle(IceCandidate{offeringPeer, "0", "candidate:1 1 udp 1 1.2.3.4 5 typ host"}).empty());
  CHECK(name(c.state()) == "answering");
}

TEST_CASE("406 without an SDP offer is an error with the server's reason") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 406, {{"Content-Type", "text/plain"}}, "codec not supported"));
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason() == "406 Not Acceptable: codec not supported");
}

TEST_CASE("406 with an offer but no Location fails: there is nothing to answer to") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 406, {{"Content-Type", "application/sdp"}}, kServerOffer));
  CHECK(name(c.state()) == "failed");
  CHECK(c.reason() == "406 Not Acceptable: the server's offer came without a Location to answer to");
}

TEST_CASE("a refused answer PATCH fails the session and frees the resource") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 406, {{"Location", "/r"}, {"Content-Type", "application/sdp"}},
                    kServerOffer));
  auto fx = c.handle(LocalAnswerReady{c.peerId(), "answer"});
  const auto patch = only<HttpRequest>(fx);
  fx = c.handle(response(patch.requestId, 400, {}, R"({"error":"bad answer"})"));
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason() == "400 Bad Request: bad answer");
  CHECK(has<ClosePeer>(fx));
  const auto del = only<HttpRequest>(fx);
  CHECK(del.method == "DELETE");
  CHECK(del.url == "https://host:8443/r");
}

// ---- 2xx server-offer flow (Red5 Pro, older WHEP drafts) -------------------------------------------

namespace {
// What a Red5 Pro WHEP endpoint returns: its own offer (a=setup:actpass) in a 2xx.
const char* kRed5Offer =
    "v=0\r\no=- 7 8 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=setup:actpass\r\na=sendonly\r\n";
const char* kAnswerActive =
    "v=0\r\no=- 3 4 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=setup:active\r\na=recvonly\r\n";
}  // namespace

TEST_CASE("a 2xx carrying an offer (a=setup:actpass) is answered on a fresh peer and PATCHed to Location") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  const int offeringPeer = c.peerId();
  auto fx = c.handle(response(post.requestId, 201,
                              {{"Location", "/live/whep/endpoint/stream1?requestId=abc"},
                               {"Content-Type", "application/sdp"},
                               {"ETag", "\"r5\""}},
                              kRed5Offer));
  REQUIRE(fx.size() == 5);
  CHECK(std::get<ClosePeer>(fx[0]).peerId == offeringPeer);
  const auto peer = std::get<CreatePeer>(fx[1]);
  CHECK_FALSE(peer.offerer);
  CHECK((peer.direction == Direction::RecvOnly));
  const auto srd = std::get<SetRemoteDescription>(fx[2]);
  CHECK((srd.type == SdpType::Offer));
  CHECK(srd.sdp == kRed5Offer);
  CHECK(std::get<CreateAnswer>(fx[3]).peerId == peer.peerId);
  CHECK(name(std::get<StateChanged>(fx[4]).state) == "answering");
  CHECK(c.usedServerOffer());

  fx = c.handle(LocalAnswerReady{peer.peerId, kAnswerActive});
  const auto patch = only<HttpRequest>(fx);
  CHECK(patch.method == "PATCH");
  CHECK(patch.url == "https://host:8443/live/whep/endpoint/stream1?requestId=abc");
  CHECK(findHeader(patch.headers, "content-type").value() == "application/sdp");
  CHECK(findHeader(patch.headers, "if-match").value() == "\"r5\"");
  CHECK(patch.body == kAnswerActive);

  fx = c.handle(response(patch.requestId, 204));
  CHECK(lastState(fx) == "connected");
}

TEST_CASE("any 2xx carrying an offer takes the server-offer flow, the answer PATCH may return 200") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 200, {{"Location", "/r"}}, kRed5Offer));
  CHECK(name(c.state()) == "answering");
  auto fx = c.handle(LocalAnswerReady{c.peerId(), kAnswerActive});
  fx = c.handle(response(only<HttpRequest>(fx).requestId, 200));
  CHECK(lastState(fx) == "connected");
}

TEST_CASE("a 2xx whose SDP is active or passive is an answer, not an offer") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/r"}}, kAnswerActive));
  CHECK((only<SetRemoteDescription>(fx).type == SdpType::Answer));
  CHECK_FALSE(has<CreatePeer>(fx));
  CHECK(lastState(fx) == "connected");
  CHECK_FALSE(c.usedServerOffer());
}

TEST_CASE("only an a=setup:actpass line marks an offer, not the words inside another line") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  const std::string answer = std::string(kAnswerActive) + "a=x-note:a=setup:actpass\r\n";
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/r"}}, answer));
  CHECK((only<SetRemoteDescription>(fx).type == SdpType::Answer));
}

TEST_CASE("a 2xx offer without Location fails: there is nothing to PATCH the answer to") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(response(post.requestId, 201, {{"Content-Type", "application/sdp"}}, kRed5Offer));
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason() == "201 Created: the server's offer came without a Location to answer to");
}

TEST_CASE("in the 2xx offer flow candidates are trickled only after the answer PATCH succeeded") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 201, {{"Location", "/r"}}, kRed5Offer));
  const int peer = c.peerId();
  auto fx = c.handle(LocalAnswerReady{peer, kAnswerActive});
  const auto answer = only<HttpRequest>(fx);
  CHECK(c.handle(IceCandidate{peer, "0", "candidate:1 1 udp 1 10.0.0.2 5 typ host"}).empty());
  fx = c.handle(response(answer.requestId, 204));
  CHECK(findHeader(only<HttpRequest>(fx).headers, "content-type").value() == "application/trickle-ice-sdpfrag");
}

TEST_CASE("Stop during the POST DELETEs the resource a 2xx offer created") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(Stop{});
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/r"}}, kRed5Offer));
  const auto del = only<HttpRequest>(fx);
  CHECK(del.method == "DELETE");
  CHECK(del.url == "https://host:8443/r");
  CHECK_FALSE(has<CreatePeer>(fx));
}

// ---- HTTP errors ------------------------------------------------------------------------------------

TEST_CASE("every HTTP error of the POST becomes Failed with the server's reason") {
  struct Case {
    int status;
    std::string body;
    std::string reason;
  };
  const Case cases[] = {
      {400, "bad SDP: no media", "400 Bad Request: bad SDP: no media"},
      {401, R"({"errorMessage":"authentication required"})", "401 Unauthorized: authentication required"},
      {403, R"({"error":"invalid token"})", "403 Forbidden: invalid token"},
      {404, R"({"errorMessage":"stream live/room1/alice not found"})",
       "404 Not Found: stream live/room1/alice not found"},
      {409, "stream name already publishing", "409 Conflict: stream name already publishing"},
      {500, "", "500 Internal Server Error"},
      {503, "origin unavailable", "503 Service Unavailable: origin unavailable"},
  };
  for (const auto& k : cases) {
    INFO(k.status);
    MediaSessionClient c;
    const auto post = startAndOffer(c);
    auto fx = c.handle(response(post.requestId, k.status, {}, k.body));
    CHECK(lastState(fx) == "failed");
    CHECK(all<StateChanged>(fx).back().reason == k.reason);
    CHECK(c.reason() == k.reason);
    CHECK(has<ClosePeer>(fx));
    CHECK_FALSE(has<HttpRequest>(fx));  // no resource was created, nothing to DELETE
  }
}

TEST_CASE("a network error becomes Failed naming it") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(HttpResponse{post.requestId, 0, {}, "", "Failed to fetch"});
  CHECK(name(c.state()) == "failed");
  CHECK(c.reason() == "network error: Failed to fetch");
}

TEST_CASE("responses to requests nobody waits for are ignored") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  CHECK(c.handle(response(post.requestId + 100, 201, {{"Location", "/r"}}, kAnswer)).empty());
  CHECK(name(c.state()) == "offering");
}

// ---- RTC --------------------------------------------------------------------------------------------

TEST_CASE("ICE failure, a closed peer or a peer error fails an active session") {
  for (int k = 0; k < 3; ++k) {
    MediaSessionClient c;
    connectStandard(c);
    std::vector<Effect> fx;
    if (k == 0) fx = c.handle(RtcStateChanged{c.peerId(), RtcState::Failed});
    if (k == 1) fx = c.handle(RtcStateChanged{c.peerId(), RtcState::Closed});
    if (k == 2) fx = c.handle(RtcError{c.peerId(), "setRemoteDescription: bad answer"});
    CHECK(lastState(fx) == "failed");
    CHECK(has<ClosePeer>(fx));
    CHECK(only<HttpRequest>(fx).method == "DELETE");  // the server's resource is freed
  }
  MediaSessionClient c;
  connectStandard(c);
  c.handle(RtcError{c.peerId(), "setRemoteDescription: bad answer"});
  CHECK(c.reason() == "WebRTC: setRemoteDescription: bad answer");
}

TEST_CASE("an empty local offer fails instead of POSTing nothing") {
  MediaSessionClient c;
  c.handle(whep());
  auto fx = c.handle(LocalOfferReady{c.peerId(), ""});
  CHECK(lastState(fx) == "failed");
  CHECK_FALSE(has<HttpRequest>(fx));
}

TEST_CASE("a brief disconnection is tolerated, a long one fails the session") {
  MediaSessionClient c;
  c.handle(Tick{1000});
  connectStandard(c);
  c.handle(RtcStateChanged{c.peerId(), RtcState::Connected});
  c.handle(Tick{2000});
  c.handle(RtcStateChanged{c.peerId(), RtcState::Disconnected});
  CHECK(c.handle(Tick{5000}).empty());
  c.handle(RtcStateChanged{c.peerId(), RtcState::Connected});
  CHECK(c.handle(Tick{9000}).empty());
  CHECK(name(c.state()) == "connected");
  c.handle(RtcStateChanged{c.peerId(), RtcState::Disconnected});
  CHECK(c.handle(Tick{13000}).empty());
  auto fx = c.handle(Tick{14000});
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason() == "WebRTC: media disconnected for 5 s");
}

TEST_CASE("media that never connects fails after the connect timeout") {
  MediaSessionClient c;
  c.handle(Tick{0});
  connectStandard(c);
  CHECK(c.handle(Tick{19999}).empty());
  c.handle(Tick{20000});
  CHECK(name(c.state()) == "failed");
  CHECK(c.reason() == "WebRTC: media did not connect within 20 s");
}

TEST_CASE("a POST unanswered for the request timeout fails the session") {
  MediaSessionClient c;
  c.handle(Tick{500});
  startAndOffer(c);
  CHECK(c.handle(Tick{10499}).empty());
  c.handle(Tick{10500});
  CHECK(name(c.state()) == "failed");
  CHECK(c.reason() == std::string("POST ") + kEndpoint + ": no answer within 10 s");
}

TEST_CASE("timeouts count from the first Tick when events came before any clock") {
  MediaSessionClient c;
  startAndOffer(c);
  CHECK(c.handle(Tick{1000000}).empty());
  CHECK(name(c.state()) == "offering");
  c.handle(Tick{1010000});
  CHECK(name(c.state()) == "failed");
}

// ---- trickle ICE ------------------------------------------------------------------------------------

TEST_CASE("candidates wait for the resource, then go in one batched trickle PATCH") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  const int peer = c.peerId();
  CHECK(c.handle(IceCandidate{peer, "0", "candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host"}).empty());
  CHECK(c.handle(IceCandidate{peer, "0", "candidate:2 1 udp 1686052607 1.2.3.4 50001 typ srflx"}).empty());
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/r"}, {"ETag", "\"e1\""}}, kAnswer));
  const auto patch = only<HttpRequest>(fx);
  CHECK(patch.method == "PATCH");
  CHECK(patch.url == "https://host:8443/r");
  CHECK(findHeader(patch.headers, "content-type").value() == "application/trickle-ice-sdpfrag");
  CHECK(findHeader(patch.headers, "if-match").value() == "\"e1\"");
  CHECK(patch.body ==
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:uf1\r\na=ice-pwd:pw1\r\n"
        "a=candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host\r\n"
        "a=candidate:2 1 udp 1686052607 1.2.3.4 50001 typ srflx\r\n");
}

TEST_CASE("one trickle PATCH in flight: later candidates and end-of-candidates wait for its 204") {
  MediaSessionClient c;
  connectStandard(c);
  const int peer = c.peerId();
  auto fx = c.handle(IceCandidate{peer, "0", "candidate:1 1 udp 1 10.0.0.2 5 typ host"});
  const auto first = only<HttpRequest>(fx);
  CHECK(c.handle(IceCandidate{peer, "1", "candidate:3 1 udp 1 10.0.0.2 6 typ host"}).empty());
  CHECK(c.handle(IceGatheringDone{peer}).empty());
  fx = c.handle(response(first.requestId, 204, {{"ETag", "\"e9\""}}));
  const auto second = only<HttpRequest>(fx);
  CHECK(findHeader(second.headers, "if-match").value() == "\"e9\"");
  CHECK(second.body ==
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:uf1\r\na=ice-pwd:pw1\r\n"
        "a=end-of-candidates\r\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=ice-ufrag:uf1\r\na=ice-pwd:pw1\r\n"
        "a=candidate:3 1 udp 1 10.0.0.2 6 typ host\r\n");
}

TEST_CASE("in the 406 flow candidates are trickled only after the answer PATCH succeeded") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 406, {{"Location", "/r"}, {"Content-Type", "application/sdp"}},
                    kServerOffer));
  const int peer = c.peerId();
  auto fx = c.handle(LocalAnswerReady{peer, kOffer});
  const auto answer = only<HttpRequest>(fx);
  CHECK(c.handle(IceCandidate{peer, "0", "candidate:1 1 udp 1 10.0.0.2 5 typ host"}).empty());
  fx = c.handle(response(answer.requestId, 204));
  const auto trickle = only<HttpRequest>(fx);
  CHECK(findHeader(trickle.headers, "content-type").value() == "application/trickle-ice-sdpfrag");
  CHECK(findHeader(trickle.headers, "if-match").value() == "*");  // the server gave no ETag
  CHECK(lastState(fx) == "connected");
}

TEST_CASE("a refused trickle PATCH stops trickling but keeps the session") {
  MediaSessionClient c;
  connectStandard(c);
  const int peer = c.peerId();
  auto fx = c.handle(IceCandidate{peer, "0", "candidate:1 1 udp 1 10.0.0.2 5 typ host"});
  fx = c.handle(response(only<HttpRequest>(fx).requestId, 405));
  CHECK(fx.empty());
  CHECK(name(c.state()) == "connected");
  CHECK(c.trickleWarning() == "trickle ICE refused: 405 Method Not Allowed");
  CHECK(c.handle(IceCandidate{peer, "0", "candidate:2 1 udp 1 10.0.0.2 6 typ host"}).empty());
}

// ---- stop -------------------------------------------------------------------------------------------

TEST_CASE("Stop closes the peer, DELETEs the resource and ends Stopped when DELETE answers") {
  MediaSessionClient c;
  connectStandard(c);
  auto fx = c.handle(Stop{});
  CHECK(has<ClosePeer>(fx));
  const auto del = only<HttpRequest>(fx);
  CHECK(del.method == "DELETE");
  CHECK(del.url == "https://host:8443/as/v1/proxy/resource/r1");
  CHECK(lastState(fx) == "stopping");
  fx = c.handle(response(del.requestId, 200));
  CHECK(lastState(fx) == "stopped");
}

TEST_CASE("Stop ends Stopped even when the DELETE fails or never answers") {
  MediaSessionClient failing;
  connectStandard(failing);
  auto del = only<HttpRequest>(failing.handle(Stop{}));
  failing.handle(HttpResponse{del.requestId, 0, {}, "", "offline"});
  CHECK(name(failing.state()) == "stopped");

  MediaSessionClient silent;
  silent.handle(Tick{0});
  connectStandard(silent);
  silent.handle(Stop{});
  CHECK(silent.handle(Tick{2999}).empty());
  CHECK(lastState(silent.handle(Tick{3000})) == "stopped");
}

TEST_CASE("Stop during the POST waits for its answer and DELETEs the resource it created") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  auto fx = c.handle(Stop{});
  CHECK(has<ClosePeer>(fx));
  CHECK_FALSE(has<HttpRequest>(fx));
  CHECK(lastState(fx) == "stopping");
  fx = c.handle(response(post.requestId, 201, {{"Location", "/r7"}}, kAnswer));
  const auto del = only<HttpRequest>(fx);
  CHECK(del.method == "DELETE");
  CHECK(del.url == "https://host:8443/r7");
  CHECK_FALSE(has<SetRemoteDescription>(fx));
  fx = c.handle(response(del.requestId, 200));
  CHECK(name(c.state()) == "stopped");
}

TEST_CASE("Stop during the POST that then fails goes straight to Stopped") {
  MediaSessionClient c;
  const auto post = startAndOffer(c);
  c.handle(Stop{});
  auto fx = c.handle(response(post.requestId, 404));
  CHECK(lastState(fx) == "stopped");
}

TEST_CASE("Stop before the offer is ready stops at once") {
  MediaSessionClient c;
  c.handle(whep());
  const int peer = c.peerId();
  auto fx = c.handle(Stop{});
  CHECK(only<ClosePeer>(fx).peerId == peer);
  CHECK(lastState(fx) == "stopped");
  CHECK(c.handle(LocalOfferReady{peer, kOffer}).empty());  // late offer: nothing is POSTed
}

TEST_CASE("Stop in Idle or Failed goes to Stopped, Stop when stopped does nothing") {
  MediaSessionClient idle;
  CHECK(lastState(idle.handle(Stop{})) == "stopped");
  CHECK(idle.handle(Stop{}).empty());
  MediaSessionClient failed(retrying());
  const auto post = startAndOffer(failed);
  failed.handle(response(post.requestId, 404));
  CHECK(lastState(failed.handle(Stop{})) == "stopped");
  CHECK(failed.handle(Tick{100000}).empty());  // no retry after Stop
}

TEST_CASE("Stop after the 406 flow DELETEs the resource named by the 406's Location") {
  MediaSessionClient c;
  connectServerOffer(c);
  const auto del = only<HttpRequest>(c.handle(Stop{}));
  CHECK(del.method == "DELETE");
  CHECK(del.url == "https://host:8443/as/v1/proxy/resource/r2");
}

TEST_CASE("Start while Stopping starts afresh, the old DELETE's answer is ignored") {
  MediaSessionClient c;
  connectStandard(c);
  const auto del = only<HttpRequest>(c.handle(Stop{}));
  auto fx = c.handle(whep());
  CHECK(lastState(fx) == "offering");
  CHECK(c.handle(response(del.requestId, 200)).empty());
  CHECK(name(c.state()) == "offering");
}

TEST_CASE("a stopped session can be started again") {
  MediaSessionClient c;
  connectStandard(c);
  auto del = only<HttpRequest>(c.handle(Stop{}));
  c.handle(response(del.requestId, 200));
  auto fx = c.handle(whep());
  CHECK(lastState(fx) == "offering");
  CHECK(c.resourceUrl().empty());
}

// ---- retry ------------------------------------------------------------------------------------------

TEST_CASE("without a retry policy Failed stays Failed") {
  MediaSessionClient c;
  c.handle(Tick{0});
  const auto post = startAndOffer(c);
  c.handle(response(post.requestId, 404));
  CHECK(c.handle(Tick{60000}).empty());
  CHECK(name(c.state()) == "failed");
  CHECK_FALSE(c.retryAtMs().has_value());
}

TEST_CASE("previews retry from Failed after 0.5 s doubling to 8 s") {
  MediaSessionClient c(retrying());
  std::int64_t now = 0;
  c.handle(Tick{now});
  const std::int64_t expected[] = {500, 1000, 2000, 4000, 8000, 8000};
  c.handle(whep());
  for (std::int64_t delay : expected) {
    INFO("delay " << delay);
    auto fx = c.handle(LocalOfferReady{c.peerId(), kOffer});
    fx = c.handle(response(only<HttpRequest>(fx).requestId, 404, {}, "no such stream"));
    REQUIRE(name(c.state()) == "failed");
    CHECK(*c.retryAtMs() == now + delay);
    CHECK(c.handle(Tick{now + delay - 1}).empty());
    now += delay;
    fx = c.handle(Tick{now});
    CHECK(lastState(fx) == "offering");
    CHECK(all<StateChanged>(fx).back().reason.rfind("retry ", 0) == 0);
    CHECK(only<CreatePeer>(fx).offerer);
    CHECK(has<CreateOffer>(fx));
  }
}

TEST_CASE("a session whose media connected resets the backoff") {
  MediaSessionClient c(retrying());
  c.handle(Tick{0});
  auto post = startAndOffer(c);
  c.handle(response(post.requestId, 503));
  c.handle(Tick{500});  // retry 1
  auto fx = c.handle(LocalOfferReady{c.peerId(), kOffer});
  fx = c.handle(response(only<HttpRequest>(fx).requestId, 503));
  CHECK(*c.retryAtMs() == 1500);  // second failure: 1 s
  c.handle(Tick{1500});
  fx = c.handle(LocalOfferReady{c.peerId(), kOffer});
  c.handle(response(only<HttpRequest>(fx).requestId, 201, {{"Location", "/r"}}, kAnswer));
  c.handle(RtcStateChanged{c.peerId(), RtcState::Connected});
  CHECK(c.failures() == 0);
  c.handle(RtcStateChanged{c.peerId(), RtcState::Failed});
  CHECK(*c.retryAtMs() == 1500 + 500);
}

TEST_CASE("ICE connecting before the answer PATCH's 204 also resets the backoff") {
  MediaSessionClient c(retrying());
  c.handle(Tick{0});
  auto post = startAndOffer(c);
  c.handle(response(post.requestId, 503));
  c.handle(Tick{500});
  auto fx = c.handle(LocalOfferReady{c.peerId(), kOffer});
  c.handle(response(only<HttpRequest>(fx).requestId, 406, {{"Location", "/r"}, {"Content-Type", "application/sdp"}},
                    kServerOffer));
  fx = c.handle(LocalAnswerReady{c.peerId(), kOffer});
  const auto patch = only<HttpRequest>(fx);
  c.handle(RtcStateChanged{c.peerId(), RtcState::Connected});
  CHECK(c.failures() == 1);
  c.handle(response(patch.requestId, 204));
  CHECK(name(c.state()) == "connected");
  CHECK(c.failures() == 0);
}

TEST_CASE("state names are the ones the UI shows") {
  CHECK(name(State::Idle) == "idle");
  CHECK(name(State::Answering) == "answering");
  CHECK(name(State::Stopping) == "stopping");
  CHECK(std::string(toString(Direction::SendRecv)) == "sendrecv");
  CHECK(std::string(toString(Kind::Whip)) == "whip");
}

// ---- server offer first (empty POST) ------------------------------------------------------------

namespace {
Start whepServerOfferFirst() {
  Start s = whep();
  s.serverOfferFirst = true;
  return s;
}
}  // namespace

TEST_CASE("server offer first: the POST has no body and no peer exists until the offer arrives") {
  MediaSessionClient c;
  auto fx = c.handle(whepServerOfferFirst());
  CHECK_FALSE(has<CreatePeer>(fx));
  CHECK_FALSE(has<CreateOffer>(fx));
  const auto post = only<HttpRequest>(fx);
  CHECK(post.method == "POST");
  CHECK(post.url == kEndpoint);
  CHECK(post.body.empty());
  CHECK(findHeader(post.headers, "accept").value() == "application/sdp");
  CHECK(lastState(fx) == "offering");
  CHECK(c.peerId() == 0);
}

TEST_CASE("server offer first: 201 + offer is answered on an answering peer and PATCHed, nothing closed") {
  MediaSessionClient c;
  const auto post = only<HttpRequest>(c.handle(whepServerOfferFirst()));
  auto fx = c.handle(response(post.requestId, 201, {{"Location", "/as/v1/proxy/resource/r9"}, {"ETag", "\"e9\""}},
                              kRed5Offer));
  CHECK_FALSE(has<ClosePeer>(fx));
  CHECK_FALSE(only<CreatePeer>(fx).offerer);
  CHECK((only<SetRemoteDescription>(fx).type == SdpType::Offer));
  CHECK(lastState(fx) == "answering");
  fx = c.handle(LocalAnswerReady{c.peerId(), kAnswerActive});
  const auto patch = only<HttpRequest>(fx);
  CHECK(patch.method == "PATCH");
  CHECK(patch.url == "https://host:8443/as/v1/proxy/resource/r9");
  CHECK(findHeader(patch.headers, "if-match").value() == "\"e9\"");
  CHECK(lastState(c.handle(response(patch.requestId, 204))) == "connected");
  CHECK(c.usedServerOffer());
}

TEST_CASE("server offer first: a server that refuses the empty POST gets our offer at once, without a failure") {
  for (int status : {400, 405, 411, 415, 422, 500, 501}) {
    CAPTURE(status);
    MediaSessionClient c;
    const auto empty = only<HttpRequest>(c.handle(whepServerOfferFirst()));
    auto fx = c.handle(response(empty.requestId, status, {}, "an offer is required"));
    CHECK(lastState(fx) == "offering");
    CHECK(c.failures() == 0);
    CHECK(only<CreatePeer>(fx).offerer);
    const int peer = only<CreatePeer>(fx).peerId;
    fx = c.handle(LocalOfferReady{peer, kOffer});
    const auto post = only<HttpRequest>(fx);
    CHECK(post.body == kOffer);
    fx = c.handle(response(post.requestId, 201, {{"Location", "/r1"}}, kAnswer));
    CHECK(lastState(fx) == "connected");
  }
}

TEST_CASE("server offer first: a 2xx without an offer is DELETEd and our offer follows, later attempts offer too") {
  Config config;
  config.retry.enabled = true;
  MediaSessionClient c(config);
  c.handle(Tick{0});
  const auto empty = only<HttpRequest>(c.handle(whepServerOfferFirst()));
  auto fx = c.handle(response(empty.requestId, 201, {{"Location", "/odd"}}, kAnswer));
  const auto requests = all<HttpRequest>(fx);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "DELETE");
  CHECK(requests[0].url == "https://host:8443/odd");
  CHECK(has<CreateOffer>(fx));
  // the next attempt, after a failure, offers straight away
  const auto post = only<HttpRequest>(c.handle(LocalOfferReady{c.peerId(), kOffer}));
  c.handle(response(post.requestId, 503, {}, "busy"));
  CHECK(name(c.state()) == "failed");
  fx = c.handle(Tick{10000});
  CHECK(has<CreateOffer>(fx));
  CHECK_FALSE(has<HttpRequest>(fx));
}

TEST_CASE("server offer first: errors about the stream are failures, retried with an empty POST again") {
  Config config;
  config.retry.enabled = true;
  MediaSessionClient c(config);
  c.handle(Tick{0});
  const auto empty = only<HttpRequest>(c.handle(whepServerOfferFirst()));
  auto fx = c.handle(response(empty.requestId, 409, {{"Retry-After", "1"}}, "no stream alice is publishing (yet)"));
  CHECK(lastState(fx) == "failed");
  CHECK(c.reason().find("409") != std::string::npos);
  fx = c.handle(Tick{10000});
  const auto again = only<HttpRequest>(fx);
  CHECK(again.body.empty());
  CHECK_FALSE(has<CreatePeer>(fx));
}

TEST_CASE("server offer first: 406 + offer from older servers is answered like a 2xx offer") {
  MediaSessionClient c;
  const auto empty = only<HttpRequest>(c.handle(whepServerOfferFirst()));
  auto fx = c.handle(response(empty.requestId, 406, {{"Location", "/r2"}, {"Content-Type", "application/sdp"}},
                              kServerOffer));
  CHECK(lastState(fx) == "answering");
}

TEST_CASE("server offer first applies to WHEP only: a WHIP start still offers") {
  MediaSessionClient c;
  Start s = whepServerOfferFirst();
  s.kind = Kind::Whip;
  auto fx = c.handle(s);
  CHECK(has<CreateOffer>(fx));
  CHECK_FALSE(has<HttpRequest>(fx));
}

TEST_CASE("server offer first: Stop during the empty POST DELETEs what its 201 created") {
  MediaSessionClient c;
  const auto empty = only<HttpRequest>(c.handle(whepServerOfferFirst()));
  c.handle(Stop{});
  CHECK(name(c.state()) == "stopping");
  auto fx = c.handle(response(empty.requestId, 201, {{"Location", "/r3"}}, kRed5Offer));
  CHECK(only<HttpRequest>(fx).method == "DELETE");
}

// ---- video send mode --------------------------------------------------------------------------------

TEST_CASE("SetVideoSend changes the current peer's video in place, without a new negotiation") {
  MediaSessionClient c;
  connectStandard(c);
  const int peer = c.peerId();
  auto fx = c.handle(SetVideoSend{VideoSend::Standby});
  REQUIRE(fx.size() == 1);
  CHECK(std::get<ApplyVideoSend>(fx[0]).peerId == peer);
  CHECK((std::get<ApplyVideoSend>(fx[0]).mode == VideoSend::Standby));
  CHECK(name(c.state()) == "connected");
  CHECK((c.videoSend() == VideoSend::Standby));
}

TEST_CASE("SetVideoSend with the mode already in force does nothing") {
  MediaSessionClient c;
  connectStandard(c);
  CHECK(c.handle(SetVideoSend{VideoSend::Full}).empty());
}

TEST_CASE("the video send mode holds for the next attempt's peer") {
  MediaSessionClient c(retrying());
  CHECK(c.handle(SetVideoSend{VideoSend::Standby}).empty());  // no peer yet: nothing to change
  auto fx = c.handle(whep());
  CHECK((only<CreatePeer>(fx).videoSend == VideoSend::Standby));
}
