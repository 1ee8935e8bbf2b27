#include <doctest/doctest.h>

#include <algorithm>

#include "core/conference/conference_room.hpp"

using namespace confhost;

namespace {

using List = std::vector<std::string>;

const std::string kScope = "live/room1";
const std::string kWaiting = "live/room1_wr";

// A room whose waiting room has these streams publishing.
ConferenceRoom roomWithWaiting(const List& names) {
  ConferenceRoom room(kScope);
  for (const auto& n : names) REQUIRE(room.publish(kWaiting, n).ok());
  return room;
}

// ... and these of them promoted, in this order.
ConferenceRoom roomWithConference(const List& waiting, const List& conference) {
  ConferenceRoom room = roomWithWaiting(waiting);
  for (const auto& n : conference) REQUIRE(room.promote(n).ok());
  return room;
}

struct Snapshot {
  List waiting, active, conference, excluded;
  std::string presenter;
  bool operator==(const Snapshot& o) const {
    return waiting == o.waiting && active == o.active && conference == o.conference &&
           excluded == o.excluded && presenter == o.presenter;
  }
};

Snapshot snapshot(const ConferenceRoom& r) {
  return Snapshot{r.waiting(), r.scopeActive(), r.conference(), r.excluded(), r.presenter()};
}

// A refused operation: returns an Error with exactly this message and leaves every list unchanged.
template <class Op>
void checkRefused(ConferenceRoom& room, Op op, const std::string& message) {
  Snapshot before = snapshot(room);
  Expected<RoomChange> r = op(room);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == message);
  CHECK(snapshot(room) == before);
}

}  // namespace

