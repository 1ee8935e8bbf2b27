#include "core/pacing/frame_clock.hpp"

#include <algorithm>

namespace confhost {

void FrameClock::setFramerate(int framerate) { intervalMs_ = 1000.0 / std::max(1, framerate); }

bool FrameClock::due(double nowMs) {
  if (nowMs < nextAt_) return false;
  // Keep the cadence while on time; after a late frame start the next interval from now.
  nextAt_ = std::max(nextAt_ + intervalMs_, nowMs + intervalMs_ / 2);
  return true;
}

double FrameClock::untilNextMs(double nowMs) const { return std::max(0.0, nextAt_ - nowMs); }

}  // namespace confhost
