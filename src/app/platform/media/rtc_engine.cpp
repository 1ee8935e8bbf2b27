#include "app/platform/media/rtc_engine.hpp"

#include "app/platform/page_activity.hpp"
#include "core/protocol/overloaded.hpp"

#include <cmath>
#include <cstdio>
#include <type_traits>

extern "C" {
void confhost_rtc_create_peer(int handle, const char* configJson);
void confhost_rtc_create_offer(int handle);
void confhost_rtc_create_answer(int handle);
void confhost_rtc_set_remote(int handle, const char* type, const char* sdp);
void confhost_rtc_set_ice_servers(int handle, const char* json);
void confhost_rtc_close(int handle);
void confhost_rtc_set_video_send(int handle, const char* mode);
int confhost_rtc_video_info(int handle, int* out);
}

namespace confhost {

namespace {

nlohmann::json iceJson(const std::vector<IceServer>& servers) {
  nlohmann::json list = nlohmann::json::array();
  for (const IceServer& s : servers) list.push_back({{"urls", s.urls}, {"username", s.username}, {"credential", s.credential}});
  return list;
}

std::string_view audioName(RemoteAudio a) {
  switch (a) {
    case RemoteAudio::Play: return "play";
    case RemoteAudio::Mute: return "mute";
    case RemoteAudio::Mix: return "mix";
  }
  return "mute";
}

}  // namespace

int RtcEngine::addOwner(Sink sink, LocalMedia local, AudioPolicy audio) {
  const int id = nextOwner_++;
  owners_[id] = Owner{std::move(sink), local, std::move(audio)};
  return id;
}

void RtcEngine::removeOwner(int owner) {
  owners_.erase(owner);
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto next = std::next(it);
    if (it->second.owner == owner) closeHandle(it->first);
    it = next;
  }
}

void RtcEngine::closeHandle(int handle) {
  auto it = peers_.find(handle);
  if (it == peers_.end()) return;
  auto cur = current_.find({it->second.owner, it->second.session});
  if (cur != current_.end() && cur->second == handle) current_.erase(cur);
  peers_.erase(it);
  confhost_rtc_close(handle);
}

int RtcEngine::handleOf(int owner, const std::string& session, int peerId) const {
  for (const auto& [handle, peer] : peers_) {
    if (peer.owner == owner && peer.session == session && peer.peerId == peerId) return handle;
  }
  return 0;
}

int RtcEngine::peerOf(int owner, const std::string& session) const {
  auto it = current_.find({owner, session});
  return it == current_.end() ? 0 : it->second;
}

const PeerStats* RtcEngine::stats(int handle) const {
  auto it = peers_.find(handle);
  return it == peers_.end() ? nullptr : &it->second.stats;
}

std::optional<VideoFrame> RtcEngine::video(int handle) const {
  int out[3] = {0, 0, 0};
  if (!confhost_rtc_video_info(handle, out)) return std::nullopt;
  return VideoFrame{handle, out[0], out[1], static_cast<uint64_t>(out[2])};
}

void RtcEngine::perform(int owner, const std::string& session, const media::Effect& effect) {
  auto ownerIt = owners_.find(owner);
  if (ownerIt == owners_.end()) return;
  const Owner& o = ownerIt->second;
  std::visit(
      Overloaded{
          [&](const media::CreatePeer& c) {
            const int handle = nextHandle_++;
            peers_[handle] = Peer{owner, session, c.peerId, {}};
            current_[{owner, session}] = handle;
            const RemoteAudio audio = o.audio ? o.audio(session) : RemoteAudio::Mute;
            const nlohmann::json config = {
                {"iceServers", iceJson(c.iceServers)},
                {"direction", std::string(media::toString(c.direction))},
                {"audio", c.tracks.audio},
                {"video", c.tracks.video},
                {"offerer", c.offerer},
                {"source", c.source},
                {"maxBitrateKbps", c.maxBitrateKbps},
                {"videoSend", std::string(media::toString(c.videoSend))},
                {"simulcastLayers", c.simulcastLayers},
                {"remoteAudio", std::string(audioName(audio))},
                {"media", {{"camera", o.local.camera}, {"microphone", o.local.microphone},
                           {"width", o.local.width}, {"height", o.local.height}}},
            };
            confhost_rtc_create_peer(handle, config.dump().c_str());
          },
          [&](const media::CreateOffer& c) {
            if (int h = handleOf(owner, session, c.peerId)) confhost_rtc_create_offer(h);
          },
          [&](const media::CreateAnswer& c) {
            if (int h = handleOf(owner, session, c.peerId)) confhost_rtc_create_answer(h);
          },
          [&](const media::SetRemoteDescription& c) {
            if (int h = handleOf(owner, session, c.peerId))
              confhost_rtc_set_remote(h, std::string(media::toString(c.type)).c_str(), c.sdp.c_str());
          },
          [&](const media::UpdateIceServers& c) {
            if (int h = handleOf(owner, session, c.peerId))
              confhost_rtc_set_ice_servers(h, iceJson(c.iceServers).dump().c_str());
          },
          [&](const media::ClosePeer& c) {
            if (int h = handleOf(owner, session, c.peerId)) closeHandle(h);
          },
          [&](const media::ApplyVideoSend& c) {
            if (int h = handleOf(owner, session, c.peerId))
              confhost_rtc_set_video_send(h, std::string(media::toString(c.mode)).c_str());
          },
          [&](const media::HttpRequest& request) {
            http_.send(request, [this, owner, session](HttpResponseMessage response) {
              auto it = owners_.find(owner);
              if (it == owners_.end()) return;  // the owner went away: nobody waits for this answer
              auto sink = it->second.sink;
              sink(session, media::Event{std::move(response)});
            });
          },
          [&](const media::StateChanged&) { /* the owner reads its clients' state directly */ },
      },
      effect);
}

