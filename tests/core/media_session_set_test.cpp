#include <doctest/doctest.h>

#include <string>

#include "core/media/media_session_set.hpp"
#include "test_effects.hpp"

using namespace confhost;
using confhost::testing::all;

namespace {

const char* kAnswer = "v=0\r\no=- 3 4 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

std::string stateOf(const MediaSessionSet& set, const std::string& id) {
  return std::string(media::toString(set.find(id)->state()));
}

media::Start play(const std::string& stream) {
  media::Start s;
  s.endpoint = proxyUrl("https://h:8443", Endpoint::Whep, "live/room1", stream);
  s.serverOfferFirst = false;  // the standard flow: one offering peer, 201 + answer
  return s;
}


// Adds and starts `id`, answers its POST with 201 + a resource: the client is Connected.
MediaSessionSet& connect(MediaSessionSet& set, const std::string& id) {
  set.add(id, {});
  const auto peer = all<media::CreatePeer>(set.start(id, play(id)));
  REQUIRE(peer.size() == 1);
  const auto post = all<media::HttpRequest>(set.forward(id, media::LocalOfferReady{peer[0].peerId, "v=0\r\n"}));
  REQUIRE(post.size() == 1);
  HttpHeaders headers{{"Location", "/res/" + id}, {"Content-Type", "application/sdp"}};
  set.forward(id, media::HttpResponse{post[0].requestId, 201, headers, kAnswer, ""});
  REQUIRE(stateOf(set, id) == "connected");
  return set;
}

}  // namespace

TEST_CASE("media set: effects carry the session id, events for an unknown id are ignored") {
  MediaSessionSet set;
  set.add("a", retryingConfig(8000));
  auto fx = set.start("a", play("a"));
  REQUIRE_FALSE(fx.empty());
  CHECK(fx.front().session == "a");
  CHECK(set.forward("nobody", media::Stop{}).empty());
  CHECK(set.ids() == std::vector<std::string>{"a"});
}

TEST_CASE("media set: starting an active session stops it first, so its resource is freed") {
  MediaSessionSet set;
  auto fx = connect(set, "a").start("a", play("a"));
  const auto requests = all<media::HttpRequest>(fx);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "DELETE");
  CHECK(requests[0].url == "https://h:8443/res/a");
  CHECK(all<media::CreatePeer>(fx).size() == 1);
  CHECK(stateOf(set, "a") == "offering");
}

TEST_CASE("media set: stop ends a session and keeps it readable, stopping an idle one does nothing") {
  MediaSessionSet set;
  set.add("idle", {});
  CHECK(all<media::HttpRequest>(connect(set, "a").stop("a")).size() == 1);
  CHECK(stateOf(set, "a") == "stopping");
  CHECK(set.stop("idle").empty());
  CHECK(set.ids() == std::vector<std::string>{"idle", "a"});
}

TEST_CASE("media set: a retired session is unlisted at once and forgotten when its DELETE is done") {
  MediaSessionSet set;
  const auto del = all<media::HttpRequest>(connect(set, "a").retire("a"));
  REQUIRE(del.size() == 1);
  CHECK(set.ids().empty());
  CHECK_FALSE(set.listed("a"));
  REQUIRE(set.find("a") != nullptr);  // still routed: it waits for its DELETE
  set.forward("a", media::HttpResponse{del[0].requestId, 200, {}, "", ""});
  CHECK(set.find("a") == nullptr);
}

TEST_CASE("media set: a retired session with nothing to wait for is forgotten at once") {
  MediaSessionSet set;
  set.add("a", {});
  set.retire("a");
  CHECK(set.find("a") == nullptr);
}

TEST_CASE("media set: a retiring session whose DELETE times out is forgotten on the tick") {
  MediaSessionSet set;
  set.tick(1000);
  connect(set, "a").retire("a");
  set.tick(1000 + media::Config{}.stopTimeoutMs);
  CHECK(set.find("a") == nullptr);
}

TEST_CASE("media set: adding a session of a retiring id replaces it with a fresh client") {
  MediaSessionSet set;
  connect(set, "a").retire("a");
  set.add("a", {});
  CHECK(set.listed("a"));
  CHECK(stateOf(set, "a") == "idle");
}

TEST_CASE("media set: a session added after the first tick knows the time") {
  MediaSessionSet set;
  set.tick(5000);
  set.add("late", retryingConfig(2000));
  CHECK(set.find("late")->nowMs() == 5000);
  CHECK(set.find("late")->config().retry.maxDelayMs == 2000);
}

TEST_CASE("media endpoints: the page origin without trailing slashes") {
  CHECK(trimSlashes("https://h:1//") == "https://h:1");
}
