#include <doctest/doctest.h>

#include "core/protocol/messages.hpp"
#include "core/sessions/mixer_session.hpp"
#include "core/protocol/query_string.hpp"
#include "fake_media_world.hpp"
#include "test_effects.hpp"

using namespace confhost;
using confhost::testing::all;
using confhost::testing::FakeMediaWorld;

namespace {

MixerConfig config() {
  MixerConfig c;
  c.origin = "https://host:8443";
  c.backend = "host:8443";
  c.scope = "live/room1";
  c.mixerId = "m-1";
  return c;
}

std::string name(media::State s) { return std::string(toString(s)); }

std::string conferenceText(std::vector<std::string> streams, std::string presenter = "",
                           std::string room = "live/room1") {
  Conference c;
  c.room = std::move(room);
  c.streams = std::move(streams);
  if (!presenter.empty()) c.presenter = presenter;
  return serialize(ServerMessage{c});
}

struct Harness {
  MixerSession session;
  FakeMediaWorld world;
  std::vector<MixerEffect> run(MixerEvent e) {
    return world.drive<MixerSession, MixerEvent, MixerEffect, mixer::Media>(session, std::move(e));
  }
  std::vector<MixerEffect> message(const std::string& text) { return run(mixer::SocketMessage{text}); }
  std::vector<std::string> renderedStreams() const {
    std::vector<std::string> names;
    for (const auto& item : session.renderList()) names.push_back(item.stream);
    return names;
  }
};


void started(Harness& h) {
  h.run(mixer::Tick{0});
  h.run(mixer::Start{config()});
  h.run(mixer::SocketOpened{});
}

}  // namespace

TEST_CASE("mixer: Start opens a mixer socket, publishes the composite and joins the audio bridge muted") {
  Harness h;
  auto c = config();
  c.bitrate = 2500;
  auto fx = h.run(mixer::Start{c});
  const auto open = all<mixer::OpenSocket>(fx);
  REQUIRE(open.size() == 1);
  CHECK(open[0].url == "wss://host:8443/?testbed=conference&room=live/room1&host=false&mixer=true&mixerId=m-1");
  CHECK(std::string(toString(h.session.state())) == "running");

  const auto pub = h.world.requestsOf("publish", "POST");
  REQUIRE(pub.size() == 1);
  CHECK(pub[0].request.url == "https://host:8443/as/v1/proxy/whip/live/room1/room1");
  const auto& pubPeer = h.world.peers["publish"];
  CHECK((pubPeer.direction == media::Direction::SendOnly));
  CHECK(pubPeer.source == "canvas+mix");
  CHECK(pubPeer.maxBitrateKbps == 2500);
  CHECK(pubPeer.tracks.audio);
  CHECK(pubPeer.tracks.video);

  const auto mix = h.world.requestsOf("mix", "POST");
  REQUIRE(mix.size() == 1);
  CHECK(mix[0].request.url == "https://host:8443/as/v1/proxy/conference/live/room1/room1?muted=true");
  const auto& mixPeer = h.world.peers["mix"];
  CHECK((mixPeer.direction == media::Direction::SendRecv));
  CHECK(mixPeer.tracks.audio);
  CHECK_FALSE(mixPeer.tracks.video);
  CHECK(name(h.session.client(kMixerPublishSession)->state()) == "connected");
  CHECK(name(h.session.client(kMixerAudioSession)->state()) == "connected");
}

TEST_CASE("mixer: the composite is published with a half-size simulcast layer, inputs play the full one") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice"}));
  CHECK(h.world.peers["publish"].simulcastLayers == 2);
  CHECK(h.world.peers["mix"].simulcastLayers == 1);
  const auto plays = h.world.withMethod("POST");
  for (const auto& p : plays) CHECK(p.request.url.find("layer=") == std::string::npos);
}

TEST_CASE("mixer: a mixing page URL with a bad config is refused naming the field") {
  const auto refusal = [](const char* query, const char* origin = "https://h") {
    return mixerConfigFromQuery(parseQueryParams(query), origin).error().message();
  };
  CHECK(refusal("?scope=live/room1_wr") == "scope: must be the conference scope, not its waiting room (_wr)");
  CHECK(refusal("?scope=room1") == "scope: must be <app>/<room>");
  CHECK(refusal("?scope=live/room1", "ftp://h") == "origin: must be an http(s) URL, got \"ftp://h\"");
}

