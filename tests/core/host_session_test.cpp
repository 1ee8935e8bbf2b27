// HostSession: one TEST_CASE per rule of src/core/host_session.hpp, driven only through handle() and
// asserted on the returned effects, the requests its media sessions make and the public state.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/sessions/host_session.hpp"
#include "core/protocol/messages.hpp"
#include "fake_media_world.hpp"
#include "test_effects.hpp"

using namespace confhost;
using nlohmann::json;

namespace {

const char* kScope = "live/room1";
const char* kWr = "live/room1_wr";
const char* kOrigin = "https://host:8443";
const std::string kWhep = std::string(kOrigin) + "/as/v1/proxy/whep/";

template <class T>
std::vector<T> effectsOf(const std::vector<HostEffect>& fx) {
  return testing::all<T>(fx);
}

HostConfig config(const std::string& token = "tok") {
  return HostConfig{"localhost:8443", kScope, token, kOrigin, {}, {}};
}

std::vector<json> sentJson(const std::vector<HostEffect>& fx, SocketId on = SocketId::WaitingRoom) {
  std::vector<json> out;
  for (const auto& s : effectsOf<host::Send>(fx)) {
    if (s.socket == on) out.push_back(json::parse(s.text));
  }
  return out;
}

std::vector<std::string> errorsOf(const std::vector<HostEffect>& fx) {
  std::vector<std::string> out;
  for (const auto& e : effectsOf<host::ShowError>(fx)) out.push_back(e.text);
  return out;
}


MixerStatus mixer(const std::string& id, MixerState state) {
  MixerStatus m;
  m.id = id;
  m.name = "mixer-" + id;
  m.path = kScope;
  m.location = "local";
  m.state = state;
  return m;
}

Composition composition(const std::string& event, std::vector<MixerStatus> mixers) {
  return Composition{event, event, "", std::move(mixers)};
}

CompositionRequest request(const std::string& event) {
  CompositionRequest r;
  r.event = event;
  r.digest = "smtoken";
  MixerSpec m;
  m.mixerName = "m1";
  m.mixingPage = "https://h/index.html#/mixer?scope=live/room1";
  m.streamName = "room1";
  m.path = kScope;
  r.mixers = {m};
  r.location = {"local"};
  return r;
}

// Every step runs against a healthy browser and proxy (FakeMediaWorld), so a play that starts connects.
struct Host {
  HostSession session{1};
  testing::FakeMediaWorld world;

  std::vector<HostEffect> on(const HostEvent& e) {
    return world.drive<HostSession, HostEvent, HostEffect, host::Media>(session, e);
  }
  const HostState& st() const { return session.state(); }

  // What a step started and stopped playing, as "<scope>/<stream>" of the WHEP URLs on the wire: each
  // POST's, and for each DELETE the one that made the resource it deletes.
  std::vector<std::string> started(const std::vector<HostEffect>& fx) const { return played(fx, "POST"); }
  std::vector<std::string> stopped(const std::vector<HostEffect>& fx) const { return played(fx, "DELETE"); }
  std::vector<std::string> played(const std::vector<HostEffect>& fx, const std::string& method) const {
    std::vector<std::string> out;
    for (const auto& m : effectsOf<host::MediaEffect>(fx)) {
      const auto* r = std::get_if<media::HttpRequest>(&m.effect);
      if (!r || r->method != method) continue;
      out.push_back(playOf(method == "POST" ? r->url : postBefore(m.session, r->url)));
    }
    return out;
  }
  // The session's last POST before the DELETE of `resource` (every resource URL is new).
  std::string postBefore(const std::string& session, const std::string& resource) const {
    std::string post;
    for (const auto& logged : world.requests) {
      if (logged.session != session) continue;
      if (logged.request.method == "POST") post = logged.request.url;
      if (logged.request.method == "DELETE" && logged.request.url == resource) break;
    }
    REQUIRE_FALSE(post.empty());
    return post;
  }
  static std::string playOf(const std::string& url) {
    REQUIRE(url.rfind(kWhep, 0) == 0);
    return url.substr(kWhep.size(), url.find('?') - kWhep.size());
  }

  std::vector<HostEffect> start(const std::string& token = "tok") { return on(host::Start{config(token)}); }
  void startOpen() {
    start();
    on(host::SocketOpened{SocketId::WaitingRoom});
    on(host::SocketOpened{SocketId::Conference});
  }
  std::vector<HostEffect> push(const ServerMessage& m, SocketId id = SocketId::WaitingRoom) {
    return on(host::SocketMessage{serialize(m), id});
  }
  std::vector<HostEffect> waiting(std::vector<std::string> streams) { return push(Active{kWr, std::move(streams), {}}); }
  std::vector<HostEffect> conference(std::vector<std::string> streams, std::optional<std::string> presenter = {}) {
    return push(Conference{kScope, std::move(presenter), std::move(streams)});
  }
  std::vector<HostEffect> compositions(std::vector<Composition> list) {
    return push(ActiveCompositions{kWr, std::move(list)});
  }
  std::vector<HostEffect> closeAndReopen(SocketId id, int64_t& now) {
    on(host::SocketClosed{"gone", id});
    now = st().socket(id).retryAtMs;
    auto fx = on(host::Tick{now});
    on(host::SocketOpened{id});
    return fx;
  }
};

}  // namespace

// ---- lifecycle ------------------------------------------------------------------------------------

