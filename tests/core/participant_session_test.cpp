#include <doctest/doctest.h>

#include "core/protocol/messages.hpp"
#include "core/sessions/participant_session.hpp"
#include "core/settings.hpp"
#include "fake_media_world.hpp"
#include "test_effects.hpp"

using namespace confhost;
using confhost::testing::all;
using confhost::testing::FakeMediaWorld;

namespace {

ParticipantConfig config() {
  ParticipantConfig c;
  c.origin = "https://host:8443";
  c.backend = "host:8443";
  c.scope = "live/room1";
  c.streamName = "alice";
  return c;
}

std::string name(ParticipantState s) { return std::string(toString(s)); }
std::string name(media::State s) { return std::string(toString(s)); }

std::string conferenceText(std::vector<std::string> streams, std::string room = "live/room1",
                           std::string presenter = "") {
  Conference c;
  c.room = std::move(room);
  c.streams = std::move(streams);
  if (!presenter.empty()) c.presenter = presenter;
  return serialize(ServerMessage{c});
}
std::string excludedText(std::vector<std::string> streams, std::string room = "live/room1_wr") {
  return serialize(ServerMessage{Excluded{std::move(room), std::move(streams)}});
}

struct Harness {
  ParticipantSession session;
  FakeMediaWorld world;
  std::vector<ParticipantEffect> run(ParticipantEvent e) {
    return world.drive<ParticipantSession, ParticipantEvent, ParticipantEffect, participant::Media>(session,
                                                                                                    std::move(e));
  }
  std::vector<ParticipantEffect> message(const std::string& text) { return run(participant::SocketMessage{text}); }
  std::string sessionState(std::string_view id) const { return name(session.client(id)->state()); }
};


// Started and waiting in the waiting room.
void startWaiting(Harness& h) {
  h.run(participant::Tick{0});
  h.run(participant::Start{config()});
  h.run(participant::SocketOpened{});
  REQUIRE(name(h.session.state()) == "waiting");
}

void admitted(Harness& h) {
  startWaiting(h);
  h.message(conferenceText({"bob", "alice"}));
  REQUIRE(name(h.session.state()) == "inConference");
}

}  // namespace

TEST_CASE("participant: Start opens the scope's socket and publishes to the waiting room") {
  Harness h;
  h.world.connectMedia = false;
  auto fx = h.run(participant::Start{config()});
  const auto open = all<participant::OpenSocket>(fx);
  REQUIRE(open.size() == 1);
  CHECK(open[0].url == "wss://host:8443/?testbed=conference&room=live/room1&host=false&mixer=false");
  const auto posts = h.world.withMethod("POST");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].session == "waiting");
  CHECK(posts[0].request.url == "https://host:8443/as/v1/proxy/whip/live/room1_wr/alice");
  const auto& peer = h.world.peers["waiting"];
  CHECK((peer.direction == media::Direction::SendOnly));
  CHECK(peer.tracks.audio);
  CHECK(peer.tracks.video);
  CHECK(peer.source == "camera");
  // signalling done but no media yet: still joining
  CHECK(name(h.session.state()) == "joining");
  h.run(participant::Media{"waiting", media::RtcStateChanged{peer.peerId, media::RtcState::Connected}});
  CHECK(name(h.session.state()) == "waiting");
}

TEST_CASE("participant: Joining becomes Waiting once the waiting-room publish is connected") {
  Harness h;
  auto fx = h.run(participant::Start{config()});
  const auto changes = all<participant::StateChanged>(fx);
  REQUIRE(changes.size() == 2);
  CHECK(name(changes[0].state) == "joining");
  CHECK(name(changes[1].state) == "waiting");
  CHECK(h.sessionState("waiting") == "connected");
}

TEST_CASE("participant: an invalid config is refused with the field named, nothing starts") {
  Harness h;
  auto c = config();
  c.streamName = "join";
  auto fx = h.run(participant::Start{c});
  REQUIRE(all<participant::ShowError>(fx).size() == 1);
  CHECK(all<participant::ShowError>(fx)[0].text == "streamName: 'join' is reserved");
  CHECK(all<participant::OpenSocket>(fx).empty());
  CHECK(name(h.session.state()) == "idle");
  c = config();
  c.scope = "live/room1_wr";
  fx = h.run(participant::Start{c});
  CHECK(all<participant::ShowError>(fx)[0].text == "scope: must be the conference scope, not its waiting room (_wr)");
  c = config();
  c.streamName = "a b";
  fx = h.run(participant::Start{c});
  CHECK(all<participant::ShowError>(fx)[0].text == "streamName: must match ^[/0-9A-Za-z_-]{1,255}$");
}

