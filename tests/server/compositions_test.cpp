// Compositions and the MixerLifecycle table, in-process with the NullMixerLauncher as the fake
// launcher: the rules of the mixer states (mixer_lifecycle.hpp), one test each.
#include <doctest/doctest.h>

#include "server/streammanager/compositions.hpp"
#include "server/logging/log.hpp"
#include "server/streammanager/mixer_lifecycle.hpp"
#include "server/streammanager/mixers/null_mixer_launcher.hpp"
#include "test_clients.hpp"

using namespace confhost;

namespace {

// States compared as their wire names, which doctest can print.
std::string st(MixerState s) { return std::string(toString(s)); }

CompositionRequest request(const std::string& event, const std::string& scope) {
  return compositionRequestFromJson(test::compositionBody(event, scope, 8443)).value();
}

struct Fixture {
  NullMixerLauncher launcher;
  Compositions compositions{launcher, CompositionSettings{{"local"}, "localhost:8443"}};
  std::vector<std::set<std::string>> pushes;
  Fixture() {
    setLogLevel(LogLevel::Warn);
    compositions.setListener([this](const std::set<std::string>& s) { pushes.push_back(s); });
  }
  MixerStatus mixer(const std::string& event) { return compositions.find(event)->mixers.at(0); }
};

}  // namespace

TEST_SUITE("compositions") {

TEST_CASE("the lifecycle table: pending → inservice → composing, and back") {
  using S = MixerState;
  using E = MixerEvent;
  CHECK(st(nextMixerState(S::Pending, E::SocketOpened, true)) == std::string(toString(MixerState::InService)));
  CHECK(st(nextMixerState(S::InService, E::CompositeStarted, true)) == std::string(toString(MixerState::Composing)));
  // Not in service: a composite under its name is not its own (a destroyed mixer's, still publishing).
  CHECK(st(nextMixerState(S::Pending, E::CompositeStarted, false)) == std::string(toString(MixerState::Pending)));
  CHECK(st(nextMixerState(S::Composing, E::CompositeStopped, true)) == std::string(toString(MixerState::InService)));
  CHECK(st(nextMixerState(S::Composing, E::CompositeStopped, false)) == std::string(toString(MixerState::Pending)));
  CHECK(st(nextMixerState(S::Composing, E::SocketClosed, false)) == std::string(toString(MixerState::Composing)));
  CHECK(st(nextMixerState(S::InService, E::SocketClosed, false)) == std::string(toString(MixerState::Pending)));
  CHECK(st(nextMixerState(S::Composing, E::ProcessExited, true)) == std::string(toString(MixerState::Failed)));
  CHECK(st(nextMixerState(S::Failed, E::SocketOpened, true)) == std::string(toString(MixerState::Failed)));
  CHECK(st(nextMixerState(S::Failed, E::Destroy, false)) == std::string(toString(MixerState::Terminating)));
  CHECK(st(nextMixerState(S::Terminating, E::ProcessExited, false)) == std::string(toString(MixerState::Terminating)));
}

TEST_CASE("create launches each mixer with its mixerId and a secret of its own appended to the mixing page") {
  Fixture f;
  const auto c = f.compositions.create(request("e1", "live/r1"), "live/r1");
  REQUIRE(c.ok());
  const auto& m = c->mixers.at(0);
  CHECK(st(m.state) == std::string(toString(MixerState::Pending)));
  CHECK(m.location == "local");
  CHECK(m.serverAddress == "localhost:8443");
  REQUIRE(f.launcher.launched().count(m.id) == 1);
  const std::string page = "https://localhost:8443/index.html#/mixer?scope=live/r1&mixerId=" + m.id;
  CHECK(m.page == page);  // what hosts see: no secret
  const std::string launched = f.launcher.launched().at(m.id);
  REQUIRE(launched.rfind(page + "&mixerSecret=", 0) == 0);
  const std::string secret = launched.substr(page.size() + 13);
  CHECK(secret.size() == 32);
  CHECK(f.compositions.mixerSecretMatches(m.id, secret));
  CHECK_FALSE(f.compositions.mixerSecretMatches(m.id, ""));
  CHECK_FALSE(f.compositions.mixerSecretMatches(m.id, std::string(32, '0')));
  // Another mixer's secret is not this one's.
  const auto other = f.compositions.create(request("e1b", "live/r1b"), "")->mixers.at(0).id;
  CHECK_FALSE(f.compositions.mixerSecretMatches(other, secret));
  REQUIRE(f.pushes.size() >= 1);
  CHECK(f.pushes[0] == std::set<std::string>{"live/r1"});
}

TEST_CASE("a mixing page without a query gets ?mixerId=") {
  Fixture f;
  auto r = request("e2", "live/r2");
  r.mixers[0].mixingPage = "https://localhost:8443/mixer.html";
  const auto c = f.compositions.create(r, "");
  REQUIRE(c.ok());
  CHECK(c->mixers[0].page == "https://localhost:8443/mixer.html?mixerId=" + c->mixers[0].id);
}

TEST_CASE("create refuses duplicates, unknown regions, bad pages and numbers past the limits, launching nothing") {
  Fixture f;
  REQUIRE(f.compositions.create(request("e3", "live/r3"), "").ok());
  const auto dup = f.compositions.create(request("e3", "live/r3"), "");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().field == "event");
  auto r = request("e4", "live/r4");
  r.location = {"mars"};
  CHECK(f.compositions.create(r, "").error().field == "location[0]");
  r = request("e4", "live/r4");
  r.mixers[0].mixingPage = "file:///etc/passwd";
  CHECK(f.compositions.create(r, "").error().field == "mixers[0].mixingPage");
  r = request("e4", "live/r4");
  r.mixers[0].framerate = 61;  // the same limits as the form, the messages and the mixer page (composition_rules)
  CHECK(f.compositions.create(r, "").error().message() == "mixers[0].framerate: must be between 1 and 60");
  r.mixers[0].framerate = 60;
  r.mixers[0].bitrate = 60;
  CHECK(f.compositions.create(r, "").error().message() == "mixers[0].bitrate: must be between 100 and 50000");
  CHECK(f.launcher.launched().size() == 1);
  CHECK_FALSE(f.compositions.find("e4"));
}

