#pragma once
// SessionRunner: performs what every role's session asks of the page that is not about the role itself:
// its Conference API sockets on the WebSocketTransport and its media sessions on the RtcEngine (as one
// engine owner, whose results go back into the session). The consoles keep only their role's effects.
// A URL the browser refuses reports its close at once with the browser's reason, so the session's
// reconnect policy handles it like any other failure. Destroying the runner closes its sockets (no
// callback follows) and its peers.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/protocol/overloaded.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"
#include "app/platform/media/rtc_engine.hpp"
#include "app/platform/web_socket_transport.hpp"

namespace confhost {

class SessionRunner {
 public:
  struct Media {
    LocalMedia local;
    RtcEngine::AudioPolicy audio;  // which sessions are heard
    RtcEngine::Sink results;       // feeds the engine's results back into the session
  };
  SessionRunner(WebSocketTransport& transport, RtcEngine& rtc, Media media);
  ~SessionRunner();
  SessionRunner(const SessionRunner&) = delete;
  SessionRunner& operator=(const SessionRunner&) = delete;

  // Opening a socket replaces the connection of that SocketId.
  void openSocket(SocketId socket, const std::string& url, WebSocketTransport::Handlers handlers);
  void closeSocket(SocketId socket);
  void send(SocketId socket, const std::string& text);

  void perform(const std::vector<media::SessionEffect>& effects);
  // The socket and media effects of a role, whose event and effect variants hold the socket_io and
  // media::Session types; `feed` takes the socket events back. Returns false for the role's own effects.
  template <class RoleEffect, class Feed>
  bool perform(const RoleEffect& effect, Feed feed);

  int peerOf(const std::string& session) const;  // the session's current peer handle, 0 = none
  const PeerStats* stats(const std::string& session) const;
  // Adds {"stats": {session: {...}}, "handles": {session: handle}} for those sessions that have a peer.
  void addStats(nlohmann::json& json, const std::vector<std::string>& sessions) const;

 private:
  WebSocketTransport& transport_;
  RtcEngine& rtc_;
  int owner_ = 0;
  std::map<SocketId, int> connections_;  // transport connection by socket
};

template <class RoleEffect, class Feed>
bool SessionRunner::perform(const RoleEffect& effect, Feed feed) {
  return std::visit(
      Overloaded{
          [&](const socket_io::Open& open) {
            const SocketId id = open.socket;
            WebSocketTransport::Handlers handlers;
            handlers.onOpen = [feed, id] { feed(socket_io::Opened{id}); };
            handlers.onMessage = [feed, id](std::string text) { feed(socket_io::Message{std::move(text), id}); };
            handlers.onClose = [feed, id](std::string reason) { feed(socket_io::Closed{std::move(reason), id}); };
            openSocket(id, open.url, std::move(handlers));
            return true;
          },
          [&](const socket_io::Close& close) {
            closeSocket(close.socket);
            return true;
          },
          [&](const socket_io::Send& send) {
            this->send(send.socket, send.text);
            return true;
          },
          [&](const media::SessionEffect& m) {
            perform({m});
            return true;
          },
          [](const auto&) { return false; },
      },
      effect);
}

}  // namespace confhost
