#pragma once
// ReconnectingSocket: the connection state of one Conference API socket, sans-I/O; every role's session
// (host, participant, mixer) keeps one per socket. Each method returns whether (and what) the owner must
// do; the owner turns that into its own OpenSocket/CloseSocket effects.
//
//   state \ call  open        opened   closed (a drop)        tick ≥ retryAt   close
//   Closed        Connecting  -        - (our close's echo)   -                -
//   Connecting    Connecting  Open     Backoff                -                Closed (owner closes)
//   Open          Connecting  -        Backoff                -                Closed (owner closes)
//   Backoff       Connecting  -        - (a duplicate report) Connecting       Closed
// Delays come from Backoff (0.5 s doubling to 8 s, jittered); open() and a successful opened() reset it.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "core/sessions/socket/backoff.hpp"

namespace confhost {

enum class SocketState { Closed, Connecting, Open, Backoff };
std::string_view toString(SocketState);  // "closed", "connecting", "open", "backoff"

struct SocketStatus {
  SocketState state = SocketState::Closed;
  std::string url;          // of the current/last attempt
  int attempts = 0;         // reconnect attempts since the last successful open
  std::int64_t retryAtMs = 0;  // when Backoff: the Tick time at which we reconnect
  std::string closeReason;  // of the last close
};

// A role's Conference API sockets: the participant and the mixer have one, on their conference room;
// the host has the waiting room's too.
enum class SocketId { WaitingRoom = 0, Conference = 1 };
std::string_view toString(SocketId);  // "waitingRoom", "conference"

// The socket events and effects of every role: their event and effect variants hold these same types,
// so one page adapter performs them for all three. A one-socket role leaves `socket` at its default.
namespace socket_io {
struct Opened { SocketId socket = SocketId::Conference; };
struct Closed { std::string reason; SocketId socket = SocketId::Conference; };
struct Message { std::string text; SocketId socket = SocketId::Conference; };
struct Open { std::string url; SocketId socket = SocketId::Conference; };
struct Close { SocketId socket = SocketId::Conference; };
struct Send { std::string text; SocketId socket = SocketId::Conference; };
}  // namespace socket_io

class ReconnectingSocket {
 public:
  using State = SocketState;

  explicit ReconnectingSocket(std::uint32_t seed = 1) : rng_(seed) {}

  // Start connecting to url; returns the URL to open (always).
  std::string open(std::string url);
  // Returns true when a connection exists that the owner must close.
  bool close();
  // close(), and forget the last URL and close reason too (a stopped session shows none).
  bool reset();
  void opened();
  // Schedules a reconnect at now + backoff. Ignored when Closed (our own close's echo) or in Backoff.
  void closed(std::string reason, std::int64_t nowMs);
  // The URL to open again when a reconnect is due.
  std::optional<std::string> tick(std::int64_t nowMs);

  const SocketStatus& status() const { return status_; }
  State state() const { return status_.state; }
  const std::string& url() const { return status_.url; }
  const std::string& closeReason() const { return status_.closeReason; }
  int attempts() const { return status_.attempts; }
  std::int64_t retryAtMs() const { return status_.retryAtMs; }

 private:
  SocketStatus status_;
  Backoff backoff_;
  std::mt19937 rng_;
};

}  // namespace confhost
