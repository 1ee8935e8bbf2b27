#include "settings.hpp"

#include "json_limits.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "names.hpp"

namespace confhost {

namespace {

using nlohmann::json;

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// "host", "host:port", "[::1]:port". Hostnames: letters, digits, '.', '-'.
bool isHostPort(std::string_view text) {
  if (text.empty()) return false;
  std::string_view host = text;
  std::string_view port;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : text.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    port = rest.substr(1);
    if (port.empty()) return false;
  } else {
    auto colon = text.find(':');
    if (colon != std::string_view::npos) {
      host = text.substr(0, colon);
      port = text.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty()) return false;
    for (char c : host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
    }
  }
  if (!port.empty()) {
    if (port.size() > 5) return false;
    long value = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return false;
  }
  return true;
}

// "<scheme>host[:port][/path...]" for one of `schemes`.
bool isUrlWithScheme(std::string_view text, std::initializer_list<std::string_view> schemes) {
  for (auto scheme : schemes) {
    if (!startsWith(text, scheme)) continue;
    std::string_view rest = text.substr(scheme.size());
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (!isHostPort(authority)) return false;
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    return std::none_of(path.begin(), path.end(),
                        [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
  }
  return false;
}

bool isScope(std::string_view scope) {
  auto slash = scope.find('/');
  return isValidName(scope) && slash != std::string_view::npos && slash > 0 && scope.back() != '/' &&
         scope.find("//") == std::string_view::npos;
}

// Tolerant readers: absent or null → keep the default; wrong type → keep the default, report it.
class Reader {
 public:
  explicit Reader(std::vector<Error>& errors) : errors_(errors) {}

  void string(const json& obj, const char* key, const std::string& path, std::string& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (v->is_string()) out = v->get<std::string>();
    else errors_.push_back({path, "must be a string"});
  }
  void boolean(const json& obj, const char* key, const std::string& path, bool& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (v->is_boolean()) out = v->get<bool>();
    else errors_.push_back({path, "must be a boolean"});
  }
  void integer(const json& obj, const char* key, const std::string& path, int& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (v->is_number_integer() && v->get<int64_t>() >= INT32_MIN && v->get<int64_t>() <= INT32_MAX) {
      out = v->get<int>();
    } else {
      errors_.push_back({path, "must be an integer"});
    }
  }
  const json* object(const json& obj, const char* key, const std::string& path) {
    const json* v = find(obj, key);
    if (!v) return nullptr;
    if (v->is_object()) return v;
    errors_.push_back({path, "must be an object"});
    return nullptr;
  }
  void strings(const json& obj, const char* key, const std::string& path, std::vector<std::string>& out) {
    const json* v = find(obj, key);
    if (!v) return;
    if (!v->is_array()) {
      errors_.push_back({path, "must be an array of strings"});
      return;
    }
    std::vector<std::string> values;
    for (size_t i = 0; i < v->size(); ++i) {
      if ((*v)[i].is_string()) values.push_back((*v)[i].get<std::string>());
      else errors_.push_back({path + "[" + std::to_string(i) + "]", "must be a string"});
    }
    out = std::move(values);
  }

 private:
  static const json* find(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }
  std::vector<Error>& errors_;
};

void checkName(std::vector<Error>& errors, const char* field, const std::string& value) {
  if (auto e = validateName(field, value)) errors.push_back(*e);
}

}  // namespace

Settings Settings::defaults(std::string_view pageHost) {
  Settings s;
  s.host = std::string(pageHost);
  s.backend = std::string(pageHost);
  s.streamManagerUrl = pageHost.empty() ? std::string() : "https://" + std::string(pageHost);
  return s;
}

LoadedSettings loadSettings(const nlohmann::json& j, std::string_view pageHost) {
  LoadedSettings out{Settings::defaults(pageHost), {}};
  if (!j.is_object()) {
    out.errors.push_back({"settings", "must be a JSON object"});
    return out;
  }
  Settings& s = out.settings;
  Reader r(out.errors);
  r.string(j, "host", "host", s.host);
  r.string(j, "scope", "scope", s.scope);
  r.string(j, "backend", "backend", s.backend);
  r.string(j, "streamManagerUrl", "streamManagerUrl", s.streamManagerUrl);
  r.string(j, "streamManagerToken", "streamManagerToken", s.streamManagerToken);
  r.string(j, "hostToken", "hostToken", s.hostToken);
  r.string(j, "participantStreamName", "participantStreamName", s.participantStreamName);
  if (const json* auth = r.object(j, "auth", "auth")) {
    r.boolean(*auth, "enabled", "auth.enabled", s.auth.enabled);
    r.string(*auth, "username", "auth.username", s.auth.username);
    r.string(*auth, "password", "auth.password", s.auth.password);
    r.string(*auth, "token", "auth.token", s.auth.token);
  }
  r.strings(j, "iceServers", "iceServers", s.iceServers);
  if (const json* media = r.object(j, "media", "media")) {
    r.boolean(*media, "camera", "media.camera", s.media.camera);
    r.boolean(*media, "microphone", "media.microphone", s.media.microphone);
    r.integer(*media, "width", "media.width", s.media.width);
    r.integer(*media, "height", "media.height", s.media.height);
  }
  return out;
}

LoadedSettings loadSettings(std::string_view text, std::string_view pageHost) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return {Settings::defaults(pageHost), {{"settings", "malformed JSON (defaults used)"}}};
  }
  return loadSettings(j, pageHost);
}