TEST_CASE("start opens the waiting-room and conference sockets as host with the host token") {
  Host h;
  auto fx = h.start("s3cret");
  auto opens = effectsOf<host::OpenSocket>(fx);
  REQUIRE(opens.size() == 2);
  CHECK(toString(opens[0].socket) == "waitingRoom");
  CHECK(opens[0].url ==
        "wss://localhost:8443/?testbed=conference&room=live/room1_wr&host=true&mixer=false&hostToken=s3cret");
  CHECK(toString(opens[1].socket) == "conference");
  CHECK(opens[1].url ==
        "wss://localhost:8443/?testbed=conference&room=live/room1&host=true&mixer=false&hostToken=s3cret");
  CHECK(h.st().started);
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "connecting");
  CHECK(toString(h.st().socket(SocketId::Conference).state) == "connecting");
}

TEST_CASE("start without a host token omits hostToken from the socket URLs") {
  Host h;
  auto opens = effectsOf<host::OpenSocket>(h.start(""));
  REQUIRE(opens.size() == 2);
  CHECK(opens[0].url.find("hostToken") == std::string::npos);
  CHECK(opens[1].url == "wss://localhost:8443/?testbed=conference&room=live/room1&host=true&mixer=false");
}

TEST_CASE("start with an invalid configuration is refused with an error and opens nothing") {
  for (HostConfig bad : {HostConfig{"h:1", "room1", ""}, HostConfig{"h:1", "live/room 1", ""},
                         HostConfig{"h:1", "live/room1_wr", ""}, HostConfig{"", "live/room1", ""}}) {
    Host h;
    auto fx = h.on(host::Start{bad});
    CAPTURE(bad.scope);
    CHECK(effectsOf<host::OpenSocket>(fx).empty());
    REQUIRE(errorsOf(fx).size() == 1);
    CHECK(errorsOf(fx)[0].rfind("start in state closed: ", 0) == 0);
    CHECK_FALSE(h.st().started);
  }
}

TEST_CASE("start while running restarts: closes the sockets, stops previews, opens the new room") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  auto fx = h.on(host::Start{HostConfig{"other:9", "live/room2", "", kOrigin, {}, {}}});
  CHECK(effectsOf<host::CloseSocket>(fx).size() == 2);
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1_wr/alice"});
  auto opens = effectsOf<host::OpenSocket>(fx);
  REQUIRE(opens.size() == 2);
  CHECK(opens[0].url == "wss://other:9/?testbed=conference&room=live/room2_wr&host=true&mixer=false");
  CHECK(h.st().waiting.empty());
  CHECK(h.st().previews.empty());
  CHECK(h.st().config.scope == "live/room2");
}

TEST_CASE("stop closes the open sockets, stops every preview and forgets the room") {
  Host h;
  h.startOpen();
  h.waiting({"alice", "bob"});
  auto fx = h.on(host::Stop{});
  auto closes = effectsOf<host::CloseSocket>(fx);
  REQUIRE(closes.size() == 2);
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1_wr/alice", "live/room1_wr/bob"});
  CHECK_FALSE(h.st().started);
  CHECK(h.st().waiting.empty());
  CHECK(h.st().previews.empty());
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "closed");
}

TEST_CASE("stop closes a socket that is still connecting but not one in backoff") {
  Host h;
  h.start();
  h.on(host::SocketOpened{SocketId::WaitingRoom});
  h.on(host::SocketClosed{"lost", SocketId::WaitingRoom});
  auto closes = effectsOf<host::CloseSocket>(h.on(host::Stop{}));
  REQUIRE(closes.size() == 1);
  CHECK(toString(closes[0].socket) == "conference");
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "closed");
}

TEST_CASE("stop when stopped does nothing") {
  Host h;
  CHECK(h.on(host::Stop{}).empty());
  CHECK_FALSE(h.st().started);
}

// ---- sockets --------------------------------------------------------------------------------------

TEST_CASE("waiting-room socket opening becomes open and asks for active compositions") {
  Host h;
  h.start();
  auto fx = h.on(host::SocketOpened{SocketId::WaitingRoom});
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "open");
  auto sent = sentJson(fx);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["type"] == "getActiveCompositions");
}

TEST_CASE("conference socket opening becomes open and sends nothing (the server pushes)") {
  Host h;
  h.start();
  auto fx = h.on(host::SocketOpened{SocketId::Conference});
  CHECK(toString(h.st().socket(SocketId::Conference).state) == "open");
  CHECK(fx.empty());
}

TEST_CASE("socket opened when no connection was being made is an error naming state and event") {
  Host h;
  auto fx = h.on(host::SocketOpened{SocketId::WaitingRoom});
  REQUIRE(errorsOf(fx).size() == 1);
  CHECK(errorsOf(fx)[0].rfind("socketOpened in state closed: ", 0) == 0);
  CHECK(effectsOf<host::CloseSocket>(fx).size() == 1);  // the stray connection is closed
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "closed");

  h.startOpen();
  auto again = h.on(host::SocketOpened{SocketId::Conference});
  REQUIRE(errorsOf(again).size() == 1);
  CHECK(errorsOf(again)[0].rfind("socketOpened in state open: ", 0) == 0);
  CHECK(effectsOf<host::CloseSocket>(again).empty());  // the open one is ours: keep it
  CHECK(toString(h.st().socket(SocketId::Conference).state) == "open");

  h.on(host::SocketClosed{"lost", SocketId::Conference});
  auto stray = h.on(host::SocketOpened{SocketId::Conference});
  REQUIRE(errorsOf(stray).size() == 1);
  CHECK(errorsOf(stray)[0].rfind("socketOpened in state backoff: ", 0) == 0);
  CHECK(effectsOf<host::CloseSocket>(stray).size() == 1);
  CHECK(toString(h.st().socket(SocketId::Conference).state) == "backoff");
}

