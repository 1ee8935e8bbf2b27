#pragma once
// Testbed settings (the console's "settings" page): everything the host, participant and mixer roles
// need to reach the stack, saved as JSON in the browser's localStorage.
//
// Loading is tolerant, because a saved blob may come from an older or newer build: missing fields and
// unknown fields fall back to / are ignored silently; a field of the wrong type keeps its default and is
// reported in the error list (so the settings page can say which one was dropped). validate() checks the
// values themselves and returns one Error per offending field (field names are the JSON paths, e.g.
// "auth.username", "iceServers[1]"), for inline display next to each input.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/protocol/query_string.hpp"

namespace confhost {

struct RoundTripAuth {  // credentials the stack may demand: sent with publish/play/join when enabled
  bool enabled = false;
  std::string username;
  std::string password;
  std::string token;
};

struct MediaSettings {  // the participant's local capture
  bool camera = false;
  bool microphone = false;
  int width = 0;  // requested capture resolution, 16..4096
  int height = 0;
};

struct Settings {
  std::string host;                     // host[:port] of the page's origin (the HTTPS front)
  std::string scope;                    // "<app>/<room>"
  std::string backend;                  // Conference API socket: "host:port" or a full ws(s):// URL
  std::string streamManagerUrl;         // "https://<host>" by default
  std::string streamManagerToken;       // Stream Manager access token; also the composition's digest
  std::string hostToken;                // proves the host role to the Conference API, "" = none
  std::string participantStreamName;
  RoundTripAuth auth;
  std::vector<std::string> iceServers;  // "stun:..."/"turn:..." URLs; none for the local stack
  MediaSettings media;

  // The defaults for a page served from `pageHost` ("localhost:8443"): assets/default_settings.json,
  // plus host and backend = pageHost, Stream Manager = "https://<pageHost>".
  static Settings defaults(std::string_view pageHost);
};

struct LoadedSettings {
  Settings settings;
  std::vector<Error> errors;  // fields that had the wrong type (their default was kept), or bad JSON
};

LoadedSettings loadSettings(const nlohmann::json& json, std::string_view pageHost);
LoadedSettings loadSettings(std::string_view text, std::string_view pageHost);  // malformed → defaults + error
nlohmann::json toJson(const Settings&);
std::string saveSettings(const Settings&);  // compact JSON text, readable by loadSettings

// Per-field problems with the values (empty = valid). Rules: host is host[:port]; scope is
// "<app>/<room>" of valid names and does not end with "_wr"; backend is host[:port] or ws(s)://...;
// streamManagerUrl is http(s)://...; streamManagerToken, participantStreamName valid names when set
// (participantStreamName required, no '/', not "join"); auth.username/password required when enabled;
// iceServers start with stun:, stuns:, turn: or turns:; media.width/height in 16..4096.
std::vector<Error> validate(const Settings&);

// Hash-route overrides such as "#/host?hostToken=abc": recognised keys hostToken, scope, backend (alias
// ws), smToken (alias token), streamName. A value that would make the settings invalid is not applied
// and is returned as an Error naming the key.
std::vector<Error> applyQueryOverrides(Settings&, const QueryParams&);

// The Conference API socket URL:
//   "wss://<backend>/?testbed=conference&room=<room>&host=<host>&mixer=<mixer>[&hostToken=<t>]"
// `backend` may be "host:port" (→ wss://host:port/) or a full "ws://"/"wss://" URL (its path is kept).
// The room is written raw like the reference clients (names cannot need escaping); the token is
// percent-encoded; hostToken is omitted when empty.
std::string conferenceSocketUrl(std::string_view backend, std::string_view room, bool host, bool mixer,
                                std::string_view hostToken);

// The backend to use: settings.backend, or settings.host when backend is empty.
std::string effectiveBackend(const Settings&);

}  // namespace confhost
