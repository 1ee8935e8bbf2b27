#include <doctest/doctest.h>

#include "core/composition/composition_form.hpp"
#include "core/protocol/messages.hpp"
#include "core/settings.hpp"

using namespace confhost;

namespace {
CompositionForm validForm() {
  Settings s = Settings::defaults("localhost:8443");
  s.streamManagerToken = "smtoken";
  return CompositionForm::defaults(s, {"local", "eu"});
}
}  // namespace

TEST_CASE("composition form defaults come from the seed's form and the settings") {
  CompositionForm f = validForm();
  CHECK(f.event == "room1");
  CHECK(f.preset == "focused");
  CHECK(f.scope == "live/room1");
  CHECK(f.streamName == "room1");
  CHECK(f.width == 1280);
  CHECK(f.height == 720);
  CHECK(f.framerate == 30);
  CHECK(f.bitrate == 1500);
  CHECK(f.region == "local");
  CHECK(f.digest == "smtoken");
  CHECK(f.validate().empty());
}

TEST_CASE("composition form region follows the server's mixerRegions") {
  Settings s = Settings::defaults("h:1");
  CompositionForm f = CompositionForm::defaults(s, {});
  CHECK(f.region.empty());
  f.applyRegions({"us", "eu"});
  CHECK(f.region == "us");
  f.region = "eu";
  f.applyRegions({"us", "eu"});
  CHECK(f.region == "eu");  // a still-offered choice is kept
  f.applyRegions({"ap"});
  CHECK(f.region == "ap");  // a withdrawn one is replaced
  f.applyRegions({});
  CHECK(f.region == "ap");
}

TEST_CASE("composition form validates names, one message per field") {
  CompositionForm f = validForm();
  f.event = "bad event";
  f.digest = "";
  f.scope = "noslash";
  f.streamName = "join";
  auto errors = f.validate();
  CHECK(errorFor(errors, "event").find("must match") != std::string::npos);
  CHECK(errorFor(errors, "digest") == "digest: missing");
  CHECK(errorFor(errors, "scope") == "scope: must be <app>/<room>");
  CHECK(errorFor(errors, "streamName") == "streamName: 'join' is reserved");
  CHECK(errorFor(errors, "width").empty());
  f = validForm();
  f.scope = "live/room1_wr";
  CHECK_FALSE(errorFor(f.validate(), "scope").empty());
}

// The numeric ranges (each bound and one past it, for the form and every other place) are in
// composition_rules_test.cpp.

TEST_CASE("composition form requires a region and a known preset") {
  CompositionForm f = validForm();
  f.region = "";
  f.preset = "mosaic";
  auto errors = f.validate();
  CHECK_FALSE(errorFor(errors, "region").empty());
  CHECK(errorFor(errors, "preset") == "preset: must be \"focused\" or \"grid\"");
  f.preset = "grid";
  CHECK(errorFor(f.validate(), "preset").empty());
}

TEST_CASE("composition form builds the exact createComposition message") {
  CompositionForm f = validForm();
  auto request = f.toRequest("https://localhost:8443/", "localhost:8443", "mixer-1");
  REQUIRE(request.ok());
  std::string text = serialize(ClientMessage{CreateComposition{*request}});
  auto json = nlohmann::json::parse(text);
  CHECK(json["type"] == "createComposition");
  CHECK(json["event"] == "room1");
  CHECK(json["transcodeComposition"] == false);
  CHECK(json["digest"] == "smtoken");
  CHECK(json["location"] == nlohmann::json::array({"local"}));
  REQUIRE(json["mixers"].size() == 1);
  const auto& m = json["mixers"][0];
  CHECK(m["mixerName"] == "mixer-1");
  CHECK(m["mixingPage"] ==
        "https://localhost:8443/index.html#/mixer?scope=live/room1&ws=localhost:8443&layout=focused"
        "&width=1280&height=720&framerate=30&bitrate=1500");
  CHECK(m["streamName"] == "room1");
  CHECK(m["path"] == "live/room1");
  CHECK(m["width"] == 1280);
  CHECK(m["height"] == 720);
  CHECK(m["framerate"] == 30);
  CHECK(m["bitrate"] == 1500);
  CHECK(m["doForward"] == true);
  CHECK(m["destinationMixerName"] == "");
}

TEST_CASE("composition form refuses to build from an invalid form, naming the first problem") {
  CompositionForm f = validForm();
  f.framerate = 120;
  auto request = f.toRequest("https://h", "h", "m1");
  REQUIRE_FALSE(request.ok());
  CHECK(request.error().field == "framerate");
  f = validForm();
  auto badMixer = f.toRequest("https://h", "h", "bad name");
  REQUIRE_FALSE(badMixer.ok());
  CHECK(badMixer.error().field == "mixerName");
}

TEST_CASE("mixing page URL carries the grid preset and a full ws URL backend") {
  CompositionForm f = validForm();
  f.preset = "grid";
  f.width = 640;
  CHECK(f.mixingPageUrl("https://a:1", "wss://b:2") ==
        "https://a:1/index.html#/mixer?scope=live/room1&ws=wss://b:2&layout=grid&width=640&height=720"
        "&framerate=30&bitrate=1500");
}

TEST_CASE("mixer names are uuid-shaped, valid names, deterministic per seed") {
  std::mt19937 a(5), b(5), c(6);
  std::string name = newMixerName(a);
  CHECK(name.size() == 36);
  CHECK(name[8] == '-');
  CHECK(name[13] == '-');
  CHECK(name == newMixerName(b));
  CHECK(name != newMixerName(c));
  CHECK(name != newMixerName(a));
  auto request = validForm().toRequest("https://h", "h", name);
  CHECK(request.ok());
}