TEST_SUITE("ConferenceRoom") {
  TEST_CASE("a room is keyed by its conference scope and knows its waiting room") {
    ConferenceRoom room(kScope);
    CHECK(room.scope() == kScope);
    CHECK(room.waitingRoom() == kWaiting);
    CHECK(ConferenceRoom(kWaiting).scope() == kScope);
    CHECK(room.waiting().empty());
    CHECK(room.conference().empty());
    CHECK(room.presenter().empty());
    CHECK(room.excluded().empty());
  }

  // ---- publish / unpublish ------------------------------------------------------------------------

  TEST_CASE("publish in the waiting room lists the stream there") {
    ConferenceRoom room(kScope);
    auto r = room.publish(kWaiting, "alice");
    REQUIRE(r.ok());
    CHECK(r->waiting);
    CHECK_FALSE(r->scopeActive);
    CHECK(room.waiting() == List{"alice"});
    CHECK(room.scopeActive().empty());
  }

  TEST_CASE("publish in the conference scope lists the stream as scope-active") {
    ConferenceRoom room(kScope);
    auto r = room.publish(kScope, "room1");
    REQUIRE(r.ok());
    CHECK(r->scopeActive);
    CHECK_FALSE(r->waiting);
    CHECK(room.scopeActive() == List{"room1"});
    CHECK(room.waiting().empty());
  }

  TEST_CASE("publishing the same stream twice lists it once and reports no change") {
    ConferenceRoom room = roomWithWaiting({"alice"});
    auto r = room.publish(kWaiting, "alice");
    REQUIRE(r.ok());
    CHECK_FALSE(r->any());
    CHECK(room.waiting() == List{"alice"});
  }

  TEST_CASE("publish in another room is refused") {
    ConferenceRoom room = roomWithWaiting({"alice"});
    checkRefused(room, [](ConferenceRoom& r) { return r.publish("live/room2_wr", "bob"); },
                 "room: 'live/room2_wr' is not live/room1 or its waiting room");
    checkRefused(room, [](ConferenceRoom& r) { return r.unpublish("live/room2", "alice"); },
                 "room: 'live/room2' is not live/room1 or its waiting room");
  }

  TEST_CASE("publish of an invalid name is refused") {
    ConferenceRoom room = roomWithWaiting({"alice"});
    checkRefused(room, [](ConferenceRoom& r) { return r.publish(kWaiting, "bad name"); },
                 "streamName: must match ^[/0-9A-Za-z_-]{1,255}$");
    checkRefused(room, [](ConferenceRoom& r) { return r.publish(kWaiting, ""); }, "streamName: missing");
  }

  TEST_CASE("publish of an excluded name is refused") {
    ConferenceRoom room = roomWithWaiting({"alice"});
    REQUIRE(room.exclude("mallory").ok());
    checkRefused(room, [](ConferenceRoom& r) { return r.publish(kWaiting, "mallory"); },
                 "streamName: 'mallory' is excluded");
    checkRefused(room, [](ConferenceRoom& r) { return r.publish(kScope, "mallory"); },
                 "streamName: 'mallory' is excluded");
  }

  TEST_CASE("unpublish removes the stream from its room's list") {
    ConferenceRoom room = roomWithWaiting({"alice", "bob"});
    REQUIRE(room.publish(kScope, "room1").ok());
    auto r = room.unpublish(kWaiting, "alice");
    REQUIRE(r.ok());
    CHECK(r->waiting);
    CHECK_FALSE(r->conference);
    CHECK(room.waiting() == List{"bob"});
    auto s = room.unpublish(kScope, "room1");
    REQUIRE(s.ok());
    CHECK(s->scopeActive);
    CHECK(room.scopeActive().empty());
  }

  TEST_CASE("unpublish of an unknown stream changes nothing") {
    ConferenceRoom room = roomWithConference({"alice"}, {"alice"});
    Snapshot before = snapshot(room);
    auto r = room.unpublish(kWaiting, "ghost");
    REQUIRE(r.ok());
    CHECK_FALSE(r->any());
    CHECK(snapshot(room) == before);
  }

  TEST_CASE("unpublish of a conference member removes it from the conference") {
    ConferenceRoom room = roomWithConference({"alice", "bob", "carol"}, {"alice", "bob", "carol"});
    REQUIRE(room.setPresenter("bob").ok());
    auto r = room.unpublish(kWaiting, "bob");
    REQUIRE(r.ok());
    CHECK(r->waiting);
    CHECK(r->conference);
    CHECK(room.waiting() == List{"alice", "carol"});
    CHECK(room.conference() == List{"alice", "carol"});
    CHECK(room.presenter() == "carol");
  }

  TEST_CASE("unpublish in the conference scope leaves the conference list alone") {
    // The conference list holds waiting-room sources; a scope stream of the same name is another stream.
    ConferenceRoom room = roomWithConference({"alice"}, {"alice"});
    REQUIRE(room.publish(kScope, "alice").ok());
    auto r = room.unpublish(kScope, "alice");
    REQUIRE(r.ok());
    CHECK_FALSE(r->conference);
    CHECK(room.conference() == List{"alice"});
  }

  // ---- promote --------------------------------------------------------------------------------------

  TEST_CASE("promote appends a waiting-room stream to the conference") {
    ConferenceRoom room = roomWithConference({"alice", "bob", "carol"}, {"carol"});
    auto r = room.promote("alice");
    REQUIRE(r.ok());
    CHECK(r->conference);
    CHECK_FALSE(r->waiting);
    CHECK(room.conference() == List{"carol", "alice"});
    CHECK(room.waiting() == List{"alice", "bob", "carol"});  // it still publishes in the waiting room
  }

  TEST_CASE("the first stream of an empty conference becomes presenter") {
    ConferenceRoom room = roomWithWaiting({"alice", "bob"});
    REQUIRE(room.promote("bob").ok());
    CHECK(room.presenter() == "bob");
    REQUIRE(room.promote("alice").ok());
    CHECK(room.presenter() == "bob");
  }

  TEST_CASE("promote of a stream not in the waiting room is refused") {
    ConferenceRoom room = roomWithConference({"alice"}, {"alice"});
    REQUIRE(room.publish(kScope, "room1").ok());
    checkRefused(room, [](ConferenceRoom& r) { return r.promote("x"); },
                 "streamName: 'x' is not in the waiting room");
    checkRefused(room, [](ConferenceRoom& r) { return r.promote("room1"); },
                 "streamName: 'room1' is not in the waiting room");
  }

  TEST_CASE("promote of an excluded stream is refused") {
    ConferenceRoom room = roomWithWaiting({"alice", "mallory"});
    REQUIRE(room.exclude("mallory").ok());
    checkRefused(room, [](ConferenceRoom& r) { return r.promote("mallory"); },
                 "streamName: 'mallory' is excluded");
  }

  TEST_CASE("promote of a stream already in the conference is refused") {
    ConferenceRoom room = roomWithConference({"alice", "bob"}, {"alice", "bob"});
    checkRefused(room, [](ConferenceRoom& r) { return r.promote("alice"); },
                 "streamName: 'alice' is already in the conference");
    CHECK(room.conference() == List{"alice", "bob"});
  }

  TEST_CASE("promote of an invalid name is refused") {
    ConferenceRoom room = roomWithWaiting({"alice"});
    checkRefused(room, [](ConferenceRoom& r) { return r.promote("a b"); },
                 "streamName: must match ^[/0-9A-Za-z_-]{1,255}$");
  }

  // ---- demote ---------------------------------------------------------------------------------------

  TEST_CASE("demote removes the stream from the conference but not from the waiting room") {
    ConferenceRoom room = roomWithConference({"alice", "bob"}, {"alice", "bob"});
    auto r = room.demote("bob");
    REQUIRE(r.ok());
    CHECK(r->conference);
    CHECK(room.conference() == List{"alice"});
    CHECK(room.waiting() == List{"alice", "bob"});
    CHECK(room.presenter() == "alice");
  }

  TEST_CASE("demote of a stream not in the conference is refused") {
    ConferenceRoom room = roomWithConference({"alice", "bob"}, {"alice"});
    checkRefused(room, [](ConferenceRoom& r) { return r.demote("bob"); },
                 "streamName: 'bob' is not in the conference");
  }

  TEST_CASE("removing the presenter makes the next one in list order presenter") {
    ConferenceRoom room = roomWithConference({"a", "b", "c"}, {"a", "b", "c"});
    REQUIRE(room.setPresenter("b").ok());
    REQUIRE(room.demote("b").ok());
    CHECK(room.presenter() == "c");
    CHECK(room.conference() == List{"a", "c"});
  }

  TEST_CASE("removing the last-listed presenter makes the previous one presenter") {
    ConferenceRoom room = roomWithConference({"a", "b", "c"}, {"a", "b", "c"});
    REQUIRE(room.setPresenter("c").ok());
    REQUIRE(room.demote("c").ok());
    CHECK(room.presenter() == "b");
  }

  TEST_CASE("removing the only member leaves no presenter") {
    ConferenceRoom room = roomWithConference({"a"}, {"a"});
    REQUIRE(room.demote("a").ok());
    CHECK(room.presenter().empty());
    CHECK(room.conference().empty());
    CHECK_FALSE(room.conferenceMessage().presenter.has_value());
  }

  TEST_CASE("removing a member who is not presenter keeps the presenter") {
    ConferenceRoom room = roomWithConference({"a", "b", "c"}, {"a", "b", "c"});
    REQUIRE(room.demote("b").ok());
    CHECK(room.presenter() == "a");
  }

  TEST_CASE("while the conference has streams one of them presents, whatever leaves it") {
    // Many mixed operations from a fixed seed: after each, a non-empty conference has a presenter who
    // is in it (and the message says so), and an empty one has none.
    const List names{"a", "b", "c", "d", "e"};
    ConferenceRoom room(kScope);
    unsigned seed = 12345;
    const auto next = [&](unsigned n) {
      seed = seed * 1103515245u + 12345u;
      return (seed >> 16) % n;
    };
    int handovers = 0;
    for (int step = 0; step < 2000; ++step) {
      const std::string& name = names[next(static_cast<unsigned>(names.size()))];
      const std::string before = room.presenter();
      switch (next(7)) {
        case 0: case 1: (void)room.publish(kWaiting, name); break;
        case 2: (void)room.promote(name); break;
        case 3: (void)room.demote(name); break;
        case 4: (void)room.unpublish(kWaiting, name); break;
        case 5: (void)room.setPresenter(name); break;
        case 6: (void)room.order(name, static_cast<int>(next(5))); break;
      }
      if (step == 1000) (void)room.exclude("e");  // bans happen too
      INFO("step " << step);
      const List& conference = room.conference();
      if (conference.empty()) {
        CHECK(room.presenter().empty());
        CHECK_FALSE(room.conferenceMessage().presenter.has_value());
      } else {
        REQUIRE(std::find(conference.begin(), conference.end(), room.presenter()) != conference.end());
        CHECK(room.conferenceMessage().presenter == room.presenter());
      }
      if (!before.empty() && !room.presenter().empty() && before != room.presenter() &&
          std::find(conference.begin(), conference.end(), before) == conference.end())
        ++handovers;
    }
    CHECK(handovers > 10);  // the sequence really removed presenters from non-empty conferences
  }

  // ---- presenter ------------------------------------------------------------------------------------

  TEST_CASE("presenter sets a conference member as presenter") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a", "b"});
    auto r = room.setPresenter("b");
    REQUIRE(r.ok());
    CHECK(r->conference);
    CHECK(room.presenter() == "b");
    CHECK(room.conference() == List{"a", "b"});
  }

  TEST_CASE("presenter of the current presenter changes nothing") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a", "b"});
    auto r = room.setPresenter("a");
    REQUIRE(r.ok());
    CHECK_FALSE(r->any());
  }

  TEST_CASE("a waiting-room stream outside the conference cannot become presenter") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a"});
    checkRefused(room, [](ConferenceRoom& r) { return r.setPresenter("b"); },
                 "streamName: 'b' is not in the conference");
  }

  TEST_CASE("a stream in neither list cannot become presenter") {
    ConferenceRoom room = roomWithConference({"a"}, {"a"});
    checkRefused(room, [](ConferenceRoom& r) { return r.setPresenter("x"); },
                 "streamName: 'x' is not in the conference");
    ConferenceRoom empty(kScope);
    checkRefused(empty, [](ConferenceRoom& r) { return r.setPresenter("x"); },
                 "streamName: 'x' is not in the conference");
  }

  // ---- order ----------------------------------------------------------------------------------------

  TEST_CASE("order moves the stream to the given index") {
    ConferenceRoom room = roomWithConference({"a", "b", "c", "d"}, {"a", "b", "c", "d"});
    auto r = room.order("d", 1);
    REQUIRE(r.ok());
    CHECK(r->conference);
    CHECK(room.conference() == List{"a", "d", "b", "c"});
    REQUIRE(room.order("a", 2).ok());
    CHECK(room.conference() == List{"d", "b", "a", "c"});
    REQUIRE(room.order("c", 0).ok());
    CHECK(room.conference() == List{"c", "d", "b", "a"});
    CHECK(room.presenter() == "a");  // moving does not change who presents
  }

  TEST_CASE("order clamps the index to the list") {
    ConferenceRoom room = roomWithConference({"a", "b", "c"}, {"a", "b", "c"});
    REQUIRE(room.order("a", 99).ok());
    CHECK(room.conference() == List{"b", "c", "a"});
    REQUIRE(room.order("a", -5).ok());
    CHECK(room.conference() == List{"a", "b", "c"});
  }

  TEST_CASE("order to the current index changes nothing") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a", "b"});
    auto r = room.order("b", 1);
    REQUIRE(r.ok());
    CHECK_FALSE(r->any());
    CHECK(room.conference() == List{"a", "b"});
  }

  TEST_CASE("order of a stream not in the conference is refused") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a"});
    checkRefused(room, [](ConferenceRoom& r) { return r.order("b", 0); },
                 "streamName: 'b' is not in the conference");
  }

  // ---- exclude --------------------------------------------------------------------------------------

  TEST_CASE("exclude bans the name and takes it out of the waiting room") {
    ConferenceRoom room = roomWithWaiting({"alice", "mallory"});
    auto r = room.exclude("mallory");
    REQUIRE(r.ok());
    CHECK(r->excluded);
    CHECK(r->waiting);
    CHECK_FALSE(r->conference);
    CHECK(room.isExcluded("mallory"));
    CHECK(room.excluded() == List{"mallory"});
    CHECK(room.waiting() == List{"alice"});
  }

  TEST_CASE("exclude lists a name once") {
    ConferenceRoom room = roomWithWaiting({"mallory"});
    REQUIRE(room.exclude("mallory").ok());
    auto again = room.exclude("mallory");
    REQUIRE(again.ok());
    CHECK_FALSE(again->any());
    CHECK(room.excluded() == List{"mallory"});
    CHECK(room.excludedMessage().streams == List{"mallory"});
  }

  TEST_CASE("exclude drops a conference member with the presenter rule") {
    ConferenceRoom room = roomWithConference({"a", "b", "c"}, {"a", "b", "c"});
    auto r = room.exclude("a");
    REQUIRE(r.ok());
    CHECK(r->conference);
    CHECK(r->excluded);
    CHECK(room.conference() == List{"b", "c"});
    CHECK(room.presenter() == "b");
  }

  TEST_CASE("exclude of a name that is not publishing bans it in advance") {
    ConferenceRoom room(kScope);
    auto r = room.exclude("mallory");
    REQUIRE(r.ok());
    CHECK(r->excluded);
    CHECK_FALSE(r->waiting);
    CHECK_FALSE(room.publish(kWaiting, "mallory").ok());
  }

  TEST_CASE("bans persist after the stream stops") {
    ConferenceRoom room = roomWithWaiting({"mallory"});
    REQUIRE(room.exclude("mallory").ok());
    REQUIRE(room.unpublish(kWaiting, "mallory").ok());
    CHECK(room.isExcluded("mallory"));
    CHECK_FALSE(room.publish(kWaiting, "mallory").ok());
  }

  TEST_CASE("exclude of an invalid name is refused") {
    ConferenceRoom room = roomWithWaiting({"a"});
    checkRefused(room, [](ConferenceRoom& r) { return r.exclude("a\"b"); },
                 "streamName: must match ^[/0-9A-Za-z_-]{1,255}$");
  }

  // ---- snapshots ------------------------------------------------------------------------------------

  TEST_CASE("active snapshots list the streams of the room asked for") {
    ConferenceRoom room = roomWithWaiting({"alice", "bob"});
    REQUIRE(room.publish(kScope, "room1").ok());
    CHECK(room.activeMessage(kWaiting) == Active{kWaiting, {"alice", "bob"}, std::nullopt});
    CHECK(room.activeMessage(kScope) == Active{kScope, {"room1"}, std::nullopt});
    CHECK(room.activeMessage("live/other").streams.empty());
  }

  TEST_CASE("active snapshot names a screen share as the reference does") {
    ConferenceRoom room = roomWithWaiting({"alice", "alice_screenshare"});
    CHECK(room.activeMessage(kWaiting).screenshareName.value_or("") == "alice_screenshare");
  }

  TEST_CASE("conference snapshot carries the scope, the presenter and the order") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"b", "a"});
    CHECK(room.conferenceMessage() == Conference{kScope, std::string("b"), {"b", "a"}});
    CHECK(ConferenceRoom(kScope).conferenceMessage() == Conference{kScope, std::nullopt, {}});
  }

  TEST_CASE("excluded snapshot is addressed to the waiting room") {
    ConferenceRoom room = roomWithWaiting({"m"});
    REQUIRE(room.exclude("m").ok());
    CHECK(room.excludedMessage() == Excluded{kWaiting, {"m"}});
  }
}

