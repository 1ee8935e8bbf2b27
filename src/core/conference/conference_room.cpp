#include "core/conference/conference_room.hpp"

#include <algorithm>

#include "core/protocol/names.hpp"

namespace confhost {

namespace {

using List = std::vector<std::string>;

bool contains(const List& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool erase(List& list, std::string_view name) {
  auto it = std::find(list.begin(), list.end(), name);
  if (it == list.end()) return false;
  list.erase(it);
  return true;
}

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

}  // namespace

ConferenceRoom::ConferenceRoom(std::string scope) : scope_(conferenceScopeOf(scope)) {}

std::string ConferenceRoom::waitingRoom() const { return waitingRoomOf(scope_); }

bool ConferenceRoom::isExcluded(std::string_view streamName) const { return contains(excluded_, streamName); }

List ConferenceRoom::talking() const {
  List out;
  for (const auto& name : conference_)
    if (contains(speaking_, name)) out.push_back(name);
  for (const auto& name : waiting_)
    if (!contains(conference_, name) && contains(speakingWaiting_, name)) out.push_back(name);
  return out;
}

template <class Op>
Expected<RoomChange> ConferenceRoom::notingTalking(Op op) {
  const List before = talking();
  Expected<RoomChange> change = op();
  if (change) change.value().talking = talking() != before;
  return change;
}

RoomChange ConferenceRoom::setTalking(std::string_view room, List streams) {
  const List before = talking();
  if (room == scope_) speaking_ = std::move(streams);
  else if (room == waitingRoom()) speakingWaiting_ = std::move(streams);
  RoomChange change;
  change.talking = talking() != before;
  return change;
}

// Removes a conference member and applies the presenter rule: the next one in list order takes over,
// or the previous one when the presenter was last, or nobody when the list is now empty.
void ConferenceRoom::dropFromConference(std::string_view streamName) {
  auto it = std::find(conference_.begin(), conference_.end(), streamName);
  if (it == conference_.end()) return;
  size_t index = static_cast<size_t>(it - conference_.begin());
  bool wasPresenter = presenter_ == streamName;
  conference_.erase(it);
  if (!wasPresenter) return;
  if (conference_.empty()) presenter_.clear();
  else presenter_ = conference_[std::min(index, conference_.size() - 1)];
}

Expected<RoomChange> ConferenceRoom::publish(std::string_view room, std::string_view streamName) {
  if (auto e = validateName("streamName", streamName); !e) return e.error();
  bool toWaiting = room == waitingRoom();
  if (!toWaiting && room != scope_)
    return Error{"room", quoted(room) + " is not " + scope_ + " or its waiting room"};
  if (isExcluded(streamName)) return Error{"streamName", quoted(streamName) + " is excluded"};
  List& list = toWaiting ? waiting_ : active_;
  RoomChange change;
  if (contains(list, streamName)) return change;  // a repeated start event changes nothing
  list.emplace_back(streamName);
  (toWaiting ? change.waiting : change.scopeActive) = true;
  return change;
}

Expected<RoomChange> ConferenceRoom::unpublish(std::string_view room, std::string_view streamName) {
  return notingTalking([&]() -> Expected<RoomChange> {
    if (auto e = validateName("streamName", streamName); !e) return e.error();
    bool fromWaiting = room == waitingRoom();
    if (!fromWaiting && room != scope_)
      return Error{"room", quoted(room) + " is not " + scope_ + " or its waiting room"};
    RoomChange change;
    if (!fromWaiting) {
      change.scopeActive = erase(active_, streamName);
      return change;
    }
    change.waiting = erase(waiting_, streamName);
    // The conference shows the waiting-room stream: without its source it cannot stay.
    if (contains(conference_, streamName)) {
      dropFromConference(streamName);
      change.conference = true;
    }
    return change;
  });
}

Expected<RoomChange> ConferenceRoom::promote(std::string_view streamName) {
  return notingTalking([&]() -> Expected<RoomChange> {
    if (auto e = validateName("streamName", streamName); !e) return e.error();
    if (isExcluded(streamName)) return Error{"streamName", quoted(streamName) + " is excluded"};
    if (contains(conference_, streamName))
      return Error{"streamName", quoted(streamName) + " is already in the conference"};
    if (!contains(waiting_, streamName))
      return Error{"streamName", quoted(streamName) + " is not in the waiting room"};
    conference_.emplace_back(streamName);
    if (presenter_.empty()) presenter_ = std::string(streamName);
    RoomChange change;
    change.conference = true;
    return change;
  });
}

Expected<RoomChange> ConferenceRoom::demote(std::string_view streamName) {
  return notingTalking([&]() -> Expected<RoomChange> {
    if (auto e = validateName("streamName", streamName); !e) return e.error();
    if (!contains(conference_, streamName))
      return Error{"streamName", quoted(streamName) + " is not in the conference"};
    dropFromConference(streamName);
    RoomChange change;
    change.conference = true;
    return change;
  });
}

Expected<RoomChange> ConferenceRoom::setPresenter(std::string_view streamName) {
  if (auto e = validateName("streamName", streamName); !e) return e.error();
  if (!contains(conference_, streamName))
    return Error{"streamName", quoted(streamName) + " is not in the conference"};
  RoomChange change;
  if (presenter_ == streamName) return change;
  presenter_ = std::string(streamName);
  change.conference = true;
  return change;
}

Expected<RoomChange> ConferenceRoom::order(std::string_view streamName, int index) {
  return notingTalking([&]() -> Expected<RoomChange> {
    if (auto e = validateName("streamName", streamName); !e) return e.error();
    auto it = std::find(conference_.begin(), conference_.end(), streamName);
    if (it == conference_.end()) return Error{"streamName", quoted(streamName) + " is not in the conference"};
    size_t from = static_cast<size_t>(it - conference_.begin());
    size_t to = index <= 0 ? 0 : std::min(static_cast<size_t>(index), conference_.size() - 1);
    RoomChange change;
    if (from == to) return change;
    std::string moving = std::move(*it);
    conference_.erase(it);
    conference_.insert(conference_.begin() + static_cast<std::ptrdiff_t>(to), std::move(moving));
    change.conference = true;
    return change;
  });
}

Expected<RoomChange> ConferenceRoom::exclude(std::string_view streamName) {
  return notingTalking([&]() -> Expected<RoomChange> {
    if (auto e = validateName("streamName", streamName); !e) return e.error();
    RoomChange change;
    if (isExcluded(streamName)) return change;  // listed once; excluding again changes nothing
    excluded_.emplace_back(streamName);
    change.excluded = true;
    // The banned stream leaves every list at once, as the reference does for the waiting room; the
    // server also stops its publish.
    change.waiting = erase(waiting_, streamName);
    change.scopeActive = erase(active_, streamName);
    if (contains(conference_, streamName)) {
      dropFromConference(streamName);
      change.conference = true;
    }
    return change;
  });
}

Active ConferenceRoom::activeMessage(std::string_view room) const {
  Active m;
  m.room = std::string(room);
  if (room == waitingRoom()) m.streams = waiting_;
  else if (room == scope_) m.streams = active_;
  // The reference names a screen share by its "_screenshare" suffix, first one wins.
  for (const auto& s : m.streams) {
    if (s.find("_screenshare") != std::string::npos) {
      m.screenshareName = s;
      break;
    }
  }
  return m;
}

Conference ConferenceRoom::conferenceMessage() const {
  Conference m;
  m.room = scope_;
  if (!presenter_.empty()) m.presenter = presenter_;
  m.streams = conference_;
  return m;
}

Excluded ConferenceRoom::excludedMessage() const { return Excluded{waitingRoom(), excluded_}; }

Talking ConferenceRoom::talkingMessage() const { return Talking{scope_, talking()}; }

}  // namespace confhost
