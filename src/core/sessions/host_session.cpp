#include "core/sessions/host_session.hpp"

#include <algorithm>
#include <iterator>

#include "core/media/proxy_path.hpp"
#include "core/protocol/names.hpp"
#include "core/settings.hpp"

namespace confhost {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string_view socketLabel(SocketId id) {
  return id == SocketId::WaitingRoom ? "waiting-room socket" : "conference socket";
}

// A preview's session is named after what it plays; the composite's has a name of its own. Either is
// only ever looked up, never read back into a scope and a stream.
constexpr std::string_view kCompositeSession = "composite";
std::string sessionOf(const Preview& p) { return guidOf(p.scope, p.stream); }

}  // namespace

std::string_view toString(CompositionState s) {
  switch (s) {
    case CompositionState::None: return "none";
    case CompositionState::Pending: return "pending";
    case CompositionState::Composing: return "composing";
    case CompositionState::Failed: return "failed";
    case CompositionState::Destroying: return "destroying";
  }
  return "?";
}

std::string_view eventName(const HostEvent& event) {
  static constexpr std::string_view kNames[] = {
      "start",           "stop",          "socketOpened",    "socketClosed",
      "socketMessage",   "tick",          "createComposition", "destroyComposition",
      "selectComposition", "addToConference", "exclude",     "removeFromConference",
      "makePresenter",   "move",          "ban",             "dismissError",
      "media"};
  static_assert(std::size(kNames) == std::variant_size_v<HostEvent>);
  return kNames[event.index()];
}

HostConfig hostConfigOf(const Settings& settings, std::string_view origin) {
  return HostConfig{effectiveBackend(settings), settings.scope,       settings.hostToken,
                    std::string(origin),        mediaAuthOf(settings), iceServersOf(settings)};
}

CompositionState compositionStateOf(const Composition& c, bool destroyRequested) {
  if (destroyRequested) return CompositionState::Destroying;
  auto any = [&](MixerState s) {
    return std::any_of(c.mixers.begin(), c.mixers.end(), [&](const MixerStatus& m) { return m.state == s; });
  };
  if (any(MixerState::Failed)) return CompositionState::Failed;
  if (any(MixerState::Terminating)) return CompositionState::Destroying;
  bool allComposing = !c.mixers.empty() && std::all_of(c.mixers.begin(), c.mixers.end(), [](const MixerStatus& m) {
    return m.state == MixerState::Composing;
  });
  return allComposing ? CompositionState::Composing : CompositionState::Pending;
}

const Composition* HostState::selectedComposition() const {
  if (selectedEvent.empty()) return nullptr;
  for (const Composition& c : compositions) {
    if (c.event == selectedEvent) return &c;
  }
  return nullptr;
}

// ---- transitions ----------------------------------------------------------------------------------

struct HostSession::Impl {
  HostSession& s;
  std::vector<HostEffect> fx;
  std::string_view event;  // name of the event being handled, for error texts

  HostState& st() { return s.state_; }
  ReconnectingSocket& sock(SocketId id) { return s.sockets_[static_cast<int>(id)]; }
  const std::string& scope() { return s.state_.config.scope; }

  void fail(const std::string& text) {
    st().lastError = text;
    fx.push_back(host::ShowError{text});
  }
  // "<event> in state <state>: <why>"
  void refuse(SocketState state, const std::string& why) {
    fail(std::string(event) + " in state " + std::string(toString(state)) + ": " + why);
  }

  std::string roomOf(SocketId id) { return id == SocketId::WaitingRoom ? waitingRoomOf(scope()) : scope(); }

  void open(SocketId id) {
    const std::string url = conferenceSocketUrl(st().config.backend, roomOf(id), /*host=*/true,
                                                /*mixer=*/false, st().config.hostToken);
    fx.push_back(host::OpenSocket{sock(id).open(url), id});
  }

  void closeAll() {
    for (SocketId id : {SocketId::WaitingRoom, SocketId::Conference}) {
      if (sock(id).reset()) fx.push_back(host::CloseSocket{id});
    }
  }

