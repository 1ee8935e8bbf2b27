#include "host_previews.hpp"

#include "core/names.hpp"

namespace confhost {

media::Auth mediaAuthOf(const Settings& settings) {
  media::Auth auth;
  if (settings.auth.enabled) {
    auth.username = settings.auth.username;
    auth.password = settings.auth.password;
    auth.token = settings.auth.token;
  }
  return auth;
}

std::vector<IceServer> iceServersOf(const Settings& settings) {
  std::vector<IceServer> servers;
  for (const std::string& url : settings.iceServers) servers.push_back(IceServer{url, "", ""});
  return servers;
}

HostPreviews::HostPreviews(RtcEngine& rtc, const Settings& settings, std::string origin)
    : rtc_(rtc), origin_(std::move(origin)), auth_(mediaAuthOf(settings)), iceServers_(iceServersOf(settings)) {
  owner_ = rtc_.addOwner([this](const std::string& session, const media::Event& event) { feed(session, event); },
                         LocalMedia{}, [](const std::string&) { return RemoteAudio::Mute; });
}

HostPreviews::~HostPreviews() {
  // Free the origin's resources (DELETE) even though nobody will read the answers.
  for (auto& [session, preview] : previews_) perform(session, preview.client.handle(media::Stop{}));
  rtc_.removeOwner(owner_);
}

media::MediaSessionClient* HostPreviews::client(const std::string& session) {
  if (auto it = previews_.find(session); it != previews_.end()) return &it->second.client;
  if (auto it = retiring_.find(session); it != retiring_.end()) return &it->second;
  return nullptr;
}

void HostPreviews::perform(const std::string& session, const std::vector<media::Effect>& effects) {
  for (const media::Effect& effect : effects) rtc_.perform(owner_, session, effect);
}

void HostPreviews::feed(const std::string& session, const media::Event& event) {
  if (media::MediaSessionClient* c = client(session)) perform(session, c->handle(event));
}

void HostPreviews::startPreview(const std::string& scope, const std::string& stream) {
  const std::string session = guidOf(scope, stream);
  if (previews_.count(session)) return;
  retiring_.erase(session);
  media::Config config;
  config.retry.enabled = true;
  Preview& p = previews_.emplace(session, Preview{scope, stream, media::MediaSessionClient(config), {}, false}).first->second;
  media::Start start;
  start.kind = media::Kind::Whep;
  start.endpoint = origin_ + "/as/v1/proxy/whep/" + session;
  start.auth = auth_;
  start.iceServers = iceServers_;
  start.source = "preview";
  perform(session, p.client.handle(media::Tick{nowMs_}));
  perform(session, p.client.handle(start));
}

void HostPreviews::stopPreview(const std::string& scope, const std::string& stream) {
  const std::string session = guidOf(scope, stream);
  auto it = previews_.find(session);
  if (it == previews_.end()) return;
  media::MediaSessionClient client = std::move(it->second.client);
  previews_.erase(it);
  auto effects = client.handle(media::Stop{});
  if (client.state() != media::State::Stopped) retiring_.emplace(session, std::move(client));
  perform(session, effects);
}

void HostPreviews::tick(int64_t nowMs) {
  nowMs_ = nowMs;
  for (auto& [session, preview] : previews_) perform(session, preview.client.handle(media::Tick{nowMs}));
  std::vector<std::string> retiring;
  for (const auto& [session, client] : retiring_) retiring.push_back(session);
  for (const std::string& session : retiring) {
    auto it = retiring_.find(session);
    if (it == retiring_.end()) continue;
    perform(session, it->second.handle(media::Tick{nowMs}));
    it = retiring_.find(session);
    if (it != retiring_.end() && it->second.state() == media::State::Stopped) retiring_.erase(it);
  }
}

void HostPreviews::playComposite(bool on, const std::string& scope) {
  const std::string wanted = on ? guidOf(scope, compositeStreamOf(scope)) : std::string();
  if (wanted == compositeSession_) return;
  if (!compositeSession_.empty()) {
    const std::string old = compositeSession_;
    compositeSession_.clear();
    const auto slash = old.rfind('/');
    stopPreview(old.substr(0, slash), old.substr(slash + 1));
  }
  if (!wanted.empty()) {
    compositeSession_ = wanted;
    startPreview(scope, compositeStreamOf(scope));
  }
}

const ui::TileVideo* HostPreviews::compositeVideo() {
  return compositeSession_.empty() ? nullptr : tileOf(compositeSession_);
}

const ui::TileVideo* HostPreviews::video(const std::string& stream) {
  for (auto& [session, p] : previews_) {
    if (p.stream == stream && session != compositeSession_) return tileOf(session);
  }
  return nullptr;
}

const ui::TileVideo* HostPreviews::tileOf(const std::string& session) {
  auto it = previews_.find(session);
  if (it == previews_.end()) return nullptr;
  {
    Preview& p = it->second;
    ui::TileVideo& tile = p.tile;
    tile = ui::TileVideo{};
    const int handle = rtc_.peerOf(owner_, session);
    if (handle) {
      if (auto frame = rtc_.video(handle)) {
        tile.texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(frame->textureId));
        tile.width = frame->width;
        tile.height = frame->height;
        p.hasVideo = true;
      }
      if (const PeerStats* s = rtc_.stats(handle)) {
        tile.stats = describe(*s);
        tile.audioLevel = static_cast<float>(s->audioLevel);
      }
    }
    switch (p.client.state()) {
      case media::State::Connected:
        if (!p.client.rtcConnected()) tile.status = "connecting media…";
        break;
      case media::State::Failed:
        tile.status = "failed: " + p.client.reason();
        break;
      case media::State::Offering:
      case media::State::Answering:
        tile.status = "connecting…";
        break;
      default:
        tile.status = std::string(media::toString(p.client.state()));
        break;
    }
    return &tile;
  }
}

nlohmann::json HostPreviews::stateJson() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [session, p] : previews_) {
    const int handle = rtc_.peerOf(owner_, session);
    const PeerStats* s = handle ? rtc_.stats(handle) : nullptr;
    json[p.stream] = {{"scope", p.scope},
                      {"handle", handle},
                      {"state", std::string(media::toString(p.client.state()))},
                      {"reason", p.client.reason()},
                      {"rtcConnected", p.client.rtcConnected()},
                      {"hasVideo", p.hasVideo},
                      {"stats", s ? toJson(*s) : nlohmann::json(nullptr)}};
  }
  return json;
}

}  // namespace confhost
