#pragma once
// Reconnect delays: 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s, ... each shortened by up to `jitter` (20 %) so that
// many pages dropped by one server restart do not all come back in the same millisecond. Never longer
// than the cap. The random generator is injected so tests are deterministic; the mapping from its
// output to the jitter is our own arithmetic (std distributions differ between standard libraries).
#include <cstdint>
#include <random>

namespace confhost {

class Backoff {
 public:
  explicit Backoff(int64_t initialMs = 500, int64_t maxMs = 8000, double jitter = 0.2);

  // The delay before the next attempt; advances the sequence.
  int64_t next(std::mt19937& rng);
  // Back to the initial delay (after a successful connection).
  void reset() { attempts_ = 0; }
  // Attempts since the last reset.
  int attempts() const { return attempts_; }
  // The un-jittered delay the next call will be based on.
  int64_t baseDelayMs() const;

 private:
  int64_t initialMs_;
  int64_t maxMs_;
  double jitter_;
  int attempts_ = 0;
};

}  // namespace confhost
