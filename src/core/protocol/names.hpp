#pragma once
// Names and scopes. A scope is "<app>/<room>"; its waiting room is "<scope>_wr"; the mixer
// publishes the composite as "<scope>/<room>" (stream name = room name, in the conference scope).
#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"

namespace confhost {

inline constexpr std::string_view kNamePattern = "^[/0-9A-Za-z_-]{1,255}$";
inline constexpr std::string_view kWaitingRoomSuffix = "_wr";
inline constexpr std::string_view kParticipantSuffix = "_r5participator";

bool isValidName(std::string_view name);
// Error{field, "must match ^[/0-9A-Za-z_-]{1,255}$"} (or "missing" when empty) unless valid.
Status validateName(std::string_view field, std::string_view value);

// The conference scope rule: a valid name "<app>/<room>" (neither part empty) that is not a waiting
// room. The error names `field`: "must be <app>/<room>", "must be the conference scope, not its
// waiting room (_wr)".
Status validateConferenceScope(std::string_view field, std::string_view scope);
// The stream name rule: a valid name without '/', and not "join" (the Stream Manager's conference
// path ends in it): "must not contain '/'", "'join' is reserved".
Status validateStreamName(std::string_view field, std::string_view name);
// An absolute http:// or https:// URL: a host, and no spaces or control characters.
bool isHttpUrl(std::string_view url);

std::string waitingRoomOf(std::string_view scope);                     // "live/room1" → "live/room1_wr"
bool isWaitingRoom(std::string_view room);                             // ends with "_wr"
std::string conferenceScopeOf(std::string_view room);                  // strips "_wr" if present
std::string roomNameOf(std::string_view scope);                        // "live/room1" → "room1" (after last '/')
std::string appNameOf(std::string_view scope);                         // "live/room1" → "live" (before first '/')
std::string compositeStreamOf(std::string_view scope);                 // = roomNameOf(scope)
std::string guidOf(std::string_view scope, std::string_view stream);   // "<scope>/<stream>"

}  // namespace confhost
