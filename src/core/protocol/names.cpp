#include "core/protocol/names.hpp"

namespace confhost {

namespace {
bool isNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '/' ||
         c == '_' || c == '-';
}
bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

bool isValidName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    if (!isNameChar(c)) return false;
  }
  return true;
}

Status validateName(std::string_view field, std::string_view value) {
  if (value.empty()) return Error{std::string(field), "missing"};
  if (!isValidName(value)) return Error{std::string(field), "must match " + std::string(kNamePattern)};
  return {};
}

std::string waitingRoomOf(std::string_view scope) {
  // Idempotent so that callers holding either room of a conference get the same answer.
  if (isWaitingRoom(scope)) return std::string(scope);
  return std::string(scope) + std::string(kWaitingRoomSuffix);
}

bool isWaitingRoom(std::string_view room) { return endsWith(room, kWaitingRoomSuffix); }

std::string conferenceScopeOf(std::string_view room) {
  if (isWaitingRoom(room)) room.remove_suffix(kWaitingRoomSuffix.size());
  return std::string(room);
}

std::string roomNameOf(std::string_view scope) {
  auto slash = scope.rfind('/');
  return std::string(slash == std::string_view::npos ? scope : scope.substr(slash + 1));
}

std::string appNameOf(std::string_view scope) {
  // A scope without '/' has no app part.
  auto slash = scope.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(scope.substr(0, slash));
}

std::string compositeStreamOf(std::string_view scope) { return roomNameOf(conferenceScopeOf(scope)); }

std::string guidOf(std::string_view scope, std::string_view stream) {
  return std::string(scope) + "/" + std::string(stream);
}

}  // namespace confhost
