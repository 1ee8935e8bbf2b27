#pragma once
// The Conference API: one definition of every WebSocket message, shared by the console, the mixer page
// and the server. Wire-compatible with the reference `backend-mixer-testbeds` server: parsing is lenient
// where the reference is loose (streams as strings or {name} objects, numbers sent as strings by the
// reference host page) and strict everywhere else (every other problem is an Error naming the field).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/protocol/mixer_spec.hpp"

namespace confhost {

// ---- shared value types ---------------------------------------------------------------------------

struct CompositionRequest {  // body of createComposition and of POST /composition
  std::string event;
  bool transcodeComposition = false;
  std::string digest;
  std::vector<MixerSpec> mixers;
  std::vector<std::string> location;  // exactly one region
  bool operator==(const CompositionRequest&) const;
};

enum class MixerState { Pending, InService, Composing, Terminating, Failed };
std::string_view toString(MixerState);
std::optional<MixerState> mixerStateFromString(std::string_view);  // also accepts "disconnected" → Failed

struct MixerStatus {
  std::string id;
  std::string name;
  std::string path;
  std::string location;
  std::string serverAddress;
  MixerState state = MixerState::Pending;
  bool isWebSocketConnected = false;
  std::string page;
  std::string lastError;  // ours, optional on the wire ("" = absent)
  // The mixer as it was requested. A Red5 Pro Stream Manager answers with each mixer's whole definition
  // plus id and state, and its clients read it back (the reference backend finds the final mixer by
  // its empty destinationMixerName and files the composition under that mixer's path). On the wire its
  // fields sit beside the status fields; `path` is shared. Absent when a sender gives only the status.
  std::optional<MixerSpec> definition;
  bool operator==(const MixerStatus&) const;
};

struct Composition {
  std::string event;
  std::string name;
  std::string context;
  std::vector<MixerStatus> mixers;
  bool operator==(const Composition&) const;
};

// ---- client → server ------------------------------------------------------------------------------

struct Promote { std::string room, streamName; bool operator==(const Promote&) const; };
struct Demote { std::string room, streamName; bool operator==(const Demote&) const; };
struct Presenter { std::string room, streamName; bool operator==(const Presenter&) const; };
struct Order { std::string room, streamName; int order = 0; bool operator==(const Order&) const; };
struct Exclude { std::string room, streamName; bool operator==(const Exclude&) const; };
struct CreateComposition { CompositionRequest request; bool operator==(const CreateComposition&) const; };
struct DestroyComposition { std::string event; bool operator==(const DestroyComposition&) const; };
struct GetActiveCompositions { bool operator==(const GetActiveCompositions&) const { return true; } };
struct GetActiveStreams { bool operator==(const GetActiveStreams&) const { return true; } };

using ClientMessage = std::variant<Promote, Demote, Presenter, Order, Exclude, CreateComposition,
                                   DestroyComposition, GetActiveCompositions, GetActiveStreams>;

// ---- server → client ------------------------------------------------------------------------------

struct Active {
  std::string room;
  std::vector<std::string> streams;
  std::optional<std::string> screenshareName;
  bool operator==(const Active&) const;
};
struct Excluded { std::string room; std::vector<std::string> streams; bool operator==(const Excluded&) const; };
struct Conference {
  std::string room;
  std::optional<std::string> presenter;  // absent (or "") when nobody presents
  std::vector<std::string> streams;      // conference-list order
  bool operator==(const Conference&) const;
};
struct ActiveCompositions {
  std::string room;
  std::vector<Composition> list;
  bool operator==(const ActiveCompositions&) const;
};
struct MixerRegions { std::vector<std::string> regions; bool operator==(const MixerRegions&) const; };
struct ActiveStreams {  // answer to getActiveStreams: every stream publishing in the socket's room
  std::string room;
  std::vector<std::string> streams;
  bool operator==(const ActiveStreams&) const;
};
struct ErrorReply { std::string error; bool operator==(const ErrorReply&) const; };
// Ours, "confhost.talking" (the reference has no such message and ignores unknown types): every
// conference stream whose speech the origin detects right now, sent to the room's host sockets on
// connect and on each change. The whole set each time, so a host that reconnects learns the truth.
struct Talking {
  std::string room;                  // the conference scope "<app>/<room>"
  std::vector<std::string> streams;  // conference-list order
  bool operator==(const Talking&) const;
};

using ServerMessage = std::variant<Active, Excluded, Conference, ActiveCompositions, MixerRegions,
                                   ActiveStreams, ErrorReply, Talking>;

// ---- codec ----------------------------------------------------------------------------------------

// Parse one JSON text frame. Errors name the field and the problem: "type: unknown message type 'foo'",
// "streamName: missing", "order: must be an integer", "room: must match ^[/0-9A-Za-z_-]{1,255}$",
// "malformed JSON: ...".
Expected<ClientMessage> parseClientMessage(std::string_view text);
Expected<ServerMessage> parseServerMessage(std::string_view text);

nlohmann::json toJson(const ClientMessage&);
nlohmann::json toJson(const ServerMessage&);
std::string serialize(const ClientMessage&);  // compact JSON text with "type"
std::string serialize(const ServerMessage&);

// Pieces reused by the Stream Manager API (POST /composition body, GET /composition answer).
Expected<CompositionRequest> compositionRequestFromJson(const nlohmann::json&);  // "type" ignored
nlohmann::json toJson(const CompositionRequest&);                               // without "type"
Expected<Composition> compositionFromJson(const nlohmann::json&);
nlohmann::json toJson(const Composition&);

std::string_view typeName(const ClientMessage&);  // "promote", ...
std::string_view typeName(const ServerMessage&);  // "active", ...

}  // namespace confhost
