#pragma once
// HostSession: the host console's brain. Sans-I/O: the app feeds it events (its two
// Conference API sockets, its media sessions' results, a clock tick, the user's commands) and performs
// the effects it returns (open/close/send on a socket, the media sessions' effects, show an error). It
// never blocks, never throws.
//
// Rules (each has a test in tests/core/host_session_test.cpp):
// - Start opens two sockets with host=true (and hostToken when set): WaitingRoom (room "<scope>_wr") and
//   Conference (room "<scope>"). Start while running restarts with the new config. Stop closes both,
//   stops every preview and the composite and forgets the lists. Stop when stopped does nothing.
// - Each socket is a ReconnectingSocket (its table says how it connects, drops and retries). When the
//   Conference socket closes, talking is cleared: nobody reports speech until it is back. On top of
//   it: SocketOpened when not Connecting is refused with an error, and also closed unless it is Open
//   (a connection we did not ask for must not linger). Start while running first closes like Stop.
// - Resync: the server pushes its state on connect; when the WaitingRoom socket opens we also send
//   getActiveCompositions.
// - Server messages: `active` for "<scope>_wr" → waiting room; `active` for "<scope>" → scope streams;
//   `conference` → conference list and presenter; `excluded`; `activeCompositions`; `mixerRegions`;
//   `error` → lastError + ShowError; `confhost.talking` → talking (the whole set, replaced each time;
//   names not in the conference are kept, since the lists and the talking set arrive separately and
//   the views ring only tiles they draw). Messages about another room are ignored. An unparsable message →
//   lastError + ShowError (the socket stays open).
// - Waiting = active("<scope>_wr") minus conference members, minus excluded, minus the room's composite
//   stream (= room name), minus names containing "_r5participator".
// - Previews: exactly one per visible stream (waiting ∪ conference), playing "<scope>_wr/<name>", except
//   a conference member whose "<scope>/<name>" is active: that one plays from the conference scope (its
//   waiting-room video is on standby then). Each is a retrying WHEP play of the publisher's half-size
//   layer (every tile of the console is small) from the config's origin, with its auth and ICE servers.
//   After every change the set is diffed: those gone stop (DELETE; their session is forgotten once that
//   is done), then new ones start.
// - The composite: while the selected composition is Composing, "<scope>/<room>" plays the same way in
//   its own session; it stops as soon as the composition is anything else (or none, or on Stop).
// - Media events go to the session they name (unknown ones are dropped); Tick reaches every session.
// - Commands go on the WaitingRoom socket: promote/demote/presenter/order carry room "<scope>", exclude
//   carries room "<scope>_wr" (as the reference host page). They need that socket Open and a known stream
//   (add/exclude: in the waiting list; remove/presenter/move: in the conference; ban: either; move index
//   within the list); otherwise ShowError naming the command and the state, and nothing is sent.
//   Lists change only when the server pushes them (no optimistic updates).
// - Compositions: the selected event is the one created last or chosen with SelectComposition; when it
//   disappears the first listed one (or none) is selected. Its state: created by us but not listed yet
//   → Pending (until an `error` arrives); otherwise not listed → None; destroy sent
//   → Destroying; any mixer failed → Failed; any terminating → Destroying; all composing → Composing;
//   otherwise (pending/inservice, or no mixers yet) → Pending.
// - An event that makes no sense in the current state yields ShowError("<event> in state <state>: ...")
//   and changes nothing; nothing crashes.
//
// Adapter contract: perform effects in order; after performing CloseSocket{id} report nothing more about
// that old connection (detach its callbacks), so a later SocketClosed/Opened for `id` always refers to
// the connection of the latest OpenSocket{id}. Media effects carry their session's id; the browser's
// results go back in a Media event with that id.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/media/media_session_set.hpp"
#include "core/protocol/messages.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"
#include "core/sessions/role_io.hpp"

