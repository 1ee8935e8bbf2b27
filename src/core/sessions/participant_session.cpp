#include "core/sessions/participant_session.hpp"

#include <algorithm>

#include "core/protocol/messages.hpp"
#include "core/protocol/overloaded.hpp"
#include "core/protocol/names.hpp"
#include "core/sessions/participant_identity.hpp"
#include "core/settings.hpp"

namespace confhost {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
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
  c.auth = mediaAuthOf(settings);
  c.iceServers = iceServersOf(settings);
  c.camera = settings.media.camera;
  c.microphone = settings.media.microphone;
  return c;
}

Status validateParticipantConfig(const ParticipantConfig& c) {
  if (!isHttpUrl(c.origin)) return Error{"origin", "must be an http(s) URL, got \"" + c.origin + "\""};
  if (c.backend.empty()) return Error{"backend", "missing"};
  if (auto e = validateConferenceScope("scope", c.scope); !e) return e;
  if (auto problems = problemsOf(identityOf(c, false), c.scope); !problems.empty()) return problems.front();
  if (!c.camera && !c.microphone) return Error{"media", "enable the camera or the microphone"};
  return {};
}

ParticipantSession::ParticipantSession(std::uint32_t seed) : socket_(seed) {
  // The composite retries sooner so a participant sees it soon after the mixer starts publishing.
  for (std::string_view id : kSessions) media_.add(std::string(id), retryingConfig(id == kCompositeSession ? kCompositePlayRetryCapMs : kRetryCapMs));
}

bool ParticipantSession::publishingToWaitingRoom() const {
  const media::MediaSessionClient& waiting = *media_.find(kWaitingSession);
  return waiting.state() == media::State::Connected && waiting.rtcConnected();
}

bool ParticipantSession::running() const {
  return state_ == ParticipantState::Joining || state_ == ParticipantState::Waiting ||
         state_ == ParticipantState::InConference;
}

std::vector<ParticipantEffect> ParticipantSession::handle(const ParticipantEvent& event) {
  Out out;
  std::visit(Overloaded{
                 [&](const participant::Start& e) { onStart(out, e); },
                 [&](const participant::Stop&) { onStop(out); },
                 [&](const participant::SocketOpened&) { socket_.opened(); },
                 [&](const participant::SocketClosed& e) { socket_.closed(e.reason, now_); },
                 [&](const participant::SocketMessage& e) {
                   if (running()) onMessage(out, e.text);
                 },
                 [&](const participant::Tick& e) { onTick(out, e); },
                 [&](const participant::Media& e) {
                   // Media events are routed even after Stop/Excluded: the sessions finish their DELETEs.
                   append(out, media_.forward(e.session, e.event));
                   if (running()) updateWaitingState(out);
                   if (running()) updateWaitingVideo(out);
                 },
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
  if (auto e = validateParticipantConfig(s.config); !e) {
    out.push_back(participant::ShowError{e.error().message()});
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

  startMedia(out, kWaitingSession, Endpoint::Whip, waitingRoomOf(config_.scope), {config_.microphone, config_.camera},
             "camera");
}

// A play receives the composite; a publish and the mix-minus join (sendrecv audio) send our stream.
void ParticipantSession::startMedia(Out& out, std::string_view id, Endpoint endpoint, const std::string& scope,
                                    media::Tracks tracks, std::string source) {
  media::Start start;
  start.kind = endpoint == Endpoint::Whep ? media::Kind::Whep : media::Kind::Whip;
  const std::string stream = endpoint == Endpoint::Whep ? roomNameOf(scope) : config_.streamName;
  start.endpoint = proxyUrl(config_.origin, endpoint, scope, stream);
  start.auth = config_.auth;
  start.iceServers = config_.iceServers;
  if (endpoint == Endpoint::Conference) start.direction = media::Direction::SendRecv;
  if (endpoint == Endpoint::Whip && source == "camera" && tracks.video) start.simulcastLayers = 2;
  if (endpoint == Endpoint::Whep && config_.compositeTilePx > 0 && config_.compositeTilePx <= 640)
    start.endpoint = lowLayer(start.endpoint);
  start.tracks = tracks;
  start.source = std::move(source);
  append(out, media_.start(id, start));
}

void ParticipantSession::onStop(Out& out) {
  if (!running()) return;
  stopAll(out);
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
  append(out, media_.tick(now_));
  if (running()) updateWaitingState(out);
}

void ParticipantSession::admit(Out& out) {
  enter(out, ParticipantState::InConference);
  startMedia(out, kPublishSession, Endpoint::Whip, config_.scope, {config_.microphone, config_.camera}, "camera");
  // The composite's audio is the full mix: it would echo us.
  startMedia(out, kCompositeSession, Endpoint::Whep, config_.scope, {false, true}, "composite");
  startMedia(out, kMixMinusSession, Endpoint::Conference, config_.scope, {true, false},
             config_.microphone ? "microphone" : "silence");
}

void ParticipantSession::leaveConference(Out& out) {
  for (std::string_view id : {kPublishSession, kCompositeSession, kMixMinusSession}) append(out, media_.stop(id));
  enter(out, publishingToWaitingRoom() ? ParticipantState::Waiting : ParticipantState::Joining);
  updateWaitingVideo(out);
}

// One camera encode at full cost: once the conference publish carries the picture (the host previews
// it, the mixer plays it), the waiting-room publish goes on standby; it is the first to know when the
// participant is back in the waiting room.
void ParticipantSession::updateWaitingVideo(Out& out) {
  const media::MediaSessionClient& publish = *media_.find(kPublishSession);
  const bool conferenceCarries = state_ == ParticipantState::InConference &&
                                 publish.state() == media::State::Connected && publish.rtcConnected();
  const media::VideoSend want = conferenceCarries ? media::VideoSend::Standby : media::VideoSend::Full;
  if (media_.find(kWaitingSession)->videoSend() != want)
    append(out, media_.forward(kWaitingSession, media::SetVideoSend{want}));
}

void ParticipantSession::exclude(Out& out) {
  stopAll(out);
  enter(out, ParticipantState::Excluded,
        "The host excluded " + config_.streamName + " from " + config_.scope + ": your broadcast was stopped.");
}

// The waiting-room publish stops last: the host's waiting list is built from it.
void ParticipantSession::stopAll(Out& out) {
  for (std::string_view id : {kPublishSession, kCompositeSession, kMixMinusSession, kWaitingSession})
    append(out, media_.stop(id));
  if (socket_.close()) out.push_back(participant::CloseSocket{});
}

void ParticipantSession::updateWaitingState(Out& out) {
  if (state_ == ParticipantState::InConference) return;
  const auto want = publishingToWaitingRoom() ? ParticipantState::Waiting : ParticipantState::Joining;
  if (want != state_) enter(out, want, want == ParticipantState::Joining ? media_.find(kWaitingSession)->reason() : "");
}

void ParticipantSession::enter(Out& out, ParticipantState s, std::string message) {
  state_ = s;
  if (!message.empty() || s == ParticipantState::Waiting || s == ParticipantState::InConference)
    message_ = message;
  out.push_back(participant::StateChanged{s, std::move(message)});
}

const media::MediaSessionClient* ParticipantSession::client(std::string_view session) const {
  return media_.find(session);
}

nlohmann::json ParticipantSession::stateJson() const {
  nlohmann::json sessions = nlohmann::json::object();
  for (std::string_view id : kSessions) {
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
