#pragma once
// The host console's keyboard: every host action on a tile without the mouse. One table
// (hostShortcuts()) is both what the `?` overlay lists and what pressKey() applies, so the help can
// never disagree with the keys.
//
// The keyboard has a focused tile (a stream in the waiting room or in the conference), the help overlay,
// and a pending "destroy the composition?" question:
//
//   state \ key        | ←/→          | ↑/↓         | a r p x, ⇧←/⇧→ | d                 | Enter          | Esc / ?
//   browsing           | focus moves  | other list  | command        | → confirming      | -              | Esc: no focus, ?: help
//   confirming destroy | -            | -           | -              | -                 | destroy, back  | Esc: back
//   help open          | as browsing  | as browsing | as browsing    | as browsing       | -              | closes help
//
// A focused stream that moves between the lists (added, removed) is followed, also across the moment
// when the server's two pushes have taken it out of one list and not yet into the other; one that stays
// gone for kFocusGraceMs leaves the focus on the first tile of its list, or on nothing.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/sessions/host_session.hpp"

namespace confhost {

enum class Key { Left, Right, Up, Down, Enter, Escape, A, R, P, X, D, Question };
struct KeyPress {
  Key key;
  bool shift = false;
};
// "left", "right", "up", "down", "enter", "escape", "a", "r", "p", "x", "d", "?" (automation's names).
Expected<Key> keyNamed(std::string_view name);

enum class HostAction { FocusPrevious, FocusNext, FocusWaiting, FocusConference, Add, Remove, Present, Exclude,
                        MoveLeft, MoveRight, AskDestroy, Confirm, Cancel, ToggleHelp };

struct HostShortcut {
  Key key;
  bool shift;
  HostAction action;
  std::string_view keys;  // as the overlay prints them
  std::string_view does;
};
const std::vector<HostShortcut>& hostShortcuts();

enum class TileList { Waiting, Conference };
struct HostKeyboard {
  TileList list = TileList::Waiting;
  std::string stream;  // "" = no tile focused
  bool helpOpen = false;
  bool confirmingDestroy = false;
  std::int64_t missingSinceMs = -1;  // when `stream` was last seen in neither list (-1: it is in one)
};
inline constexpr std::int64_t kFocusGraceMs = 2000;

using KeyCommand = std::variant<std::monostate, host::AddToConference, host::Exclude, host::RemoveFromConference,
                                host::MakePresenter, host::Move, host::Ban, host::DestroyComposition>;
struct KeyOutcome {
  HostKeyboard keyboard;
  KeyCommand command;  // monostate: the key changed only the keyboard (or nothing)
};

// The keyboard after the lists changed (the focus follows its stream, or moves to a neighbour).
HostKeyboard refocus(const HostKeyboard& keyboard, const HostState& state, std::int64_t nowMs);
KeyOutcome pressKey(const HostKeyboard& keyboard, const HostState& state, KeyPress key, std::int64_t nowMs);
// The Destroy button asks the same question the key does.
HostKeyboard askDestroy(HostKeyboard keyboard, const HostState& state);

}  // namespace confhost