TEST_CASE("mixer: one video-only WHEP play per conference stream") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice", "bob"}));
  const auto plays = h.world.withMethod("POST");
  REQUIRE(plays.size() == 4);  // publish, mix, alice, bob
  const std::string alice = h.session.playSessionOf("alice");
  const std::string bob = h.session.playSessionOf("bob");
  CHECK(alice.rfind("play/alice/", 0) == 0);
  CHECK(bob.rfind("play/bob/", 0) == 0);
  REQUIRE(h.world.requestsOf(alice, "POST").size() == 1);
  CHECK(h.world.requestsOf(alice, "POST")[0].request.url == "https://host:8443/as/v1/proxy/whep/live/room1/alice");
  CHECK((h.world.peers[alice].direction == media::Direction::RecvOnly));
  CHECK_FALSE(h.world.peers[alice].tracks.audio);
  CHECK(h.world.peers[alice].tracks.video);
  CHECK(name(h.session.client(bob)->state()) == "connected");
}

TEST_CASE("mixer: the list is diffed: gone streams stop, new ones start, kept ones are untouched") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice", "bob"}));
  const std::string bob = h.session.playSessionOf("bob");
  h.message(conferenceText({"bob", "carol"}));
  const auto deletes = h.world.withMethod("DELETE");
  REQUIRE(deletes.size() == 1);
  CHECK(deletes[0].session.rfind("play/alice/", 0) == 0);
  CHECK(h.session.playSessionOf("alice").empty());
  CHECK(h.session.playSessionOf("bob") == bob);
  CHECK(h.world.requestsOf(bob, "POST").size() == 1);
  CHECK_FALSE(h.session.playSessionOf("carol").empty());
  CHECK(h.renderedStreams() == std::vector<std::string>{"bob", "carol"});
}

TEST_CASE("mixer: a stream that comes back gets a new play session id") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice"}));
  const std::string first = h.session.playSessionOf("alice");
  h.message(conferenceText({}));
  h.message(conferenceText({"alice"}));
  CHECK(h.session.playSessionOf("alice") != first);
}

TEST_CASE("mixer: the composite's own stream and other rooms are never played") {
  Harness h;
  started(h);
  h.message(conferenceText({"room1", "alice"}));
  CHECK(h.renderedStreams() == std::vector<std::string>{"alice"});
  h.message(conferenceText({"zed"}, "", "live/room2"));
  CHECK(h.renderedStreams() == std::vector<std::string>{"alice"});
}

TEST_CASE("mixer: the render list follows the focused layout, presenter and order") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice", "bob", "carol"}, "bob"));
  auto items = h.session.renderList();
  REQUIRE(items.size() == 3);
  const auto rects = layout(LayoutPreset::Focused, 1280, 720, 3, 1);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(items[i].rect.x == doctest::Approx(rects[i].x));
    CHECK(items[i].rect.y == doctest::Approx(rects[i].y));
    CHECK(items[i].rect.w == doctest::Approx(rects[i].w));
  }
  CHECK(items[1].presenter);
  CHECK_FALSE(items[0].presenter);
  CHECK(items[1].label == "bob");
  CHECK(items[1].session == h.session.playSessionOf("bob"));
  CHECK(items[1].rect.area() > items[0].rect.area());

  // presenter change and reorder are one message away
  h.message(conferenceText({"carol", "alice", "bob"}, "carol"));
  items = h.session.renderList();
  CHECK(items[0].stream == "carol");
  CHECK(items[0].presenter);
  CHECK(items[0].rect.area() > items[2].rect.area());
  CHECK(h.world.withMethod("DELETE").empty());  // nothing restarted
}

TEST_CASE("mixer: without a presenter the first stream gets the focused tile") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice", "bob"}, "nobody"));
  const auto items = h.session.renderList();
  CHECK(h.session.presenter().empty());
  CHECK(items[0].presenter);
  CHECK_FALSE(items[1].presenter);
}

TEST_CASE("mixer: the grid preset from the config gives equal tiles and no presenter flag without one") {
  Harness h;
  auto c = config();
  c.layout = LayoutPreset::Grid;
  c.width = 640;
  c.height = 360;
  h.run(mixer::Start{c});
  h.message(conferenceText({"a", "b", "c", "d"}));
  const auto items = h.session.renderList();
  REQUIRE(items.size() == 4);
  for (const auto& item : items) {
    CHECK(item.rect.w == doctest::Approx(items[0].rect.w));
    CHECK_FALSE(item.presenter);
    CHECK(item.rect.right() <= 640.01f);
  }
}

