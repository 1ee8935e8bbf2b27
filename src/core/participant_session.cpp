#include "participant_session.hpp"

#include <algorithm>

#include "messages.hpp"
#include "names.hpp"
#include "settings.hpp"

namespace confhost {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

media::Config retryingConfig(int maxDelayMs) {
  media::Config cfg;
  cfg.retry.enabled = true;
  cfg.retry.maxDelayMs = maxDelayMs;
  return cfg;
}

std::string trimSlashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string_view toString(ParticipantState s) {
  switch (s) {
    case ParticipantState::Idle: return "idle";
    case ParticipantState::Joining: return "joining";
    case ParticipantState::Waiting: return "waiting";
    case ParticipantState::InConference: return "inConference";
    case ParticipantState::Excluded: return "excluded";
    case ParticipantState::Stopped: return "stopped";
  }
  return "";
}

ParticipantConfig participantConfigOf(const Settings& settings, std::string_view origin) {
  ParticipantConfig c;
  c.origin = std::string(origin);
  c.backend = effectiveBackend(settings);
  c.scope = settings.scope;
  c.streamName = settings.participantStreamName;
  if (settings.auth.enabled) {
    c.auth.username = settings.auth.username;
    c.auth.password = settings.auth.password;
    c.auth.token = settings.auth.token;
  }
  for (const auto& url : settings.iceServers) c.iceServers.push_back({url, "", ""});
  c.camera = settings.media.camera;
  c.microphone = settings.media.microphone;
  return c;
}

std::optional<Error> validateParticipantConfig(const ParticipantConfig& c) {
  if (c.origin.rfind("https://", 0) != 0 && c.origin.rfind("http://", 0) != 0)
    return Error{"origin", "must be an http(s) URL, got \"" + c.origin + "\""};
  if (c.backend.empty()) return Error{"backend", "missing"};
  if (auto e = validateName("scope", c.scope)) return e;
  if (c.scope.find('/') == std::string::npos) return Error{"scope", "must be <app>/<room>"};
  if (isWaitingRoom(c.scope)) return Error{"scope", "must be the conference scope, not its waiting room"};
  if (auto e = validateName("streamName", c.streamName)) return e;
  if (c.streamName.find('/') != std::string::npos) return Error{"streamName", "must not contain '/'"};
  if (c.streamName == "join") return Error{"streamName", "'join' is reserved"};
  if (c.streamName == roomNameOf(c.scope))
    return Error{"streamName", "must differ from the room name (the composite is published under it)"};
  if (!c.camera && !c.microphone) return Error{"media", "enable the camera or the microphone"};
  return std::nullopt;
}

ParticipantSession::ParticipantSession(std::uint32_t seed)
    : socket_(seed),
      waiting_(retryingConfig(8000)),
      publish_(retryingConfig(8000)),
      composite_(retryingConfig(2000)),
      mixMinus_(retryingConfig(8000)) {}

bool ParticipantSession::publishingToWaitingRoom() const {
  return waiting_.state() == media::State::Connected && waiting_.rtcConnected();
}

bool ParticipantSession::running() const {
  return state_ == ParticipantState::Joining || state_ == ParticipantState::Waiting ||
         state_ == ParticipantState::InConference;
}

std::vector<ParticipantEffect> ParticipantSession::handle(const ParticipantEvent& event) {
  Out out;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, participant::Start>) {
          onStart(out, e);
        } else if constexpr (std::is_same_v<T, participant::Stop>) {
          onStop(out);
        } else if constexpr (std::is_same_v<T, participant::SocketOpened>) {
          socket_.opened();
        } else if constexpr (std::is_same_v<T, participant::SocketClosed>) {
          socket_.closed(e.reason, now_);
        } else if constexpr (std::is_same_v<T, participant::SocketMessage>) {
          if (running()) onMessage(out, e.text);
        } else if constexpr (std::is_same_v<T, participant::Tick>) {
          onTick(out, e);
        } else {
          // Media events are routed even after Stop/Excluded: the sessions finish their DELETEs.
          if (auto* client = clientById(e.session)) forward(out, *client, e.session, e.event);
          if (running()) updateWaitingState(out);
        }
      },
      event);
  return out;
}

