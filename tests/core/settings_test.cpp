#include <doctest/doctest.h>

#include "core/settings.hpp"

using namespace confhost;

namespace {
bool hasError(const std::vector<Error>& errors, const std::string& field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}
}  // namespace

TEST_CASE("settings defaults follow the page host and are valid") {
  Settings s = Settings::defaults("localhost:8443");
  CHECK(s.host == "localhost:8443");
  CHECK(s.backend == "localhost:8443");
  CHECK(s.scope == "live/room1");
  CHECK(s.streamManagerUrl == "https://localhost:8443");
  CHECK(s.iceServers.empty());
  CHECK(s.media.camera);
  CHECK(s.media.microphone);
  CHECK(validate(s).empty());
}

TEST_CASE("settings save and load round-trip every field") {
  Settings s = Settings::defaults("example.org");
  s.scope = "app/roomX";
  s.backend = "wss://other:9000/ws";
  s.streamManagerUrl = "https://sm.example.org";
  s.streamManagerToken = "smtok";
  s.hostToken = "h0st";
  s.participantStreamName = "alice";
  s.auth = {true, "user", "pass", "tok"};
  s.iceServers = {"stun:stun.example.org:3478"};
  s.media = {false, true, 1280, 720};
  LoadedSettings loaded = loadSettings(std::string_view(saveSettings(s)), "ignored:1");
  CHECK(loaded.errors.empty());
  CHECK(toJson(loaded.settings) == toJson(s));
}

TEST_CASE("settings load: missing and unknown fields fall back to defaults without errors") {
  LoadedSettings loaded = loadSettings(std::string_view(R"({"scope":"live/r2","futureField":42})"), "h:1");
  CHECK(loaded.errors.empty());
  CHECK(loaded.settings.scope == "live/r2");
  CHECK(loaded.settings.host == "h:1");
  CHECK(loaded.settings.participantStreamName == "participant1");
}

TEST_CASE("settings load: wrong types keep the default and are reported by field") {
  auto text = R"({"scope":5,"auth":{"enabled":"yes","username":"u"},"iceServers":["stun:a",3],
                  "media":{"width":"big","camera":false},"hostToken":null})";
  LoadedSettings loaded = loadSettings(std::string_view(text), "h:1");
  CHECK(hasError(loaded.errors, "scope"));
  CHECK(hasError(loaded.errors, "auth.enabled"));
  CHECK(hasError(loaded.errors, "iceServers[1]"));
  CHECK(hasError(loaded.errors, "media.width"));
  CHECK(loaded.errors.size() == 4);
  CHECK(loaded.settings.scope == "live/room1");
  CHECK(loaded.settings.auth.username == "u");
  CHECK(loaded.settings.iceServers == std::vector<std::string>{"stun:a"});
  CHECK(loaded.settings.media.width == 640);
  CHECK_FALSE(loaded.settings.media.camera);
}

TEST_CASE("settings load: malformed JSON or a non-object gives defaults and one error") {
  LoadedSettings a = loadSettings(std::string_view("{not json"), "h:1");
  REQUIRE(a.errors.size() == 1);
  CHECK(a.errors[0].field == "settings");
  CHECK(a.settings.host == "h:1");
  LoadedSettings b = loadSettings(std::string_view("[1,2]"), "h:1");
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].reason == "must be a JSON object");
}

TEST_CASE("settings validate: scope must be app/room of valid names, not a waiting room") {
  Settings s = Settings::defaults("h:1");
  for (const char* bad : {"", "room1", "/room1", "live/", "live/room 1", "live/room1_wr", "live//r"}) {
    s.scope = bad;
    CAPTURE(bad);
    CHECK(hasError(validate(s), "scope"));
  }
  s.scope = "live/room-2";
  CHECK(validate(s).empty());
}