TEST_CASE("socket closed while open goes to backoff and retries after about 0.5 s") {
  Host h;
  h.on(host::Tick{10'000});
  h.startOpen();
  auto fx = h.on(host::SocketClosed{"1006", SocketId::Conference});
  CHECK(fx.empty());
  const SocketStatus& so = h.st().socket(SocketId::Conference);
  CHECK(toString(so.state) == "backoff");
  CHECK(so.attempts == 1);
  CHECK(so.closeReason == "1006");
  CHECK(so.retryAtMs > 10'000 + 400 - 1);
  CHECK(so.retryAtMs <= 10'000 + 500);
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "open");
}

TEST_CASE("socket closed while connecting goes to backoff") {
  Host h;
  h.start();
  h.on(host::SocketClosed{"refused", SocketId::WaitingRoom});
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "backoff");
}

TEST_CASE("socket closed while closed or in backoff is ignored") {
  Host h;
  CHECK(h.on(host::SocketClosed{"echo", SocketId::WaitingRoom}).empty());
  h.start();
  h.on(host::SocketClosed{"first", SocketId::WaitingRoom});
  int64_t retryAt = h.st().socket(SocketId::WaitingRoom).retryAtMs;
  CHECK(h.on(host::SocketClosed{"duplicate", SocketId::WaitingRoom}).empty());
  CHECK(h.st().socket(SocketId::WaitingRoom).retryAtMs == retryAt);
  CHECK(h.st().socket(SocketId::WaitingRoom).attempts == 1);
  CHECK(h.st().lastError.empty());
}

TEST_CASE("tick before the retry time does nothing, at the retry time the socket reconnects") {
  Host h;
  h.on(host::Tick{1000});
  h.startOpen();
  h.on(host::SocketClosed{"lost", SocketId::WaitingRoom});
  int64_t retryAt = h.st().socket(SocketId::WaitingRoom).retryAtMs;
  CHECK(h.on(host::Tick{retryAt - 1}).empty());
  auto fx = h.on(host::Tick{retryAt});
  auto opens = effectsOf<host::OpenSocket>(fx);
  REQUIRE(opens.size() == 1);
  CHECK(toString(opens[0].socket) == "waitingRoom");
  CHECK(opens[0].url.find("room=live/room1_wr") != std::string::npos);
  CHECK(toString(h.st().socket(SocketId::WaitingRoom).state) == "connecting");
}

TEST_CASE("reconnect delays double from 0.5 s up to 8 s while connections keep failing") {
  Host h;
  int64_t now = 0;
  h.on(host::Tick{now});
  h.start();
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) {
    h.on(host::SocketClosed{"refused", SocketId::Conference});
    int64_t retryAt = h.st().socket(SocketId::Conference).retryAtMs;
    delays.push_back(retryAt - now);
    now = retryAt;
    h.on(host::Tick{now});
  }
  std::vector<int64_t> bases{500, 1000, 2000, 4000, 8000, 8000, 8000};
  for (size_t i = 0; i < delays.size(); ++i) {
    CAPTURE(i);
    CHECK(delays[i] <= bases[i]);
    CHECK(delays[i] >= bases[i] * 8 / 10);
  }
  CHECK(h.st().socket(SocketId::Conference).attempts == 7);
}

TEST_CASE("a successful open resets the backoff to 0.5 s") {
  Host h;
  int64_t now = 0;
  h.start();
  for (int i = 0; i < 4; ++i) {
    h.on(host::SocketClosed{"refused", SocketId::WaitingRoom});
    now = h.st().socket(SocketId::WaitingRoom).retryAtMs;
    h.on(host::Tick{now});
  }
  h.on(host::SocketOpened{SocketId::WaitingRoom});
  CHECK(h.st().socket(SocketId::WaitingRoom).attempts == 0);
  h.on(host::SocketClosed{"lost", SocketId::WaitingRoom});
  CHECK(h.st().socket(SocketId::WaitingRoom).retryAtMs - now <= 500);
}

TEST_CASE("reconnect jitter is deterministic for a seed") {
  auto retryAt = [](uint32_t seed) {
    HostSession s(seed);
    s.handle(host::Start{HostConfig{"h:1", kScope, ""}});
    s.handle(host::SocketClosed{"x", SocketId::WaitingRoom});
    return s.state().socket(SocketId::WaitingRoom).retryAtMs;
  };
  CHECK(retryAt(9) == retryAt(9));
}

TEST_CASE("tick when stopped does nothing") {
  Host h;
  CHECK(h.on(host::Tick{123}).empty());
}

TEST_CASE("resync on reconnect: asks for compositions again and replaces lists from the server push") {
  Host h;
  int64_t now = 0;
  h.startOpen();
  h.waiting({"alice", "bob"});
  auto fx = h.closeAndReopen(SocketId::WaitingRoom, now);
  CHECK(effectsOf<host::OpenSocket>(fx).size() == 1);
  // The open itself asked for the compositions again.
  h.on(host::SocketClosed{"again", SocketId::WaitingRoom});
  h.on(host::Tick{h.st().socket(SocketId::WaitingRoom).retryAtMs});
  auto opened = h.on(host::SocketOpened{SocketId::WaitingRoom});
  REQUIRE(sentJson(opened).size() == 1);
  CHECK(sentJson(opened)[0]["type"] == "getActiveCompositions");
  // The server's push after reconnect is the truth; previews follow without duplicates.
  auto push = h.waiting({"bob", "carol"});
  CHECK(h.st().waiting == std::vector<std::string>{"bob", "carol"});
  CHECK(h.stopped(push) == std::vector<std::string>{"live/room1_wr/alice"});
  CHECK(h.started(push) == std::vector<std::string>{"live/room1_wr/carol"});
}

TEST_CASE("a message on a socket that is not open is an error and changes nothing") {
  Host h;
  h.start();
  auto fx = h.on(host::SocketMessage{serialize(ServerMessage{Active{kWr, {"x"}, {}}}), SocketId::WaitingRoom});
  REQUIRE(errorsOf(fx).size() == 1);
  CHECK(errorsOf(fx)[0].rfind("socketMessage in state connecting: ", 0) == 0);
  CHECK(h.st().waiting.empty());
}

TEST_CASE("an unreadable server message sets lastError and shows it, the socket stays open") {
  Host h;
  h.startOpen();
  auto fx = h.on(host::SocketMessage{"{not json", SocketId::Conference});
  REQUIRE(errorsOf(fx).size() == 1);
  CHECK(h.st().lastError == errorsOf(fx)[0]);
  CHECK(toString(h.st().socket(SocketId::Conference).state) == "open");
  CHECK(effectsOf<host::CloseSocket>(fx).empty());
  auto unknown = h.on(host::SocketMessage{R"({"type":"bogus"})", SocketId::Conference});
  CHECK(errorsOf(unknown).size() == 1);
}

// ---- server messages ------------------------------------------------------------------------------

TEST_CASE("waiting room = active of <scope>_wr minus conference, excluded, composite and _r5participator") {
  Host h;
  h.startOpen();
  h.conference({"bob"}, "bob");
  h.push(Excluded{kWr, {"mallory"}});
  h.waiting({"alice", "bob", "room1", "carol_r5participator", "mallory", "dave"});
  CHECK(h.st().waiting == std::vector<std::string>{"alice", "dave"});
}

TEST_CASE("waiting room follows the reference server's active message text") {
  Host h;
  h.startOpen();
  h.on(host::SocketMessage{R"({"type":"active","room":"live/room1_wr","streams":[{"name":"alice"},"bob"]})",
                           SocketId::WaitingRoom});
  CHECK(h.st().waiting == std::vector<std::string>{"alice", "bob"});
}

TEST_CASE("messages about another room are ignored") {
  Host h;
  h.startOpen();
  CHECK(h.push(Active{"live/other_wr", {"x"}, {}}).empty());
  CHECK(h.push(Conference{"live/other", std::string("x"), {"x"}}).empty());
  CHECK(h.st().waiting.empty());
  CHECK(h.st().conference.empty());
  CHECK(h.st().lastError.empty());
}

TEST_CASE("active of the conference scope fills the scope streams, not the waiting room") {
  Host h;
  h.startOpen();
  h.push(Active{kScope, {"room1"}, {}}, SocketId::Conference);
  CHECK(h.st().scopeStreams == std::vector<std::string>{"room1"});
  CHECK(h.st().waiting.empty());
}

TEST_CASE("conference message sets the list in order and the presenter, absent presenter is none") {
  Host h;
  h.startOpen();
  h.conference({"b", "a", "c"}, "a");
  CHECK(h.st().conference == std::vector<std::string>{"b", "a", "c"});
  CHECK(h.st().presenter == "a");
  h.on(host::SocketMessage{R"({"type":"conference","room":"live/room1","streams":["b"]})", SocketId::Conference});
  CHECK(h.st().conference == std::vector<std::string>{"b"});
  CHECK(h.st().presenter.empty());
}

TEST_CASE("excluded message lists the banned streams and hides them from the waiting room") {
  Host h;
  h.startOpen();
  h.waiting({"alice", "eve"});
  auto fx = h.push(Excluded{kScope, {"eve"}});
  CHECK(h.st().excluded == std::vector<std::string>{"eve"});
  CHECK(h.st().waiting == std::vector<std::string>{"alice"});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1_wr/eve"});
}

TEST_CASE("mixerRegions sets the regions") {
  Host h;
  h.startOpen();
  h.push(MixerRegions{{"local", "eu"}});
  CHECK(h.st().regions == std::vector<std::string>{"local", "eu"});
}

// ---- who is talking (confhost.talking, on the conference socket) -----------------------------------

TEST_CASE("a talking message sets the talking set, shown in the automation state") {
  Host h;
  h.startOpen();
  h.conference({"alice", "bob"});
  auto fx = h.push(Talking{kScope, {"alice"}}, SocketId::Conference);
  CHECK(errorsOf(fx).empty());
  CHECK(h.st().talking == std::vector<std::string>{"alice"});
  CHECK(h.session.stateJson()["talking"] == json::array({"alice"}));
}

TEST_CASE("a new talking message replaces the set, an empty one clears it") {
  Host h;
  h.startOpen();
  h.conference({"alice", "bob"});
  h.push(Talking{kScope, {"alice"}}, SocketId::Conference);
  h.push(Talking{kScope, {"bob"}}, SocketId::Conference);
  CHECK(h.st().talking == std::vector<std::string>{"bob"});
  h.push(Talking{kScope, {}}, SocketId::Conference);
  CHECK(h.st().talking.empty());
}

TEST_CASE("the conference socket closing clears the talking set, the waiting-room socket's does not") {
  Host h;
  h.startOpen();
  h.push(Talking{kScope, {"alice"}}, SocketId::Conference);
  h.on(host::SocketClosed{"1006", SocketId::WaitingRoom});
  CHECK(h.st().talking == std::vector<std::string>{"alice"});
  h.on(host::SocketClosed{"1006", SocketId::Conference});
  CHECK(h.st().talking.empty());
  CHECK(h.session.stateJson()["talking"] == json::array());
}

TEST_CASE("talking streams not in the conference are kept, talking about another room is ignored") {
  Host h;
  h.startOpen();
  h.conference({"alice"});
  // The lists and the talking set are separate pushes: either may arrive first.
  h.push(Talking{kScope, {"alice", "newcomer"}}, SocketId::Conference);
  CHECK(h.st().talking == std::vector<std::string>{"alice", "newcomer"});
  h.push(Talking{"live/other", {"zed"}}, SocketId::Conference);
  CHECK(h.st().talking == std::vector<std::string>{"alice", "newcomer"});
}

TEST_CASE("stop forgets the talking set") {
  Host h;
  h.startOpen();
  h.push(Talking{kScope, {"alice"}}, SocketId::Conference);
  h.on(host::Stop{});
  CHECK(h.st().talking.empty());
}

TEST_CASE("a server error sets lastError and shows it") {
  Host h;
  h.startOpen();
  auto fx = h.push(ErrorReply{"host credential required"});
  CHECK(errorsOf(fx) == std::vector<std::string>{"host credential required"});
  CHECK(h.st().lastError == "host credential required");
}

TEST_CASE("dismiss error clears the last error") {
  Host h;
  h.startOpen();
  h.push(ErrorReply{"boom"});
  CHECK(h.on(host::DismissError{}).empty());
  CHECK(h.st().lastError.empty());
}

// ---- previews ----------------------------------------------------------------------------------

TEST_CASE("previews: one per visible waiting stream, started once, stopped when it leaves") {
  Host h;
  h.startOpen();
  auto first = h.waiting({"alice", "bob"});
  CHECK(h.started(first) == std::vector<std::string>{"live/room1_wr/alice", "live/room1_wr/bob"});
  CHECK(h.started(h.waiting({"alice", "bob"})).empty());  // no duplicates
  auto gone = h.waiting({"bob"});
  CHECK(h.stopped(gone) == std::vector<std::string>{"live/room1_wr/alice"});
  CHECK(h.started(gone).empty());
  REQUIRE(h.st().previews.size() == 1);
  CHECK(h.st().previews[0] == Preview{kWr, "bob"});
}

TEST_CASE("conference tiles preview the participant's waiting-room stream, promotion keeps the preview") {
  Host h;
  h.startOpen();
  h.waiting({"alice", "bob"});
  auto promoted = h.conference({"alice"}, "alice");
  CHECK(h.started(promoted).empty());
  CHECK(h.stopped(promoted).empty());
  CHECK(h.st().waiting == std::vector<std::string>{"bob"});
  auto joined = h.conference({"alice", "zed"}, "alice");
  CHECK(h.started(joined) == std::vector<std::string>{"live/room1_wr/zed"});
  CHECK(h.st().previews.size() == 3);
}

TEST_CASE("a conference member's preview moves to its conference publish once that is active") {
  Host h;
  h.startOpen();
  h.waiting({"alice", "bob"});
  h.conference({"alice"}, "alice");
  auto live = h.push(Active{kScope, {"alice"}, {}}, SocketId::Conference);
  CHECK(h.stopped(live) == std::vector<std::string>{"live/room1_wr/alice"});
  CHECK(h.started(live) == std::vector<std::string>{"live/room1/alice"});
  // bob, still waiting, keeps his waiting-room preview; removed, alice goes back to hers.
  CHECK(h.st().previews.size() == 2);
  auto removed = h.conference({}, {});
  CHECK(h.stopped(removed) == std::vector<std::string>{"live/room1/alice"});
  CHECK(h.started(removed) == std::vector<std::string>{"live/room1_wr/alice"});
}

TEST_CASE("the composite and _r5participator streams get no preview") {
  Host h;
  h.startOpen();
  auto fx = h.waiting({"room1", "x_r5participator"});
  CHECK(h.started(fx).empty());
  CHECK(h.st().previews.empty());
}

TEST_CASE("a preview plays the publisher's half-size layer by WHEP from the origin, with the auth and ICE servers") {
  Host h;
  HostConfig c = config();
  c.auth.token = "rt";
  c.iceServers = {IceServer{"stun:stun.example:3478", "", ""}};
  h.on(host::Start{c});
  h.on(host::SocketOpened{SocketId::WaitingRoom});
  h.waiting({"alice"});
  const std::string session = h.session.previewSessionOf("alice");
  const auto posts = h.world.requestsOf(session, "POST");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].request.url == "https://host:8443/as/v1/proxy/whep/live/room1_wr/alice?layer=low&token=rt");
  const media::CreatePeer& peer = h.world.peers[session];
  CHECK((peer.direction == media::Direction::RecvOnly));
  CHECK(peer.tracks.video);
  CHECK(peer.source == "preview");
  REQUIRE(peer.iceServers.size() == 1);
  CHECK(peer.iceServers[0].urls == "stun:stun.example:3478");
  CHECK((h.session.client(session)->state() == media::State::Connected));
  CHECK(h.session.client(session)->rtcConnected());
}

