#include "app/platform/web_socket_transport.hpp"

#include "app/platform/page_activity.hpp"

#include <string>

namespace confhost {

WebSocketTransport::~WebSocketTransport() {
  while (!connections_.empty()) close(connections_.begin()->first);
}

int WebSocketTransport::open(const std::string& url, Handlers handlers) {
  EmscriptenWebSocketCreateAttributes attributes;
  emscripten_websocket_init_create_attributes(&attributes);
  attributes.url = url.c_str();
  attributes.protocols = nullptr;
  const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attributes);
  if (socket <= 0) {
    lastError_ = "the browser refused the WebSocket URL " + url;
    return 0;
  }
  const int id = nextId_++;
  connections_[id] = Connection{socket, std::move(handlers)};
  // userData is the transport (it outlives every connection); the socket id finds the connection, so a
  // forgotten connection's late events find nothing and are dropped.
  emscripten_websocket_set_onopen_callback(socket, this, &WebSocketTransport::onOpen);
  emscripten_websocket_set_onmessage_callback(socket, this, &WebSocketTransport::onMessage);
  emscripten_websocket_set_onclose_callback(socket, this, &WebSocketTransport::onClose);
  return id;
}

bool WebSocketTransport::send(int id, const std::string& text) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  unsigned short readyState = 0;
  emscripten_websocket_get_ready_state(it->second.socket, &readyState);
  if (readyState != 1 /* OPEN */) return false;
  return emscripten_websocket_send_utf8_text(it->second.socket, text.c_str()) == EMSCRIPTEN_RESULT_SUCCESS;
}

void WebSocketTransport::close(int id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  const EMSCRIPTEN_WEBSOCKET_T socket = it->second.socket;
  connections_.erase(it);
  emscripten_websocket_close(socket, 1000, "closed by the console");
  emscripten_websocket_delete(socket);
}

WebSocketTransport::Connection* WebSocketTransport::find(EMSCRIPTEN_WEBSOCKET_T socket) {
  for (auto& [id, connection] : connections_) {
    if (connection.socket == socket) return &connection;
  }
  return nullptr;
}

EM_BOOL WebSocketTransport::onOpen(int, const EmscriptenWebSocketOpenEvent* event, void* userData) {
  auto* self = static_cast<WebSocketTransport*>(userData);
  page_activity::markStateChanged();
  if (Connection* c = self->find(event->socket); c && c->handlers.onOpen) c->handlers.onOpen();
  return EM_TRUE;
}

EM_BOOL WebSocketTransport::onMessage(int, const EmscriptenWebSocketMessageEvent* event, void* userData) {
  auto* self = static_cast<WebSocketTransport*>(userData);
  page_activity::markStateChanged();
  Connection* c = self->find(event->socket);
  if (!c || !c->handlers.onMessage) return EM_TRUE;
  // Text frames arrive NUL-terminated (numBytes includes the terminator); binary frames are not ours.
  if (!event->isText) return EM_TRUE;
  std::string text(reinterpret_cast<const char*>(event->data), event->numBytes > 0 ? event->numBytes - 1 : 0);
  auto handler = c->handlers.onMessage;  // the handler may close this connection
  handler(std::move(text));
  return EM_TRUE;
}

EM_BOOL WebSocketTransport::onClose(int, const EmscriptenWebSocketCloseEvent* event, void* userData) {
  auto* self = static_cast<WebSocketTransport*>(userData);
  page_activity::markStateChanged();
  for (auto it = self->connections_.begin(); it != self->connections_.end(); ++it) {
    if (it->second.socket != event->socket) continue;
    auto handler = it->second.handlers.onClose;
    const EMSCRIPTEN_WEBSOCKET_T socket = it->second.socket;
    self->connections_.erase(it);
    emscripten_websocket_delete(socket);
    std::string reason = "code " + std::to_string(event->code);
    if (event->reason[0] != '\0') reason += ": " + std::string(event->reason);
    if (event->code == 1006) reason += " (connection failed or dropped)";
    if (handler) handler(std::move(reason));
    return EM_TRUE;
  }
  return EM_TRUE;
}

}  // namespace confhost
