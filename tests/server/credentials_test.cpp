// Credentials on every state-changing endpoint: a signed webhook, the Stream Manager
// token on /cluster/api, event/list and /invalidateCredentials, bounded storage behind them, and the
// per-mixer secret that alone makes a socket a composition's mixer.
#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

#include "recording_browser.hpp"
#include "signed_webhook.hpp"
#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using nlohmann::json;

namespace {

std::string event(const std::string& type, const std::string& scope, const std::string& name) {
  return json{{"type", type}, {"scope", scope}, {"name", name}}.dump();
}

}  // namespace

TEST_SUITE("credentials") {

TEST_CASE("a webhook without the right signature neither adds a fake participant nor removes a real one") {
  const int port = sharedServer().port();
  const std::string scope = "live/spoof1";
  WsClient host(port, conferenceTarget(scope + "_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  REQUIRE(signedWebhook(port, event("publish", scope + "_wr", "alice")).status == 200);
  CHECK(streamsOf(host.waitFor("active")) == std::vector<std::string>{"alice"});
  host.send(json{{"type", "promote"}, {"room", scope}, {"streamName", "alice"}}.dump());
  CHECK(streamsOf(host.waitFor("conference")) == std::vector<std::string>{"alice"});

  // Unsigned, signed with another secret, and a signature lifted from another body: all 401.
  const std::string removeAlice = event("unpublish", scope + "_wr", "alice");
  const std::string addMallory = event("publish", scope + "_wr", "mallory");
  auto r = https(port, "POST", "/webhook", removeAlice);
  CHECK(r.status == 401);
  CHECK(errorOf(r).find("credential: missing") == 0);
  CHECK(errorOf(r).find("X-Confhost-Signature") != std::string::npos);
  CHECK(errorOf(r).find("?token=") != std::string::npos);
  r = signedWebhook(port, addMallory, "not-the-secret");
  CHECK(r.status == 401);
  CHECK(errorOf(r).find("does not match the body") != std::string::npos);
  r = https(port, "POST", "/webhook", removeAlice,
            {{"X-Confhost-Signature", "sha256=" + hmacSha256Hex(kWebhookSecret, addMallory)}});
  CHECK(r.status == 401);
  r = https(port, "POST", "/webhook", addMallory, {{"X-Confhost-Signature", "alice"}});
  CHECK(r.status == 401);

  // Nothing changed: no push reached the host, and the lists are as they were.
  const auto since = host.sync();
  CHECK_FALSE(hasType(since, "active"));
  CHECK_FALSE(hasType(since, "conference"));
  WsClient fresh(port, conferenceTarget(scope + "_wr", true, kHostToken));
  CHECK(streamsOf(fresh.waitFor("active")) == std::vector<std::string>{"alice"});
  CHECK(streamsOf(fresh.waitFor("conference")) == std::vector<std::string>{"alice"});

  // The real sender's signature still works (upper-case hex too).
  std::string signature = "sha256=" + hmacSha256Hex(kWebhookSecret, removeAlice);
  for (auto& c : signature) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  signature.replace(0, 6, "sha256");
  REQUIRE(https(port, "POST", "/webhook", removeAlice, {{"X-Confhost-Signature", signature}}).status == 200);
  CHECK(streamsOf(host.waitFor("conference")).empty());
}

TEST_CASE("the webhook secret is generated and printed when not given") {
  TestServer server({"--webhook-secret", ""});
  const std::string& out = server.stdoutText();
  const auto at = out.find("Webhook secret: ");
  REQUIRE(at != std::string::npos);
  const std::string secret = out.substr(at + 16, 32);
  CHECK(out.substr(at + 48, 12) == " (generated)");
  CHECK(signedWebhook(server.port(), event("publish", "live/gen1_wr", "a"), secret).status == 200);
  CHECK(signedWebhook(server.port(), event("publish", "live/gen1_wr", "b")).status == 401);
}

TEST_CASE("a webhook may carry the webhook token in its URL instead of a signature") {
  const int port = sharedServer().port();
  const std::string scope = "live/urltoken1";
  WsClient host(port, conferenceTarget(scope + "_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  const std::string addAlice = event("publish", scope + "_wr", "alice");
  REQUIRE(https(port, "POST", "/webhook?token=" + kWebhookToken, addAlice).status == 200);
  CHECK(streamsOf(host.waitFor("active")) == std::vector<std::string>{"alice"});
}

TEST_CASE("a wrong webhook token is refused naming the token, and changes nothing") {
  const int port = sharedServer().port();
  const std::string scope = "live/urltoken2";
  WsClient host(port, conferenceTarget(scope + "_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  const std::string addMallory = event("publish", scope + "_wr", "mallory");
  for (const std::string& token : {std::string("wrong"), std::string(""), kWebhookToken + "x", kWebhookSecret}) {
    const auto r = https(port, "POST", "/webhook?token=" + token, addMallory);
    CHECK(r.status == 401);
    CHECK(errorOf(r).find("token: wrong webhook token") == 0);
  }
  // Each credential a request carries must be right: a good signature does not excuse a bad token,
  // nor a good token a bad signature.
  auto r = https(port, "POST", "/webhook?token=wrong", addMallory,
                 {{"X-Confhost-Signature", "sha256=" + hmacSha256Hex(kWebhookSecret, addMallory)}});
  CHECK(r.status == 401);
  CHECK(errorOf(r).find("token:") == 0);
  r = https(port, "POST", "/webhook?token=" + kWebhookToken, addMallory, {{"X-Confhost-Signature", "sha256=00"}});
  CHECK(r.status == 401);
  CHECK(errorOf(r).find("X-Confhost-Signature:") == 0);
  CHECK_FALSE(hasType(host.sync(), "active"));
  WsClient fresh(port, conferenceTarget(scope + "_wr", true, kHostToken));
  CHECK(streamsOf(fresh.waitFor("active")).empty());
}

TEST_CASE("the webhook token is generated and printed in the webhook URL when not given") {
  TestServer server({"--webhook-token", ""});
  const std::string& out = server.stdoutText();
  const std::string prefix = "Webhook URL: https://localhost:" + std::to_string(server.port()) + "/webhook?token=";
  const auto at = out.find(prefix);
  REQUIRE_MESSAGE(at != std::string::npos, out);
  const std::string token = out.substr(at + prefix.size(), 32);
  CHECK(out.substr(at + prefix.size() + 32, 18) == " (token generated)");
  CHECK(token != kWebhookToken);
  CHECK(https(server.port(), "POST", "/webhook?token=" + token, event("publish", "live/gen2_wr", "a")).status == 200);
  CHECK(https(server.port(), "POST", "/webhook?token=" + kWebhookToken, event("publish", "live/gen2_wr", "b")).status == 401);
}

TEST_CASE("event/list, /cluster/api and /invalidateCredentials need the Stream Manager token") {
  const int port = sharedServer().port();
  const std::string provision = R"([{"guid":"live/tok1","context":"live","name":"tok1"}])";
  const std::string credentials = R"({"username":"u","password":"p","token":"t-tok1"})";
  struct Call {
    std::string method, target, body;
  };
  for (const Call& call : std::vector<Call>{{"GET", "/streammanager/api/4.0/event/list", ""},
                                            {"POST", "/cluster/api?action=provision.create", provision},
                                            {"POST", "/invalidateCredentials", credentials}}) {
    const std::string& method = call.method;
    const std::string& target = call.target;
    const std::string& body = call.body;
    CAPTURE(target);
    auto r = https(port, method, target, body);
    CHECK(r.status == 401);
    CHECK(errorOf(r, "errorMessage") == "accessToken: missing or wrong");
    const std::string sep = target.find('?') == std::string::npos ? "?" : "&";
    CHECK(https(port, method, target + sep + "accessToken=wrong", body).status == 401);
    CHECK(https(port, method, target, body, {{"Authorization", "Bearer wrong"}}).status == 401);
    r = https(port, method, target + sep + "accessToken=" + kSmToken, body);
    CHECK_MESSAGE(r.status == 200, r.body);
    CHECK(https(port, method, target, body, {{"Authorization", "Bearer " + kSmToken}}).status == 200);
  }
  // A refused invalidation revoked nothing.
  CHECK(https(port, "POST", "/validateCredentials", R"({"username":"u","password":"p","token":"t-other"})")
            .json()["result"] == true);
}

TEST_CASE("stored provisions are bounded: one too large is 413, a full store is 429") {
  TestServer server;
  const std::string target = "/cluster/api?action=provision.create&accessToken=" + kSmToken;
  const std::string filler(15 * 1024, 'x');
  auto r = https(server.port(), "POST", target, json{{"guid", "live/big"}, {"pad", filler + filler}}.dump());
  CHECK(r.status == 413);
  CHECK(errorOf(r, "errorMessage").find("limit of one provision") != std::string::npos);
  r = https(server.port(), "POST",
            "/streammanager/api/4.0/admin/event/meta/live/big/x?accessToken=" + kSmToken,
            json{{"pad", filler + filler}}.dump());
  CHECK(r.status == 413);

  // 10 × 15 KiB per request; 2 MiB in all fits about 136 of them.
  int accepted = 0;
  for (int batch = 0; batch < 30; ++batch) {
    json list = json::array();
    for (int i = 0; i < 10; ++i) list.push_back({{"guid", "live/p" + std::to_string(batch * 10 + i)}, {"pad", filler}});
    r = https(server.port(), "POST", target, list.dump());
    if (r.status != 200) break;
    accepted += 10;
  }
  CHECK(r.status == 429);
  CHECK(errorOf(r, "errorMessage").find("the provision store is full") == 0);
  // A list is all or nothing; single ones fill what is left.
  for (int i = 0; i < 11; ++i) {
    r = https(server.port(), "POST", target, json{{"guid", "live/s" + std::to_string(i)}, {"pad", filler}}.dump());
    if (r.status != 200) break;
    ++accepted;
  }
  CHECK(r.status == 429);
  CHECK(accepted >= 100);
  CHECK(accepted <= 140);
  // Replacing a stored provision with a small one frees its bytes: one more fits, then no more.
  CHECK(https(server.port(), "POST", target, R"({"guid":"live/p0","small":true})").status == 200);
  CHECK(https(server.port(), "POST", target, json{{"guid", "live/new1"}, {"pad", filler}}.dump()).status == 200);
  CHECK(https(server.port(), "POST", target, json{{"guid", "live/new2"}, {"pad", filler}}.dump()).status == 429);
}

TEST_CASE("an over-long token is not stored as invalidated") {
  const std::string body = json{{"username", "u"}, {"password", "p"}, {"token", std::string(600, 't')}}.dump();
  const auto r = https(sharedServer().port(), "POST", "/invalidateCredentials?accessToken=" + kSmToken, body);
  CHECK(r.status == 413);
  CHECK(errorOf(r, "errorMessage").find("token: longer than 512 bytes") == 0);
}

TEST_CASE("a socket that knows a mixer's id but not its secret is not that mixer") {
  RecordingBrowser browser;
  TestServer server({"--mixer-browser", browser.path()});
  const std::string scope = "live/mixid1";
  WsClient host(server.port(), conferenceTarget(scope + "_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  json create = compositionBody("mixid1", scope, server.port());
  create["type"] = "createComposition";
  host.send(create.dump());
  const auto created = host.waitFor("activeCompositions");
  REQUIRE(created["list"].size() == 1);

  // Anyone may listen as a host without the token, and so learn the mixer's id.
  WsClient snoop(server.port(), conferenceTarget(scope, true));
  const std::string id = snoop.waitFor("activeCompositions")["list"][0]["mixers"][0]["id"];
  for (const std::string secret : {"", "&mixerSecret=", "&mixerSecret=00000000000000000000000000000000"}) {
    CAPTURE(secret);
    WsClient impostor(server.port(), conferenceTarget(scope, false, "", true, id) + secret);
    const auto error = impostor.waitFor("error")["error"].get<std::string>();
    CHECK(error.find("mixerSecret: missing or wrong for mixer '" + id + "'") == 0);
    CHECK_FALSE(hasType(impostor.sync(), "activeCompositions"));  // a plain listener
    const auto since = host.sync();
    CHECK_FALSE(hasType(since, "activeCompositions"));  // the mixer's state did not move
  }
  host.send(R"({"type":"getActiveCompositions"})");
  auto mixer = host.waitFor("activeCompositions")["list"][0]["mixers"][0];
  CHECK(mixer["state"] == "pending");
  CHECK(mixer["isWebSocketConnected"] == false);

  // The page the server launched carries the secret, and with it the socket is the mixer.
  const std::string secret = RecordingBrowser::param(browser.urlOf(id), "mixerSecret");
  WsClient real(server.port(), conferenceTarget(scope, false, "", true, id) + "&mixerSecret=" + secret);
  real.waitFor("activeCompositions");
  mixer = host.waitFor("activeCompositions")["list"][0]["mixers"][0];
  CHECK(mixer["state"] == "inservice");
  CHECK(mixer["isWebSocketConnected"] == true);
}

}  // TEST_SUITE
