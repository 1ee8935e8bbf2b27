#include "mixer_session.hpp"

#include <algorithm>
#include <cstdlib>

#include "messages.hpp"
#include "names.hpp"
#include "query_string.hpp"
#include "settings.hpp"

namespace confhost {

namespace {

media::Config retryingConfig(int maxDelayMs) {
  media::Config cfg;
  cfg.retry.enabled = true;
  cfg.retry.maxDelayMs = maxDelayMs;
  return cfg;
}

std::optional<Error> readInt(const QueryParams& q, const char* key, int lo, int hi, int& out) {
  auto v = q.get(key);
  if (!v) return std::nullopt;  // keep the default
  const std::string range = "must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  if (v->empty() || v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos)
    return Error{key, range};
  const int n = std::atoi(v->c_str());
  if (n < lo || n > hi) return Error{key, range};
  out = n;
  return std::nullopt;
}

std::string trimSlashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
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
  if (c.origin.rfind("https://", 0) != 0 && c.origin.rfind("http://", 0) != 0)
    return Error{"origin", "must be an http(s) URL, got \"" + c.origin + "\""};
  const auto scope = q.get("scope");
  if (!scope || scope->empty()) return Error{"scope", "missing"};
  if (auto e = validateName("scope", *scope)) return *e;
  if (scope->find('/') == std::string::npos) return Error{"scope", "must be <app>/<room>"};
  if (isWaitingRoom(*scope)) return Error{"scope", "must be the conference scope, not its waiting room"};
  c.scope = *scope;
  c.backend = q.get("ws").value_or("");
  if (c.backend.empty()) c.backend = c.origin.substr(c.origin.find("://") + 3);
  if (auto layoutName = q.get("layout")) {
    auto preset = parseLayoutPreset(*layoutName);
    if (!preset) return preset.error();
    c.layout = preset.value();
  }
  if (auto e = readInt(q, "width", 16, 4096, c.width)) return *e;
  if (auto e = readInt(q, "height", 16, 4096, c.height)) return *e;
  if (auto e = readInt(q, "framerate", 1, 120, c.framerate)) return *e;
  if (auto e = readInt(q, "bitrate", 50, 50000, c.bitrate)) return *e;
  c.mixerId = q.get("mixerId").value_or("");
  c.mixerSecret = q.get("mixerSecret").value_or("");
  c.auth.token = q.get("token").value_or("");
  return c;
}

MixerSession::MixerSession(std::uint32_t seed)
    : socket_(seed), publish_(retryingConfig(4000)), mix_(retryingConfig(4000)) {}

std::vector<MixerEffect> MixerSession::handle(const MixerEvent& event) {
  Out out;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, mixer::Start>) {
          onStart(out, e);
        } else if constexpr (std::is_same_v<T, mixer::Stop>) {
          onStop(out);
        } else if constexpr (std::is_same_v<T, mixer::SocketOpened>) {
          socket_.opened();
        } else if constexpr (std::is_same_v<T, mixer::SocketClosed>) {
          socket_.closed(e.reason, now_);
        } else if constexpr (std::is_same_v<T, mixer::SocketMessage>) {
          if (state_ == MixerPageState::Running) onMessage(out, e.text);
        } else if constexpr (std::is_same_v<T, mixer::Tick>) {
          onTick(out, e.nowMs);
        } else if constexpr (std::is_same_v<T, mixer::InputFrames>) {
          onFrames(e);
        } else {
          if (auto* client = clientById(e.session)) forward(out, *client, e.session, e.event);
          // a retired play is forgotten once its DELETE is done
          auto it = retiring_.find(e.session);
          if (it != retiring_.end() && (it->second.state() == media::State::Stopped ||
                                        it->second.state() == media::State::Failed))
            retiring_.erase(it);
        }
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
  MixerConfig c = s.config;
  c.origin = trimSlashes(c.origin);
  std::optional<Error> bad;
  if (c.origin.rfind("https://", 0) != 0 && c.origin.rfind("http://", 0) != 0)
    bad = Error{"origin", "must be an http(s) URL, got \"" + c.origin + "\""};
  else if (c.backend.empty())
    bad = Error{"backend", "missing"};
  else if (auto e = validateName("scope", c.scope))
    bad = e;
  else if (c.scope.find('/') == std::string::npos || isWaitingRoom(c.scope))
    bad = Error{"scope", "must be <app>/<room>"};
  else if (c.width <= 0 || c.height <= 0)
    bad = Error{"width", "the canvas must not be empty"};
  if (bad) {
    lastError_ = bad->message();
    out.push_back(mixer::ShowError{lastError_});
    return;
  }
  config_ = std::move(c);
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
  pub.endpoint = proxyUrl("whip", room);
  pub.source = "canvas+mix";
  pub.maxBitrateKbps = config_.bitrate;
  forward(out, publish_, std::string(kMixerPublishSession), pub);