namespace confhost {

enum class CompositionState { None, Pending, Composing, Failed, Destroying };

std::string_view toString(CompositionState);  // "none", "pending", "composing", "failed", "destroying"

struct HostConfig {
  std::string backend;    // "host:port" or a full ws(s):// URL (see conferenceSocketUrl in settings.hpp)
  std::string scope;      // "<app>/<room>"
  std::string hostToken;  // "" = none (the socket may listen but not command)
  std::string origin;     // "https://host:port" of the WHIP/WHEP proxy the previews play from
  media::Auth auth;
  std::vector<IceServer> iceServers;
};
struct Settings;
// backend = effectiveBackend(settings); auth and ICE servers as mediaAuthOf and iceServersOf say.
HostConfig hostConfigOf(const Settings& settings, std::string_view origin);

// ---- events ---------------------------------------------------------------------------------------
namespace host {

// Stop, the two sockets' events and effects (each naming its socket), Tick, Media (a result for one of
// the previews' or the composite's sessions), MediaEffect, ShowError.
using namespace role_io;

struct Start { HostConfig config; };

// User commands (the buttons, and window.confhost for tests: one code path).
struct CreateComposition { CompositionRequest request; };  // build it with CompositionForm::toRequest
struct DestroyComposition { std::string event; };          // "" = the selected composition
struct SelectComposition { std::string event; };
struct AddToConference { std::string streamName; };        // promote
struct Exclude { std::string streamName; };                // exclude a waiting-room stream
struct RemoveFromConference { std::string streamName; };   // demote
struct MakePresenter { std::string streamName; };          // presenter
struct Move { std::string streamName; int index = 0; };    // order
struct Ban { std::string streamName; };                    // exclude a conference member
struct DismissError {};                                    // clears lastError

// ---- effects --------------------------------------------------------------------------------------
using Send = socket_io::Send;

}  // namespace host

using HostEvent = std::variant<host::Start, host::Stop, host::SocketOpened, host::SocketClosed,
                               host::SocketMessage, host::Tick, host::CreateComposition,
                               host::DestroyComposition, host::SelectComposition, host::AddToConference,
                               host::Exclude, host::RemoveFromConference, host::MakePresenter, host::Move,
                               host::Ban, host::DismissError, host::Media>;
using HostEffect = std::variant<host::OpenSocket, host::CloseSocket, host::Send, host::MediaEffect,
                                host::ShowError>;

std::string_view eventName(const HostEvent&);  // "start", "socketOpened", "addToConference", "media", ...

// ---- state ----------------------------------------------------------------------------------------
struct Preview {
  std::string scope, stream;
  bool operator==(const Preview& o) const { return scope == o.scope && stream == o.stream; }
};

struct HostState {
  bool started = false;
  HostConfig config;
  std::array<SocketStatus, 2> sockets;  // indexed by SocketId; a copy of each socket after every event
  std::vector<std::string> waiting;     // visible waiting-room streams (see rules)
  std::vector<std::string> conference;  // conference list, in order
  std::string presenter;                // "" = none
  std::vector<std::string> excluded;
  std::vector<std::string> scopeStreams;  // `active` of "<scope>" (the composite appears here)
  std::vector<Composition> compositions;  // from activeCompositions
  std::string selectedEvent;              // "" = none
  CompositionState selectedState = CompositionState::None;
  std::set<std::string> destroyRequested;  // events we sent destroyComposition for, still listed
  std::vector<std::string> regions;        // from mixerRegions
  std::vector<std::string> talking;        // from confhost.talking: streams speaking now
  std::string lastError;                   // "" = none; cleared by DismissError
  std::vector<Preview> previews;           // currently started, in start order
  std::optional<Preview> composite;        // "<scope>/<room>" while it plays

  const SocketStatus& socket(SocketId id) const { return sockets[static_cast<int>(id)]; }
  const Composition* selectedComposition() const;  // nullptr when not listed
};

// Derived state of one listed composition (rules above).
CompositionState compositionStateOf(const Composition&, bool destroyRequested);

class HostSession {
 public:
  explicit HostSession(uint32_t seed = 1);  // seeds the jitter of the reconnect delays

  std::vector<HostEffect> handle(const HostEvent& event);
  const HostState& state() const { return state_; }
  // The media session playing a stream's preview, "" when it has none; the composite's, "" while it
  // does not play. The adapter keys its peers and tiles by these and never reads anything out of them.
  std::string previewSessionOf(std::string_view stream) const;
  std::string compositeSession() const;
  const media::MediaSessionClient* client(std::string_view session) const;  // nullptr when unknown

  // For window.confhost and tests:
  // {"started", "scope", "sockets": {"waitingRoom": {"state","url","attempts","retryAtMs","closeReason"},
  //  "conference": {...}}, "waiting": [..], "conference": [..], "presenter", "excluded": [..],
  //  "scopeStreams": [..], "compositions": [{"event","name","state", "mixers": [{"id","name","state",
  //  "page"}]}], "selected": {"event","state"}, "regions": [..], "talking": [..], "lastError",
  //  "previews": [{"scope","stream"}]}
  nlohmann::json stateJson() const;

 private:
  struct Impl;  // the transition functions (host_session.cpp)
  HostState state_;
  std::array<ReconnectingSocket, 2> sockets_;  // indexed by SocketId
  int64_t nowMs_ = 0;                           // latest Tick
  std::vector<std::string> activeWaitingRoom_;  // raw `active` of "<scope>_wr"
  std::string createRequested_;                 // created by us, not listed yet (shown as Pending)
  MediaSessionSet media_;                       // the previews' plays and the composite's
};

}  // namespace confhost
