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

std::string waitingRoomOf(std::string_view scope);                     // "live/room1" → "live/room1_wr"
bool isWaitingRoom(std::string_view room);                             // ends with "_wr"
std::string conferenceScopeOf(std::string_view room);                  // strips "_wr" if present
std::string roomNameOf(std::string_view scope);                        // "live/room1" → "room1" (after last '/')
std::string appNameOf(std::string_view scope);                         // "live/room1" → "live" (before first '/')
std::string compositeStreamOf(std::string_view scope);                 // = roomNameOf(scope)
std::string guidOf(std::string_view scope, std::string_view stream);   // "<scope>/<stream>"

}  // namespace confhost
