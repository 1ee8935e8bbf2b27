#include "app/consoles/host_previews.hpp"

namespace confhost {

const TileVideo* HostPreviews::video(const std::string& stream) {
  const std::string session = session_.previewSessionOf(stream);
  return session.empty() ? nullptr : tileOf(session);
}

const TileVideo* HostPreviews::compositeVideo() {
  const std::string session = session_.compositeSession();
  return session.empty() ? nullptr : tileOf(session);
}

void HostPreviews::forgetStopped() {
  for (auto it = tiles_.begin(); it != tiles_.end();) {
    const std::string& session = it->first;
    bool plays = session == session_.compositeSession();
    for (const Preview& p : session_.state().previews) plays = plays || session_.previewSessionOf(p.stream) == session;
    it = plays ? std::next(it) : tiles_.erase(it);
  }
}

const TileVideo* HostPreviews::tileOf(const std::string& session) {
  Tile& tile = tiles_[session];
  const int handle = runner_.peerOf(session);
  if (fillTile(tile.video, handle ? rtc_.video(handle) : std::nullopt, runner_.stats(session))) tile.hasVideo = true;
  const media::MediaSessionClient& client = *session_.client(session);
  switch (client.state()) {
    case media::State::Connected:
      if (!client.rtcConnected()) tile.video.status = "connecting media…";
      break;
    case media::State::Failed:
      tile.video.status = "failed: " + client.reason();
      break;
    case media::State::Offering:
    case media::State::Answering:
      tile.video.status = "connecting…";
      break;
    default:
      tile.video.status = std::string(media::toString(client.state()));
      break;
  }
  return &tile.video;
}

nlohmann::json HostPreviews::describe(const Preview& preview, const std::string& session) const {
  const media::MediaSessionClient& client = *session_.client(session);
  const PeerStats* stats = runner_.stats(session);
  const auto tile = tiles_.find(session);
  return {{"scope", preview.scope},
          {"handle", runner_.peerOf(session)},
          {"state", std::string(media::toString(client.state()))},
          {"reason", client.reason()},
          {"rtcConnected", client.rtcConnected()},
          {"hasVideo", tile != tiles_.end() && tile->second.hasVideo},
          {"stats", stats ? toJson(*stats) : nlohmann::json(nullptr)}};
}

nlohmann::json HostPreviews::stateJson() const {
  nlohmann::json json = nlohmann::json::object();
  const HostState& state = session_.state();
  for (const Preview& p : state.previews) json[p.stream] = describe(p, session_.previewSessionOf(p.stream));
  if (state.composite) json[state.composite->stream] = describe(*state.composite, session_.compositeSession());
  return json;
}

}  // namespace confhost