void RtcEngine::deliver(int handle, const std::string& text) {
  auto it = peers_.find(handle);
  if (it == peers_.end()) return;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return;
  Peer& peer = it->second;
  const std::string type = j.value("type", "");
  if (type == "stats") {
    peer.stats.kbps = j.value("kbps", 0);
    peer.stats.width = j.value("width", 0);
    peer.stats.height = j.value("height", 0);
    peer.stats.fps = j.value("fps", 0.0);
    peer.stats.packetsLost = j.value("packetsLost", int64_t{0});
    peer.stats.audioLevel = j.value("audioLevel", -1.0);
    peer.stats.framesDecoded = j.value("framesDecoded", uint64_t{0});
    page_activity::markStats();
    return;
  }
  page_activity::markStateChanged();
  auto ownerIt = owners_.find(peer.owner);
  if (ownerIt == owners_.end()) return;
  const int peerId = peer.peerId;
  const std::string session = peer.session;
  std::optional<media::Event> event;
  if (type == "offer") event = media::LocalOfferReady{peerId, j.value("sdp", "")};
  else if (type == "answer") event = media::LocalAnswerReady{peerId, j.value("sdp", "")};
  else if (type == "candidate") event = media::IceCandidate{peerId, j.value("mid", ""), j.value("candidate", "")};
  else if (type == "gatheringDone") event = media::IceGatheringDone{peerId};
  else if (type == "error") event = media::RtcError{peerId, j.value("reason", "")};
  else if (type == "state") {
    const std::string s = j.value("state", "");
    const media::RtcState state = s == "connected"      ? media::RtcState::Connected
                                  : s == "disconnected" ? media::RtcState::Disconnected
                                  : s == "failed"       ? media::RtcState::Failed
                                                        : media::RtcState::Closed;
    event = media::RtcStateChanged{peerId, state};
  }
  if (!event) return;
  auto sink = ownerIt->second.sink;  // the sink may remove peers (and this record)
  sink(session, *event);
}

std::string describe(const PeerStats& s) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : " · ") + part; };
  char buf[64];
  if (s.width > 0 && s.height > 0) add(std::to_string(s.width) + "x" + std::to_string(s.height));
  if (s.kbps > 0) {
    if (s.kbps >= 1000) std::snprintf(buf, sizeof buf, "%.1f Mb/s", s.kbps / 1000.0);
    else std::snprintf(buf, sizeof buf, "%d kb/s", s.kbps);
    add(buf);
  }
  if (s.fps > 0) {
    std::snprintf(buf, sizeof buf, "%.0f fps", s.fps);
    add(buf);
  }
  if (s.packetsLost > 0) add("lost " + std::to_string(s.packetsLost));
  return text;
}

nlohmann::json toJson(const PeerStats& s) {
  return {{"kbps", s.kbps},       {"width", s.width},           {"height", s.height},
          {"fps", s.fps},         {"packetsLost", s.packetsLost}, {"audioLevel", s.audioLevel},
          {"framesDecoded", s.framesDecoded}};
}

}  // namespace confhost
