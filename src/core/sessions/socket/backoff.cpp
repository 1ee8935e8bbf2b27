#include "core/sessions/socket/backoff.hpp"

#include <algorithm>

namespace confhost {

Backoff::Backoff(int64_t initialMs, int64_t maxMs, double jitter)
    : initialMs_(initialMs), maxMs_(std::max(initialMs, maxMs)), jitter_(std::clamp(jitter, 0.0, 1.0)) {}

int64_t Backoff::baseDelayMs() const {
  int64_t delay = initialMs_;
  for (int i = 0; i < attempts_ && delay < maxMs_; ++i) delay *= 2;
  return std::min(delay, maxMs_);
}

int64_t Backoff::next(std::mt19937& rng) {
  int64_t base = baseDelayMs();
  ++attempts_;
  // u in [0, 1) from the raw 32-bit output: identical on every standard library.
  double u = static_cast<double>(rng()) / 4294967296.0;
  auto cut = static_cast<int64_t>(static_cast<double>(base) * jitter_ * u);
  return base - cut;
}

}  // namespace confhost
