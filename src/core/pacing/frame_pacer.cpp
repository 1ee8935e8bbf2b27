#include "core/pacing/frame_pacer.hpp"

namespace confhost {

const char* toString(DrawReason r) {
  switch (r) {
    case DrawReason::None: return "none";
    case DrawReason::Input: return "input";
    case DrawReason::Settle: return "settle";
    case DrawReason::State: return "state";
    case DrawReason::Stats: return "stats";
    case DrawReason::Heartbeat: return "heartbeat";
  }
  return "";
}

DrawReason FramePacer::shouldDraw(double nowMs, const FrameSignals& signals) {
  pendingInput_ = pendingInput_ || signals.input;
  pendingState_ = pendingState_ || signals.stateChanged;
  pendingStats_ = pendingStats_ || signals.newStats;
  const double since = nowMs - lastDrawAt_;

  if (pendingInput_ && since >= limits_.inputIntervalMs) return draw(nowMs, DrawReason::Input);
  if (settleLeft_ > 0 && since >= limits_.inputIntervalMs) {
    --settleLeft_;
    return draw(nowMs, DrawReason::Settle);
  }
  if (pendingState_ && since >= limits_.stateIntervalMs) return draw(nowMs, DrawReason::State);
  if (pendingStats_ && since >= limits_.statsIntervalMs) return draw(nowMs, DrawReason::Stats);
  if (since >= limits_.heartbeatMs) return draw(nowMs, DrawReason::Heartbeat);
  return DrawReason::None;
}

DrawReason FramePacer::draw(double nowMs, DrawReason why) {
  // Every pending signal is served by this frame: it shows the newest state.
  if (why == DrawReason::Input || why == DrawReason::State) settleLeft_ = limits_.settleFrames;
  pendingInput_ = pendingState_ = pendingStats_ = false;
  lastDrawAt_ = nowMs;
  ++drawn_;
  return why;
}

}  // namespace confhost