TEST_CASE("settings validate: host, backend and Stream Manager URL shapes") {
  Settings s = Settings::defaults("h:1");
  s.host = "bad host";
  s.backend = "ftp://x";
  s.streamManagerUrl = "sm.example.org";
  auto errors = validate(s);
  CHECK(hasError(errors, "host"));
  CHECK(hasError(errors, "backend"));
  CHECK(hasError(errors, "streamManagerUrl"));
  s.host = "[::1]:8443";
  s.backend = "ws://127.0.0.1:8080/path";
  s.streamManagerUrl = "http://127.0.0.1:5080";
  CHECK(validate(s).empty());
  s.backend = "host:99999";
  CHECK(hasError(validate(s), "backend"));
}

TEST_CASE("settings validate: auth fields are required only when auth is enabled") {
  Settings s = Settings::defaults("h:1");
  s.auth.enabled = false;
  CHECK(validate(s).empty());
  s.auth.enabled = true;
  auto errors = validate(s);
  CHECK(hasError(errors, "auth.username"));
  CHECK(hasError(errors, "auth.password"));
}

TEST_CASE("settings validate: ICE server URLs need a stun/turn scheme") {
  Settings s = Settings::defaults("h:1");
  s.iceServers = {"stun:ok:3478", "turns:ok", "http://nope", "stun:"};
  auto errors = validate(s);
  CHECK(hasError(errors, "iceServers[2]"));
  CHECK(hasError(errors, "iceServers[3]"));
  CHECK_FALSE(hasError(errors, "iceServers[0]"));
}

TEST_CASE("settings validate: participant name, tokens and capture resolution") {
  Settings s = Settings::defaults("h:1");
  s.participantStreamName = "join";
  s.streamManagerToken = "bad token";
  s.hostToken = "a b";
  s.media.width = 8;
  s.media.height = 5000;
  auto errors = validate(s);
  CHECK(hasError(errors, "participantStreamName"));
  CHECK(hasError(errors, "streamManagerToken"));
  CHECK(hasError(errors, "hostToken"));
  CHECK(hasError(errors, "media.width"));
  CHECK(hasError(errors, "media.height"));
  s.participantStreamName = "a/b";
  CHECK(hasError(validate(s), "participantStreamName"));
}

TEST_CASE("query overrides apply valid values and refuse invalid ones, naming the key") {
  Settings s = Settings::defaults("h:1");
  auto errors = applyQueryOverrides(s, parseQueryParams("#/host?hostToken=abc&scope=bad&ws=other:9&token=sm1"));
  CHECK(s.hostToken == "abc");
  CHECK(s.scope == "live/room1");
  CHECK(s.backend == "other:9");
  CHECK(s.streamManagerToken == "sm1");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "scope");
}

TEST_CASE("conference socket URL from host:port, with and without host token") {
  CHECK(conferenceSocketUrl("localhost:8443", "live/room1_wr", true, false, "t0k") ==
        "wss://localhost:8443/?testbed=conference&room=live/room1_wr&host=true&mixer=false&hostToken=t0k");
  CHECK(conferenceSocketUrl("localhost:8443", "live/room1", true, false, "") ==
        "wss://localhost:8443/?testbed=conference&room=live/room1&host=true&mixer=false");
}

TEST_CASE("conference socket URL from a full ws(s) URL keeps its scheme and path, token is encoded") {
  CHECK(conferenceSocketUrl("ws://127.0.0.1:9000", "a/b", false, true, "") ==
        "ws://127.0.0.1:9000/?testbed=conference&room=a/b&host=false&mixer=true");
  CHECK(conferenceSocketUrl("wss://h/api", "a/b", true, false, "x y&") ==
        "wss://h/api?testbed=conference&room=a/b&host=true&mixer=false&hostToken=x%20y%26");
  CHECK(conferenceSocketUrl("https://h:1", "a/b", true, false, "") ==
        "wss://h:1/?testbed=conference&room=a/b&host=true&mixer=false");
}

TEST_CASE("effective backend falls back to the page host") {
  Settings s = Settings::defaults("h:1");
  s.backend = "";
  CHECK(effectiveBackend(s) == "h:1");
  s.backend = "b:2";
  CHECK(effectiveBackend(s) == "b:2");
}
