#include "app/consoles/session_runner.hpp"

namespace confhost {

SessionRunner::SessionRunner(WebSocketTransport& transport, RtcEngine& rtc, Media media)
    : transport_(transport), rtc_(rtc) {
  owner_ = rtc_.addOwner(std::move(media.results), media.local, std::move(media.audio));
}

SessionRunner::~SessionRunner() {
  for (const auto& [socket, connection] : connections_) transport_.close(connection);
  rtc_.removeOwner(owner_);
}

void SessionRunner::openSocket(SocketId socket, const std::string& url, WebSocketTransport::Handlers handlers) {
  closeSocket(socket);
  auto onClose = std::move(handlers.onClose);
  handlers.onClose = [this, socket, onClose](std::string reason) {
    connections_.erase(socket);  // the transport has already forgotten it
    onClose(std::move(reason));
  };
  const int connection = transport_.open(url, std::move(handlers));
  if (connection == 0) {
    onClose(transport_.lastError());
    return;
  }
  connections_[socket] = connection;
}

void SessionRunner::closeSocket(SocketId socket) {
  auto it = connections_.find(socket);
  if (it == connections_.end()) return;
  transport_.close(it->second);
  connections_.erase(it);
}

void SessionRunner::send(SocketId socket, const std::string& text) {
  // Sessions only send on a socket they saw open; if the browser has closed it meanwhile, the close
  // event is already queued and the session reconnects and resynchronises on it.
  auto it = connections_.find(socket);
  if (it != connections_.end()) transport_.send(it->second, text);
}

void SessionRunner::perform(const std::vector<media::SessionEffect>& effects) {
  for (const media::SessionEffect& e : effects) rtc_.perform(owner_, e.session, e.effect);
}

int SessionRunner::peerOf(const std::string& session) const { return rtc_.peerOf(owner_, session); }

const PeerStats* SessionRunner::stats(const std::string& session) const {
  const int handle = peerOf(session);
  return handle ? rtc_.stats(handle) : nullptr;
}

void SessionRunner::addStats(nlohmann::json& json, const std::vector<std::string>& sessions) const {
  nlohmann::json stats = nlohmann::json::object();
  nlohmann::json handles = nlohmann::json::object();  // for window.confhost.sample / toneLevels
  for (const std::string& session : sessions) {
    if (const PeerStats* s = this->stats(session)) stats[session] = toJson(*s);
    if (const int handle = peerOf(session)) handles[session] = handle;
  }
  json["stats"] = std::move(stats);
  json["handles"] = std::move(handles);
}

}  // namespace confhost