  // ---- media ----

  media::Start playOf(const Preview& p) {
    media::Start start;
    start.kind = media::Kind::Whep;
    // Every tile of the host's console is small: the publisher's half-size layer fills it.
    start.endpoint = lowLayer(proxyUrl(st().config.origin, Endpoint::Whep, p.scope, p.stream));
    start.auth = st().config.auth;
    start.iceServers = st().config.iceServers;
    start.source = "preview";
    return start;
  }

  void startPreview(const Preview& p) {
    const std::string session = sessionOf(p);
    s.media_.add(session, retryingConfig(kRetryCapMs));
    append(fx, s.media_.start(session, playOf(p)));
  }

  void stopPreview(const Preview& p) { append(fx, s.media_.retire(sessionOf(p))); }

  void stopAllMedia() {
    for (const Preview& p : st().previews) stopPreview(p);
    st().previews.clear();
    if (st().composite) append(fx, s.media_.stop(kCompositeSession));
    st().composite.reset();
  }

  // The real composite, beside the layout preview, once the mixer publishes it.
  void syncComposite() {
    const bool wanted = st().started && st().selectedState == CompositionState::Composing;
    if (wanted == st().composite.has_value()) return;
    if (wanted) {
      st().composite = Preview{scope(), compositeStreamOf(scope())};
      append(fx, s.media_.start(kCompositeSession, playOf(*st().composite)));
    } else {
      st().composite.reset();
      append(fx, s.media_.stop(kCompositeSession));
    }
  }

  void forgetRoom() {
    HostConfig config = st().config;
    std::string lastError = st().lastError;
    st() = HostState{};
    st().config = std::move(config);
    st().lastError = std::move(lastError);
    s.activeWaitingRoom_.clear();
    s.createRequested_.clear();
  }

  // Waiting list and previews follow the raw lists; called after every list change.
  void recomputeWaiting() {
    const std::string composite = compositeStreamOf(scope());
    std::vector<std::string> waiting;
    for (const std::string& name : s.activeWaitingRoom_) {
      if (contains(st().conference, name) || contains(st().excluded, name) || name == composite ||
          name.find(kParticipantSuffix) != std::string::npos || contains(waiting, name)) {
        continue;
      }
      waiting.push_back(name);
    }
    st().waiting = std::move(waiting);
    syncPreviews();
  }

  void syncPreviews() {
    const std::string wr = waitingRoomOf(scope());
    std::vector<Preview> wanted;
    for (const auto* list : {&st().waiting, &st().conference}) {
      for (const std::string& name : *list) {
        // A member's picture comes from its conference publish once that is live (the participant
        // then sends its waiting-room video on standby); until then from the waiting room.
        const bool fromConference = list == &st().conference && contains(st().scopeStreams, name);
        Preview p{fromConference ? scope() : wr, name};
        if (std::find(wanted.begin(), wanted.end(), p) == wanted.end()) wanted.push_back(p);
      }
    }
    std::vector<Preview> kept;
    for (const Preview& p : st().previews) {
      if (std::find(wanted.begin(), wanted.end(), p) == wanted.end()) {
        stopPreview(p);
      } else {
        kept.push_back(p);
      }
    }
    for (const Preview& p : wanted) {
      if (std::find(kept.begin(), kept.end(), p) == kept.end()) {
        startPreview(p);
        kept.push_back(p);
      }
    }
    st().previews = std::move(kept);
  }

  void recomputeSelection() {
    HostState& h = st();
    for (auto it = h.destroyRequested.begin(); it != h.destroyRequested.end();) {
      bool listed = std::any_of(h.compositions.begin(), h.compositions.end(),
                                [&](const Composition& c) { return c.event == *it; });
      it = listed ? std::next(it) : h.destroyRequested.erase(it);
    }
    bool createdListed = std::any_of(h.compositions.begin(), h.compositions.end(),
                                     [&](const Composition& c) { return c.event == s.createRequested_; });
    if (createdListed) s.createRequested_.clear();

    if (!h.selectedComposition() && !(h.selectedEvent == s.createRequested_ && !h.selectedEvent.empty())) {
      h.selectedEvent = h.compositions.empty() ? std::string() : h.compositions.front().event;
    }
    if (const Composition* c = h.selectedComposition()) {
      h.selectedState = compositionStateOf(*c, h.destroyRequested.count(c->event) > 0);
    } else if (!h.selectedEvent.empty() && h.selectedEvent == s.createRequested_) {
      h.selectedState = CompositionState::Pending;
    } else {
      h.selectedState = CompositionState::None;
    }
  }