TEST_CASE("a refused preview is played again after its backoff, on a tick") {
  Host h;
  h.on(host::Tick{0});
  h.startOpen();
  h.world.postStatus[kWhep + "live/room1_wr/alice"] = 404;
  h.waiting({"alice"});
  const std::string session = h.session.previewSessionOf("alice");
  const media::MediaSessionClient& client = *h.session.client(session);
  REQUIRE((client.state() == media::State::Failed));
  REQUIRE(client.retryAtMs().has_value());
  h.world.postStatus.clear();
  CHECK(h.started(h.on(host::Tick{*client.retryAtMs() - 1})).empty());
  CHECK(h.started(h.on(host::Tick{*client.retryAtMs()})) == std::vector<std::string>{"live/room1_wr/alice"});
  CHECK((client.state() == media::State::Connected));
}

TEST_CASE("a stopped preview's session ends with a DELETE and is forgotten") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  const std::string session = h.session.previewSessionOf("alice");
  REQUIRE_FALSE(session.empty());
  h.waiting({});
  CHECK(h.world.requestsOf(session, "DELETE").size() == 1);
  CHECK(h.session.previewSessionOf("alice").empty());
  CHECK(h.session.client(session) == nullptr);
}

TEST_CASE("media events for an unknown session change nothing") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  CHECK(h.on(host::Media{"live/room1_wr/nobody", media::Stop{}}).empty());
  CHECK((h.session.client(h.session.previewSessionOf("alice"))->state() == media::State::Connected));
}