void ParticipantSession::onStart(Out& out, const participant::Start& s) {
  if (running()) {
    out.push_back(participant::ShowError{"start in state " + std::string(toString(state_)) +
                                         ": stop the broadcast first"});
    return;
  }
  if (auto e = validateParticipantConfig(s.config)) {
    out.push_back(participant::ShowError{e->message()});
    return;
  }
  config_ = s.config;
  config_.origin = trimSlashes(config_.origin);
  conference_.clear();
  presenter_.clear();
  message_.clear();
  enter(out, ParticipantState::Joining);
  out.push_back(participant::OpenSocket{
      socket_.open(conferenceSocketUrl(config_.backend, config_.scope, false, false, ""))});

  media::Start start;
  start.kind = media::Kind::Whip;
  start.endpoint = proxyUrl("whip", waitingRoomOf(config_.scope), config_.streamName);
  start.auth = config_.auth;
  start.iceServers = config_.iceServers;
  start.tracks = {config_.microphone, config_.camera};
  start.source = "camera";
  startSession(out, waiting_, kWaitingSession, start);
}

void ParticipantSession::onStop(Out& out) {
  if (!running()) return;
  for (auto* c : {&publish_, &composite_, &mixMinus_, &waiting_}) stopSession(out, *c, "");
  if (socket_.close()) out.push_back(participant::CloseSocket{});
  enter(out, ParticipantState::Stopped);
}

void ParticipantSession::onMessage(Out& out, const std::string& text) {
  const auto parsed = parseServerMessage(text);
  if (!parsed) {
    message_ = "unreadable message from the server: " + parsed.error().message();
    return;
  }
  const auto& msg = parsed.value();
  if (const auto* conf = std::get_if<Conference>(&msg)) {
    if (conferenceScopeOf(conf->room) != config_.scope) return;
    conference_ = conf->streams;
    presenter_ = conf->presenter.value_or("");
    const bool member = contains(conference_, config_.streamName);
    if (member && state_ != ParticipantState::InConference) admit(out);
    if (!member && state_ == ParticipantState::InConference) leaveConference(out);
  } else if (const auto* ex = std::get_if<Excluded>(&msg)) {
    if (conferenceScopeOf(ex->room) != config_.scope) return;
    if (contains(ex->streams, config_.streamName)) exclude(out);
  } else if (const auto* err = std::get_if<ErrorReply>(&msg)) {
    message_ = err->error;
  }
}

void ParticipantSession::onTick(Out& out, const participant::Tick& t) {
  now_ = t.nowMs;
  if (auto url = socket_.tick(now_)) out.push_back(participant::OpenSocket{*url});
  forward(out, waiting_, kWaitingSession, media::Tick{now_});
  forward(out, publish_, kPublishSession, media::Tick{now_});
  forward(out, composite_, kCompositeSession, media::Tick{now_});
  forward(out, mixMinus_, kMixMinusSession, media::Tick{now_});
  if (running()) updateWaitingState(out);
}

void ParticipantSession::admit(Out& out) {
  enter(out, ParticipantState::InConference);
  const std::string room = roomNameOf(config_.scope);

  media::Start pub;
  pub.kind = media::Kind::Whip;
  pub.endpoint = proxyUrl("whip", config_.scope, config_.streamName);
  pub.auth = config_.auth;
  pub.iceServers = config_.iceServers;
  pub.tracks = {config_.microphone, config_.camera};
  pub.source = "camera";
  startSession(out, publish_, kPublishSession, pub);

  media::Start composite;
  composite.kind = media::Kind::Whep;
  composite.endpoint = proxyUrl("whep", config_.scope, room);
  composite.auth = config_.auth;
  composite.iceServers = config_.iceServers;
  composite.tracks = {false, true};  // the composite's audio is the full mix: it would echo us
  composite.source = "composite";
  startSession(out, composite_, kCompositeSession, composite);

  media::Start mix;
  mix.kind = media::Kind::Whip;
  mix.endpoint = proxyUrl("conference", config_.scope, config_.streamName);
  mix.auth = config_.auth;
  mix.iceServers = config_.iceServers;
  mix.direction = media::Direction::SendRecv;
  mix.tracks = {true, false};
  mix.source = config_.microphone ? "microphone" : "silence";
  startSession(out, mixMinus_, kMixMinusSession, mix);
}

