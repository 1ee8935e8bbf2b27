#pragma once
// When the console draws. A frame of ImGui on a software-rendered page costs milliseconds of CPU that a
// user's laptop pays for, so the page draws only when what it shows may have changed:
//   - input (mouse, keys, scroll, a canvas resize): at once, then a few settle frames, because ImGui
//     needs a frame or two to apply hover and layout changes after an event;
//   - a change of state (a socket or HTTP answer, a media session event, a route change, a command):
//     at once, at most one frame per `stateIntervalMs`;
//   - not a new video frame: tiles show the peer's own video element, which the browser composites;
//   - new media statistics (bitrate, fps, levels under the tiles): at most once per `statsIntervalMs`;
//   - otherwise a heartbeat every `heartbeatMs` (countdowns); an idle console draws nothing else.
// Sans-I/O: the platform loop asks `shouldDraw` on each animation frame and draws when it says so.
#include <cstdint>

namespace confhost {

struct FramePacerLimits {
  double stateIntervalMs = 0;     // 0 = no cap beyond the animation frame
  double statsIntervalMs = 1000;
  double heartbeatMs = 5000;
  double inputIntervalMs = 0;     // 0 = every animation frame while input arrives
  int settleFrames = 2;
};

// What happened since the previous animation frame.
struct FrameSignals {
  bool input = false;           // mouse, keyboard, scroll, resize
  bool stateChanged = false;    // anything the view reads changed
  bool newStats = false;        // media statistics the view shows were refreshed
};

enum class DrawReason { None, Input, Settle, State, Stats, Heartbeat };
const char* toString(DrawReason r);

class FramePacer {
 public:
  explicit FramePacer(FramePacerLimits limits = {}) : limits_(limits) {}

  // Called once per animation frame; returns why to draw now (None: skip this frame). A signal that
  // arrives while its interval has not elapsed is kept and drawn as soon as it has.
  DrawReason shouldDraw(double nowMs, const FrameSignals& signals);

  const FramePacerLimits& limits() const { return limits_; }
  void setLimits(const FramePacerLimits& limits) { limits_ = limits; }
  std::int64_t framesDrawn() const { return drawn_; }

 private:
  DrawReason draw(double nowMs, DrawReason why);

  FramePacerLimits limits_;
  double lastDrawAt_ = -1e12;
  int settleLeft_ = 0;
  bool pendingInput_ = false;
  bool pendingState_ = true;  // the first frame draws
  bool pendingStats_ = false;
  std::int64_t drawn_ = 0;
};

}  // namespace confhost
