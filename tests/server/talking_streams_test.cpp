// The Janus event → talking set path without Janus: AudioBridge and VideoRoom events as Janus 1.1.2
// sends them (string_ids on: rooms and participant ids are strings) fed to the proxy's TalkingStreams.
#include <doctest/doctest.h>

#include "server/proxy/talking_streams.hpp"

using namespace confhost;
using nlohmann::json;
using List = std::vector<std::string>;

namespace {

const std::string kScope = "live/room1";

json event(const std::string& what, const std::string& id, const std::string& room = kScope) {
  return json{{"audiobridge", what}, {"room", room}, {"id", id}, {"audio-level-dBov-avg", 12.5}};
}

TalkingStreams withJoins() {
  TalkingStreams t;
  t.joined("r-alice", kScope, "alice", "1111", false);
  t.joined("r-bob", kScope, "bob", "2222", false);
  t.joined("r-mixer", kScope, "room1", "3333", true);  // the mixer joins muted
  return t;
}

}  // namespace

TEST_SUITE("proxy talking streams") {

TEST_CASE("talking and stopped-talking change the scope's whole set, by the join's participant id") {
  TalkingStreams t = withJoins();
  auto c = t.onEvent(event("talking", "2222"));
  REQUIRE(c);
  CHECK(c->scope == kScope);
  CHECK(c->streams == List{"bob"});
  c = t.onEvent(event("talking", "1111"));
  REQUIRE(c);
  CHECK(c->streams == List{"alice", "bob"});
  c = t.onEvent(event("stopped-talking", "2222"));
  REQUIRE(c);
  CHECK(c->streams == List{"alice"});
}

TEST_CASE("the same event delivered to every join of the room changes the set once") {
  TalkingStreams t = withJoins();
  CHECK(t.onEvent(event("talking", "1111")));
  CHECK_FALSE(t.onEvent(event("talking", "1111")));
  CHECK_FALSE(t.onEvent(event("talking", "1111")));
  CHECK(t.talkingIn(kScope) == List{"alice"});
}

TEST_CASE("a muted join never talks") {
  TalkingStreams t = withJoins();
  CHECK_FALSE(t.onEvent(event("talking", "3333")));
  CHECK(t.talkingIn(kScope).empty());
}

TEST_CASE("a join that ends leaves the set at once, a silent one changes nothing") {
  TalkingStreams t = withJoins();
  t.onEvent(event("talking", "1111"));
  auto c = t.left("r-alice");
  REQUIRE(c);
  CHECK(c->streams.empty());
  CHECK_FALSE(t.left("r-bob"));
  CHECK_FALSE(t.left("r-unknown"));
  // Its id means nothing any more.
  CHECK_FALSE(t.onEvent(event("talking", "1111")));
}

TEST_CASE("events of another kind, room or id, or malformed, change nothing") {
  TalkingStreams t = withJoins();
  CHECK_FALSE(t.onEvent(event("joined", "1111")));
  CHECK_FALSE(t.onEvent(event("talking", "1111", "live/other")));
  CHECK_FALSE(t.onEvent(event("talking", "9999")));
  CHECK_FALSE(t.onEvent(json{{"audiobridge", "talking"}, {"room", kScope}}));
  CHECK_FALSE(t.onEvent(json{{"audiobridge", 3}, {"room", kScope}, {"id", "1111"}}));
  CHECK_FALSE(t.onEvent(json{{"audiobridge", "talking"}, {"room", 7}, {"id", "1111"}}));
  CHECK_FALSE(t.onEvent(json::array()));
  CHECK_FALSE(t.onEvent(json{{"videoroom", "talking"}, {"room", kScope}, {"id", "1111"}}));
  CHECK(t.talkingIn(kScope).empty());
}

TEST_CASE("a waiting-room publisher talks by its VideoRoom events, whose id is its stream") {
  TalkingStreams t = withJoins();
  t.published("r-carol", "live/room1_wr", "carol");
  const json talking{{"videoroom", "talking"}, {"room", "live/room1_wr"}, {"id", "carol"}, {"mid", "0"}};
  auto c = t.onEvent(talking);
  REQUIRE(c);
  CHECK(c->scope == "live/room1_wr");
  CHECK(c->streams == List{"carol"});
  CHECK(t.talkingIn(kScope).empty());
  // An AudioBridge event with the same id is another participant.
  CHECK_FALSE(t.onEvent(json{{"audiobridge", "stopped-talking"}, {"room", "live/room1_wr"}, {"id", "carol"}}));
  c = t.onEvent(json{{"videoroom", "stopped-talking"}, {"room", "live/room1_wr"}, {"id", "carol"}});
  REQUIRE(c);
  CHECK(c->streams.empty());
}

TEST_CASE("scopes are apart") {
  TalkingStreams t = withJoins();
  t.joined("r-zed", "live/other", "zed", "1111", false);
  auto c = t.onEvent(event("talking", "1111", "live/other"));
  REQUIRE(c);
  CHECK(c->scope == "live/other");
  CHECK(c->streams == List{"zed"});
  CHECK(t.talkingIn(kScope).empty());
}

}  // TEST_SUITE