TEST_CASE("participant: Start while running is refused") {
  Harness h;
  startWaiting(h);
  auto fx = h.run(participant::Start{config()});
  REQUIRE(all<participant::ShowError>(fx).size() == 1);
  CHECK(all<participant::ShowError>(fx)[0].text == "start in state waiting: stop the broadcast first");
  CHECK(name(h.session.state()) == "waiting");
}

TEST_CASE("participant: admitted → publish to the scope, play the composite video only, join the mix-minus") {
  Harness h;
  startWaiting(h);
  auto fx = h.message(conferenceText({"bob", "alice"}, "live/room1", "bob"));
  CHECK(name(h.session.state()) == "inConference");
  CHECK(h.session.presenter() == "bob");

  const auto pub = h.world.requestsOf("publish", "POST");
  REQUIRE(pub.size() == 1);
  CHECK(pub[0].request.url == "https://host:8443/as/v1/proxy/whip/live/room1/alice");
  CHECK((h.world.peers["publish"].direction == media::Direction::SendOnly));

  const auto comp = h.world.requestsOf("composite", "POST");
  REQUIRE(comp.size() == 1);
  CHECK(comp[0].request.url == "https://host:8443/as/v1/proxy/whep/live/room1/room1");
  CHECK((h.world.peers["composite"].direction == media::Direction::RecvOnly));
  CHECK_FALSE(h.world.peers["composite"].tracks.audio);  // the composite's audio would echo us
  CHECK(h.world.peers["composite"].tracks.video);

  const auto mix = h.world.requestsOf("mixMinus", "POST");
  REQUIRE(mix.size() == 1);
  CHECK(mix[0].request.url == "https://host:8443/as/v1/proxy/conference/live/room1/alice");
  CHECK((h.world.peers["mixMinus"].direction == media::Direction::SendRecv));
  CHECK(h.world.peers["mixMinus"].tracks.audio);
  CHECK_FALSE(h.world.peers["mixMinus"].tracks.video);

  for (auto id : {kWaitingSession, kPublishSession, kCompositeSession, kMixMinusSession})
    CHECK(h.sessionState(id) == "connected");
}

TEST_CASE("participant: once the conference publish is up, the waiting-room video goes on standby") {
  Harness h;
  startWaiting(h);
  CHECK((h.world.videoSend["waiting"] == media::VideoSend::Full));
  h.message(conferenceText({"alice"}));
  REQUIRE(h.sessionState("publish") == "connected");
  CHECK((h.world.videoSend["publish"] == media::VideoSend::Full));
  CHECK((h.world.videoSend["waiting"] == media::VideoSend::Standby));
  CHECK(h.sessionState("waiting") == "connected");  // still published: the host's list is built from it
  CHECK(h.world.requestsOf("waiting", "POST").size() == 1);  // changed in place, no new negotiation
}

TEST_CASE("participant: camera publishes send two simulcast layers, the mix-minus join sends none") {
  Harness h;
  admitted(h);
  CHECK(h.world.peers["waiting"].simulcastLayers == 2);
  CHECK(h.world.peers["publish"].simulcastLayers == 2);
  CHECK(h.world.peers["mixMinus"].simulcastLayers == 1);
}

TEST_CASE("participant: a composite tile no wider than 640 px plays the half-size layer") {
  for (int tile : {480, 640, 960, 0}) {
    Harness h;
    ParticipantConfig c = config();
    c.compositeTilePx = tile;
    h.run(participant::Tick{0});
    h.run(participant::Start{c});
    h.run(participant::SocketOpened{});
    h.message(conferenceText({"alice"}));
    const auto comp = h.world.requestsOf("composite", "POST");
    REQUIRE(comp.size() == 1);
    CAPTURE(tile);
    const bool low = tile > 0 && tile <= 640;
    CHECK(comp[0].request.url == std::string("https://host:8443/as/v1/proxy/whep/live/room1/room1") +
                                     (low ? "?layer=low" : ""));
  }
}

TEST_CASE("participant: the waiting-room video stays full while the conference publish is not up") {
  Harness h;
  startWaiting(h);
  h.world.postStatus["https://host:8443/as/v1/proxy/whip/live/room1/alice"] = 503;
  h.message(conferenceText({"alice"}));
  CHECK(name(h.session.state()) == "inConference");
  CHECK(h.sessionState("publish") == "failed");
  CHECK((h.world.videoSend["waiting"] == media::VideoSend::Full));
}