TEST_CASE("the page's socket makes it inservice, the composite makes it composing") {
  Fixture f;
  const auto id = f.compositions.create(request("e5", "live/r5"), "")->mixers[0].id;
  f.compositions.mixerSocketOpened(id);
  CHECK(st(f.mixer("e5").state) == std::string(toString(MixerState::InService)));
  CHECK(f.mixer("e5").isWebSocketConnected);
  f.compositions.streamStarted("live/r5", "other");  // not its composite
  CHECK(st(f.mixer("e5").state) == std::string(toString(MixerState::InService)));
  f.compositions.streamStarted("live/r5", "r5");
  CHECK(st(f.mixer("e5").state) == std::string(toString(MixerState::Composing)));
  f.compositions.streamStopped("live/r5", "r5");
  CHECK(st(f.mixer("e5").state) == std::string(toString(MixerState::InService)));
  f.compositions.mixerSocketClosed(id);
  CHECK(st(f.mixer("e5").state) == std::string(toString(MixerState::Pending)));
  CHECK_FALSE(f.mixer("e5").isWebSocketConnected);
}

TEST_CASE("a composite still publishing from a destroyed mixer does not make a new mixer composing") {
  Fixture f;
  std::vector<std::string> ended;
  f.compositions.setSessionEnder([&](const std::string& path, const std::string& name) { ended.push_back(path + "/" + name); });
  const auto old = f.compositions.create(request("e10", "live/r10"), "")->mixers[0].id;
  f.compositions.mixerSocketOpened(old);
  f.compositions.streamStarted("live/r10", "r10");
  CHECK(st(f.mixer("e10").state) == "composing");
  REQUIRE(f.compositions.destroy("e10").ok());
  // Destroy tells the media side to end the killed mixer's publish and audio join at once.
  CHECK(ended == std::vector<std::string>{"live/r10/r10"});

  // Re-created while the old composite is (still) publishing: that stream is not the new mixer's.
  const auto fresh = f.compositions.create(request("e10", "live/r10"), "")->mixers[0].id;
  CHECK(st(f.mixer("e10").state) == "pending");
  f.compositions.mixerSocketOpened(fresh);
  CHECK(st(f.mixer("e10").state) == "inservice");  // the old stream started before this launch
  f.compositions.streamStopped("live/r10", "r10");   // the old publish finally goes
  CHECK(st(f.mixer("e10").state) == "inservice");
  f.compositions.streamStarted("live/r10", "r10");   // the new mixer's own publish
  CHECK(st(f.mixer("e10").state) == "composing");
}

