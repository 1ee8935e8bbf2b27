// Quotas and budgets: each limit is a flag, and going over it is refused with a
// reason that names the limit, while everything under it keeps working. Each test starts a server with
// a low value of its flag.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "signed_webhook.hpp"
#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using nlohmann::json;

namespace {

// Polls `probe` until it is true (the server frees a slot when the closed session is gone).
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!probe()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

TEST_SUITE("quotas") {

TEST_CASE("--max-connections-per-ip: one more connection from that address gets 429 naming the limit") {
  TestServer server({"--max-connections-per-ip", "3"});
  std::vector<std::unique_ptr<WsClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<WsClient>(server.port(), conferenceTarget("live/conn1", false)));
    held.back()->waitFor("excluded");
  }
  const auto r = https(server.port(), "GET", "/index.html");
  CHECK(r.status == 429);
  CHECK(errorOf(r).find("127.0.0.1") != std::string::npos);
  CHECK(errorOf(r).find("(--max-connections-per-ip)") != std::string::npos);
  CHECK_THROWS(WsClient(server.port(), conferenceTarget("live/conn1", false)));
  // Those held are untouched, and a closed one makes room again.
  held[0]->send(R"({"type":"getActiveStreams"})");
  CHECK(held[0]->waitFor("activeStreams")["room"] == "live/conn1");
  held.pop_back();
  CHECK(eventually([&] { return https(server.port(), "GET", "/index.html").status == 200; }));
}

TEST_CASE("--max-connections: one more connection in all gets 503 naming the limit") {
  TestServer server({"--max-connections", "2"});
  WsClient a(server.port(), conferenceTarget("live/conn2", false));
  WsClient b(server.port(), conferenceTarget("live/conn2", false));
  a.waitFor("excluded");
  b.waitFor("excluded");
  const auto r = https(server.port(), "GET", "/index.html");
  CHECK(r.status == 503);
  CHECK(errorOf(r).find("(--max-connections)") != std::string::npos);
}

TEST_CASE("--max-sockets-per-room: one more socket in a conference gets an error and a 1013 close") {
  TestServer server({"--max-sockets-per-room", "2"});
  WsClient host(server.port(), conferenceTarget("live/room1_wr", true, kHostToken));
  WsClient participant(server.port(), conferenceTarget("live/room1", false));
  host.waitFor("activeCompositions");
  participant.waitFor("excluded");
  WsClient third(server.port(), conferenceTarget("live/room1_wr", false));
  const auto error = third.waitFor("error")["error"].get<std::string>();
  CHECK(error == "room: conference live/room1 already has 2 sockets, the limit (--max-sockets-per-room)");
  CHECK(third.waitClosed());
  CHECK(third.closeCode() == 1013);
  CHECK(third.closeReason() == error);
  // Another conference is not affected, nor are the sockets already in.
  WsClient other(server.port(), conferenceTarget("live/room2", false));
  other.waitFor("excluded");
  participant.send(R"({"type":"getActiveStreams"})");
  participant.waitFor("activeStreams");
}

TEST_CASE("--max-streams-per-scope and --max-streams bound the streams a webhook can list") {
  TestServer server({"--max-streams-per-scope", "3", "--max-streams", "5"});
  WsClient host(server.port(), conferenceTarget("live/many_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  const auto publish = [&](const std::string& scope, const std::string& name) {
    return signedWebhook(server.port(), json{{"type", "publish"}, {"scope", scope}, {"name", name}}.dump());
  };
  for (const char* name : {"a", "b", "c"}) REQUIRE(publish("live/many_wr", name).status == 200);
  auto r = publish("live/many_wr", "d");
  CHECK(r.status == 429);
  CHECK(errorOf(r) == "name: scope live/many_wr already has 3 publishing streams, the limit (--max-streams-per-scope)");
  CHECK(publish("live/many_wr", "a").status == 200);  // already listed: nothing new
  std::vector<std::string> seen;
  for (const auto& m : host.sync())
    if (m.value("type", "") == "active") seen = streamsOf(m);
  CHECK(seen == std::vector<std::string>{"a", "b", "c"});

  REQUIRE(publish("live/other_wr", "x").status == 200);
  REQUIRE(publish("live/other_wr", "y").status == 200);
  r = publish("live/third_wr", "z");
  CHECK(r.status == 429);
  CHECK(errorOf(r).find("(--max-streams)") != std::string::npos);
  const auto list = https(server.port(), "GET", "/streammanager/api/4.0/event/list?accessToken=" + kSmToken);
  CHECK(list.json().size() == 5);
  // An unpublish makes room.
  REQUIRE(signedWebhook(server.port(), json{{"type", "unpublish"}, {"scope", "live/many_wr"}, {"name", "a"}}.dump())
              .status == 200);
  CHECK(publish("live/third_wr", "z").status == 200);
}

TEST_CASE("a WHIP publish over --max-streams-per-scope gets 429 with the reason before the origin is asked") {
  TestServer server({"--max-streams-per-scope", "1"});
  REQUIRE(signedWebhook(server.port(), json{{"type", "publish"}, {"scope", "live/full_wr"}, {"name", "a"}}.dump())
              .status == 200);
  const std::string offer =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
      "a=fingerprint:sha-256 00:11\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n";
  const auto r = https(server.port(), "POST", "/as/v1/proxy/whip/live/full_wr/b", offer, {{"Content-Type", "application/sdp"}});
  CHECK(r.status == 429);
  CHECK(r.body.find("(--max-streams-per-scope)") != std::string::npos);
  CHECK(!r.header("retry-after").empty());
  // Another scope still has room: that publish reaches the origin check (503: this server runs --no-janus).
  CHECK(https(server.port(), "POST", "/as/v1/proxy/whip/live/free_wr/b", offer, {{"Content-Type", "application/sdp"}}).status ==
        503);
}

TEST_CASE("--max-compositions and --max-mixers-per-composition: 429 over HTTP, an error over the socket") {
  TestServer server({"--max-compositions", "1", "--max-mixers-per-composition", "2"});
  const std::string api = "/streammanager/api/4.0/composition?accessToken=" + kSmToken;
  auto r = https(server.port(), "POST", api, compositionBody("cap3", "live/cap3", server.port(), 3).dump());
  CHECK(r.status == 429);
  CHECK(errorOf(r, "errorMessage") ==
        "mixers: 3 mixers is over the limit of 2 per composition (--max-mixers-per-composition)");
  REQUIRE(https(server.port(), "POST", api, compositionBody("cap2", "live/cap2", server.port(), 2).dump()).status == 200);
  r = https(server.port(), "POST", api, compositionBody("cap1", "live/cap1", server.port()).dump());
  CHECK(r.status == 429);
  CHECK(errorOf(r, "errorMessage").find("(--max-compositions)") != std::string::npos);

  WsClient host(server.port(), conferenceTarget("live/cap1_wr", true, kHostToken));
  host.waitFor("activeCompositions");
  json create = compositionBody("cap1", "live/cap1", server.port());
  create["type"] = "createComposition";
  host.send(create.dump());
  CHECK(host.waitFor("error")["error"].get<std::string>().find("createComposition refused: compositions: ") == 0);
  REQUIRE(https(server.port(), "DELETE", "/streammanager/api/4.0/composition/cap2?accessToken=" + kSmToken).status ==
          200);
  host.send(create.dump());
  CHECK(host.waitFor("activeCompositions")["list"].size() == 1);
}

}  // TEST_SUITE