nlohmann::json toJson(const Settings& s) {
  return json{{"host", s.host},
              {"scope", s.scope},
              {"backend", s.backend},
              {"streamManagerUrl", s.streamManagerUrl},
              {"streamManagerToken", s.streamManagerToken},
              {"hostToken", s.hostToken},
              {"participantStreamName", s.participantStreamName},
              {"auth",
               {{"enabled", s.auth.enabled},
                {"username", s.auth.username},
                {"password", s.auth.password},
                {"token", s.auth.token}}},
              {"iceServers", s.iceServers},
              {"media",
               {{"camera", s.media.camera},
                {"microphone", s.media.microphone},
                {"width", s.media.width},
                {"height", s.media.height}}}};
}

// A link's query may put any bytes in a token (?hostToken=%ff): replaced, never thrown on (fuzz_settings).
std::string saveSettings(const Settings& s) { return dumpJson(toJson(s)); }

std::vector<Error> validate(const Settings& s) {
  std::vector<Error> errors;
  if (s.host.empty()) errors.push_back({"host", "missing"});
  else if (!isHostPort(s.host)) errors.push_back({"host", "must be host or host:port"});

  if (s.scope.empty()) {
    errors.push_back({"scope", "missing"});
  } else if (!isScope(s.scope)) {
    errors.push_back({"scope", "must be <app>/<room>, each matching " + std::string(kNamePattern)});
  } else if (isWaitingRoom(s.scope)) {
    errors.push_back({"scope", "must not end with _wr (reserved for the waiting room)"});
  }

  if (s.backend.empty()) {
    errors.push_back({"backend", "missing"});
  } else if (!isHostPort(s.backend) && !isUrlWithScheme(s.backend, {"wss://", "ws://"})) {
    errors.push_back({"backend", "must be host:port or a ws:// or wss:// URL"});
  }

  if (s.streamManagerUrl.empty()) errors.push_back({"streamManagerUrl", "missing"});
  else if (!isUrlWithScheme(s.streamManagerUrl, {"https://", "http://"}))
    errors.push_back({"streamManagerUrl", "must be an http:// or https:// URL"});

  if (!s.streamManagerToken.empty()) checkName(errors, "streamManagerToken", s.streamManagerToken);
  if (std::any_of(s.hostToken.begin(), s.hostToken.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    errors.push_back({"hostToken", "must not contain spaces"});
  }

  if (auto e = validateName("participantStreamName", s.participantStreamName)) {
    errors.push_back(*e);
  } else if (s.participantStreamName.find('/') != std::string::npos) {
    errors.push_back({"participantStreamName", "must not contain '/'"});
  } else if (s.participantStreamName == "join") {
    errors.push_back({"participantStreamName", "'join' is reserved"});
  }

  if (s.auth.enabled) {
    if (s.auth.username.empty()) errors.push_back({"auth.username", "required when authentication is on"});
    if (s.auth.password.empty()) errors.push_back({"auth.password", "required when authentication is on"});
  }

  for (size_t i = 0; i < s.iceServers.size(); ++i) {
    const std::string& url = s.iceServers[i];
    bool ok = false;
    for (std::string_view scheme : {"stun:", "stuns:", "turn:", "turns:"}) {
      if (startsWith(url, scheme) && url.size() > scheme.size()) ok = true;
    }
    if (!ok) {
      errors.push_back({"iceServers[" + std::to_string(i) + "]", "must start with stun:, stuns:, turn: or turns:"});
    }
  }

  auto checkDimension = [&](const char* field, int value) {
    if (value < 16 || value > 4096) errors.push_back({field, "must be between 16 and 4096"});
  };
  checkDimension("media.width", s.media.width);
  checkDimension("media.height", s.media.height);
  return errors;
}

std::vector<Error> applyQueryOverrides(Settings& settings, const QueryParams& params) {
  struct Override {
    const char* key;
    const char* alias;
    const char* field;  // the validate() field it affects
    std::string Settings::*member;
  };
  static const Override kOverrides[] = {
      {"hostToken", nullptr, "hostToken", &Settings::hostToken},
      {"scope", nullptr, "scope", &Settings::scope},
      {"backend", "ws", "backend", &Settings::backend},
      {"smToken", "token", "streamManagerToken", &Settings::streamManagerToken},
      {"streamName", nullptr, "participantStreamName", &Settings::participantStreamName},
  };
  std::vector<Error> errors;
  for (const auto& o : kOverrides) {
    std::optional<std::string> value = params.get(o.key);
    std::string key = o.key;
    if (!value && o.alias) {
      value = params.get(o.alias);
      key = o.alias;
    }
    if (!value) continue;
    Settings candidate = settings;
    candidate.*o.member = *value;
    bool refused = false;
    for (const Error& e : validate(candidate)) {
      if (e.field == o.field) {
        errors.push_back({key, e.reason});
        refused = true;
        break;
      }
    }
    if (!refused) settings.*o.member = *value;
  }
  return errors;
}

std::string conferenceSocketUrl(std::string_view backend, std::string_view room, bool host, bool mixer,
                                std::string_view hostToken) {
  std::string base;
  if (startsWith(backend, "ws://") || startsWith(backend, "wss://")) {
    base = std::string(backend);
  } else if (startsWith(backend, "https://")) {
    base = "wss://" + std::string(backend.substr(8));
  } else if (startsWith(backend, "http://")) {
    base = "ws://" + std::string(backend.substr(7));
  } else {
    base = "wss://" + std::string(backend);
  }
  // Ensure a path: "wss://h:1" → "wss://h:1/".
  auto schemeEnd = base.find("://") + 3;
  if (base.find('/', schemeEnd) == std::string::npos) base += '/';
  base += base.find('?') == std::string::npos ? '?' : '&';
  base += "testbed=conference&room=" + std::string(room);
  base += host ? "&host=true" : "&host=false";
  base += mixer ? "&mixer=true" : "&mixer=false";
  if (!hostToken.empty()) base += "&hostToken=" + percentEncode(hostToken, "");
  return base;
}

std::string effectiveBackend(const Settings& s) { return s.backend.empty() ? s.host : s.backend; }

}  // namespace confhost