TEST_CASE("a composite that starts before the mixer page's socket is counted when the socket opens") {
  Fixture f;
  const auto id = f.compositions.create(request("e11", "live/r11"), "")->mixers[0].id;
  f.compositions.streamStarted("live/r11", "r11");  // after the launch, but the page is not in service yet
  CHECK(st(f.mixer("e11").state) == "pending");
  f.compositions.mixerSocketOpened(id);
  CHECK(st(f.mixer("e11").state) == "composing");
  f.compositions.mixerSocketClosed(id);  // still publishing: still composing
  CHECK(st(f.mixer("e11").state) == "composing");
}

TEST_CASE("a mixer process that dies marks the composition failed with the reason") {
  Fixture f;
  const auto id = f.compositions.create(request("e6", "live/r6"), "")->mixers[0].id;
  f.compositions.mixerSocketOpened(id);
  const auto before = f.pushes.size();
  f.launcher.simulateExit(id, "exited with status 1");
  CHECK(st(f.mixer("e6").state) == std::string(toString(MixerState::Failed)));
  CHECK(f.mixer("e6").lastError.find("exited with status 1") != std::string::npos);
  CHECK(f.pushes.size() == before + 1);
  // Failed is final until destroyed.
  f.compositions.streamStarted("live/r6", "r6");
  CHECK(st(f.mixer("e6").state) == std::string(toString(MixerState::Failed)));
  CHECK(f.compositions.destroy("e6").ok());
}

TEST_CASE("destroy pushes terminating, kills the mixers, then removes the composition") {
  Fixture f;
  std::vector<std::string> statesSeen;
  f.compositions.setListener([&](const std::set<std::string>&) {
    const auto c = f.compositions.find("e7");
    statesSeen.push_back(c ? std::string(toString(c->mixers[0].state)) : "removed");
  });
  const auto id = f.compositions.create(request("e7", "live/r7"), "")->mixers[0].id;
  const auto gone = f.compositions.destroy("e7");
  REQUIRE(gone.ok());
  CHECK(st(gone->mixers[0].state) == std::string(toString(MixerState::Terminating)));
  CHECK(statesSeen == std::vector<std::string>{"pending", "terminating", "removed"});
  CHECK(f.launcher.launched().count(id) == 0);  // killed
  CHECK_FALSE(f.compositions.isKnownMixer(id));
  CHECK(f.compositions.destroy("e7").error().field == "event");
  f.launcher.simulateExit(id, "late");  // a late exit after destroy changes nothing
}

TEST_CASE("hosts see the compositions of their conference only") {
  Fixture f;
  REQUIRE(f.compositions.create(request("e8", "live/r8"), "").ok());
  REQUIRE(f.compositions.create(request("e9", "live/r9"), "live/owner").ok());
  CHECK(f.compositions.visibleTo("live/r8").size() == 1);
  CHECK(f.compositions.visibleTo("live/owner").size() == 1);
  CHECK(f.compositions.visibleTo("live/r9").size() == 1);
  CHECK(f.compositions.visibleTo("live/nobody").empty());
}

