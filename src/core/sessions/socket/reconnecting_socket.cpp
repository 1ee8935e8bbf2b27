#include "core/sessions/socket/reconnecting_socket.hpp"

namespace confhost {

std::string_view toString(SocketState s) {
  switch (s) {
    case SocketState::Closed: return "closed";
    case SocketState::Connecting: return "connecting";
    case SocketState::Open: return "open";
    case SocketState::Backoff: return "backoff";
  }
  return "";
}

std::string_view toString(SocketId id) { return id == SocketId::WaitingRoom ? "waitingRoom" : "conference"; }

std::string ReconnectingSocket::open(std::string url) {
  backoff_.reset();
  status_ = SocketStatus{};
  status_.state = State::Connecting;
  status_.url = std::move(url);
  return status_.url;
}

bool ReconnectingSocket::close() {
  const bool connected = status_.state == State::Connecting || status_.state == State::Open;
  status_.state = State::Closed;
  return connected;
}

bool ReconnectingSocket::reset() {
  const bool connected = close();
  backoff_.reset();
  status_ = SocketStatus{};
  return connected;
}

void ReconnectingSocket::opened() {
  if (status_.state != State::Connecting) return;
  backoff_.reset();
  status_.state = State::Open;
  status_.attempts = 0;
  status_.retryAtMs = 0;
}

void ReconnectingSocket::closed(std::string reason, std::int64_t nowMs) {
  if (status_.state != State::Connecting && status_.state != State::Open) return;
  status_.closeReason = std::move(reason);
  status_.state = State::Backoff;
  status_.retryAtMs = nowMs + backoff_.next(rng_);
  status_.attempts = backoff_.attempts();
}

std::optional<std::string> ReconnectingSocket::tick(std::int64_t nowMs) {
  if (status_.state != State::Backoff || nowMs < status_.retryAtMs) return std::nullopt;
  status_.state = State::Connecting;
  return status_.url;
}

}  // namespace confhost
