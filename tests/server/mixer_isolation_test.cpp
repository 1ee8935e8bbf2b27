// Mixer isolation: a composition's mixing page must come from the stack's own origin
// or one the operator allowed with --mixing-page-origin. Anything else — Janus's API, a link-local
// metadata address, file:, javascript:, data: — is refused through both doors, and nothing launches.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using nlohmann::json;

namespace {

json composition(const std::string& event, const std::string& page) {
  return compositionBody(event, "live/iso", 0, 1, page);
}

}  // namespace

TEST_SUITE("mixer isolation") {

TEST_CASE("mixing pages off the stack's origin are refused by the Conference and Stream Manager APIs") {
  TestServer server({"--mixing-page-origin", "http://127.0.0.1:9444"});
  const std::string own = "https://localhost:" + std::to_string(server.port());
  const std::string api = "/streammanager/api/4.0/composition?accessToken=" + kSmToken;
  WsClient host(server.port(), conferenceTarget("live/iso_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  int n = 0;
  const std::vector<std::string> refused = {"http://127.0.0.1:8188/",      // Janus's API
                                             "http://169.254.169.254/latest/meta-data/",  // cloud metadata
                                             own + "@169.254.169.254/",     // looks like us, is not
                                             "http://127.0.0.1:9445/mixer.html",  // not the allowed port
                                             "file:///etc/passwd",
                                             "javascript:alert(1)",
                                             "data:text/html,hello"};
  for (const std::string& page : refused) {
    CAPTURE(page);
    const std::string event = "iso" + std::to_string(++n);
    const auto r = https(server.port(), "POST", api, composition(event, page).dump());
    CHECK(r.status == 400);
    CHECK(r.json()["errorMessage"].get<std::string>().find("mixers[0].mixingPage: ") == 0);
    json create = composition(event, page);
    create["type"] = "createComposition";
    host.send(create.dump());
    const auto error = host.waitFor("error")["error"].get<std::string>();
    CHECK(error.find("mixingPage") != std::string::npos);
  }
  const auto janus = https(server.port(), "POST", api, composition("isoA", "http://127.0.0.1:8188/").dump());
  CHECK(janus.json()["errorMessage"] ==
        "mixers[0].mixingPage: origin http://127.0.0.1:8188 is not allowed: mixers load pages of this stack (" + own +
            ") or of an origin the server was started with (--mixing-page-origin)");
  CHECK(https(server.port(), "GET", api).json().empty());

  // Its own origin, under the names it answers to, and the allowed one.
  CHECK(https(server.port(), "POST", api, composition("ok1", own + "/index.html#/mixer?scope=live/iso").dump()).status ==
        200);
  CHECK(https(server.port(), "POST", api,
              composition("ok2", "https://127.0.0.1:" + std::to_string(server.port()) + "/index.html").dump())
            .status == 200);
  CHECK(https(server.port(), "POST", api, composition("ok3", "http://127.0.0.1:9444/mixer.html?scope=live/iso").dump())
            .status == 200);
}

TEST_CASE("a malformed --mixing-page-origin stops the server before it serves anything") {
  CHECK_THROWS_AS(TestServer({"--mixing-page-origin", "ftp://x"}), std::runtime_error);
}

}  // TEST_SUITE