void ParticipantSession::leaveConference(Out& out) {
  stopSession(out, publish_, kPublishSession);
  stopSession(out, composite_, kCompositeSession);
  stopSession(out, mixMinus_, kMixMinusSession);
  enter(out, publishingToWaitingRoom() ? ParticipantState::Waiting : ParticipantState::Joining);
}

void ParticipantSession::exclude(Out& out) {
  for (auto* c : {&publish_, &composite_, &mixMinus_, &waiting_}) stopSession(out, *c, "");
  if (socket_.close()) out.push_back(participant::CloseSocket{});
  enter(out, ParticipantState::Excluded,
        "The host excluded " + config_.streamName + " from " + config_.scope + ": your broadcast was stopped.");
}

void ParticipantSession::startSession(Out& out, media::MediaSessionClient& client, std::string_view id,
                                      media::Start start) {
  // One still active from an earlier admission (a quick remove-then-add) is stopped first so its
  // resource is freed; Start is accepted while its DELETE is in flight.
  stopSession(out, client, id);
  forward(out, client, id, std::move(start));
}

void ParticipantSession::stopSession(Out& out, media::MediaSessionClient& client, std::string_view id) {
  if (client.state() == media::State::Idle || client.state() == media::State::Stopped ||
      client.state() == media::State::Stopping)
    return;
  if (id.empty()) {
    if (&client == &waiting_) id = kWaitingSession;
    else if (&client == &publish_) id = kPublishSession;
    else if (&client == &composite_) id = kCompositeSession;
    else id = kMixMinusSession;
  }
  forward(out, client, id, media::Stop{});
}

void ParticipantSession::forward(Out& out, media::MediaSessionClient& client, std::string_view id,
                                 const media::Event& event) {
  for (auto& effect : client.handle(event))
    out.push_back(participant::MediaEffect{std::string(id), std::move(effect)});
}

void ParticipantSession::updateWaitingState(Out& out) {
  if (state_ == ParticipantState::InConference) return;
  const auto want = publishingToWaitingRoom() ? ParticipantState::Waiting : ParticipantState::Joining;
  if (want != state_) enter(out, want, want == ParticipantState::Joining ? waiting_.reason() : "");
}

void ParticipantSession::enter(Out& out, ParticipantState s, std::string message) {
  state_ = s;
  if (!message.empty() || s == ParticipantState::Waiting || s == ParticipantState::InConference)
    message_ = message;
  out.push_back(participant::StateChanged{s, std::move(message)});
}

media::MediaSessionClient* ParticipantSession::clientById(std::string_view session) {
  if (session == kWaitingSession) return &waiting_;
  if (session == kPublishSession) return &publish_;
  if (session == kCompositeSession) return &composite_;
  if (session == kMixMinusSession) return &mixMinus_;
  return nullptr;
}

const media::MediaSessionClient* ParticipantSession::client(std::string_view session) const {
  return const_cast<ParticipantSession*>(this)->clientById(session);
}

std::string ParticipantSession::proxyUrl(std::string_view kind, std::string_view scope,
                                         std::string_view stream) const {
  return config_.origin + "/as/v1/proxy/" + std::string(kind) + "/" + std::string(scope) + "/" +
         std::string(stream);
}

nlohmann::json ParticipantSession::stateJson() const {
  nlohmann::json sessions = nlohmann::json::object();
  for (auto id : {kWaitingSession, kPublishSession, kCompositeSession, kMixMinusSession}) {
    const auto* c = client(id);
    sessions[std::string(id)] = {{"state", toString(c->state())},
                                 {"reason", c->reason()},
                                 {"rtcConnected", c->rtcConnected()},
                                 {"resource", c->resourceUrl()}};
  }
  return {{"state", toString(state_)},
          {"message", message_},
          {"scope", config_.scope},
          {"streamName", config_.streamName},
          {"socket", {{"state", toString(socket_.state())}, {"url", socket_.url()}, {"attempts", socket_.attempts()}}},
          {"conference", conference_},
          {"presenter", presenter_},
          {"sessions", sessions}};
}

}  // namespace confhost
