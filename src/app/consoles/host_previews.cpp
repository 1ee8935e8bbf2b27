#include "app/consoles/host_previews.hpp"

#include "core/protocol/names.hpp"

namespace confhost {

HostPreviews::HostPreviews(RtcEngine& rtc, const Settings& settings, std::string origin)
    : rtc_(rtc),
      runner_(rtc, {LocalMedia{}, [](const std::string&) { return RemoteAudio::Mute; },
                    [this](const std::string& session, const media::Event& event) {
                      runner_.perform(media_.forward(session, event));
                    }}),
      origin_(std::move(origin)),
      auth_(mediaAuthOf(settings)),
      iceServers_(iceServersOf(settings)) {}

HostPreviews::~HostPreviews() {
  // Free the origin's resources (DELETE) even though nobody will read the answers.
  for (const auto& [session, preview] : previews_) runner_.perform(media_.stop(session));
}

void HostPreviews::startPreview(const std::string& scope, const std::string& stream) {
  const std::string session = guidOf(scope, stream);
  if (previews_.count(session)) return;
  previews_.emplace(session, Preview{scope, stream, {}, false});
  media_.add(session, retryingConfig(8000));
  media::Start start;
  start.kind = media::Kind::Whep;
  // Every tile of the host's console is small: the publisher's half-size layer fills it.
  start.endpoint = lowLayer(proxyUrl(origin_, "whep", scope, stream));
  start.auth = auth_;
  start.iceServers = iceServers_;
  start.source = "preview";
  runner_.perform(media_.start(session, start));
}

void HostPreviews::stopPreview(const std::string& scope, const std::string& stream) {
  const std::string session = guidOf(scope, stream);
  if (previews_.erase(session)) runner_.perform(media_.retire(session));
}

void HostPreviews::tick(int64_t nowMs) { runner_.perform(media_.tick(nowMs)); }

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
  Preview& p = it->second;
  const int handle = runner_.peerOf(session);
  if (fillTile(p.tile, handle ? rtc_.video(handle) : std::nullopt, runner_.stats(session))) p.hasVideo = true;
  const media::MediaSessionClient& client = *media_.find(session);
  switch (client.state()) {
    case media::State::Connected:
      if (!client.rtcConnected()) p.tile.status = "connecting media…";
      break;
    case media::State::Failed:
      p.tile.status = "failed: " + client.reason();
      break;
    case media::State::Offering:
    case media::State::Answering:
      p.tile.status = "connecting…";
      break;
    default:
      p.tile.status = std::string(media::toString(client.state()));
      break;
  }
  return &p.tile;
}

nlohmann::json HostPreviews::stateJson() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [session, p] : previews_) {
    const media::MediaSessionClient& client = *media_.find(session);
    const PeerStats* s = runner_.stats(session);
    json[p.stream] = {{"scope", p.scope},
                      {"handle", runner_.peerOf(session)},
                      {"state", std::string(media::toString(client.state()))},
                      {"reason", client.reason()},
                      {"rtcConnected", client.rtcConnected()},
                      {"hasVideo", p.hasVideo},
                      {"stats", s ? toJson(*s) : nlohmann::json(nullptr)}};
  }
  return json;
}

}  // namespace confhost