// ---- the composite --------------------------------------------------------------------------------

TEST_CASE("the composite plays <scope>/<room> once the selected composition is Composing") {
  Host h;
  h.startOpen();
  auto pending = h.compositions({composition("room1", {mixer("1", MixerState::Pending)})});
  CHECK(h.started(pending).empty());
  CHECK(h.session.compositeSession().empty());
  auto composing = h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  CHECK(h.started(composing) == std::vector<std::string>{"live/room1/room1"});
  REQUIRE(h.st().composite.has_value());
  CHECK(*h.st().composite == Preview{kScope, "room1"});
  const std::string session = h.session.compositeSession();
  REQUIRE_FALSE(session.empty());
  CHECK(h.world.requestsOf(session, "POST")[0].request.url == kWhep + "live/room1/room1?layer=low");
  CHECK(h.started(h.compositions({composition("room1", {mixer("1", MixerState::Composing)})})).empty());
}

TEST_CASE("the composite's session is its own, apart from every preview's") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  const std::string composite = h.session.compositeSession();
  const std::string alice = h.session.previewSessionOf("alice");
  CHECK(composite != alice);
  CHECK(h.session.previewSessionOf("room1").empty());
  CHECK(Host::playOf(h.world.requestsOf(composite, "POST")[0].request.url) == "live/room1/room1");
  CHECK(Host::playOf(h.world.requestsOf(alice, "POST")[0].request.url) == "live/room1_wr/alice");
}

