#pragma once
// The seam between a WebSocket session (bytes, TLS, frames) and a feature (rooms, messages): the
// feature sees a connection it can send text to and close; the session sees an endpoint it reports
// opened/message/closed to. A session never knows what a room is; a feature never touches a socket.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/net/http_types.hpp"

namespace confhost {

class WsConnection {
 public:
  virtual ~WsConnection() = default;
  // Queues one text frame. The same buffer may be shared by every socket of a room (serialised once).
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  // Sends a close frame with that code and reason; the endpoint's closed() follows.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // "127.0.0.1:51234", for logs.
  virtual const std::string& peer() const = 0;
};

struct WsEndpoint {
  virtual ~WsEndpoint() = default;
  // The upgrade request is accepted already; `request` is the HTTP upgrade (target carries the query).
  virtual void opened(const std::shared_ptr<WsConnection>& connection, const HttpRequest& request) = 0;
  virtual void message(WsConnection& connection, std::string_view data, bool binary) = 0;
  // Called exactly once per opened connection, whatever ended it.
  virtual void closed(WsConnection& connection) = 0;
};

}  // namespace confhost
