// The two webhook body shapes, read in-process: Red5 Pro's {event, guid} and ours {type, scope, name}.
#include <doctest/doctest.h>

#include <string>

#include "server/conference/webhook_notice.hpp"

using namespace confhost;

namespace {

WebhookNotice accepted(const std::string& body) {
  auto n = parseWebhookNotice(body);
  if (!n) FAIL(n.error().message());
  return *n;
}

std::string refusal(const std::string& body) {
  auto n = parseWebhookNotice(body);
  REQUIRE_FALSE(n.ok());
  return n.error().message();
}

}  // namespace

TEST_SUITE("webhook body") {

TEST_CASE("Red5 Pro's stream-published names the stream by its guid <app>/<room>/<stream>") {
  const auto n = accepted(R"({"event":"stream-published","guid":"live/room1_wr/alice","clusterNodeType":"TYPE_OFF"})");
  CHECK(n.published);
  CHECK(n.scope == "live/room1_wr");
  CHECK(n.name == "alice");
  CHECK(n.nameField == "guid");
}

TEST_CASE("Red5 Pro's stream-unpublished ends the stream its guid names") {
  const auto n = accepted(R"({"event":"stream-unpublished","guid":"live/room1/room1"})");
  CHECK_FALSE(n.published);
  CHECK(n.scope == "live/room1");
  CHECK(n.name == "room1");
}

TEST_CASE("a guid of a plain app stream and one with a leading slash are read") {
  auto n = accepted(R"({"event":"stream-published","guid":"live/stream1"})");
  CHECK(n.scope == "live");
  CHECK(n.name == "stream1");
  n = accepted(R"({"event":"stream-published","guid":"/live/room1/bob"})");
  CHECK(n.scope == "live/room1");
  CHECK(n.name == "bob");
}

TEST_CASE("our shape and its spellings are read as before") {
  auto n = accepted(R"({"type":"publish","scope":"live/r_wr","name":"a"})");
  CHECK(n.published);
  CHECK(n.scope == "live/r_wr");
  CHECK(n.name == "a");
  CHECK(n.nameField == "name");
  n = accepted(R"({"event":"unpublish","room":"/live/r","streamName":"b"})");
  CHECK_FALSE(n.published);
  CHECK(n.scope == "live/r");
  CHECK(n.nameField == "streamName");
}

TEST_CASE("a guid that is not <app>/<room>/<stream> is refused naming guid") {
  CHECK(refusal(R"({"event":"stream-published","guid":"alice"})") == "guid: 'alice' is not <app>/<room>/<stream>");
  CHECK(refusal(R"({"event":"stream-published","guid":"live/"})").rfind("guid: ", 0) == 0);
  CHECK(refusal(R"({"event":"stream-published","guid":""})").rfind("guid: ", 0) == 0);
  CHECK(refusal(R"({"event":"stream-published","guid":"live/r/a b"})").rfind("guid: must match", 0) == 0);
  CHECK(refusal(R"({"event":"stream-published","guid":7})") == "guid: must be a string");
}

TEST_CASE("a body with a guid and a scope or name is refused: which stream it means is unclear") {
  CHECK(refusal(R"({"event":"stream-published","guid":"live/r/a","scope":"live/x"})") ==
        "guid: give either guid or a scope and a name, not both");
  CHECK(refusal(R"({"event":"stream-published","guid":"live/r/a","name":"b"})").rfind("guid: ", 0) == 0);
}

TEST_CASE("a body with neither guid nor scope says both ways to name the stream") {
  const std::string r = refusal(R"({"event":"stream-published","name":"a"})");
  CHECK(r.rfind("scope: missing", 0) == 0);
  CHECK(r.find("guid") != std::string::npos);
  CHECK(refusal(R"({"type":"publish","scope":"live/r"})") == "name: missing");
}

TEST_CASE("an event other than publish or unpublish is refused naming the field it came in") {
  CHECK(refusal(R"({"event":"stream-subscribed","guid":"live/r/a"})").rfind("event: unknown event 'stream-subscribed'", 0) == 0);
  CHECK(refusal(R"({"type":"explode","scope":"live/r","name":"a"})").rfind("type: unknown event", 0) == 0);
  CHECK(refusal(R"({"guid":"live/r/a"})").rfind("event: missing: stream-published or stream-unpublished", 0) == 0);
  CHECK(refusal(R"({"event":5,"guid":"live/r/a"})") == "event: must be a string");
}

TEST_CASE("a body that is not a JSON object is refused naming the body") {
  CHECK(refusal("nope").rfind("body: malformed JSON", 0) == 0);
  CHECK(refusal("[1]").rfind("body: must be a JSON object", 0) == 0);
  CHECK(refusal(std::string(100, '[') + std::string(100, ']')).rfind("body: ", 0) == 0);
}

}  // TEST_SUITE