TEST_CASE("the composite stops when its composition is being destroyed") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  auto fx = h.on(host::DestroyComposition{});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1/room1"});
  CHECK_FALSE(h.st().composite.has_value());
  CHECK(h.session.compositeSession().empty());
}

TEST_CASE("the composite stops when a mixer of its composition fails") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  auto fx = h.compositions({composition("room1", {mixer("1", MixerState::Failed)})});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1/room1"});
  CHECK_FALSE(h.st().composite.has_value());
}

TEST_CASE("the composite stops when its composition is no longer listed") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  auto fx = h.compositions({});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1/room1"});
  CHECK_FALSE(h.st().composite.has_value());
}

TEST_CASE("the composite stops when a composition that is not composing is selected, and plays again") {
  Host h;
  h.startOpen();
  h.compositions({composition("a", {mixer("1", MixerState::Composing)}),
                  composition("b", {mixer("2", MixerState::Pending)})});
  REQUIRE(h.st().composite.has_value());
  auto away = h.on(host::SelectComposition{"b"});
  CHECK(h.stopped(away) == std::vector<std::string>{"live/room1/room1"});
  CHECK_FALSE(h.st().composite.has_value());
  auto back = h.on(host::SelectComposition{"a"});
  CHECK(h.started(back) == std::vector<std::string>{"live/room1/room1"});
  CHECK(h.st().composite.has_value());
}

TEST_CASE("stop ends every preview and the composite") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  auto fx = h.on(host::Stop{});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1_wr/alice", "live/room1/room1"});
  CHECK_FALSE(h.st().composite.has_value());
  CHECK(h.session.compositeSession().empty());
}

TEST_CASE("a restart stops the composite, the new room's plays once its composition composes") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  HostConfig other = config();
  other.scope = "live/room2";
  auto fx = h.on(host::Start{other});
  CHECK(h.stopped(fx) == std::vector<std::string>{"live/room1/room1"});
  h.on(host::SocketOpened{SocketId::WaitingRoom});
  auto composing =
      h.push(ActiveCompositions{"live/room2_wr", {composition("room2", {mixer("1", MixerState::Composing)})}});
  CHECK(h.started(composing) == std::vector<std::string>{"live/room2/room2"});
}

// ---- commands -------------------------------------------------------------------------------------

TEST_CASE("add to conference sends promote for the conference scope on the waiting-room socket") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  auto fx = h.on(host::AddToConference{"alice"});
  auto sent = sentJson(fx);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == json{{"type", "promote"}, {"room", kScope}, {"streamName", "alice"}});
  CHECK(sentJson(fx, SocketId::Conference).empty());
}

TEST_CASE("lists change only when the server pushes them") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  h.on(host::AddToConference{"alice"});
  CHECK(h.st().waiting == std::vector<std::string>{"alice"});
  CHECK(h.st().conference.empty());
}

