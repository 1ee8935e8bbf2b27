#include "core/sessions/host_keyboard.hpp"

#include <algorithm>

namespace confhost {

const std::vector<HostShortcut>& hostShortcuts() {
  static const std::vector<HostShortcut> table = {
      {Key::Left, false, HostAction::FocusPrevious, "←", "focus the previous tile"},
      {Key::Right, false, HostAction::FocusNext, "→", "focus the next tile"},
      {Key::Up, false, HostAction::FocusWaiting, "↑", "focus the waiting room"},
      {Key::Down, false, HostAction::FocusConference, "↓", "focus the conference"},
      {Key::A, false, HostAction::Add, "A", "add the focused waiting stream to the conference"},
      {Key::R, false, HostAction::Remove, "R", "remove the focused member (back to the waiting room)"},
      {Key::P, false, HostAction::Present, "P", "make the focused member the presenter"},
      {Key::X, false, HostAction::Exclude, "X", "exclude the focused stream (a member is banned)"},
      {Key::Left, true, HostAction::MoveLeft, "Shift+←", "move the focused member one place earlier"},
      {Key::Right, true, HostAction::MoveRight, "Shift+→", "move the focused member one place later"},
      {Key::D, false, HostAction::AskDestroy, "D", "destroy the selected composition (asks first)"},
      {Key::Enter, false, HostAction::Confirm, "Enter", "confirm the destroy"},
      {Key::Escape, false, HostAction::Cancel, "Esc", "cancel the question, close this help, or drop the focus"},
      {Key::Question, false, HostAction::ToggleHelp, "?", "show or hide this list"},
  };
  return table;
}

Expected<Key> keyNamed(std::string_view name) {
  static constexpr std::pair<std::string_view, Key> kNames[] = {
      {"left", Key::Left}, {"right", Key::Right}, {"up", Key::Up}, {"down", Key::Down}, {"enter", Key::Enter},
      {"escape", Key::Escape}, {"a", Key::A}, {"r", Key::R}, {"p", Key::P}, {"x", Key::X}, {"d", Key::D},
      {"?", Key::Question}};
  for (const auto& [n, key] : kNames)
    if (n == name) return key;
  return Error{"key", "unknown key '" + std::string(name) + "' (left, right, up, down, enter, escape, a, r, p, x, d, ?)"};
}

namespace {

const std::vector<std::string>& listOf(const HostState& state, TileList list) {
  return list == TileList::Waiting ? state.waiting : state.conference;
}

int indexIn(const std::vector<std::string>& list, const std::string& stream) {
  const auto it = std::find(list.begin(), list.end(), stream);
  return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

HostKeyboard focusAt(HostKeyboard k, const HostState& state, TileList list, int index) {
  const auto& streams = listOf(state, list);
  k.list = list;
  k.missingSinceMs = -1;
  k.stream = streams.empty() ? "" : streams[std::clamp(index, 0, static_cast<int>(streams.size()) - 1)];
  return k;
}

}  // namespace

HostKeyboard refocus(const HostKeyboard& keyboard, const HostState& state, std::int64_t nowMs) {
  if (keyboard.stream.empty()) return keyboard;
  HostKeyboard k = keyboard;
  const TileList other = k.list == TileList::Waiting ? TileList::Conference : TileList::Waiting;
  if (indexIn(listOf(state, k.list), k.stream) >= 0 || indexIn(listOf(state, other), k.stream) >= 0) {
    if (indexIn(listOf(state, k.list), k.stream) < 0) k.list = other;  // added or removed: the focus goes with it
    k.missingSinceMs = -1;
    return k;
  }
  if (k.missingSinceMs < 0) k.missingSinceMs = nowMs;
  if (nowMs - k.missingSinceMs < kFocusGraceMs) return k;  // between the two lists' pushes
  k.stream.clear();  // gone (excluded, left): nothing to follow
  k.missingSinceMs = -1;
  return focusAt(k, state, k.list, 0);
}

HostKeyboard askDestroy(HostKeyboard keyboard, const HostState& state) {
  keyboard.confirmingDestroy = !state.selectedEvent.empty();
  return keyboard;
}

KeyOutcome pressKey(const HostKeyboard& keyboard, const HostState& state, KeyPress key, std::int64_t nowMs) {
  HostKeyboard k = refocus(keyboard, state, nowMs);
  const auto it = std::find_if(hostShortcuts().begin(), hostShortcuts().end(),
                               [&](const HostShortcut& s) { return s.key == key.key && s.shift == key.shift; });
  if (it == hostShortcuts().end()) return {k, {}};
  const HostAction action = it->action;

  if (k.confirmingDestroy) {
    if (action == HostAction::Confirm) {
      k.confirmingDestroy = false;
      return {k, host::DestroyComposition{state.selectedEvent}};
    }
    if (action == HostAction::Cancel) k.confirmingDestroy = false;
    return {k, {}};  // nothing else happens while the question is open
  }

  const auto& streams = listOf(state, k.list);
  const int at = indexIn(streams, k.stream);
  // A key meant for a stream that has just gone must not act on the neighbour that took its focus (nor
  // on the missing one, which the server no longer lists).
  const bool lost = (!keyboard.stream.empty() && k.stream != keyboard.stream) || k.missingSinceMs >= 0;
  const bool inConference = k.list == TileList::Conference && at >= 0 && !lost;
  const bool waiting = k.list == TileList::Waiting && at >= 0 && !lost;
  switch (action) {
    case HostAction::FocusPrevious:
      return {at < 0 ? focusAt(k, state, k.list, 0) : focusAt(k, state, k.list, at - 1), {}};
    case HostAction::FocusNext:
      return {at < 0 ? focusAt(k, state, k.list, 0) : focusAt(k, state, k.list, at + 1), {}};
    case HostAction::FocusWaiting:
      return {focusAt(k, state, TileList::Waiting, k.list == TileList::Waiting ? at : 0), {}};
    case HostAction::FocusConference:
      return {focusAt(k, state, TileList::Conference, k.list == TileList::Conference ? at : 0), {}};
    case HostAction::Add:
      if (waiting) return {k, host::AddToConference{k.stream}};
      break;
    case HostAction::Remove:
      if (inConference) return {k, host::RemoveFromConference{k.stream}};
      break;
    case HostAction::Present:
      if (inConference && state.presenter != k.stream) return {k, host::MakePresenter{k.stream}};
      break;
    case HostAction::Exclude:
      if (waiting) return {k, host::Exclude{k.stream}};
      if (inConference) return {k, host::Ban{k.stream}};
      break;
    case HostAction::MoveLeft:
      if (inConference && at > 0) return {k, host::Move{k.stream, at - 1}};
      break;
    case HostAction::MoveRight:
      if (inConference && at + 1 < static_cast<int>(streams.size())) return {k, host::Move{k.stream, at + 1}};
      break;
    case HostAction::AskDestroy:
      return {askDestroy(k, state), {}};
    case HostAction::Confirm:
      break;
    case HostAction::Cancel:
      if (k.helpOpen) k.helpOpen = false;
      else k.stream.clear();
      return {k, {}};
    case HostAction::ToggleHelp:
      k.helpOpen = !k.helpOpen;
      return {k, {}};
  }
  return {k, {}};
}

}  // namespace confhost
