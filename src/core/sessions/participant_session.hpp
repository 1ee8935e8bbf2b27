#pragma once
// ParticipantSession: the participant page's brain, sans-I/O.
//
// Rules (each has a test in tests/core/participant_session_test.cpp):
// - Every camera publish sends two simulcast layers (full and half size) for the previews' small tiles.
// - Start publishes camera+mic by WHIP to the waiting room "<scope>_wr/<stream>" (session "waiting") and
//   opens a Conference API socket on room "<scope>" (host=false, mixer=false). Joining until that
//   publish is connected with media flowing (signalling done and ICE connected), then Waiting.
// - `conference` for our scope listing our stream → admitted (InConference): publish camera+mic to
//   "<scope>/<stream>" (session "publish"), play the composite "<scope>/<room>" video only (session
//   "composite": its audio would echo us; its half-size layer when the page's tile is no wider than 640
//   px) and join the mix-minus by POST
//   /as/v1/proxy/conference/<scope>/<stream> with a sendrecv audio offer (session "mixMinus"). The
//   waiting-room publish keeps running (the host's list is built from it), but once the conference
//   publish is connected its video goes on standby (media::VideoSend): one full camera encode, not two.
//   Back in the waiting room (or when the conference publish drops) it sends in full again.
// - `conference` without our stream while InConference → removed: those three stop; back to Waiting
//   (or Joining if the waiting-room publish is down).
// - `excluded` for our scope (or its waiting room) listing our stream → everything stops, the socket
//   closes, state Excluded with a message. Later messages change nothing; a new Start may try again.
// - Network loss: the socket reconnects with backoff (the server pushes the lists again on connect) and
//   every media session retries with backoff (0.5 s doubling; the composite caps at 2 s so a participant
//   sees the composite soon after the mixer starts). Nothing is torn down because the socket dropped.
// - Stop ends every media session (DELETE), closes the socket, Stopped.
// - Start while running, or with an invalid config, is refused with ShowError and changes nothing.
// Media effects carry the session id; the adapter routes RTC/HTTP events back in a SessionEvent.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/media/media_session_set.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"
#include "core/sessions/role_io.hpp"

namespace confhost {

struct Settings;

struct ParticipantConfig {
  std::string origin;      // "https://host:port" of the WHIP/WHEP proxy (the page's origin)
  std::string backend;     // Conference API: "host:port" or a ws(s):// URL
  std::string scope;       // "live/room1"
  std::string streamName;  // "alice"
  media::Auth auth;
  std::vector<IceServer> iceServers;
  bool camera = true;
  bool microphone = true;
  // The widest the page draws the composite, in device pixels (0 = unknown): up to 640 the composite is
  // played from the mixer's half-size simulcast layer, which fills such a tile at a quarter of the decode.
  int compositeTilePx = 0;
};
// From the saved settings (participantStreamName, scope, backend, auth when enabled, iceServers, media).
ParticipantConfig participantConfigOf(const Settings& settings, std::string_view origin);
// Error naming the first bad field: origin, backend, scope (valid name with '/', not "_wr"),
// streamName (valid, no '/', not "join"), camera/microphone (at least one).
Status validateParticipantConfig(const ParticipantConfig& config);

enum class ParticipantState { Idle, Joining, Waiting, InConference, Excluded, Stopped };
std::string_view toString(ParticipantState);  // "idle", "joining", "waiting", "inConference", ...

// Session ids in SessionEffect/SessionEvent.
inline constexpr std::string_view kWaitingSession = "waiting";
inline constexpr std::string_view kPublishSession = "publish";
inline constexpr std::string_view kCompositeSession = "composite";
inline constexpr std::string_view kMixMinusSession = "mixMinus";
inline constexpr std::string_view kSessions[] = {kWaitingSession, kPublishSession, kCompositeSession,
                                                 kMixMinusSession};

namespace participant {

using namespace role_io;  // Stop, the socket's events and effects, Tick, Media, MediaEffect, ShowError

struct Start { ParticipantConfig config; };
struct StateChanged { ParticipantState state = ParticipantState::Idle; std::string message; };

}  // namespace participant

using ParticipantEvent = std::variant<participant::Start, participant::Stop, participant::SocketOpened,
                                      participant::SocketClosed, participant::SocketMessage,
                                      participant::Tick, participant::Media>;
using ParticipantEffect = std::variant<participant::OpenSocket, participant::CloseSocket,
                                       participant::MediaEffect, participant::StateChanged,
                                       participant::ShowError>;

class ParticipantSession {
 public:
  explicit ParticipantSession(std::uint32_t seed = 1);

  std::vector<ParticipantEffect> handle(const ParticipantEvent& event);

  ParticipantState state() const { return state_; }
  const std::string& message() const { return message_; }  // why Excluded, or the last problem
  const ParticipantConfig& config() const { return config_; }
  const ReconnectingSocket& socket() const { return socket_; }
  // The client of one session id (kWaitingSession, ...); nullptr for an unknown id.
  const media::MediaSessionClient* client(std::string_view session) const;
  // The latest conference list of our scope, as pushed by the server.
  const std::vector<std::string>& conference() const { return conference_; }
  const std::string& presenter() const { return presenter_; }

  // For window.confhost: {"state","message","scope","streamName","socket":{"state","url","attempts"},
  //  "conference":[..],"presenter", "sessions":{"waiting":{"state","reason","rtcConnected","resource"},..}}
  nlohmann::json stateJson() const;

 private:
  using Out = std::vector<ParticipantEffect>;
  void onStart(Out&, const participant::Start&);
  void onStop(Out&);
  void onMessage(Out&, const std::string& text);
  void onTick(Out&, const participant::Tick&);
  void admit(Out&);
  void leaveConference(Out&);
  void updateWaitingVideo(Out&);
  void exclude(Out&);
  void startMedia(Out&, std::string_view id, Endpoint endpoint, const std::string& scope, media::Tracks tracks,
                  std::string source);
  void stopAll(Out&);
  void updateWaitingState(Out&);
  void enter(Out&, ParticipantState s, std::string message = {});
  bool running() const;
  bool publishingToWaitingRoom() const;  // signalling done and media flowing

  ParticipantState state_ = ParticipantState::Idle;
  std::string message_;
  ParticipantConfig config_;
  ReconnectingSocket socket_;
  std::int64_t now_ = 0;
  std::vector<std::string> conference_;
  std::string presenter_;
  MediaSessionSet media_;  // kSessions
};

}  // namespace confhost