TEST_CASE("exclude sends exclude for the waiting room") {
  Host h;
  h.startOpen();
  h.waiting({"eve"});
  auto sent = sentJson(h.on(host::Exclude{"eve"}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == json{{"type", "exclude"}, {"room", kWr}, {"streamName", "eve"}});
}

TEST_CASE("remove from conference sends demote") {
  Host h;
  h.startOpen();
  h.conference({"alice"}, "alice");
  auto sent = sentJson(h.on(host::RemoveFromConference{"alice"}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == json{{"type", "demote"}, {"room", kScope}, {"streamName", "alice"}});
}

TEST_CASE("make presenter sends presenter") {
  Host h;
  h.startOpen();
  h.conference({"alice", "bob"}, "alice");
  auto sent = sentJson(h.on(host::MakePresenter{"bob"}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == json{{"type", "presenter"}, {"room", kScope}, {"streamName", "bob"}});
}

TEST_CASE("move sends order with the target index") {
  Host h;
  h.startOpen();
  h.conference({"alice", "bob", "carol"}, "alice");
  auto sent = sentJson(h.on(host::Move{"carol", 0}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["type"] == "order");
  CHECK(sent[0]["room"] == kScope);
  CHECK(sent[0]["streamName"] == "carol");
  CHECK(sent[0]["order"] == 0);
}

TEST_CASE("move to an index outside the conference list is refused") {
  Host h;
  h.startOpen();
  h.conference({"alice", "bob"}, "alice");
  for (int index : {-1, 2}) {
    auto fx = h.on(host::Move{"alice", index});
    CHECK(sentJson(fx).empty());
    REQUIRE(errorsOf(fx).size() == 1);
    CHECK(errorsOf(fx)[0].rfind("move in state open: index", 0) == 0);
  }
}

TEST_CASE("ban sends exclude for a conference member (or a waiting stream)") {
  Host h;
  h.startOpen();
  h.conference({"troll"}, "troll");
  h.waiting({"lurker"});
  auto a = sentJson(h.on(host::Ban{"troll"}));
  REQUIRE(a.size() == 1);
  CHECK(a[0] == json{{"type", "exclude"}, {"room", kWr}, {"streamName", "troll"}});
  CHECK(sentJson(h.on(host::Ban{"lurker"})).size() == 1);
}

TEST_CASE("commands while the waiting-room socket is not open are refused, naming command and state") {
  Host h;
  auto before = h.on(host::AddToConference{"alice"});
  REQUIRE(errorsOf(before).size() == 1);
  CHECK(errorsOf(before)[0] == "addToConference in state closed: the waiting-room socket is not open");

  h.start();
  h.on(host::SocketOpened{SocketId::Conference});
  std::vector<HostEvent> commands{host::AddToConference{"a"}, host::Exclude{"a"}, host::RemoveFromConference{"a"},
                                  host::MakePresenter{"a"},   host::Move{"a", 0},  host::Ban{"a"},
                                  host::CreateComposition{request("room1")}, host::DestroyComposition{"room1"}};
  for (const HostEvent& command : commands) {
    auto fx = h.on(command);
    std::string name(eventName(command));
    CAPTURE(name);
    CHECK(effectsOf<host::Send>(fx).empty());
    REQUIRE(errorsOf(fx).size() == 1);
    CHECK(errorsOf(fx)[0] == std::string(eventName(command)) + " in state connecting: the waiting-room socket is not open");
  }
  CHECK(h.st().selectedEvent.empty());
}

TEST_CASE("commands for a stream not in the relevant list are refused and send nothing") {
  Host h;
  h.startOpen();
  h.waiting({"alice"});
  h.conference({"bob"}, "bob");
  struct Case { HostEvent command; std::string error; };
  std::vector<Case> cases{
      {host::AddToConference{"bob"}, "addToConference in state open: 'bob' is not in the waiting room"},
      {host::Exclude{"ghost"}, "exclude in state open: 'ghost' is not in the waiting room"},
      {host::RemoveFromConference{"alice"}, "removeFromConference in state open: 'alice' is not in the conference"},
      {host::MakePresenter{"alice"}, "makePresenter in state open: 'alice' is not in the conference"},
      {host::Move{"alice", 0}, "move in state open: 'alice' is not in the conference"},
      {host::Ban{"ghost"}, "ban in state open: 'ghost' is not in the conference or the waiting room"},
  };
  for (const auto& c : cases) {
    auto fx = h.on(c.command);
    CHECK(effectsOf<host::Send>(fx).empty());
    CHECK(errorsOf(fx) == std::vector<std::string>{c.error});
  }
}

TEST_CASE("commands with an invalid stream name are refused with the name rule") {
  Host h;
  h.startOpen();
  auto fx = h.on(host::AddToConference{"bad name!"});
  CHECK(effectsOf<host::Send>(fx).empty());
  REQUIRE(errorsOf(fx).size() == 1);
  CHECK(errorsOf(fx)[0].find("streamName: must match") != std::string::npos);
}

// ---- compositions ---------------------------------------------------------------------------------

TEST_CASE("create composition sends createComposition and shows it as pending until listed") {
  Host h;
  h.startOpen();
  auto fx = h.on(host::CreateComposition{request("room1")});
  auto sent = sentJson(fx);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["type"] == "createComposition");
  CHECK(sent[0]["event"] == "room1");
  CHECK(sent[0]["mixers"][0]["destinationMixerName"] == "");
  CHECK(h.st().selectedEvent == "room1");
  CHECK(toString(h.st().selectedState) == "pending");
  h.compositions({composition("room1", {mixer("1", MixerState::Pending)})});
  CHECK(toString(h.st().selectedState) == "pending");
}

TEST_CASE("create composition with an invalid event or no mixer is refused") {
  Host h;
  h.startOpen();
  auto bad = request("bad event");
  auto fx = h.on(host::CreateComposition{bad});
  CHECK(effectsOf<host::Send>(fx).empty());
  CHECK(errorsOf(fx).size() == 1);
  auto none = request("room1");
  none.mixers.clear();
  CHECK(errorsOf(h.on(host::CreateComposition{none})).size() == 1);
  CHECK(h.st().selectedEvent.empty());
}

TEST_CASE("a composition refused by the server is no longer shown as pending") {
  Host h;
  h.startOpen();
  h.on(host::CreateComposition{request("room1")});
  h.push(ErrorReply{"digest: invalid Stream Manager token"});
  CHECK(toString(h.st().selectedState) == "none");
  CHECK(h.st().selectedEvent.empty());
  CHECK(h.st().lastError == "digest: invalid Stream Manager token");
}

TEST_CASE("composition state: all mixers composing is Composing") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing), mixer("2", MixerState::Composing)})});
  CHECK(h.st().selectedEvent == "room1");
  CHECK(toString(h.st().selectedState) == "composing");
}

