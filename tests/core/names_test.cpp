#include <doctest/doctest.h>

#include "core/protocol/names.hpp"

using namespace confhost;

TEST_SUITE("names") {
  TEST_CASE("a name is 1 to 255 of [/0-9A-Za-z_-]") {
    CHECK(isValidName("live/room1"));
    CHECK(isValidName("a"));
    CHECK(isValidName("Stream_1-x/y"));
    CHECK(isValidName(std::string(255, 'a')));
    CHECK_FALSE(isValidName(""));
    CHECK_FALSE(isValidName(std::string(256, 'a')));
    CHECK_FALSE(isValidName("room 1"));
    CHECK_FALSE(isValidName("room.1"));
    CHECK_FALSE(isValidName("r\xc3\xa9"));
    CHECK_FALSE(isValidName("a?b"));
    CHECK_FALSE(isValidName("a%2Fb"));
  }

  TEST_CASE("validateName names the field and the pattern, or says missing when empty") {
    CHECK(validateName("room", "live/room1").ok());
    auto bad = validateName("streamName", "bad name");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message() == "streamName: must match ^[/0-9A-Za-z_-]{1,255}$");
    auto empty = validateName("event", "");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message() == "event: missing");
  }

  TEST_CASE("the waiting room of a scope is the scope with _wr") {
    CHECK(waitingRoomOf("live/room1") == "live/room1_wr");
    CHECK(waitingRoomOf("live/room1_wr") == "live/room1_wr");
    CHECK(isWaitingRoom("live/room1_wr"));
    CHECK_FALSE(isWaitingRoom("live/room1"));
  }

  TEST_CASE("the conference scope of a room strips _wr") {
    CHECK(conferenceScopeOf("live/room1_wr") == "live/room1");
    CHECK(conferenceScopeOf("live/room1") == "live/room1");
  }

  TEST_CASE("room and app names are the last and first path segments") {
    CHECK(roomNameOf("live/room1") == "room1");
    CHECK(roomNameOf("live/sub/room1") == "room1");
    CHECK(roomNameOf("room1") == "room1");
    CHECK(appNameOf("live/room1") == "live");
    CHECK(appNameOf("live/sub/room1") == "live");
    CHECK(appNameOf("room1") == "");
  }

  TEST_CASE("the composite stream of a conference is named after its room") {
    CHECK(compositeStreamOf("live/room1") == "room1");
    CHECK(compositeStreamOf("live/room1_wr") == "room1");
  }

  TEST_CASE("a guid is scope/stream") { CHECK(guidOf("live/room1", "alice") == "live/room1/alice"); }
}