TEST_CASE("mixer: tiles report video arrival and stalls") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice"}));
  const std::string alice = h.session.playSessionOf("alice");
  CHECK_FALSE(h.session.renderList()[0].hasVideo);
  h.run(mixer::Tick{100});
  h.run(mixer::InputFrames{alice, 3});
  CHECK(h.session.renderList()[0].hasVideo);
  CHECK_FALSE(h.session.renderList()[0].stalled);
  h.run(mixer::Tick{900});
  h.run(mixer::InputFrames{alice, 3});
  CHECK_FALSE(h.session.renderList()[0].stalled);
  h.run(mixer::Tick{1100});
  CHECK(h.session.renderList()[0].stalled);
  h.run(mixer::InputFrames{alice, 4});
  CHECK_FALSE(h.session.renderList()[0].stalled);
}

TEST_CASE("mixer: a failed play retries, a lost socket reconnects") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice"}));
  const std::string alice = h.session.playSessionOf("alice");
  h.run(mixer::Media{alice, media::RtcStateChanged{h.world.peers[alice].peerId, media::RtcState::Failed}});
  CHECK(name(h.session.client(alice)->state()) == "failed");
  h.run(mixer::Tick{500});
  CHECK(name(h.session.client(alice)->state()) == "connected");

  h.run(mixer::SocketClosed{"gone"});
  auto fx = h.run(mixer::Tick{1000});
  REQUIRE(all<mixer::OpenSocket>(fx).size() == 1);
  CHECK(all<mixer::OpenSocket>(fx)[0].url.find("mixerId=m-1") != std::string::npos);
}

TEST_CASE("mixer: Stop ends every session and closes the socket") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice", "bob"}));
  auto fx = h.run(mixer::Stop{});
  CHECK(std::string(toString(h.session.state())) == "stopped");
  CHECK(h.world.withMethod("DELETE").size() == 4);
  CHECK(all<mixer::CloseSocket>(fx).size() == 1);
  CHECK(h.session.renderList().empty());
}

TEST_CASE("mixer: the config is read from the mixing page's URL") {
  auto q = parseQueryParams(
      "#/mixer?scope=live/room1&ws=10.0.0.1:8443&layout=grid&width=640&height=360&framerate=25&bitrate=900"
      "&token=sm&mixerId=abc");
  auto c = mixerConfigFromQuery(q, "https://host:8443/");
  REQUIRE(c.ok());
  CHECK(c->origin == "https://host:8443");
  CHECK(c->scope == "live/room1");
  CHECK(c->backend == "10.0.0.1:8443");
  CHECK((c->layout == LayoutPreset::Grid));
  CHECK(c->width == 640);
  CHECK(c->height == 360);
  CHECK(c->framerate == 25);
  CHECK(c->bitrate == 900);
  CHECK(c->mixerId == "abc");
  CHECK(c->auth.token == "sm");

  auto d = mixerConfigFromQuery(parseQueryParams("?scope=live/room1"), "https://host:8443");
  REQUIRE(d.ok());
  CHECK(d->backend == "host:8443");
  CHECK((d->layout == LayoutPreset::Focused));
  CHECK(d->width == 1280);

  CHECK(mixerConfigFromQuery(parseQueryParams("?ws=x"), "https://h").error().message() == "scope: missing");
  CHECK(mixerConfigFromQuery(parseQueryParams("?scope=live/r&width=12x"), "https://h").error().message() ==
        "width: must be an integer in 16..4096");
  CHECK(mixerConfigFromQuery(parseQueryParams("?scope=live/r&layout=mosaic"), "https://h").error().message() ==
        "layout: must be \"focused\" or \"grid\", got \"mosaic\"");
}

TEST_CASE("mixer: stateJson shows sessions and the render list") {
  Harness h;
  started(h);
  h.message(conferenceText({"alice"}, "alice"));
  const auto j = h.session.stateJson();
  CHECK(j["state"] == "running");
  CHECK(j["layout"] == "focused");
  CHECK(j["streams"] == nlohmann::json::array({"alice"}));
  CHECK(j["render"][0]["stream"] == "alice");
  CHECK(j["render"][0]["presenter"] == true);
  CHECK(j["sessions"]["publish"]["state"] == "connected");
}

TEST_CASE("mixer: the socket URL carries the mixerSecret the page was launched with") {
  // The server launches the page with mixerId and mixerSecret; without the secret the socket is a
  // plain listener and the composition never leaves pending.
  auto c = mixerConfigFromQuery(parseQueryParams("#/mixer?scope=live/room1&mixerId=m-1&mixerSecret=0f1e2d"),
                                "https://host:8443");
  REQUIRE(c.ok());
  CHECK(c->mixerSecret == "0f1e2d");
  Harness h;
  auto fx = h.run(mixer::Start{*c});
  const auto open = all<mixer::OpenSocket>(fx);
  REQUIRE(open.size() == 1);
  CHECK(open[0].url ==
        "wss://host:8443/?testbed=conference&room=live/room1&host=false&mixer=true&mixerId=m-1&mixerSecret=0f1e2d");
}