  // ---- lifecycle ----

  void operator()(const host::Start& e) {
    const HostConfig& c = e.config;
    std::string problem;
    if (auto err = validateConferenceScope("scope", c.scope); !err) problem = err.error().message();
    else if (c.backend.empty()) problem = "backend: missing";
    if (!problem.empty()) {
      refuse(sock(SocketId::WaitingRoom).state(), problem);
      return;
    }
    if (st().started) {  // restart with the new configuration
      closeAll();
      stopAllMedia();
    }
    st().config = c;
    forgetRoom();
    st().lastError.clear();
    st().started = true;
    open(SocketId::WaitingRoom);
    open(SocketId::Conference);
  }

  void operator()(const host::Stop&) {
    if (!st().started) return;  // already stopped: nothing to undo
    closeAll();
    stopAllMedia();
    forgetRoom();
  }

  // ---- sockets ----

  void operator()(const host::SocketOpened& e) {
    ReconnectingSocket& so = sock(e.socket);
    if (so.state() != SocketState::Connecting) {
      refuse(so.state(), std::string(socketLabel(e.socket)) + " opened but no connection was being made");
      // A connection we did not ask for (or no longer want) must not linger.
      if (so.state() != SocketState::Open) fx.push_back(host::CloseSocket{e.socket});
      return;
    }
    so.opened();
    // The server pushes lists on connect; compositions are asked for explicitly, like the reference.
    if (e.socket == SocketId::WaitingRoom) {
      fx.push_back(host::Send{serialize(ClientMessage{GetActiveCompositions{}}), e.socket});
    }
  }

  void operator()(const host::SocketClosed& e) {
    sock(e.socket).closed(e.reason, s.nowMs_);
    // The talking set is pushed on the conference socket; without it, it would go stale.
    if (e.socket == SocketId::Conference) st().talking.clear();
  }

  void operator()(const host::Tick& e) {
    s.nowMs_ = e.nowMs;
    for (SocketId id : {SocketId::WaitingRoom, SocketId::Conference}) {
      if (auto url = sock(id).tick(e.nowMs)) fx.push_back(host::OpenSocket{*url, id});
    }
    append(fx, s.media_.tick(e.nowMs));
  }

  // Also after Stop: the stopped sessions finish their DELETEs.
  void operator()(const host::Media& e) { append(fx, s.media_.forward(e.session, e.event)); }

  void operator()(const host::SocketMessage& e) {
    const SocketState state = sock(e.socket).state();
    if (state != SocketState::Open) {
      refuse(state, "message on the " + std::string(socketLabel(e.socket)) + " ignored (not open)");
      return;
    }
    Expected<ServerMessage> parsed = parseServerMessage(e.text);
    if (!parsed) {
      fail("server sent a message the console cannot read (" + parsed.error().message() + ")");
      return;
    }
    std::visit([&](const auto& m) { onServer(m); }, parsed.value());
  }

  // ---- server messages ----

