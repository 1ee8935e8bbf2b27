#pragma once
// The message transport port on the browser: emscripten's WebSocket API (-lwebsocket.js). Text frames
// only (the Conference API is JSON). Events reach the listener from the browser's event loop, never
// re-entrantly from open/send/close. A closed or replaced connection is forgotten at once: its late
// events (the browser still fires onclose after our close) are dropped, so a session never hears the
// echo of a socket it already gave up.
#include <emscripten/websocket.h>

#include <functional>
#include <map>
#include <string>

namespace confhost {

class WebSocketTransport {
 public:
  struct Handlers {
    std::function<void()> onOpen;
    std::function<void(std::string text)> onMessage;
    std::function<void(std::string reason)> onClose;  // also after a failed connect
  };

  WebSocketTransport() = default;
  WebSocketTransport(const WebSocketTransport&) = delete;
  WebSocketTransport& operator=(const WebSocketTransport&) = delete;
  ~WebSocketTransport();

  // A connection id (> 0), or 0 when the browser refused the URL (onClose is not called then; the
  // error text is in lastError()).
  int open(const std::string& url, Handlers handlers);
  bool send(int id, const std::string& text);  // false when not open
  void close(int id);                          // no callback follows
  const std::string& lastError() const { return lastError_; }

 private:
  struct Connection {
    EMSCRIPTEN_WEBSOCKET_T socket = 0;
    Handlers handlers;
  };
  static EM_BOOL onOpen(int, const EmscriptenWebSocketOpenEvent*, void*);
  static EM_BOOL onMessage(int, const EmscriptenWebSocketMessageEvent*, void*);
  static EM_BOOL onClose(int, const EmscriptenWebSocketCloseEvent*, void*);
  Connection* find(EMSCRIPTEN_WEBSOCKET_T socket);

  std::map<int, Connection> connections_;
  int nextId_ = 1;
  std::string lastError_;
};

}  // namespace confhost
