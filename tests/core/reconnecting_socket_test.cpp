#include <doctest/doctest.h>

#include "core/sessions/socket/reconnecting_socket.hpp"

using namespace confhost;

namespace {
std::string name(ReconnectingSocket::State s) { return std::string(toString(s)); }
}  // namespace

TEST_CASE("socket: open → Connecting, opened → Open") {
  ReconnectingSocket s;
  CHECK(s.open("wss://h/?room=x") == "wss://h/?room=x");
  CHECK(name(s.state()) == "connecting");
  s.opened();
  CHECK(name(s.state()) == "open");
}

TEST_CASE("socket: a drop schedules a reconnect within the backoff, reopened by tick") {
  ReconnectingSocket s;
  s.open("u");
  s.opened();
  s.closed("network", 1000);
  CHECK(name(s.state()) == "backoff");
  CHECK(s.closeReason() == "network");
  CHECK(s.retryAtMs() > 1000);
  CHECK(s.retryAtMs() <= 1500);
  CHECK_FALSE(s.tick(s.retryAtMs() - 1).has_value());
  CHECK(s.tick(s.retryAtMs()).value() == "u");
  CHECK(name(s.state()) == "connecting");
}

TEST_CASE("socket: repeated failures back off longer, capped, a successful open resets") {
  ReconnectingSocket s;
  s.open("u");
  std::int64_t now = 0;
  std::int64_t last = 0;
  for (int i = 0; i < 8; ++i) {
    s.closed("refused", now);
    last = s.retryAtMs() - now;
    CHECK(last <= 8000);
    now = s.retryAtMs();
    REQUIRE(s.tick(now).has_value());
  }
  CHECK(last > 6000);  // 8 s less at most 20 % jitter
  s.opened();
  s.closed("drop", now);
  CHECK(s.retryAtMs() - now <= 500);
}

TEST_CASE("socket: our own close is not reconnected, and its echo is ignored") {
  ReconnectingSocket s;
  s.open("u");
  s.opened();
  CHECK(s.close());
  s.closed("closed by us", 0);
  CHECK(name(s.state()) == "closed");
  CHECK_FALSE(s.tick(100000).has_value());
  CHECK_FALSE(s.close());  // nothing left to close
}