  void onServer(const Active& m) {
    if (m.room == waitingRoomOf(scope()) && m.room != scope()) {
      s.activeWaitingRoom_ = m.streams;
      recomputeWaiting();
    } else if (m.room == scope()) {
      st().scopeStreams = m.streams;
      syncPreviews();
    }
  }
  void onServer(const Excluded& m) {
    if (conferenceScopeOf(m.room) != scope()) return;
    st().excluded = m.streams;
    recomputeWaiting();
  }
  void onServer(const Conference& m) {
    if (conferenceScopeOf(m.room) != scope()) return;
    st().conference = m.streams;
    st().presenter = m.presenter.value_or("");
    recomputeWaiting();
  }
  void onServer(const ActiveCompositions& m) {
    st().compositions = m.list;
    recomputeSelection();
  }
  void onServer(const MixerRegions& m) { st().regions = m.regions; }
  void onServer(const Talking& m) {
    if (m.room == scope()) st().talking = m.streams;
  }
  void onServer(const ActiveStreams&) {}  // we never ask; the pushed `active` lists are authoritative
  void onServer(const ErrorReply& m) {
    // A refused createComposition is reported this way: stop showing our request as Pending.
    if (!s.createRequested_.empty()) {
      s.createRequested_.clear();
      recomputeSelection();
    }
    fail(m.error);
  }

  // ---- commands ----

  // Commands travel on the waiting-room socket (as the reference host page sends them).
  bool commandSocketOpen() {
    SocketState state = sock(SocketId::WaitingRoom).state();
    if (state == SocketState::Open) return true;
    refuse(state, "the waiting-room socket is not open");
    return false;
  }
  bool validStream(const std::string& name) {
    if (auto err = validateName("streamName", name); !err) {
      refuse(sock(SocketId::WaitingRoom).state(), err.error().message());
      return false;
    }
    return true;
  }
  // The socket is open, the name valid and the stream in `list`; otherwise refuses, naming `where`.
  bool commandReady(const std::string& name, const std::vector<std::string>& list, const char* where) {
    if (!commandSocketOpen() || !validStream(name)) return false;
    if (contains(list, name)) return true;
    refuseStream(name, where);
    return false;
  }
  void refuseStream(const std::string& name, const char* where) {
    refuse(sock(SocketId::WaitingRoom).state(), "'" + name + "' is not " + where);
  }
  void send(const ClientMessage& m) { fx.push_back(host::Send{serialize(m), SocketId::WaitingRoom}); }

  void operator()(const host::AddToConference& e) {
    if (commandReady(e.streamName, st().waiting, "in the waiting room")) send(Promote{scope(), e.streamName});
  }
  void operator()(const host::Exclude& e) {
    if (commandReady(e.streamName, st().waiting, "in the waiting room"))
      send(confhost::Exclude{waitingRoomOf(scope()), e.streamName});
  }
  void operator()(const host::RemoveFromConference& e) {
    if (commandReady(e.streamName, st().conference, "in the conference")) send(Demote{scope(), e.streamName});
  }
  void operator()(const host::MakePresenter& e) {
    if (commandReady(e.streamName, st().conference, "in the conference")) send(Presenter{scope(), e.streamName});
  }
  void operator()(const host::Move& e) {
    if (!commandReady(e.streamName, st().conference, "in the conference")) return;
    int size = static_cast<int>(st().conference.size());
    if (e.index < 0 || e.index >= size) {
      refuse(SocketState::Open, "index " + std::to_string(e.index) + " is outside the conference list (0.." +
                                    std::to_string(size - 1) + ")");
      return;
    }
    send(Order{scope(), e.streamName, e.index});
  }
  void operator()(const host::Ban& e) {
    if (!commandSocketOpen() || !validStream(e.streamName)) return;
    if (!contains(st().conference, e.streamName) && !contains(st().waiting, e.streamName)) {
      return refuseStream(e.streamName, "in the conference or the waiting room");
    }
    send(confhost::Exclude{waitingRoomOf(scope()), e.streamName});
  }

  void operator()(const host::CreateComposition& e) {
    if (!commandSocketOpen()) return;
    if (auto err = validateName("event", e.request.event); !err) {
      refuse(SocketState::Open, err.error().message());
      return;
    }
    if (e.request.mixers.empty()) {
      refuse(SocketState::Open, "mixers: at least one mixer is required");
      return;
    }
    send(confhost::CreateComposition{e.request});
    st().destroyRequested.erase(e.request.event);
    st().selectedEvent = e.request.event;
    if (!st().selectedComposition()) s.createRequested_ = e.request.event;
    recomputeSelection();
  }

