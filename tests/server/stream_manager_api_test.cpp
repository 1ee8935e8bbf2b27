// Stream Manager API and the reference's HTTP endpoints (/webhook, credentials), over HTTPS
// against the running server: answers, status codes, and the access-token rule.
#include <doctest/doctest.h>

#include "signed_webhook.hpp"
#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using nlohmann::json;

namespace {

const std::string kApi = "/streammanager/api/4.0/";

HttpResult get(const std::string& path) { return https(sharedServer().port(), "GET", kApi + path); }

json compositionBody(const std::string& event) {
  return confhost::test::compositionBody(event, "live/" + event, sharedServer().port());
}

}  // namespace

TEST_SUITE("stream manager api") {

TEST_CASE("event list shows publishing streams with their region") {
  REQUIRE(signedWebhook(sharedServer().port(),
                        json{{"event", "publish"}, {"room", "/live/sm1_wr"}, {"streamName", "carol"}}.dump())
              .status == 200);
  const auto r = get("event/list?accessToken=" + kSmToken);
  CHECK(r.status == 200);
  bool found = false;
  for (const auto& e : r.json())
    if (e["scope"] == "live/sm1_wr" && e["name"] == "carol") {
      found = true;
      CHECK(e["region"] == "local");
      CHECK(e.contains("serverAddress"));
      CHECK(e.contains("type"));
    }
  CHECK(found);
}

TEST_CASE("broadcast and subscribe lookups") {
  const auto b = get("event/live/sm2/dave?action=broadcast");
  CHECK(b.status == 200);
  CHECK(b.json()["scope"] == "live/sm2");
  CHECK(b.json()["name"] == "dave");
  CHECK(b.json()["region"] == "local");
  CHECK(b.json()["serverAddress"].is_string());

  const auto missing = get("event/live/sm2/dave?action=subscribe");
  CHECK(missing.status == 404);
  CHECK(missing.json()["errorMessage"].get<std::string>().find("not publishing") != std::string::npos);

  REQUIRE(signedWebhook(sharedServer().port(), json{{"type", "publish"}, {"scope", "live/sm2"}, {"name", "dave"}}.dump())
              .status == 200);
  CHECK(get("event/live/sm2/dave?action=subscribe").status == 200);
  CHECK(get("event/live/sm2/join").status == 200);
  CHECK(get("event/live/sm2/join").json()["scope"] == "live/sm2");

  const auto noAction = get("event/live/sm2/dave");
  CHECK(noAction.status == 400);
  CHECK(noAction.json()["errorMessage"].get<std::string>().find("action") != std::string::npos);
  CHECK(get("event/live/sm2/dave?action=fly").status == 400);
  CHECK(get("event/live%20x/dave?action=broadcast").status == 400);
  CHECK(get("event/live/sm2/bad%21name?action=broadcast").json()["errorMessage"].get<std::string>().find("stream") == 0);
  CHECK(get("nothing/here").status == 404);
}

TEST_CASE("admin calls need the access token") {
  for (const std::string& q : {std::string(""), std::string("?accessToken=wrong")}) {
    const auto r = get("admin/nodegroup" + q);
    CHECK(r.status == 401);
    CHECK(r.json()["errorMessage"].get<std::string>().find("accessToken") != std::string::npos);
  }
  const auto ok = get("admin/nodegroup?accessToken=" + kSmToken);
  CHECK(ok.status == 200);
  CHECK(ok.json()[0]["regions"] == json::array({"local"}));
  const auto bearer = https(sharedServer().port(), "GET", kApi + "admin/nodegroup", "",
                            {{"Authorization", "Bearer " + kSmToken}});
  CHECK(bearer.status == 200);
}

TEST_CASE("provisions and event metadata are accepted and stored") {
  const std::string meta = kApi + "admin/event/meta/live/sm3/erin?accessToken=" + kSmToken;
  CHECK(https(sharedServer().port(), "POST", meta, R"({"meta":{"k":"v"}})").status == 200);
  CHECK(https(sharedServer().port(), "GET", meta).json()["meta"]["k"] == "v");
  CHECK(https(sharedServer().port(), "POST", kApi + "admin/event/meta/live/sm3/erin", "{}").status == 401);
  CHECK(https(sharedServer().port(), "POST", meta, "{nope").status == 400);

  const std::string token = "&accessToken=" + kSmToken;
  const auto p = https(sharedServer().port(), "POST", "/cluster/api?action=provision.create" + token,
                       R"([{"guid":"live/sm3","context":"live","name":"sm3","level":0}])");
  CHECK(p.status == 200);
  CHECK(https(sharedServer().port(), "POST", "/cluster/api?action=provision.create" + token, R"([{"name":"x"}])").status == 400);
  CHECK(https(sharedServer().port(), "POST", "/cluster/api?action=explode" + token, "{}").status == 400);
}

TEST_CASE("composition POST, GET and DELETE with the access token") {
  const std::string base = kApi + "composition";
  const std::string body = compositionBody("smcomp1").dump();
  CHECK(https(sharedServer().port(), "POST", base, body).status == 401);
  CHECK(https(sharedServer().port(), "POST", base + "?accessToken=nope", body).status == 401);

  const auto created = https(sharedServer().port(), "POST", base + "?accessToken=" + kSmToken, body);
  REQUIRE_MESSAGE(created.status == 200, created.body);
  const auto c = created.json();
  CHECK(c["event"] == "smcomp1");
  REQUIRE(c["mixers"].size() == 1);
  CHECK(c["mixers"][0]["id"].get<std::string>().size() > 4);
  CHECK(c["mixers"][0]["state"] == "pending");
  CHECK(c["mixers"][0]["location"] == "local");

  CHECK(https(sharedServer().port(), "POST", base + "?accessToken=" + kSmToken, body).status == 409);
  const auto one = https(sharedServer().port(), "GET", base + "/smcomp1?accessToken=" + kSmToken);
  CHECK(one.status == 200);
  CHECK(one.json()["mixers"][0]["id"] == c["mixers"][0]["id"]);
  const auto all = https(sharedServer().port(), "GET", base + "?accessToken=" + kSmToken);
  CHECK(all.status == 200);
  CHECK(all.json().is_array());
  CHECK(https(sharedServer().port(), "GET", base + "/smcomp1").status == 401);
  CHECK(https(sharedServer().port(), "DELETE", base + "/smcomp1").status == 401);

  CHECK(https(sharedServer().port(), "DELETE", base + "/smcomp1?accessToken=" + kSmToken).status == 200);
  CHECK(https(sharedServer().port(), "GET", base + "/smcomp1?accessToken=" + kSmToken).status == 404);
  CHECK(https(sharedServer().port(), "DELETE", base + "/smcomp1?accessToken=" + kSmToken).status == 404);
}

// What a Red5 Pro Stream Manager answers and the reference backend reads back: every mixer as it was
// requested, with its id and state added. The request's numbers are sent as strings (as the reference
// host page does) and come back as the numbers they mean.
void checkEchoesDefinitions(const json& answer, const json& request, const std::string& how) {
  INFO(how << ": " << answer.dump());
  CHECK(answer["event"] == request["event"]);
  REQUIRE(answer["mixers"].size() == request["mixers"].size());
  for (std::size_t i = 0; i < request["mixers"].size(); ++i) {
    const json& asked = request["mixers"][i];
    const json& got = answer["mixers"][i];
    CHECK(got["mixerName"] == asked["mixerName"]);
    CHECK(got["mixingPage"] == asked["mixingPage"]);
    CHECK(got["streamName"] == asked["streamName"]);
    CHECK(got["path"] == asked["path"]);
    CHECK(got["width"] == std::stoi(asked["width"].get<std::string>()));
    CHECK(got["height"] == std::stoi(asked["height"].get<std::string>()));
    CHECK(got["framerate"] == std::stoi(asked["framerate"].get<std::string>()));
    CHECK(got["bitrate"] == std::stoi(asked["bitrate"].get<std::string>()));
    CHECK(got["doForward"] == asked["doForward"]);
    CHECK(got["destinationMixerName"] == asked["destinationMixerName"]);
    CHECK(got["id"].is_string());
    CHECK(got["id"].get<std::string>().size() > 4);
    CHECK(got["state"] == "pending");
  }
  CHECK(answer["mixers"][0]["id"] != answer["mixers"][1]["id"]);
}

TEST_CASE("composition answers echo each mixer's whole definition plus id and state (POST, GET, list)") {
  const std::string base = kApi + "composition";
  const json request = confhost::test::compositionBody("smecho1", "live/smecho1", sharedServer().port(), 2);
  const auto created = https(sharedServer().port(), "POST", base + "?accessToken=" + kSmToken, request.dump());
  REQUIRE_MESSAGE(created.status == 200, created.body);
  checkEchoesDefinitions(created.json(), request, "POST");

  const auto one = https(sharedServer().port(), "GET", base + "/smecho1?accessToken=" + kSmToken);
  REQUIRE(one.status == 200);
  checkEchoesDefinitions(one.json(), request, "GET composition/<event>");
  CHECK(one.json()["mixers"][0]["id"] == created.json()["mixers"][0]["id"]);

  const auto all = https(sharedServer().port(), "GET", base + "?accessToken=" + kSmToken);
  REQUIRE(all.status == 200);
  const json list = all.json();
  const json* listed = nullptr;
  for (const auto& c : list)
    if (c["event"] == "smecho1") listed = &c;
  REQUIRE(listed);
  checkEchoesDefinitions(*listed, request, "GET composition");

  // The final mixer is the one with no destination: that is how the reference files the composition.
  CHECK(created.json()["mixers"][0]["destinationMixerName"] == "");
  CHECK(created.json()["mixers"][1]["destinationMixerName"] == "final");
  REQUIRE(https(sharedServer().port(), "DELETE", base + "/smecho1?accessToken=" + kSmToken).status == 200);
}

TEST_CASE("bad composition bodies are 400 naming the field") {
  const std::string url = kApi + "composition?accessToken=" + kSmToken;
  auto body = compositionBody("smcomp2");
  body["location"] = {"mars"};
  auto r = https(sharedServer().port(), "POST", url, body.dump());
  CHECK(r.status == 400);
  CHECK(r.json()["errorMessage"].get<std::string>().find("location") != std::string::npos);
  body = compositionBody("smcomp2");
  body["mixers"][0]["width"] = "wide";
  r = https(sharedServer().port(), "POST", url, body.dump());
  CHECK(r.status == 400);
  CHECK(r.json()["errorMessage"].get<std::string>().find("mixers[0].width") != std::string::npos);
  body = compositionBody("smcomp2");
  body["mixers"][0]["mixingPage"] = "javascript:alert(1)";
  CHECK(https(sharedServer().port(), "POST", url, body.dump()).status == 400);
  CHECK(https(sharedServer().port(), "POST", url, "not json").status == 400);
  CHECK(https(sharedServer().port(), "GET", kApi + "composition/smcomp2?accessToken=" + kSmToken).status == 404);
}

TEST_CASE("webhook refuses what it cannot understand with a clear 400") {
  const auto post = [](const std::string& body) { return signedWebhook(sharedServer().port(), body); };
  CHECK(post("nope").status == 400);
  auto r = post(R"({"scope":"live/a","name":"b"})");
  CHECK(r.status == 400);
  CHECK(r.json()["error"].get<std::string>().find("type") != std::string::npos);
  r = post(R"({"type":"explode","scope":"live/a","name":"b"})");
  CHECK(r.json()["error"].get<std::string>().find("unknown event") != std::string::npos);
  r = post(R"({"type":"publish","scope":"live/a","name":"b c"})");
  CHECK(r.status == 400);
  CHECK(r.json()["error"].get<std::string>().find("name") == 0);
  CHECK(post(R"({"type":"publish","scope":5,"name":"b"})").status == 400);
  CHECK(https(sharedServer().port(), "GET", "/webhook").status == 405);
}

TEST_CASE("a Red5 Pro webhook {event, guid} with the URL token lists the stream, then unlists it") {
  const int port = sharedServer().port();
  WsClient host(port, conferenceTarget("live/red5hook_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  const std::string url = "/webhook?token=" + kWebhookToken;
  auto r = https(port, "POST", url, R"({"event":"stream-published","guid":"live/red5hook_wr/alice","clusterNodeType":"TYPE_OFF"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(streamsOf(host.waitFor("active")) == std::vector<std::string>{"alice"});
  r = https(port, "POST", url, R"({"event":"stream-unpublished","guid":"live/red5hook_wr/alice","clusterNodeType":"TYPE_OFF"})");
  REQUIRE(r.status == 200);
  CHECK(streamsOf(host.waitFor("active")).empty());
  // A malformed guid is refused naming it, and nothing is listed.
  r = https(port, "POST", url, R"({"event":"stream-published","guid":"alice"})");
  CHECK(r.status == 400);
  CHECK(r.json()["error"].get<std::string>().rfind("guid: ", 0) == 0);
  CHECK_FALSE(hasType(host.sync(), "active"));
}

TEST_CASE("validateCredentials accepts any credentials when none are configured") {
  const auto r = https(sharedServer().port(), "POST", "/validateCredentials",
                       R"({"username":"u","password":"p","token":"t"})");
  CHECK(r.status == 200);
  CHECK(r.json()["result"] == true);
  CHECK(https(sharedServer().port(), "POST", "/validateCredentials", "[]").status == 400);
}

TEST_CASE("configured credentials are checked, and an invalidated token stops validating") {
  TestServer auth({"--auth-user", "ann", "--auth-password", "pw", "--auth-token", "tok"});
  const auto post = [&](const std::string& path, const json& body) {
    return https(auth.port(), "POST", path, body.dump(), {{"Authorization", "Bearer " + kSmToken}}).json()["result"];
  };
  CHECK(post("/validateCredentials", {{"username", "ann"}, {"password", "pw"}, {"token", "tok"}}) == true);
  CHECK(post("/validateCredentials", {{"username", "ann"}, {"password", "no"}, {"token", "tok"}}) == false);
  CHECK(post("/validateCredentials", {{"username", "bob"}, {"password", "pw"}, {"token", "tok"}}) == false);
  CHECK(post("/invalidateCredentials", {{"username", "ann"}, {"password", "pw"}, {"token", "tok"}}) == true);
  CHECK(post("/validateCredentials", {{"username", "ann"}, {"password", "pw"}, {"token", "tok"}}) == false);
}

}  // TEST_SUITE
