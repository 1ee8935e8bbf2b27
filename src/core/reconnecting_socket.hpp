#pragma once
// ReconnectingSocket: the connection state of one Conference API socket of a participant or mixer page,
// sans-I/O. Closed → (open) Connecting → (opened) Open → (closed) Backoff → (tick past retryAt)
// Connecting … Delays come from Backoff (0.5 s doubling to 8 s, jittered) and reset on a successful
// open. Each method returns whether (and what) the owner must do; the owner turns that into its own
// OpenSocket/CloseSocket effects.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "backoff.hpp"

namespace confhost {

class ReconnectingSocket {
 public:
  enum class State { Closed, Connecting, Open, Backoff };

  explicit ReconnectingSocket(std::uint32_t seed = 1) : rng_(seed) {}

  // Start connecting to url; returns the URL to open (always).
  std::string open(std::string url);
  // Returns true when a connection exists that the owner must close.
  bool close();
  // The adapter reports.
  void opened();
  // Returns nothing; schedules a reconnect at now + backoff. Ignored when Closed (our own close's echo).
  void closed(std::string reason, std::int64_t nowMs);
  // The URL to open again when a reconnect is due.
  std::optional<std::string> tick(std::int64_t nowMs);

  State state() const { return state_; }
  const std::string& url() const { return url_; }
  const std::string& closeReason() const { return closeReason_; }
  int attempts() const { return backoff_.attempts(); }
  std::int64_t retryAtMs() const { return retryAt_; }

 private:
  State state_ = State::Closed;
  std::string url_;
  std::string closeReason_;
  std::int64_t retryAt_ = 0;
  Backoff backoff_;
  std::mt19937 rng_;
};

std::string_view toString(ReconnectingSocket::State);  // "closed", "connecting", "open", "backoff"

}  // namespace confhost