TEST_CASE("mixing pages come from the stack's own origin or an allowed one, nowhere else") {
  NullMixerLauncher launcher;
  Compositions compositions{launcher, CompositionSettings{{"local"}, "localhost:8443",
                                                          {"https://localhost:8443", "http://127.0.0.1:9444"}}};
  int n = 0;
  const auto refusal = [&](const std::string& page) -> std::string {
    auto r = request("page" + std::to_string(++n), "live/pages");
    r.mixers[0].mixingPage = page;
    const auto c = compositions.create(r, "");
    if (c.ok()) return "";
    CHECK(c.error().field == "mixers[0].mixingPage");
    return c.error().reason;
  };
  CHECK(refusal("https://localhost:8443/index.html#/mixer?scope=live/pages") == "");
  CHECK(refusal("HTTPS://LOCALHOST:8443/x") == "");
  CHECK(refusal("http://127.0.0.1:9444/mixer.html?scope=live/pages") == "");
  // Janus's API, link-local metadata, other ports and schemes of the same host, look-alikes.
  CHECK(refusal("http://127.0.0.1:8188/").find("origin http://127.0.0.1:8188 is not allowed") == 0);
  CHECK(refusal("http://169.254.169.254/latest/meta-data/").find("is not allowed") != std::string::npos);
  CHECK(refusal("http://localhost:8443/").find("is not allowed") != std::string::npos);
  CHECK(refusal("https://localhost:8444/").find("is not allowed") != std::string::npos);
  CHECK(refusal("https://localhost:8443@169.254.169.254/").find("user info") != std::string::npos);
  CHECK(refusal("https://169.254.169.254\\@localhost:8443/").find("backslash") != std::string::npos);
  CHECK(refusal("https://localhost:8443.evil.example/").find("port") != std::string::npos);
  CHECK(refusal("file:///etc/passwd").find("scheme 'file' is not http(s)") != std::string::npos);
  CHECK(refusal("javascript:alert(1)").find("not an absolute http(s) URL") != std::string::npos);
  CHECK(refusal("data:text/html,<script>1</script>").find("not an absolute http(s) URL") != std::string::npos);
  CHECK(refusal("ftp://localhost:8443/").find("not http(s)") != std::string::npos);
  CHECK(compositions.all().size() == 3);
  CHECK(launcher.launched().size() == 3);
}

TEST_CASE("compositions and mixers per composition are capped") {
  NullMixerLauncher launcher;
  CompositionSettings settings{{"local"}, "localhost:8443"};
  settings.maxCompositions = 2;
  settings.maxMixersPerComposition = 2;
  Compositions compositions{launcher, settings};
  REQUIRE(compositions.create(request("cap1", "live/cap1"), "").ok());
  auto three = request("cap2", "live/cap2");
  for (const char* name : {"a", "b"}) {
    MixerSpec m = three.mixers[0];
    m.mixerName = name;
    m.destinationMixerName = "final";
    three.mixers.push_back(m);
  }
  const auto tooMany = compositions.create(three, "");
  REQUIRE_FALSE(tooMany.ok());
  CHECK(tooMany.error().message() == "mixers: 3 mixers is over the limit of 2 per composition (--max-mixers-per-composition)");
  REQUIRE(compositions.create(request("cap2", "live/cap2"), "").ok());
  const auto third = compositions.create(request("cap3", "live/cap3"), "");
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().message().find("--max-compositions") != std::string::npos);
  CHECK(launcher.launched().size() == 2);
  REQUIRE(compositions.destroy("cap1").ok());
  CHECK(compositions.create(request("cap3", "live/cap3"), "").ok());  // room again after a destroy
}

}  // TEST_SUITE
