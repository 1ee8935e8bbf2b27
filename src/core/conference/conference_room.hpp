#pragma once
// The state of one conference on the Conference API, keyed by its conference scope "<app>/<room>": the streams
// publishing in its waiting room "<scope>_wr" and in the conference scope itself, the conference list
// (ordered), the presenter and the excluded (banned) set. Sans-I/O: the server feeds it events and
// pushes what the returned Change says changed. Every refused operation changes nothing.
//
// Rules (each has a test):
// - promote: the stream must be publishing in the waiting room, not excluded, not already in the list;
//   it is appended. The first stream of an empty conference becomes presenter.
// - demote: must be in the conference; removed; if it was presenter, the next one in list order
//   (or the previous when it was last) becomes presenter, none when the list is empty.
// - presenter: must be in the conference list.
// - order: must be in the list; index clamped to [0, size-1]; the stream really moves there.
// - exclude: bans the name (listed once); drops it from the conference (presenter rule as demote) and
//   from the waiting/scope lists (as the reference does; the server also stops the publish); later
//   publishes under that name are refused. Bans persist for the room's lifetime.
// - publish(waiting) of an excluded name is refused; unpublish(waiting) of a conference member
//   removes it from the conference too (its source is gone).
// - talking: the origin reports which streams speak (setTalking, the whole set, per room): conference
//   members by their audio join (room = the scope), waiting streams by their waiting-room publish
//   (room = the waiting room). A conference member counts only by its audio join, so one that leaves
//   the conference stops talking at once, and a waiting stream only while it is not a member. Any
//   operation that changes who is talking says so.
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/protocol/messages.hpp"

namespace confhost {

struct RoomChange {
  bool waiting = false;      // push `active` for "<scope>_wr"
  bool scopeActive = false;  // push `active` for "<scope>"
  bool conference = false;   // push `conference`
  bool excluded = false;     // push `excluded`
  bool talking = false;      // push `confhost.talking` (to host sockets)
  bool any() const { return waiting || scopeActive || conference || excluded || talking; }
};

class ConferenceRoom {
 public:
  explicit ConferenceRoom(std::string scope);

  const std::string& scope() const { return scope_; }
  std::string waitingRoom() const;

  // Streams start/stop publishing; `room` is either the waiting room or the conference scope.
  Expected<RoomChange> publish(std::string_view room, std::string_view streamName);
  Expected<RoomChange> unpublish(std::string_view room, std::string_view streamName);

  Expected<RoomChange> promote(std::string_view streamName);
  Expected<RoomChange> demote(std::string_view streamName);
  Expected<RoomChange> setPresenter(std::string_view streamName);
  Expected<RoomChange> order(std::string_view streamName, int index);
  Expected<RoomChange> exclude(std::string_view streamName);
  // Every stream of `room` (the scope: audio joins; the waiting room: publishes) that speaks now, as
  // the origin reports it. Names that do not count yet are kept: they count once they do.
  RoomChange setTalking(std::string_view room, std::vector<std::string> streams);

  const std::vector<std::string>& waiting() const { return waiting_; }        // publishing in _wr
  const std::vector<std::string>& scopeActive() const { return active_; }     // publishing in scope
  const std::vector<std::string>& conference() const { return conference_; }  // ordered
  const std::string& presenter() const { return presenter_; }                 // "" = none
  const std::vector<std::string>& excluded() const { return excluded_; }
  bool isExcluded(std::string_view streamName) const;
  // Conference members that speak (conference order), then waiting streams that do (waiting order).
  std::vector<std::string> talking() const;

  // Snapshots, ready to send.
  Active activeMessage(std::string_view room) const;  // room = waiting room or scope
  Conference conferenceMessage() const;
  Excluded excludedMessage() const;  // room = the waiting room, as the reference's host page expects
  Talking talkingMessage() const;

 private:
  void dropFromConference(std::string_view streamName);  // applies the presenter rule
  // Runs a change of the conference list and adds whether it changed who is talking.
  template <class Op>
  Expected<RoomChange> notingTalking(Op op);

  std::string scope_;
  std::vector<std::string> waiting_, active_, conference_, excluded_;
  std::vector<std::string> speaking_;         // audio joins, as the origin reported them
  std::vector<std::string> speakingWaiting_;  // waiting-room publishes, likewise
  std::string presenter_;
};

}  // namespace confhost
