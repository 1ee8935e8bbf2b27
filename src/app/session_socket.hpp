#pragma once
// The one Conference API socket of a participant or mixer session, on the browser's WebSocketTransport.
// The session's own SocketOpened / SocketMessage / SocketClosed event types come back through `feed`;
// a URL the browser refuses reports SocketClosed at once with the browser's reason, so the session's
// reconnect policy handles it like any other failure.
#include <string>
#include <utility>

#include "web_socket_transport.hpp"

namespace confhost {

class SessionSocket {
 public:
  explicit SessionSocket(WebSocketTransport& transport) : transport_(transport) {}
  SessionSocket(const SessionSocket&) = delete;
  SessionSocket& operator=(const SessionSocket&) = delete;
  ~SessionSocket() { close(); }

  template <class Opened, class Message, class Closed, class Feed>
  void open(const std::string& url, Feed feed) {
    close();
    WebSocketTransport::Handlers handlers;
    handlers.onOpen = [feed] { feed(Opened{}); };
    handlers.onMessage = [feed](std::string text) { feed(Message{std::move(text)}); };
    handlers.onClose = [this, feed](std::string reason) {
      connection_ = 0;
      feed(Closed{std::move(reason)});
    };
    connection_ = transport_.open(url, std::move(handlers));
    if (!connection_) feed(Closed{transport_.lastError()});
  }

  void close() {
    if (connection_) transport_.close(connection_);
    connection_ = 0;
  }

 private:
  WebSocketTransport& transport_;
  int connection_ = 0;
};

}  // namespace confhost