TEST_CASE("participant: removed → the waiting-room video sends in full again") {
  Harness h;
  admitted(h);
  REQUIRE((h.world.videoSend["waiting"] == media::VideoSend::Standby));
  h.message(conferenceText({"bob"}));
  CHECK(name(h.session.state()) == "waiting");
  CHECK((h.world.videoSend["waiting"] == media::VideoSend::Full));
}

TEST_CASE("participant: a conference list without us, or of another room, changes nothing") {
  Harness h;
  startWaiting(h);
  CHECK(all<participant::MediaEffect>(h.message(conferenceText({"bob"}))).empty());
  CHECK(all<participant::MediaEffect>(h.message(conferenceText({"alice"}, "live/room2"))).empty());
  CHECK(name(h.session.state()) == "waiting");
  CHECK(h.world.withMethod("POST").size() == 1);
}

TEST_CASE("participant: the same list again does not restart the conference sessions") {
  Harness h;
  admitted(h);
  h.message(conferenceText({"alice", "bob"}, "live/room1", "alice"));
  CHECK(h.world.withMethod("POST").size() == 4);
  CHECK(h.world.withMethod("DELETE").empty());
}

TEST_CASE("participant: removed → the three conference sessions stop, the waiting-room publish stays") {
  Harness h;
  admitted(h);
  auto fx = h.message(conferenceText({"bob"}));
  CHECK(name(h.session.state()) == "waiting");
  const auto deletes = h.world.withMethod("DELETE");
  REQUIRE(deletes.size() == 3);
  for (const auto& d : deletes) CHECK(d.session != "waiting");
  CHECK(h.sessionState("waiting") == "connected");
  CHECK(h.sessionState("publish") == "stopped");
  CHECK(h.sessionState("composite") == "stopped");
  CHECK(h.sessionState("mixMinus") == "stopped");
  CHECK(all<participant::CloseSocket>(fx).empty());
}

TEST_CASE("participant: re-admitted after removal → the conference sessions start again") {
  Harness h;
  admitted(h);
  h.message(conferenceText({"bob"}));
  h.message(conferenceText({"bob", "alice"}));
  CHECK(name(h.session.state()) == "inConference");
  CHECK(h.world.requestsOf("composite", "POST").size() == 2);
  CHECK(h.sessionState("composite") == "connected");
}

TEST_CASE("participant: excluded → everything stops, socket closed, Excluded with a message") {
  Harness h;
  admitted(h);
  auto fx = h.message(excludedText({"carol", "alice"}));
  CHECK(name(h.session.state()) == "excluded");
  CHECK(h.session.message() ==
        "The host excluded alice from live/room1: your broadcast was stopped.");
  CHECK(all<participant::CloseSocket>(fx).size() == 1);
  CHECK(h.world.withMethod("DELETE").size() == 4);
  for (auto id : {kWaitingSession, kPublishSession, kCompositeSession, kMixMinusSession})
    CHECK(h.sessionState(id) == "stopped");
  const auto changes = all<participant::StateChanged>(fx);
  REQUIRE_FALSE(changes.empty());
  CHECK(name(changes.back().state) == "excluded");
  // later messages change nothing
  CHECK(h.message(conferenceText({"alice"})).empty());
  CHECK(name(h.session.state()) == "excluded");
}

TEST_CASE("participant: excluded while waiting, announced for the conference room, also stops everything") {
  Harness h;
  startWaiting(h);
  h.message(excludedText({"alice"}, "live/room1"));
  CHECK(name(h.session.state()) == "excluded");
  CHECK(h.world.withMethod("DELETE").size() == 1);
}

TEST_CASE("participant: someone else's exclusion changes nothing") {
  Harness h;
  startWaiting(h);
  h.message(excludedText({"bob"}));
  h.message(excludedText({"alice"}, "live/room2_wr"));
  CHECK(name(h.session.state()) == "waiting");
}

