#include "reconnecting_socket.hpp"

namespace confhost {

std::string ReconnectingSocket::open(std::string url) {
  url_ = std::move(url);
  state_ = State::Connecting;
  backoff_.reset();
  closeReason_.clear();
  return url_;
}

bool ReconnectingSocket::close() {
  const bool connected = state_ == State::Connecting || state_ == State::Open;
  state_ = State::Closed;
  return connected;
}

void ReconnectingSocket::opened() {
  if (state_ != State::Connecting) return;
  state_ = State::Open;
  backoff_.reset();
}

void ReconnectingSocket::closed(std::string reason, std::int64_t nowMs) {
  if (state_ != State::Connecting && state_ != State::Open) return;
  closeReason_ = std::move(reason);
  state_ = State::Backoff;
  retryAt_ = nowMs + backoff_.next(rng_);
}

std::optional<std::string> ReconnectingSocket::tick(std::int64_t nowMs) {
  if (state_ != State::Backoff || nowMs < retryAt_) return std::nullopt;
  state_ = State::Connecting;
  return url_;
}

std::string_view toString(ReconnectingSocket::State s) {
  switch (s) {
    case ReconnectingSocket::State::Closed: return "closed";
    case ReconnectingSocket::State::Connecting: return "connecting";
    case ReconnectingSocket::State::Open: return "open";
    case ReconnectingSocket::State::Backoff: return "backoff";
  }
  return "";
}

}  // namespace confhost
