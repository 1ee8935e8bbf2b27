#include "server/conference/webhook_notice.hpp"

#include <cctype>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "core/protocol/json_limits.hpp"
#include "core/protocol/names.hpp"

namespace confhost {

namespace {

using nlohmann::json;

// The first of `keys` the body has. Its value must be a string; `which` tells the caller whose.
Status pick(const json& body, std::initializer_list<const char*> keys, std::string& out, std::string& which) {
  for (const char* k : keys) {
    if (!body.contains(k)) continue;
    which = k;
    if (!body[k].is_string()) return Error{k, "must be a string"};
    out = body[k].get<std::string>();
    return {};
  }
  which = *keys.begin();
  return Error{which, "missing"};
}

bool hasAny(const json& body, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (body.contains(k)) return true;
  return false;
}

// Event names as senders spell them: "publish", "stream-published", "publish_start", "STOP"...
enum class Kind { Published, Unpublished, Unknown };
Kind kindOf(const std::string& event) {
  std::string word;
  for (char c : event)
    if (c != '-' && c != '_' && c != '.') word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const char* w : {"publish", "published", "streampublished", "publishstart", "start"})
    if (word == w) return Kind::Published;
  for (const char* w : {"unpublish", "unpublished", "streamunpublished", "publishstop", "stop"})
    if (word == w) return Kind::Unpublished;
  return Kind::Unknown;
}

}  // namespace

Expected<WebhookNotice> parseWebhookNotice(std::string_view text) {
  auto parsed = parseJsonBounded(text);
  if (!parsed) return Error{"body", parsed.error().reason};
  const json& body = *parsed;
  if (!body.is_object()) return Error{"body", "must be a JSON object: {event, guid} or {type, scope, name}"};

  if (!hasAny(body, {"type", "event"}))
    return Error{"event", "missing: stream-published or stream-unpublished (or type: publish or unpublish)"};
  std::string event, eventField;
  if (auto e = pick(body, {"type", "event"}, event, eventField); !e) return e.error();
  const Kind kind = kindOf(event);
  if (kind == Kind::Unknown)
    return Error{eventField, "unknown event '" + event + "' (stream-published, stream-unpublished, publish or unpublish)"};

  WebhookNotice notice;
  notice.published = kind == Kind::Published;
  static const std::initializer_list<const char*> kScopeKeys = {"scope", "room", "context", "app"};
  static const std::initializer_list<const char*> kNameKeys = {"name", "streamName", "stream"};
  if (body.contains("guid")) {
    if (hasAny(body, kScopeKeys) || hasAny(body, kNameKeys))
      return Error{"guid", "give either guid or a scope and a name, not both"};
    if (!body["guid"].is_string()) return Error{"guid", "must be a string"};
    std::string guid = body["guid"].get<std::string>();
    while (!guid.empty() && guid.front() == '/') guid.erase(0, 1);
    const auto slash = guid.rfind('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == guid.size())
      return Error{"guid", "'" + guid + "' is not <app>/<room>/<stream>"};
    notice.scope = guid.substr(0, slash);
    notice.name = guid.substr(slash + 1);
    notice.nameField = "guid";
    if (auto e = validateName("guid", notice.scope + "/" + notice.name); !e) return e.error();
    return notice;
  }

  if (!hasAny(body, kScopeKeys))
    return Error{"scope", "missing: give guid \"<app>/<room>/<stream>\", or a scope and a name"};
  std::string scopeField;
  if (auto e = pick(body, kScopeKeys, notice.scope, scopeField); !e) return e.error();
  if (auto e = pick(body, kNameKeys, notice.name, notice.nameField); !e) return e.error();
  while (!notice.scope.empty() && notice.scope.front() == '/') notice.scope.erase(0, 1);  // Red5 writes "/live/room1"
  if (auto e = validateName(scopeField, notice.scope); !e) return e.error();
  if (auto e = validateName(notice.nameField, notice.name); !e) return e.error();
  return notice;
}

}  // namespace confhost
