#include "core/sessions/mixer_session.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/composition/composition_rules.hpp"
#include "core/protocol/messages.hpp"
#include "core/protocol/names.hpp"
#include "core/protocol/overloaded.hpp"
#include "core/protocol/query_string.hpp"
#include "core/settings.hpp"

namespace confhost {

namespace {

Status readLimited(const QueryParams& q, const CompositionLimit& limit, int& out) {
  auto v = q.get(limit.field);
  if (!v) return {};  // keep the default
  auto n = parseLimited(limit, *v);
  if (!n) return n.error();
  out = *n;
  return {};
}

}  // namespace

std::string_view toString(MixerPageState s) {
  switch (s) {
    case MixerPageState::Idle: return "idle";
    case MixerPageState::Running: return "running";
    case MixerPageState::Stopped: return "stopped";
  }
  return "";
}

Expected<MixerConfig> mixerConfigFromQuery(const QueryParams& q, std::string_view origin) {
  MixerConfig c;
  c.origin = trimSlashes(origin);
  if (!isHttpUrl(c.origin)) return Error{"origin", "must be an http(s) URL, got \"" + c.origin + "\""};
  c.scope = q.get("scope").value_or("");
  if (auto e = validateConferenceScope("scope", c.scope); !e) return e.error();
  c.backend = q.get("ws").value_or("");
  if (c.backend.empty()) c.backend = c.origin.substr(c.origin.find("://") + 3);
  if (auto layoutName = q.get("layout")) {
    auto preset = parseLayoutPreset(*layoutName);
    if (!preset) return preset.error();
    c.layout = preset.value();
  }
  if (auto e = readLimited(q, kWidthLimit, c.width); !e) return e.error();
  if (auto e = readLimited(q, kHeightLimit, c.height); !e) return e.error();
  if (auto e = readLimited(q, kFramerateLimit, c.framerate); !e) return e.error();
  if (auto e = readLimited(q, kBitrateLimit, c.bitrate); !e) return e.error();
  c.mixerId = q.get("mixerId").value_or("");
  c.mixerSecret = q.get("mixerSecret").value_or("");
  c.auth.token = q.get("token").value_or("");
  return c;
}

MixerSession::MixerSession(std::uint32_t seed) : socket_(seed) {
  media_.add(std::string(kMixerPublishSession), retryingConfig(kMixerPublishRetryCapMs));
  media_.add(std::string(kMixerAudioSession), retryingConfig(kMixerPublishRetryCapMs));
}

std::vector<MixerEffect> MixerSession::handle(const MixerEvent& event) {
  Out out;
  std::visit(Overloaded{
                 [&](const mixer::Start& e) { onStart(out, e); },
                 [&](const mixer::Stop&) { onStop(out); },
                 [&](const mixer::SocketOpened&) { socket_.opened(); },
                 [&](const mixer::SocketClosed& e) { socket_.closed(e.reason, now_); },
                 [&](const mixer::SocketMessage& e) {
                   if (state_ == MixerPageState::Running) onMessage(out, e.text);
                 },
                 [&](const mixer::Tick& e) { onTick(out, e.nowMs); },
                 [&](const mixer::InputFrames& e) { onFrames(e); },
                 [&](const mixer::Media& e) { append(out, media_.forward(e.session, e.event)); },
             },
             event);
  return out;
}

media::Start MixerSession::baseStart() const {
  media::Start s;
  s.auth = config_.auth;
  s.iceServers = config_.iceServers;
  return s;
}

void MixerSession::onStart(Out& out, const mixer::Start& s) {
  if (state_ == MixerPageState::Running) {
    out.push_back(mixer::ShowError{"start while running"});
    return;
  }
  // mixerConfigFromQuery has checked the configuration.
  config_ = s.config;
  streams_.clear();
  presenter_.clear();
  lastError_.clear();
  state_ = MixerPageState::Running;
  out.push_back(mixer::StateChanged{state_, ""});

  std::string url = conferenceSocketUrl(config_.backend, config_.scope, false, true, "");
  if (!config_.mixerId.empty()) url += "&mixerId=" + percentEncode(config_.mixerId, "");
  if (!config_.mixerSecret.empty()) url += "&mixerSecret=" + percentEncode(config_.mixerSecret, "");
  out.push_back(mixer::OpenSocket{socket_.open(url)});

  const std::string room = roomNameOf(config_.scope);
  media::Start pub = baseStart();
  pub.kind = media::Kind::Whip;
  pub.endpoint = proxyUrl(config_.origin, Endpoint::Whip, config_.scope, room);
  pub.source = "canvas+mix";
  pub.maxBitrateKbps = config_.bitrate;
  // A half-size layer too: a participant's or the host's composite tile is rarely wider than that, and
  // decoding it costs each of them a quarter of the full picture.
  pub.simulcastLayers = 2;
  append(out, media_.start(kMixerPublishSession, pub));

  media::Start mix = baseStart();
  mix.kind = media::Kind::Whip;
  mix.endpoint = proxyUrl(config_.origin, Endpoint::Conference, config_.scope, room) + "?muted=true";
  mix.direction = media::Direction::SendRecv;
  mix.tracks = {true, false};
  mix.source = "silence";
  append(out, media_.start(kMixerAudioSession, mix));
}

void MixerSession::onStop(Out& out) {
  if (state_ != MixerPageState::Running) return;
  applyConference(out, {}, "");
  for (std::string_view id : {kMixerPublishSession, kMixerAudioSession}) append(out, media_.stop(id));
  if (socket_.close()) out.push_back(mixer::CloseSocket{});
  state_ = MixerPageState::Stopped;
  out.push_back(mixer::StateChanged{state_, ""});
}

void MixerSession::onMessage(Out& out, const std::string& text) {
  const auto parsed = parseServerMessage(text);
  if (!parsed) {
    lastError_ = "unreadable message from the server: " + parsed.error().message();
    return;
  }
  if (const auto* conf = std::get_if<Conference>(&parsed.value())) {
    if (conferenceScopeOf(conf->room) != config_.scope) return;
    applyConference(out, conf->streams, conf->presenter.value_or(""));
  } else if (const auto* err = std::get_if<ErrorReply>(&parsed.value())) {
    lastError_ = err->error;
  }
}

void MixerSession::applyConference(Out& out, std::vector<std::string> streams, std::string presenter) {
  const std::string room = roomNameOf(config_.scope);
  std::vector<std::string> list;
  for (auto& s : streams)
    if (s != room && std::find(list.begin(), list.end(), s) == list.end()) list.push_back(std::move(s));
  // stop the gone ones first (frees origin resources before new subscriptions)
  for (auto it = plays_.begin(); it != plays_.end();) {
    if (std::find(list.begin(), list.end(), it->first) != list.end()) {
      ++it;
      continue;
    }
    append(out, media_.retire(it->second.session));
    it = plays_.erase(it);
  }
  for (const auto& stream : list) {
    if (plays_.count(stream)) continue;
    const std::string session = "play/" + stream + "/" + std::to_string(nextPlay_++);
    media::Start s = baseStart();
    s.kind = media::Kind::Whep;
    s.endpoint = proxyUrl(config_.origin, Endpoint::Whep, config_.scope, stream);
    s.tracks = {false, true};  // the mix session carries everybody's audio
    s.source = "input";
    plays_.emplace(stream, Play{session, 0, -1});
    media_.add(session, retryingConfig(kCompositePlayRetryCapMs));
    append(out, media_.start(session, s));
  }
  streams_ = std::move(list);
  presenter_ = std::find(streams_.begin(), streams_.end(), presenter) != streams_.end() ? presenter : "";
}

void MixerSession::onTick(Out& out, std::int64_t nowMs) {
  now_ = nowMs;
  if (auto url = socket_.tick(now_)) out.push_back(mixer::OpenSocket{*url});
  append(out, media_.tick(now_));
}

void MixerSession::onFrames(const mixer::InputFrames& f) {
  for (auto& [stream, play] : plays_) {
    if (play.session != f.session) continue;
    if (f.framesDecoded != play.frames) {
      play.frames = f.framesDecoded;
      play.lastFrameAt = now_;
    }
  }
}

const media::MediaSessionClient* MixerSession::client(std::string_view session) const {
  return media_.find(session);
}

std::string MixerSession::playSessionOf(std::string_view stream) const {
  auto it = plays_.find(std::string(stream));
  return it == plays_.end() ? "" : it->second.session;
}

std::vector<RenderItem> MixerSession::renderList() const {
  std::vector<RenderItem> items;
  const int n = static_cast<int>(streams_.size());
  int presenterIndex = -1;
  for (int i = 0; i < n; ++i)
    if (streams_[static_cast<size_t>(i)] == presenter_) presenterIndex = i;
  const auto rects = layout(config_.layout, static_cast<float>(config_.width),
                            static_cast<float>(config_.height), n, presenterIndex);
  // layout() makes the first stream the presenter when none is named: flag the tile it enlarged
  const int shownPresenter = config_.layout == LayoutPreset::Focused
                                 ? (presenterIndex < 0 ? 0 : presenterIndex)
                                 : presenterIndex;
  for (int i = 0; i < n && i < static_cast<int>(rects.size()); ++i) {
    const std::string& stream = streams_[static_cast<size_t>(i)];
    RenderItem item;
    item.rect = rects[static_cast<size_t>(i)];
    item.stream = stream;
    item.label = stream;
    item.presenter = i == shownPresenter;
    auto it = plays_.find(stream);
    if (it != plays_.end()) {
      const Play& play = it->second;
      item.session = play.session;
      item.hasVideo = play.frames > 0;
      item.stalled = item.hasVideo && play.lastFrameAt >= 0 && now_ - play.lastFrameAt >= kStallMs;
    }
    items.push_back(std::move(item));
  }
  return items;
}

nlohmann::json MixerSession::stateJson() const {
  nlohmann::json sessions = nlohmann::json::object();
  auto describe = [](const media::MediaSessionClient& c) {
    return nlohmann::json{{"state", toString(c.state())}, {"reason", c.reason()}, {"rtcConnected", c.rtcConnected()}};
  };
  for (const std::string& id : media_.ids()) sessions[id] = describe(*media_.find(id));
  nlohmann::json render = nlohmann::json::array();
  for (const auto& item : renderList())
    render.push_back({{"stream", item.stream},
                      {"x", item.rect.x},
                      {"y", item.rect.y},
                      {"w", item.rect.w},
                      {"h", item.rect.h},
                      {"presenter", item.presenter},
                      {"hasVideo", item.hasVideo},
                      {"stalled", item.stalled}});
  return {{"state", toString(state_)},
          {"scope", config_.scope},
          {"layout", toString(config_.layout)},
          {"width", config_.width},
          {"height", config_.height},
          {"socket", {{"state", toString(socket_.state())}, {"url", socket_.url()}, {"attempts", socket_.attempts()}}},
          {"streams", streams_},
          {"presenter", presenter_},
          {"sessions", sessions},
          {"render", render},
          {"lastError", lastError_}};
}

}  // namespace confhost