TEST_CASE("participant: a lost socket reconnects with backoff and the media keeps going") {
  Harness h;
  admitted(h);
  auto fx = h.run(participant::SocketClosed{"network"});
  CHECK(fx.empty());
  CHECK(std::string(toString(h.session.socket().state())) == "backoff");
  CHECK(h.run(participant::Tick{400}).empty() == true);
  fx = h.run(participant::Tick{500});
  REQUIRE(all<participant::OpenSocket>(fx).size() == 1);
  h.run(participant::SocketOpened{});
  // the server pushes the list again on connect: still a member, nothing restarts
  h.message(conferenceText({"bob", "alice"}));
  CHECK(name(h.session.state()) == "inConference");
  CHECK(h.world.withMethod("POST").size() == 4);
}

TEST_CASE("participant: a failed media session retries with backoff and resumes") {
  Harness h;
  admitted(h);
  const int peer = h.world.peers["composite"].peerId;
  h.run(participant::Media{"composite", media::RtcStateChanged{peer, media::RtcState::Failed}});
  CHECK(h.sessionState("composite") == "failed");
  CHECK(name(h.session.state()) == "inConference");
  h.run(participant::Tick{499});
  CHECK(h.sessionState("composite") == "failed");
  h.run(participant::Tick{500});
  CHECK(h.sessionState("composite") == "connected");
  CHECK(h.world.requestsOf("composite", "POST").size() == 2);
}

TEST_CASE("participant: the composite not yet published (404) is retried, capped at 2 s") {
  Harness h;
  h.world.postStatus["https://host:8443/as/v1/proxy/whep/live/room1/room1"] = 404;
  admitted(h);
  CHECK(h.sessionState("composite") == "failed");
  CHECK(h.session.client(kCompositeSession)->reason() == "404 Not Found: refused by test");
  std::int64_t now = 0;
  for (int i = 0; i < 6; ++i) {
    now = *h.session.client(kCompositeSession)->retryAtMs();
    h.run(participant::Tick{now});
  }
  CHECK(*h.session.client(kCompositeSession)->retryAtMs() - now == 2000);
  h.world.postStatus.clear();
  h.run(participant::Tick{now + 2000});
  CHECK(h.sessionState("composite") == "connected");
}

TEST_CASE("participant: a failing waiting-room publish keeps Joining with the reason, then recovers") {
  Harness h;
  h.world.postStatus["https://host:8443/as/v1/proxy/whip/live/room1_wr/alice"] = 409;
  h.run(participant::Tick{0});
  auto fx = h.run(participant::Start{config()});
  CHECK(name(h.session.state()) == "joining");
  CHECK(h.sessionState("waiting") == "failed");
  h.world.postStatus.clear();
  fx = h.run(participant::Tick{500});
  CHECK(name(h.session.state()) == "waiting");
}

TEST_CASE("participant: Stop ends every session and closes the socket") {
  Harness h;
  admitted(h);
  auto fx = h.run(participant::Stop{});
  CHECK(name(h.session.state()) == "stopped");
  CHECK(all<participant::CloseSocket>(fx).size() == 1);
  CHECK(h.world.withMethod("DELETE").size() == 4);
  CHECK(h.run(participant::Stop{}).empty());
  // and it can start again
  h.run(participant::Start{config()});
  CHECK(name(h.session.state()) == "waiting");
}

TEST_CASE("participant: the config comes from the saved settings") {
  Settings s = Settings::defaults("example.org:8443");
  s.scope = "live/room7";
  s.participantStreamName = "zoe";
  s.auth.enabled = true;
  s.auth.username = "u";
  s.auth.password = "p";
  s.iceServers = {"stun:stun.example.org"};
  s.media.camera = false;
  const auto c = participantConfigOf(s, "https://example.org:8443");
  CHECK(c.origin == "https://example.org:8443");
  CHECK(c.backend == "example.org:8443");
  CHECK(c.scope == "live/room7");
  CHECK(c.streamName == "zoe");
  CHECK(c.auth.username == "u");
  CHECK(c.auth.password == "p");
  REQUIRE(c.iceServers.size() == 1);
  CHECK(c.iceServers[0].urls == "stun:stun.example.org");
  CHECK_FALSE(c.camera);
  CHECK(c.microphone);
}

TEST_CASE("participant: stateJson shows the state, the socket and every session") {
  Harness h;
  admitted(h);
  const auto j = h.session.stateJson();
  CHECK(j["state"] == "inConference");
  CHECK(j["streamName"] == "alice");
  CHECK(j["socket"]["state"] == "open");
  CHECK(j["sessions"]["composite"]["state"] == "connected");
  CHECK(j["sessions"]["mixMinus"]["rtcConnected"] == true);
  CHECK(j["conference"] == nlohmann::json::array({"bob", "alice"}));
}
