#include "core/settings.hpp"

#include "core/protocol/json_limits.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <stdexcept>

#include "core_assets.hpp"
#include "core/protocol/names.hpp"

namespace confhost {

namespace {

using nlohmann::json;

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// "1".."65535", at most five digits.
bool isPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  long value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

// "host", "host:port", "[::1]", "[::1]:port". Hostnames: letters, digits, '.', '-'.
bool isHostPort(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : text.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    return close + 1 == text.size() || (text[close + 1] == ':' && isPort(text.substr(close + 2)));
  }
  auto colon = text.find(':');
  std::string_view host = text.substr(0, colon);
  if (host.empty()) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return colon == std::string_view::npos || isPort(text.substr(colon + 1));
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

// Tolerant reader of one JSON object: absent or null → keep the default; wrong type → keep the default
// and report it under its path (`prefix` + key).
class Reader {
 public:
  Reader(const json& obj, std::string prefix, std::vector<Error>& errors)
      : obj_(obj), prefix_(std::move(prefix)), errors_(errors) {}

  void read(const char* key, std::string& out) { take(key, out, &json::is_string, "must be a string"); }
  void read(const char* key, bool& out) { take(key, out, &json::is_boolean, "must be a boolean"); }
  void read(const char* key, int& out) {
    const auto isInt32 = [](const json& v) {
      return v.is_number_integer() && v.get<int64_t>() >= INT32_MIN && v.get<int64_t>() <= INT32_MAX;
    };
    take(key, out, isInt32, "must be an integer");
  }
  void read(const char* key, std::vector<std::string>& out) {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_array()) return errors_.push_back({prefix_ + key, "must be an array of strings"});
    std::vector<std::string> values;
    for (size_t i = 0; i < v->size(); ++i) {
      if ((*v)[i].is_string()) values.push_back((*v)[i].get<std::string>());
      else errors_.push_back({prefix_ + key + "[" + std::to_string(i) + "]", "must be a string"});
    }
    out = std::move(values);
  }
  const json* object(const char* key) {
    const json* v = find(key);
    if (v && !v->is_object()) errors_.push_back({prefix_ + key, "must be an object"});
    return v && v->is_object() ? v : nullptr;
  }

 private:
  template <class T, class Accepts>
  void take(const char* key, T& out, Accepts accepts, const char* reason) {
    const json* v = find(key);
    if (v && std::invoke(accepts, *v)) out = v->get<T>();
    else if (v) errors_.push_back({prefix_ + key, reason});
  }
  const json* find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& obj_;
  std::string prefix_;
  std::vector<Error>& errors_;
};

// Overwrites the fields `j` (an object) sets; wrong types are reported and leave the field as it was.
void readInto(const json& j, Settings& s, std::vector<Error>& errors) {
  Reader r(j, "", errors);
  r.read("host", s.host);
  r.read("scope", s.scope);
  r.read("backend", s.backend);
  r.read("streamManagerUrl", s.streamManagerUrl);
  r.read("streamManagerToken", s.streamManagerToken);
  r.read("hostToken", s.hostToken);
  r.read("participantStreamName", s.participantStreamName);
  if (const json* auth = r.object("auth")) {
    Reader a(*auth, "auth.", errors);
    a.read("enabled", s.auth.enabled);
    a.read("username", s.auth.username);
    a.read("password", s.auth.password);
    a.read("token", s.auth.token);
  }
  r.read("iceServers", s.iceServers);
  if (const json* media = r.object("media")) {
    Reader m(*media, "media.", errors);
    m.read("camera", s.media.camera);
    m.read("microphone", s.media.microphone);
    m.read("width", s.media.width);
    m.read("height", s.media.height);
  }
}

}  // namespace

Settings Settings::defaults(std::string_view pageHost) {
  static const Settings shipped = [] {
    Settings s;
    std::vector<Error> errors;
    readInto(json::parse(assets::default_settings), s, errors);  // a broken asset fails every test
    if (!errors.empty()) throw std::logic_error("assets/default_settings.json: " + errors[0].message());
    return s;
  }();
  Settings s = shipped;
  s.host = std::string(pageHost);
  s.backend = std::string(pageHost);
  s.streamManagerUrl = pageHost.empty() ? std::string() : "https://" + std::string(pageHost);
  return s;
}

LoadedSettings loadSettings(const nlohmann::json& j, std::string_view pageHost) {
  LoadedSettings out{Settings::defaults(pageHost), {}};
  if (j.is_object()) readInto(j, out.settings, out.errors);
  else out.errors.push_back({"settings", "must be a JSON object"});
  return out;
}

LoadedSettings loadSettings(std::string_view text, std::string_view pageHost) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return {Settings::defaults(pageHost), {{"settings", "malformed JSON (defaults used)"}}};
  }
  return loadSettings(j, pageHost);
}

// The JSON keys are the member names.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RoundTripAuth, enabled, username, password, token)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MediaSettings, camera, microphone, width, height)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Settings, host, scope, backend, streamManagerUrl, streamManagerToken, hostToken,
                                   participantStreamName, auth, iceServers, media)

nlohmann::json toJson(const Settings& s) { return s; }

// A link's query may put any bytes in a token (?hostToken=%ff): replaced, never thrown on (fuzz_settings).
std::string saveSettings(const Settings& s) { return dumpJson(toJson(s)); }

std::vector<Error> validate(const Settings& s) {
  std::vector<Error> errors;
  if (s.host.empty()) errors.push_back({"host", "missing"});
  else if (!isHostPort(s.host)) errors.push_back({"host", "must be host or host:port"});

  if (auto e = validateConferenceScope("scope", s.scope); !e) errors.push_back(e.error());

  if (s.backend.empty()) {
    errors.push_back({"backend", "missing"});
  } else if (!isHostPort(s.backend) && !isUrlWithScheme(s.backend, {"wss://", "ws://"})) {
    errors.push_back({"backend", "must be host:port or a ws:// or wss:// URL"});
  }

  if (s.streamManagerUrl.empty()) errors.push_back({"streamManagerUrl", "missing"});
  else if (!isUrlWithScheme(s.streamManagerUrl, {"https://", "http://"}))
    errors.push_back({"streamManagerUrl", "must be an http:// or https:// URL"});

  const Status token =
      s.streamManagerToken.empty() ? Status{} : validateName("streamManagerToken", s.streamManagerToken);
  if (!token) errors.push_back(token.error());
  if (std::any_of(s.hostToken.begin(), s.hostToken.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    errors.push_back({"hostToken", "must not contain spaces"});
  }

  if (auto e = validateStreamName("participantStreamName", s.participantStreamName); !e) errors.push_back(e.error());

  if (s.auth.enabled) {
    if (s.auth.username.empty()) errors.push_back({"auth.username", "required when authentication is on"});
    if (s.auth.password.empty()) errors.push_back({"auth.password", "required when authentication is on"});
  }

  static constexpr std::string_view kIceSchemes[] = {"stun:", "stuns:", "turn:", "turns:"};
  for (size_t i = 0; i < s.iceServers.size(); ++i) {
    const std::string_view url = s.iceServers[i];
    if (std::none_of(std::begin(kIceSchemes), std::end(kIceSchemes),
                     [&](auto scheme) { return startsWith(url, scheme) && url.size() > scheme.size(); })) {
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