  media::Start mix = baseStart();
  mix.kind = media::Kind::Whip;
  mix.endpoint = proxyUrl("conference", room) + "?muted=true";
  mix.direction = media::Direction::SendRecv;
  mix.tracks = {true, false};
  mix.source = "silence";
  forward(out, mix_, std::string(kMixerAudioSession), mix);
}

void MixerSession::onStop(Out& out) {
  if (state_ != MixerPageState::Running) return;
  applyConference(out, {}, "");
  for (auto* c : {&publish_, &mix_}) {
    const std::string id(c == &publish_ ? kMixerPublishSession : kMixerAudioSession);
    if (c->state() != media::State::Idle && c->state() != media::State::Stopped) forward(out, *c, id, media::Stop{});
  }
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
    Play& play = it->second;
    forward(out, play.client, play.session, media::Stop{});
    if (play.client.state() == media::State::Stopping) retiring_.emplace(play.session, std::move(play.client));
    it = plays_.erase(it);
  }
  for (const auto& stream : list) {
    if (plays_.count(stream)) continue;
    Play play{"play/" + stream + "/" + std::to_string(nextPlay_++), media::MediaSessionClient(retryingConfig(2000)),
              0, -1};
    media::Start s = baseStart();
    s.kind = media::Kind::Whep;
    s.endpoint = proxyUrl("whep", stream);
    s.tracks = {false, true};  // the mix session carries everybody's audio
    s.source = "input";
    auto& stored = plays_.emplace(stream, std::move(play)).first->second;
    if (clockKnown_) forward(out, stored.client, stored.session, media::Tick{now_});  // learn the clock
    forward(out, stored.client, stored.session, s);
  }
  streams_ = std::move(list);
  presenter_ = std::find(streams_.begin(), streams_.end(), presenter) != streams_.end() ? presenter : "";
}

void MixerSession::onTick(Out& out, std::int64_t nowMs) {
  now_ = nowMs;
  clockKnown_ = true;
  if (auto url = socket_.tick(now_)) out.push_back(mixer::OpenSocket{*url});
  forward(out, publish_, std::string(kMixerPublishSession), media::Tick{now_});
  forward(out, mix_, std::string(kMixerAudioSession), media::Tick{now_});
  for (auto& [stream, play] : plays_) forward(out, play.client, play.session, media::Tick{now_});
  for (auto it = retiring_.begin(); it != retiring_.end();) {
    forward(out, it->second, it->first, media::Tick{now_});
    if (it->second.state() == media::State::Stopped) it = retiring_.erase(it);
    else ++it;
  }
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

void MixerSession::forward(Out& out, media::MediaSessionClient& client, const std::string& id,
                           const media::Event& event) {
  for (auto& effect : client.handle(event)) out.push_back(mixer::MediaEffect{id, std::move(effect)});
}

media::MediaSessionClient* MixerSession::clientById(std::string_view session) {
  if (session == kMixerPublishSession) return &publish_;
  if (session == kMixerAudioSession) return &mix_;
  for (auto& [stream, play] : plays_)
    if (play.session == session) return &play.client;
  auto it = retiring_.find(std::string(session));
  return it == retiring_.end() ? nullptr : &it->second;
}

const media::MediaSessionClient* MixerSession::client(std::string_view session) const {
  return const_cast<MixerSession*>(this)->clientById(session);
}

std::string MixerSession::playSessionOf(std::string_view stream) const {
  auto it = plays_.find(std::string(stream));
  return it == plays_.end() ? "" : it->second.session;
}

std::string MixerSession::proxyUrl(std::string_view kind, std::string_view stream) const {
  return config_.origin + "/as/v1/proxy/" + std::string(kind) + "/" + config_.scope + "/" + std::string(stream);
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
  sessions[std::string(kMixerPublishSession)] = describe(publish_);
  sessions[std::string(kMixerAudioSession)] = describe(mix_);
  for (const auto& [stream, play] : plays_) sessions[play.session] = describe(play.client);
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
