#pragma once
// Runs MixerSession on the mixing page: its socket (mixer=true&mixerId=ID), its media sessions (the
// publish of canvas + mix, the muted AudioBridge join, one play per conference stream), and draws the
// session's render list into the composition-sized canvas (app/platform/media/mixer_canvas) at the
// composition's framerate. The page's own ImGui view is only a status panel, redrawn a few times a
// second (the mixer node is headless).
#include <nlohmann/json.hpp>

#include <string>

#include "core/pacing/frame_clock.hpp"
#include "core/sessions/mixer_session.hpp"
#include "core/protocol/query_string.hpp"
#include "app/consoles/session_runner.hpp"

namespace confhost {

class MixerConsole {
 public:
  MixerConsole(WebSocketTransport& transport, RtcEngine& rtc, const QueryParams& query, std::string origin,
               uint32_t seed);
  ~MixerConsole();
  MixerConsole(const MixerConsole&) = delete;
  MixerConsole& operator=(const MixerConsole&) = delete;

  void tick(int64_t nowMs);  // every loop turn: session clock, input frames, the canvas when its clock is due
  const MixerSession& session() const { return session_; }
  const std::string& configError() const { return configError_; }
  double outputFps() const { return outputFps_; }
  double frameIntervalMs() const { return clock_.intervalMs(); }
  const PeerStats* stats(const std::string& session) const;
  // MixerSession::stateJson() + {"configError", "outputFps", "framesDrawn", "stats": {session: {...}}}
  nlohmann::json stateJson() const;

 private:
  void feed(const MixerEvent& event);
  void perform(const MixerEffect& effect);
  void drawCanvas();

  RtcEngine& rtc_;
  SessionRunner runner_;
  MixerSession session_;
  std::string configError_;
  FrameClock clock_;
  int64_t framesDrawn_ = 0;
  int64_t fpsWindowStart_ = 0;
  int64_t fpsWindowFrames_ = 0;
  double outputFps_ = 0;
};

}  // namespace confhost