  void operator()(const host::DestroyComposition& e) {
    std::string target = e.event.empty() ? st().selectedEvent : e.event;
    if (!commandSocketOpen()) return;
    if (target.empty()) {
      refuse(SocketState::Open, "no composition is selected");
      return;
    }
    bool listed = std::any_of(st().compositions.begin(), st().compositions.end(),
                              [&](const Composition& c) { return c.event == target; });
    if (!listed) {
      refuse(SocketState::Open, "'" + target + "' is not an active composition");
      return;
    }
    send(confhost::DestroyComposition{target});
    st().destroyRequested.insert(target);
    recomputeSelection();
  }

  void operator()(const host::SelectComposition& e) {
    bool listed = std::any_of(st().compositions.begin(), st().compositions.end(),
                              [&](const Composition& c) { return c.event == e.event; });
    if (!listed) {
      refuse(sock(SocketId::WaitingRoom).state(), "'" + e.event + "' is not an active composition");
      return;
    }
    st().selectedEvent = e.event;
    recomputeSelection();
  }

  void operator()(const host::DismissError&) { st().lastError.clear(); }
};

// The sockets draw their jitter from different sequences so two drops in one frame do not retry together.
HostSession::HostSession(uint32_t seed) : sockets_{ReconnectingSocket(seed), ReconnectingSocket(seed + 1)} {
  media_.add(std::string(kCompositeSession), retryingConfig(kRetryCapMs));
}

std::vector<HostEffect> HostSession::handle(const HostEvent& event) {
  Impl impl{*this, {}, eventName(event)};
  std::visit(impl, event);
  // Whatever the event, the composite follows the selected composition's state.
  impl.syncComposite();
  for (int i = 0; i < 2; ++i) state_.sockets[i] = sockets_[i].status();
  return std::move(impl.fx);
}

std::string HostSession::previewSessionOf(std::string_view stream) const {
  for (const Preview& p : state_.previews)
    if (p.stream == stream) return sessionOf(p);
  return {};
}

std::string HostSession::compositeSession() const {
  return state_.composite ? std::string(kCompositeSession) : std::string();
}

const media::MediaSessionClient* HostSession::client(std::string_view session) const { return media_.find(session); }

nlohmann::json HostSession::stateJson() const {
  using nlohmann::json;
  const HostState& h = state_;
  auto socketJson = [](const SocketStatus& so) {
    return json{{"state", toString(so.state)},
                {"url", so.url},
                {"attempts", so.attempts},
                {"retryAtMs", so.retryAtMs},
                {"closeReason", so.closeReason}};
  };
  json compositions = json::array();
  for (const Composition& c : h.compositions) {
    json mixers = json::array();
    for (const MixerStatus& m : c.mixers) {
      mixers.push_back({{"id", m.id}, {"name", m.name}, {"state", toString(m.state)}, {"page", m.page}});
    }
    compositions.push_back({{"event", c.event},
                            {"name", c.name},
                            {"state", toString(compositionStateOf(c, h.destroyRequested.count(c.event) > 0))},
                            {"mixers", std::move(mixers)}});
  }
  json previews = json::array();
  for (const Preview& p : h.previews) previews.push_back({{"scope", p.scope}, {"stream", p.stream}});
  return json{{"started", h.started},
              {"scope", h.config.scope},
              {"sockets",
               {{"waitingRoom", socketJson(h.socket(SocketId::WaitingRoom))},
                {"conference", socketJson(h.socket(SocketId::Conference))}}},
              {"waiting", h.waiting},
              {"conference", h.conference},
              {"presenter", h.presenter},
              {"excluded", h.excluded},
              {"scopeStreams", h.scopeStreams},
              {"compositions", std::move(compositions)},
              {"selected", {{"event", h.selectedEvent}, {"state", toString(h.selectedState)}}},
              {"regions", h.regions},
              {"talking", h.talking},
              {"lastError", h.lastError},
              {"previews", std::move(previews)}};
}

}  // namespace confhost
