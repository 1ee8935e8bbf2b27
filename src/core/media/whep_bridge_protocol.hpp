#pragma once
// The control channel between the server (GstWhepBridge) and one confhost-whep-bridge process: one JSON
// object per line, in both directions, over a unix stream socket. Shared by both ends so they cannot
// drift apart; no I/O here.
//
// Server → bridge ("commands"):
//   {"type":"open","originOffer":SDP,"viewerOffer":SDP}   once, first
//   {"type":"candidates","sdpfrag":TEXT}                   trickled viewer candidates (WHEP PATCH body)
//   {"type":"close"}                                       end now (the process exits)
// Bridge → server ("events"):
//   {"type":"opened","originAnswer":SDP,"viewerAnswer":SDP} | {"type":"openFailed","error":TEXT}
//   {"type":"refused","error":TEXT}   a command line it could not use (it changes nothing and goes on)
//   {"type":"state","what":TEXT}      progress worth a log line (connected, first frame, keyframe asked)
//   {"type":"ended","reason":TEXT}    it is ending by itself (viewer ICE failed, origin gone, error)
#include <cstddef>
#include <string>
#include <variant>

#include "core/protocol/expected.hpp"

namespace confhost::bridge {

// A line longer than this is refused: SDPs are a few kB, so this bounds memory on both ends.
constexpr std::size_t kMaxLine = 256 * 1024;

struct Open {
  std::string originOffer, viewerOffer;
};
struct Candidates {
  std::string sdpfrag;
};
struct Close {};
using Command = std::variant<Open, Candidates, Close>;

struct Opened {
  std::string originAnswer, viewerAnswer;
};
struct OpenFailed {
  std::string error;
};
struct Refused {
  std::string error;
};
struct State {
  std::string what;
};
struct Ended {
  std::string reason;
};
using Event = std::variant<Opened, OpenFailed, Refused, State, Ended>;

// One line each (no trailing newline in the input; the output ends with '\n').
Expected<Command> parseCommand(const std::string& line);
std::string formatCommand(const Command& command);
Expected<Event> parseEvent(const std::string& line);
std::string formatEvent(const Event& event);

}  // namespace confhost::bridge
