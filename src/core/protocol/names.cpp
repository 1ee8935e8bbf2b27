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

Status validateConferenceScope(std::string_view field, std::string_view scope) {
  if (auto e = validateName(field, scope); !e) return e;
  const auto slash = scope.find('/');
  if (slash == std::string_view::npos || slash == 0 || scope.back() == '/' || scope.find("//") != std::string_view::npos)
    return Error{std::string(field), "must be <app>/<room>"};
  if (isWaitingRoom(scope)) return Error{std::string(field), "must be the conference scope, not its waiting room (_wr)"};
  return {};
}

Status validateStreamName(std::string_view field, std::string_view name) {
  if (auto e = validateName(field, name); !e) return e;
  if (name.find('/') != std::string_view::npos) return Error{std::string(field), "must not contain '/'"};
  if (name == "join") return Error{std::string(field), "'join' is reserved"};
  return {};
}

bool isHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 8) == "https://") rest = url.substr(8);
  else if (url.substr(0, 7) == "http://") rest = url.substr(7);
  else return false;
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return false;  // needs a host
  for (char c : rest)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
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
