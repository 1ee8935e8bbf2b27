// The host console's keyboard (core/sessions/host_keyboard.hpp), one transition per case.
#include <doctest/doctest.h>

#include <set>

#include "core/sessions/host_keyboard.hpp"

using namespace confhost;

namespace {

HostState lists(std::vector<std::string> waiting, std::vector<std::string> conference, std::string presenter = "") {
  HostState s;
  s.waiting = std::move(waiting);
  s.conference = std::move(conference);
  s.presenter = std::move(presenter);
  s.selectedEvent = "room1";
  return s;
}

HostKeyboard focused(TileList list, std::string stream) {
  HostKeyboard k;
  k.list = list;
  k.stream = std::move(stream);
  return k;
}

template <class T>
const T& commandOf(const KeyOutcome& o) {
  REQUIRE(std::holds_alternative<T>(o.command));
  return std::get<T>(o.command);
}

KeyOutcome press(const HostKeyboard& k, const HostState& s, KeyPress key) { return pressKey(k, s, key, 10000); }

bool none(const KeyOutcome& o) { return std::holds_alternative<std::monostate>(o.command); }

}  // namespace

TEST_SUITE("host keyboard") {

TEST_CASE("every action has exactly one key, and no key does two things") {
  std::set<std::pair<int, bool>> keys;
  std::set<int> actions;
  for (const HostShortcut& s : hostShortcuts()) {
    CHECK(keys.insert({static_cast<int>(s.key), s.shift}).second);
    CHECK(actions.insert(static_cast<int>(s.action)).second);
    CHECK_FALSE(s.keys.empty());
    CHECK_FALSE(s.does.empty());
  }
  CHECK(actions.size() == static_cast<std::size_t>(HostAction::ToggleHelp) + 1);
}

TEST_CASE("right with nothing focused focuses the first tile of the list, then moves and stops at the end") {
  const HostState s = lists({"a", "b"}, {});
  KeyOutcome o = press(HostKeyboard{}, s, {Key::Right});
  CHECK(o.keyboard.stream == "a");
  o = press(o.keyboard, s, {Key::Right});
  CHECK(o.keyboard.stream == "b");
  o = press(o.keyboard, s, {Key::Right});
  CHECK(o.keyboard.stream == "b");
  CHECK(none(o));
}

TEST_CASE("left moves back and stops at the first tile") {
  const HostState s = lists({"a", "b"}, {});
  KeyOutcome o = press(focused(TileList::Waiting, "b"), s, {Key::Left});
  CHECK(o.keyboard.stream == "a");
  CHECK(press(o.keyboard, s, {Key::Left}).keyboard.stream == "a");
}

TEST_CASE("down focuses the conference's first member, up the waiting room's first stream") {
  const HostState s = lists({"a"}, {"m", "n"});
  KeyOutcome o = press(focused(TileList::Waiting, "a"), s, {Key::Down});
  CHECK((o.keyboard.list == TileList::Conference));
  CHECK(o.keyboard.stream == "m");
  o = press(o.keyboard, s, {Key::Up});
  CHECK((o.keyboard.list == TileList::Waiting));
  CHECK(o.keyboard.stream == "a");
}

TEST_CASE("down into an empty conference focuses nothing") {
  const KeyOutcome o = press(focused(TileList::Waiting, "a"), lists({"a"}, {}), {Key::Down});
  CHECK(o.keyboard.stream.empty());
}

TEST_CASE("A adds the focused waiting stream, and does nothing on a member") {
  const HostState s = lists({"a"}, {"m"});
  CHECK(commandOf<host::AddToConference>(press(focused(TileList::Waiting, "a"), s, {Key::A})).streamName == "a");
  CHECK(none(press(focused(TileList::Conference, "m"), s, {Key::A})));
}

TEST_CASE("R removes the focused member, and does nothing in the waiting room") {
  const HostState s = lists({"a"}, {"m"});
  CHECK(commandOf<host::RemoveFromConference>(press(focused(TileList::Conference, "m"), s, {Key::R})).streamName == "m");
  CHECK(none(press(focused(TileList::Waiting, "a"), s, {Key::R})));
}

TEST_CASE("P makes the focused member presenter, unless it already is") {
  const HostState s = lists({}, {"m", "n"}, "m");
  CHECK(commandOf<host::MakePresenter>(press(focused(TileList::Conference, "n"), s, {Key::P})).streamName == "n");
  CHECK(none(press(focused(TileList::Conference, "m"), s, {Key::P})));
}

TEST_CASE("X excludes a waiting stream and bans a member") {
  const HostState s = lists({"a"}, {"m"});
  CHECK(commandOf<host::Exclude>(press(focused(TileList::Waiting, "a"), s, {Key::X})).streamName == "a");
  CHECK(commandOf<host::Ban>(press(focused(TileList::Conference, "m"), s, {Key::X})).streamName == "m");
}

TEST_CASE("shift+arrows move the focused member within the list's bounds") {
  const HostState s = lists({}, {"m", "n", "o"});
  const host::Move left = commandOf<host::Move>(press(focused(TileList::Conference, "n"), s, {Key::Left, true}));
  CHECK(left.streamName == "n");
  CHECK(left.index == 0);
  CHECK(commandOf<host::Move>(press(focused(TileList::Conference, "n"), s, {Key::Right, true})).index == 2);
  CHECK(none(press(focused(TileList::Conference, "m"), s, {Key::Left, true})));
  CHECK(none(press(focused(TileList::Conference, "o"), s, {Key::Right, true})));
}

TEST_CASE("D asks first: Enter destroys the selected composition, Esc keeps it") {
  const HostState s = lists({"a"}, {});
  KeyOutcome o = press(HostKeyboard{}, s, {Key::D});
  CHECK(o.keyboard.confirmingDestroy);
  CHECK(none(o));
  const KeyOutcome yes = press(o.keyboard, s, {Key::Enter});
  CHECK(commandOf<host::DestroyComposition>(yes).event == "room1");
  CHECK_FALSE(yes.keyboard.confirmingDestroy);
  const KeyOutcome no = press(o.keyboard, s, {Key::Escape});
  CHECK(none(no));
  CHECK_FALSE(no.keyboard.confirmingDestroy);
}

TEST_CASE("while the destroy question is open no other key acts") {
  const HostState s = lists({"a"}, {});
  HostKeyboard k = focused(TileList::Waiting, "a");
  k.confirmingDestroy = true;
  for (Key key : {Key::A, Key::X, Key::Right, Key::D, Key::Question}) {
    const KeyOutcome o = press(k, s, {key});
    CHECK(none(o));
    CHECK(o.keyboard.confirmingDestroy);
    CHECK_FALSE(o.keyboard.helpOpen);
  }
}

TEST_CASE("D with no composition selected asks nothing, and Enter alone destroys nothing") {
  HostState s = lists({}, {});
  s.selectedEvent.clear();
  CHECK_FALSE(press(HostKeyboard{}, s, {Key::D}).keyboard.confirmingDestroy);
  CHECK(none(press(HostKeyboard{}, lists({}, {}), {Key::Enter})));
}

TEST_CASE("? toggles the help, Esc closes it first and drops the focus after") {
  const HostState s = lists({"a"}, {});
  KeyOutcome o = press(focused(TileList::Waiting, "a"), s, {Key::Question});
  CHECK(o.keyboard.helpOpen);
  CHECK(press(o.keyboard, s, {Key::Question}).keyboard.helpOpen == false);
  o = press(o.keyboard, s, {Key::Escape});
  CHECK_FALSE(o.keyboard.helpOpen);
  CHECK(o.keyboard.stream == "a");
  CHECK(press(o.keyboard, s, {Key::Escape}).keyboard.stream.empty());
}

TEST_CASE("the focus follows a stream that moves between the lists") {
  const HostKeyboard k = focused(TileList::Waiting, "a");
  const HostKeyboard after = refocus(k, lists({}, {"a"}), 0);
  CHECK((after.list == TileList::Conference));
  CHECK(after.stream == "a");
}

TEST_CASE("between the two lists' pushes the focus waits for its stream, and then follows it") {
  HostKeyboard k = refocus(focused(TileList::Waiting, "a"), lists({}, {}), 1000);  // out of the waiting room
  CHECK(k.stream == "a");
  CHECK(k.missingSinceMs == 1000);
  k = refocus(k, lists({}, {"a"}), 1000 + kFocusGraceMs - 1);  // into the conference
  CHECK((k.list == TileList::Conference));
  CHECK(k.stream == "a");
  CHECK(k.missingSinceMs == -1);
}

TEST_CASE("a focused stream gone for the grace time leaves the focus on the list's first tile, or on nothing") {
  HostKeyboard k = refocus(focused(TileList::Waiting, "a"), lists({"b"}, {}), 0);
  CHECK(k.stream == "a");
  CHECK(refocus(k, lists({"b"}, {}), kFocusGraceMs).stream == "b");
  k = refocus(focused(TileList::Waiting, "a"), lists({}, {}), 0);
  CHECK(refocus(k, lists({}, {}), kFocusGraceMs).stream.empty());
}

TEST_CASE("a command key on a focus that is missing or gone never acts: not on it, not on a neighbour") {
  HostKeyboard missing = refocus(focused(TileList::Waiting, "gone"), lists({"b"}, {}), 9000);
  CHECK(none(press(missing, lists({"b"}, {}), {Key::A})));  // 1 s later: still waiting for it
  const KeyOutcome o = press(focused(TileList::Waiting, "gone"), lists({"b"}, {}), {Key::A});
  CHECK(none(o));
  CHECK(o.keyboard.missingSinceMs == 10000);
  const KeyOutcome later = pressKey(o.keyboard, lists({"b"}, {}), {Key::X}, 10000 + kFocusGraceMs);
  CHECK(none(later));
  CHECK(later.keyboard.stream == "b");
  CHECK(commandOf<host::AddToConference>(press(later.keyboard, lists({"b"}, {}), {Key::A})).streamName == "b");
}

}  // TEST_SUITE