TEST_CASE("composition state: pending, inservice or a partly composing set is Pending") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::InService), mixer("2", MixerState::Composing)})});
  CHECK(toString(h.st().selectedState) == "pending");
  h.compositions({composition("room1", {})});
  CHECK(toString(h.st().selectedState) == "pending");
}

TEST_CASE("composition state: any failed mixer is Failed") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing), mixer("2", MixerState::Failed)})});
  CHECK(toString(h.st().selectedState) == "failed");
  h.on(host::SocketMessage{
      R"({"type":"activeCompositions","room":"live/room1_wr","list":[{"event":"room1","name":"room1","context":"",
          "mixers":[{"id":"1","name":"m","path":"live/room1","location":"local","serverAddress":"",
          "state":"failed","isWebSocketConnected":false,"page":"p"}]}]})",
      SocketId::WaitingRoom});
  CHECK(toString(h.st().selectedState) == "failed");
}

TEST_CASE("composition state: a terminating mixer is Destroying") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Terminating)})});
  CHECK(toString(h.st().selectedState) == "destroying");
}

TEST_CASE("destroy sends destroyComposition, shows Destroying while listed and None when gone") {
  Host h;
  h.startOpen();
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  auto sent = sentJson(h.on(host::DestroyComposition{}));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == json{{"type", "destroyComposition"}, {"event", "room1"}});
  CHECK(toString(h.st().selectedState) == "destroying");
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  CHECK(toString(h.st().selectedState) == "destroying");  // still listed
  h.compositions({});
  CHECK(toString(h.st().selectedState) == "none");
  CHECK(h.st().selectedEvent.empty());
  CHECK(h.st().destroyRequested.empty());
}

TEST_CASE("destroy without a selection or of an unlisted event is refused") {
  Host h;
  h.startOpen();
  auto none = h.on(host::DestroyComposition{});
  CHECK(errorsOf(none) == std::vector<std::string>{"destroyComposition in state open: no composition is selected"});
  auto unknown = h.on(host::DestroyComposition{"ghost"});
  CHECK(errorsOf(unknown) ==
        std::vector<std::string>{"destroyComposition in state open: 'ghost' is not an active composition"});
  CHECK(effectsOf<host::Send>(none).empty());
  CHECK(effectsOf<host::Send>(unknown).empty());
}

TEST_CASE("select composition chooses a listed event, an unknown one is refused") {
  Host h;
  h.startOpen();
  h.compositions({composition("a", {mixer("1", MixerState::Pending)}),
                  composition("b", {mixer("2", MixerState::Composing)})});
  CHECK(h.st().selectedEvent == "a");
  auto selected = h.on(host::SelectComposition{"b"});
  CHECK(effectsOf<host::Send>(selected).empty());
  CHECK(errorsOf(selected).empty());
  CHECK(h.st().selectedEvent == "b");
  CHECK(toString(h.st().selectedState) == "composing");
  auto fx = h.on(host::SelectComposition{"zzz"});
  CHECK(errorsOf(fx).size() == 1);
  CHECK(h.st().selectedEvent == "b");
}

TEST_CASE("when the selected composition disappears the first listed one is selected") {
  Host h;
  h.startOpen();
  h.compositions({composition("a", {}), composition("b", {})});
  h.on(host::SelectComposition{"b"});
  h.compositions({composition("a", {mixer("1", MixerState::Composing)})});
  CHECK(h.st().selectedEvent == "a");
  CHECK(toString(h.st().selectedState) == "composing");
}

TEST_CASE("stateJson exposes sockets, lists, selection and previews for window.confhost") {
  Host h;
  h.startOpen();
  h.waiting({"alice", "bob"});
  h.conference({"bob"}, "bob");
  h.push(MixerRegions{{"local"}});
  h.compositions({composition("room1", {mixer("1", MixerState::Composing)})});
  json j = h.session.stateJson();
  CHECK(j["started"] == true);
  CHECK(j["scope"] == kScope);
  CHECK(j["sockets"]["waitingRoom"]["state"] == "open");
  CHECK(j["sockets"]["conference"]["state"] == "open");
  CHECK(j["sockets"]["waitingRoom"]["attempts"] == 0);  // the field name of every role's socket
  CHECK(j["waiting"] == json::array({"alice"}));
  CHECK(j["conference"] == json::array({"bob"}));
  CHECK(j["presenter"] == "bob");
  CHECK(j["regions"] == json::array({"local"}));
  CHECK(j["selected"] == json{{"event", "room1"}, {"state", "composing"}});
  CHECK(j["compositions"][0]["state"] == "composing");
  CHECK(j["compositions"][0]["mixers"][0]["state"] == "composing");
  CHECK(j["previews"].size() == 2);
  CHECK(j["lastError"] == "");
}

TEST_CASE("every event name is distinct, for error texts") {
  std::vector<HostEvent> all{host::Start{},          host::Stop{},        host::SocketOpened{},
                             host::SocketClosed{},   host::SocketMessage{}, host::Tick{0},
                             host::CreateComposition{}, host::DestroyComposition{}, host::SelectComposition{},
                             host::AddToConference{}, host::Exclude{},     host::RemoveFromConference{},
                             host::MakePresenter{},  host::Move{},        host::Ban{}, host::DismissError{},
                             host::Media{}};
  std::vector<std::string_view> names;
  for (const auto& e : all) names.push_back(eventName(e));
  std::sort(names.begin(), names.end());
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}
