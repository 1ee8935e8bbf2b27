#pragma once
// The mixer's composite clock: one tick per 1/framerate, on its own cadence (not the page's animation
// frames). A late tick delays the next one instead of bursting to catch up: a composite frame drawn
// twice in a row shows nothing new and costs an encode.
#include <cstdint>

namespace confhost {

class FrameClock {
 public:
  explicit FrameClock(int framerate = 30) { setFramerate(framerate); }
  void setFramerate(int framerate);
  double intervalMs() const { return intervalMs_; }

  // True when a composite frame is due at nowMs (and schedules the next one).
  bool due(double nowMs);
  // Milliseconds until the next frame is due (0 when it is due now).
  double untilNextMs(double nowMs) const;

 private:
  double intervalMs_ = 1000.0 / 30;
  double nextAt_ = 0;
};

}  // namespace confhost