TEST_SUITE("conference room: talking") {
  TEST_CASE("only conference members talk, in conference order") {
    ConferenceRoom room = roomWithConference({"a", "b", "w"}, {"a", "b"});
    const RoomChange change = room.setTalking(kScope, {"b", "w", "a"});
    CHECK(change.talking);
    CHECK(room.talking() == List{"a", "b"});
    CHECK(room.talkingMessage() == Talking{kScope, {"a", "b"}});
  }

  TEST_CASE("the same set again, or a change outside the conference, is no change") {
    ConferenceRoom room = roomWithConference({"a", "w"}, {"a"});
    REQUIRE(room.setTalking(kScope, {"a"}).talking);
    CHECK_FALSE(room.setTalking(kScope, {"a"}).talking);
    CHECK_FALSE(room.setTalking(kScope, {"a", "w"}).talking);
    CHECK(room.setTalking(kScope, {}).talking);
    CHECK(room.talking().empty());
  }

  TEST_CASE("a talking member that leaves the conference stops talking at once") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a", "b"});
    room.setTalking(kScope, {"a", "b"});
    auto demoted = room.demote("a");
    REQUIRE(demoted.ok());
    CHECK(demoted->talking);
    CHECK(room.talking() == List{"b"});
    auto excluded = room.exclude("b");
    REQUIRE(excluded.ok());
    CHECK(excluded->talking);
    CHECK(room.talking().empty());
  }

  TEST_CASE("a member whose waiting-room publish ends stops talking") {
    ConferenceRoom room = roomWithConference({"a"}, {"a"});
    room.setTalking(kScope, {"a"});
    auto gone = room.unpublish(kWaiting, "a");
    REQUIRE(gone.ok());
    CHECK(gone->talking);
    CHECK(room.talking().empty());
  }

  TEST_CASE("a stream promoted while its audio join speaks talks at once") {
    ConferenceRoom room = roomWithWaiting({"a"});
    CHECK_FALSE(room.setTalking(kScope, {"a"}).talking);
    auto promoted = room.promote("a");
    REQUIRE(promoted.ok());
    CHECK(promoted->talking);
    CHECK(room.talking() == List{"a"});
  }

  TEST_CASE("a waiting stream talks by its waiting-room publish until it is a member") {
    ConferenceRoom room = roomWithConference({"a", "w"}, {"a"});
    CHECK(room.setTalking(kWaiting, {"w", "a"}).talking);
    // a is a member: only its audio join counts.
    CHECK(room.talking() == List{"w"});
    REQUIRE(room.setTalking(kScope, {"a"}).talking);
    CHECK(room.talking() == List{"a", "w"});
    // Promoted, w counts by its audio join, which has not spoken yet.
    auto promoted = room.promote("w");
    REQUIRE(promoted.ok());
    CHECK(promoted->talking);
    CHECK(room.talking() == List{"a"});
    // Demoted again, its waiting-room publish speaks for it.
    auto demoted = room.demote("w");
    REQUIRE(demoted.ok());
    CHECK(demoted->talking);
    CHECK(room.talking() == List{"a", "w"});
    CHECK_FALSE(room.setTalking("live/other", {"x"}).talking);
  }

  TEST_CASE("a change that does not touch who talks does not say it does") {
    ConferenceRoom room = roomWithConference({"a", "b"}, {"a", "b"});
    room.setTalking(kScope, {"b"});
    auto presenter = room.setPresenter("b");
    REQUIRE(presenter.ok());
    CHECK_FALSE(presenter->talking);
    auto refused = room.demote("nobody");
    CHECK_FALSE(refused.ok());
  }
}
