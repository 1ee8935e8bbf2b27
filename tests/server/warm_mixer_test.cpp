// Warm mixer nodes (server/streammanager/mixers/mixer_nodes.hpp) with the real server and a stand-in browser
// that speaks the DevTools pipe (devtools_browser.hpp): a browser is started ahead on the standby page,
// a new composition's mixing page reaches it as a navigation (its secret never on a command line), the
// pool is refilled, and a warm node that cannot load the page gives way to an ordinary launch.
#include <doctest/doctest.h>

#include <cstdio>
#include <thread>

#include "devtools_browser.hpp"
#include "recording_browser.hpp"
#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using nlohmann::json;

namespace {

std::string createComposition(TestServer& server, const std::string& event) {
  const auto r = https(server.port(), "POST", "/streammanager/api/4.0/composition?accessToken=" + kSmToken,
                       compositionBody(event, "live/" + event, server.port()).dump());
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json()["mixers"][0]["id"].get<std::string>();
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// What the server prints when it refuses to start with these flags (CLI11 checks them before anything opens).
std::string refusal(const std::string& flags) {
  const std::string cmd = std::string(CONFHOST_SERVER_BINARY) + " --no-janus --no-mixers --port 0 " + flags + " 2>&1";
  FILE* out = popen(cmd.c_str(), "r");
  REQUIRE(out);
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof buf, out)) text += buf;
  CHECK(pclose(out) != 0);
  return text;
}

}  // namespace

TEST_SUITE("warm mixer nodes") {

TEST_CASE("a composition's mixer is a warm node navigated to its mixing page, and the pool is refilled when it stops") {
  DevToolsBrowser browser;
  TestServer server({"--mixer-browser", browser.path(), "--warm-mixers", "1"});
  browser.waitFor("launches", 1);
  REQUIRE(browser.launches().size() == 1);
  CHECK(has(browser.launches()[0], "/index.html#/standby"));

  const std::string id = createComposition(server, "warm1");
  browser.waitFor("navigations", 1);
  const std::string nav = browser.navigations()[0];
  CHECK(has(nav, "S-P1 "));  // through the page's attached session
  CHECK(has(nav, "#/mixer?scope=live/warm1"));
  CHECK(has(nav, "mixerId=" + id + "&"));
  const std::string secret = RecordingBrowser::param(nav, "mixerSecret");
  CHECK(secret.size() == 32);
  // No second browser was started for it, and its secret is on no command line.
  for (const std::string& url : browser.launches()) CHECK_FALSE(has(url, "mixerSecret"));

  // The navigated page is the mixer: it connects with that secret and the mixer goes in service.
  WsClient mixer(server.port(), conferenceTarget("live/warm1", false, "", true, id) + "&mixerSecret=" + secret);
  mixer.waitFor("activeCompositions");
  const auto status = https(server.port(), "GET", "/streammanager/api/4.0/composition/warm1?accessToken=" + kSmToken);
  CHECK(status.json()["mixers"][0]["state"] == "inservice");

  // None is started beside the new mixer while it starts; once it stops, another is, on the standby page.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(browser.launches().size() == 1);
  CHECK(https(server.port(), "DELETE", "/streammanager/api/4.0/composition/warm1?accessToken=" + kSmToken).status == 200);
  browser.waitFor("launches", 2);
  CHECK(has(browser.launches()[1], "/index.html#/standby"));
  CHECK(browser.navigations().size() == 1);
}

TEST_CASE("a warm node whose navigation fails gives way to a browser started with the mixing page") {
  DevToolsBrowser browser(/*failNavigation=*/true);
  TestServer server({"--mixer-browser", browser.path(), "--warm-mixers", "1"});
  browser.waitFor("launches", 1);
  const std::string id = createComposition(server, "warm2");
  browser.waitFor("navigations", 1);
  browser.waitFor("launches", 2);
  const std::string cold = browser.launches()[1];
  CHECK(has(cold, "#/mixer?scope=live/warm2"));
  CHECK(has(cold, "mixerId=" + id + "&"));
}

TEST_CASE("--warm-mixers 0 starts no browser until a composition asks for one") {
  DevToolsBrowser browser;
  TestServer server({"--mixer-browser", browser.path(), "--warm-mixers", "0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the first warm node's delay
  CHECK(browser.launches().empty());
  const std::string id = createComposition(server, "warm3");
  browser.waitFor("launches", 1);
  CHECK(has(browser.launches()[0], "mixerId=" + id + "&"));
  CHECK(browser.navigations().empty());
}

TEST_CASE("--warm-mixers is refused outside 0–4, naming the flag") {
  for (const char* bad : {"-1", "5", "many"}) {
    const std::string r = refusal(std::string("--warm-mixers ") + bad);
    CHECK_MESSAGE(has(r, "--warm-mixers"), r);
  }
}

}  // TEST_SUITE
