#pragma once
// Runs ParticipantSession in the page: its Conference API socket on the WebSocket transport, its media
// sessions (waiting-room publish, conference publish, composite play, mix-minus) on the RtcEngine. The
// participant hears only the mix-minus; the composite is video only (its audio would echo them).
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "core/sessions/participant_identity.hpp"
#include "core/sessions/participant_session.hpp"
#include "core/settings.hpp"
#include "app/platform/media/rtc_engine.hpp"
#include "app/consoles/session_runner.hpp"
#include "app/consoles/tile_video.hpp"

namespace confhost {

struct StartBroadcast {};
struct StopBroadcast {};
// The page's "who are you" fields, as typed (refused while broadcasting: the name is the stream's).
struct EditIdentity { ParticipantIdentity identity; };
using ParticipantCommand = std::variant<StartBroadcast, StopBroadcast, EditIdentity>;
// {"cmd": "startBroadcast"} | {"cmd": "stopBroadcast"} |
// {"cmd": "editIdentity", "streamName"?: s, "username"?: s, "password"?: s, "token"?: s} (fields left out keep their value)
Expected<ParticipantCommand> parseParticipantCommand(const nlohmann::json& command, const ParticipantIdentity& current);

class ParticipantConsole {
 public:
  ParticipantConsole(WebSocketTransport& transport, RtcEngine& rtc, const Settings& settings, std::string origin,
                     uint32_t seed);
  ~ParticipantConsole();
  ParticipantConsole(const ParticipantConsole&) = delete;
  ParticipantConsole& operator=(const ParticipantConsole&) = delete;

  std::string run(const ParticipantCommand& command);  // "" or why it was refused
  void tick(int64_t nowMs);
  bool broadcasting() const;  // joining, waiting or in the conference

  const ParticipantSession& session() const { return session_; }
  const std::string& lastError() const { return lastError_; }
  const ParticipantConfig& config() const { return config_; }
  const ParticipantIdentity& identity() const { return identity_; }
  const std::vector<Error>& identityProblems() const { return identityProblems_; }
  const TileVideo& localVideo();      // own camera + the waiting-room publish's stats
  const TileVideo& compositeVideo();  // the composite play
  const PeerStats* stats(std::string_view session) const;
  // ParticipantSession::stateJson() + {"lastError", "stats": {session: {...}}, "local": {"hasVideo"}}
  nlohmann::json stateJson() const;

 private:
  void feed(const ParticipantEvent& event);
  void perform(const ParticipantEffect& effect);

  RtcEngine& rtc_;
  SessionRunner runner_;
  ParticipantConfig config_;
  ParticipantIdentity identity_;
  std::vector<Error> identityProblems_;
  ParticipantSession session_;
  int64_t nowMs_ = 0;
  std::string lastError_;
  TileVideo local_, composite_;
  bool localHasVideo_ = false, compositeHasVideo_ = false;
};

}  // namespace confhost
