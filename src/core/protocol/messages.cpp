#include "core/protocol/messages.hpp"
#include "core/protocol/overloaded.hpp"

#include <charconv>
#include <limits>

#include "core/composition/composition_rules.hpp"
#include "core/protocol/json_limits.hpp"
#include "core/protocol/names.hpp"

namespace confhost {

using nlohmann::json;

// ---- equality ---------------------------------------------------------------------------------------

bool CompositionRequest::operator==(const CompositionRequest& o) const {
  return event == o.event && transcodeComposition == o.transcodeComposition && digest == o.digest &&
         mixers == o.mixers && location == o.location;
}
bool MixerStatus::operator==(const MixerStatus& o) const {
  return id == o.id && name == o.name && path == o.path && location == o.location &&
         serverAddress == o.serverAddress && state == o.state &&
         isWebSocketConnected == o.isWebSocketConnected && page == o.page && lastError == o.lastError &&
         definition == o.definition;
}
bool Composition::operator==(const Composition& o) const {
  return event == o.event && name == o.name && context == o.context && mixers == o.mixers;
}
bool Promote::operator==(const Promote& o) const { return room == o.room && streamName == o.streamName; }
bool Demote::operator==(const Demote& o) const { return room == o.room && streamName == o.streamName; }
bool Presenter::operator==(const Presenter& o) const { return room == o.room && streamName == o.streamName; }
bool Order::operator==(const Order& o) const {
  return room == o.room && streamName == o.streamName && order == o.order;
}
bool Exclude::operator==(const Exclude& o) const { return room == o.room && streamName == o.streamName; }
bool CreateComposition::operator==(const CreateComposition& o) const { return request == o.request; }
bool DestroyComposition::operator==(const DestroyComposition& o) const { return event == o.event; }
bool Active::operator==(const Active& o) const {
  return room == o.room && streams == o.streams && screenshareName == o.screenshareName;
}
bool Excluded::operator==(const Excluded& o) const { return room == o.room && streams == o.streams; }
bool Conference::operator==(const Conference& o) const {
  // Absent and "" both mean "nobody presents" on the wire, so they are the same value.
  return room == o.room && presenter.value_or("") == o.presenter.value_or("") && streams == o.streams;
}
bool ActiveCompositions::operator==(const ActiveCompositions& o) const {
  return room == o.room && list == o.list;
}
bool MixerRegions::operator==(const MixerRegions& o) const { return regions == o.regions; }
bool ActiveStreams::operator==(const ActiveStreams& o) const {
  return room == o.room && streams == o.streams;
}
bool ErrorReply::operator==(const ErrorReply& o) const { return error == o.error; }
bool Talking::operator==(const Talking& o) const { return room == o.room && streams == o.streams; }

// ---- mixer states -----------------------------------------------------------------------------------

std::string_view toString(MixerState s) {
  switch (s) {
    case MixerState::Pending: return "pending";
    case MixerState::InService: return "inservice";
    case MixerState::Composing: return "composing";
    case MixerState::Terminating: return "terminating";
    case MixerState::Failed: return "failed";
  }
  return "failed";
}

std::optional<MixerState> mixerStateFromString(std::string_view s) {
  if (s == "pending") return MixerState::Pending;
  if (s == "inservice") return MixerState::InService;
  if (s == "composing") return MixerState::Composing;
  if (s == "terminating") return MixerState::Terminating;
  if (s == "failed" || s == "disconnected") return MixerState::Failed;
  return std::nullopt;
}

// ---- field readers ----------------------------------------------------------------------------------
// Each reader returns ok when `out` was filled, else the Error to report. `prefix` locates nested
// fields ("mixers[0].") so the message points at the exact input.

namespace {

// Our own types carry the prefix, so they can never collide with a later reference message.
constexpr std::string_view kTalkingType = "confhost.talking";

Error fieldError(const std::string& prefix, std::string_view field, std::string reason) {
  return Error{prefix + std::string(field), std::move(reason)};
}

const json* find(const json& obj, std::string_view field) {
  auto it = obj.find(std::string(field));
  return it == obj.end() ? nullptr : &*it;
}

// A string or boolean field. A required one that is absent is "missing"; an optional one that is
// absent or null leaves `out` as it is (the default).
template <class T>
Status readField(const json& obj, std::string_view field, T& out, const std::string& prefix, bool required) {
  constexpr bool isString = std::is_same_v<T, std::string>;
  const json* v = find(obj, field);
  if (!v) return required ? Status(fieldError(prefix, field, "missing")) : Status();
  if (!required && v->is_null()) return {};
  if (isString ? !v->is_string() : !v->is_boolean())
    return fieldError(prefix, field, isString ? "must be a string" : "must be a boolean");
  out = v->get<T>();
  return {};
}
Status readString(const json& obj, std::string_view field, std::string& out, const std::string& prefix = "") {
  return readField(obj, field, out, prefix, true);
}
Status readOptionalString(const json& obj, std::string_view field, std::string& out, const std::string& prefix = "") {
  return readField(obj, field, out, prefix, false);
}
Status readBool(const json& obj, std::string_view field, bool& out, const std::string& prefix = "") {
  return readField(obj, field, out, prefix, true);
}
Status readOptionalBool(const json& obj, std::string_view field, bool& out, const std::string& prefix = "") {
  return readField(obj, field, out, prefix, false);
}

Status readName(const json& obj, std::string_view field, std::string& out, const std::string& prefix = "") {
  if (auto e = readString(obj, field, out, prefix); !e) return e;
  return validateName(prefix + std::string(field), out);
}

// An integer given as a JSON number, or (when allowStrings) as a decimal string — the reference host
// page sends the mixer's numbers from its form inputs as strings.
Status readInt(const json& obj, std::string_view field, int& out, const std::string& prefix = "",
                   bool allowStrings = false) {
  const json* v = find(obj, field);
  if (!v) return fieldError(prefix, field, "missing");
  long long n = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned()) {
      auto u = v->get<unsigned long long>();
      if (u > static_cast<unsigned long long>(std::numeric_limits<int>::max()))
        return fieldError(prefix, field, "out of range");
      n = static_cast<long long>(u);
    } else {
      n = v->get<long long>();
    }
  } else if (v->is_number_float()) {
    double d = v->get<double>();
    if (!(d >= std::numeric_limits<int>::min() && d <= std::numeric_limits<int>::max()) ||
        d != static_cast<double>(static_cast<long long>(d)))
      return fieldError(prefix, field, "must be an integer");
    n = static_cast<long long>(d);
  } else if (allowStrings && v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (s.empty() || ec != std::errc() || ptr != end) return fieldError(prefix, field, "must be an integer");
  } else {
    return fieldError(prefix, field, "must be an integer");
  }
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
    return fieldError(prefix, field, "out of range");
  out = static_cast<int>(n);
  return {};
}

Status readLimited(const json& obj, const CompositionLimit& limit, int& out, const std::string& prefix) {
  if (auto e = readInt(obj, limit.field, out, prefix, /*allowStrings=*/true); !e) return e;
  return checkLimit(limit, out, prefix);
}

// A list of stream names. The reference sends strings, some of its versions {name: ...} objects; it
// also omits the field (or sends null) when the list was never created, which means "empty".
Status readStreamList(const json& obj, std::string_view field, std::vector<std::string>& out, const std::string& prefix = "") {
  out.clear();
  const json* v = find(obj, field);
  if (!v || v->is_null()) return {};
  if (!v->is_array()) return fieldError(prefix, field, "must be an array");
  for (size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    std::string where = std::string(field) + "[" + std::to_string(i) + "]";
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else if (item.is_object()) {
      std::string name;
      if (auto e = readString(item, "name", name, prefix + where + "."); !e) return e;
      out.push_back(std::move(name));
    } else {
      return fieldError(prefix, where, "must be a string or an object with a name");
    }
  }
  return {};
}

Status readStringArray(const json& obj, std::string_view field, std::vector<std::string>& out, const std::string& prefix = "") {
  out.clear();
  const json* v = find(obj, field);
  if (!v) return fieldError(prefix, field, "missing");
  if (!v->is_array()) return fieldError(prefix, field, "must be an array");
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      return fieldError(prefix, std::string(field) + "[" + std::to_string(i) + "]", "must be a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return {};
}


// One bounded parse for every frame (src/core/json_limits): a hostile frame cannot nest deep enough to
// exhaust the server's stack.
Expected<json> parseObject(std::string_view text) {
  auto j = parseJsonBounded(text);
  if (!j) return j.error();
  if (!j->is_object()) return Error{"", "message must be a JSON object"};
  return j;
}

Expected<std::string> readType(const json& j) {
  std::string type;
  if (auto e = readString(j, "type", type); !e) return e.error();
  return type;
}

Error unknownType(const std::string& type) { return Error{"type", "unknown message type '" + type + "'"}; }

template <class T>
Expected<T> roomAndStream(const json& j) {
  T m;
  if (auto e = readName(j, "room", m.room); !e) return e.error();
  if (auto e = readName(j, "streamName", m.streamName); !e) return e.error();
  return m;
}

Expected<MixerSpec> mixerSpecFromJson(const json& j, const std::string& prefix) {
  if (!j.is_object()) return Error{prefix.substr(0, prefix.size() - 1), "must be an object"};
  MixerSpec m;
  if (auto e = readName(j, "mixerName", m.mixerName, prefix); !e) return e.error();
  if (auto e = readString(j, "mixingPage", m.mixingPage, prefix); !e) return e.error();
  if (!isHttpUrl(m.mixingPage)) return fieldError(prefix, "mixingPage", "must be an http(s) URL");
  if (auto e = readName(j, "streamName", m.streamName, prefix); !e) return e.error();
  if (auto e = readName(j, "path", m.path, prefix); !e) return e.error();
  if (auto e = readLimited(j, kWidthLimit, m.width, prefix); !e) return e.error();
  if (auto e = readLimited(j, kHeightLimit, m.height, prefix); !e) return e.error();
  if (auto e = readLimited(j, kFramerateLimit, m.framerate, prefix); !e) return e.error();
  if (auto e = readLimited(j, kBitrateLimit, m.bitrate, prefix); !e) return e.error();
  if (auto e = readOptionalBool(j, "doForward", m.doForward, prefix); !e) return e.error();
  if (auto e = readOptionalString(j, "destinationMixerName", m.destinationMixerName, prefix); !e) return e.error();
  if (!m.destinationMixerName.empty()) {
    if (auto e = validateName(prefix + "destinationMixerName", m.destinationMixerName); !e) return e.error();
  }
  return m;
}

Expected<MixerStatus> mixerStatusFromJson(const json& j, const std::string& prefix) {
  if (!j.is_object()) return Error{prefix.substr(0, prefix.size() - 1), "must be an object"};
  // The Stream Manager's answer (which the reference relays verbatim) omits fields freely: default them.
  MixerStatus m;
  if (auto e = readOptionalString(j, "id", m.id, prefix); !e) return e.error();
  if (auto e = readOptionalString(j, "name", m.name, prefix); !e) return e.error();
  if (m.name.empty()) {
    if (auto e = readOptionalString(j, "mixerName", m.name, prefix); !e) return e.error();
  }
  if (auto e = readOptionalString(j, "path", m.path, prefix); !e) return e.error();
  if (const json* loc = find(j, "location"); loc && loc->is_array()) {
    // Some answers carry the request's one-element location array.
    if (!loc->empty()) {
      if (!(*loc)[0].is_string()) return fieldError(prefix, "location[0]", "must be a string");
      m.location = (*loc)[0].get<std::string>();
    }
  } else if (auto e = readOptionalString(j, "location", m.location, prefix); !e) {
    return e.error();
  }
  if (auto e = readOptionalString(j, "serverAddress", m.serverAddress, prefix); !e) return e.error();
  std::string state;
  if (auto e = readOptionalString(j, "state", state, prefix); !e) return e.error();
  if (!state.empty()) {
    auto s = mixerStateFromString(state);
    if (!s) return fieldError(prefix, "state", "unknown mixer state '" + state + "'");
    m.state = *s;
  }
  if (auto e = readOptionalBool(j, "isWebSocketConnected", m.isWebSocketConnected, prefix); !e) return e.error();
  if (auto e = readOptionalString(j, "page", m.page, prefix); !e) return e.error();
  if (m.page.empty()) {
    if (auto e = readOptionalString(j, "mixingPage", m.page, prefix); !e) return e.error();
  }
  if (auto e = readOptionalString(j, "lastError", m.lastError, prefix); !e) return e.error();
  // mixerName and streamName only come with a whole definition (a Stream Manager's answer, or ours).
  // One that breaks the request's rules is left out rather than refused: the reference relays its
  // Stream Manager's answers as they are, and the state beside it is what its reader needs.
  if (find(j, "mixerName") && find(j, "streamName"))
    if (auto definition = mixerSpecFromJson(j, prefix)) m.definition = std::move(definition.value());
  return m;
}

json toJson(const MixerSpec& m) {
  return json{{"mixerName", m.mixerName},   {"mixingPage", m.mixingPage},
              {"streamName", m.streamName}, {"path", m.path},
              {"width", m.width},           {"height", m.height},
              {"framerate", m.framerate},   {"bitrate", m.bitrate},
              {"doForward", m.doForward},   {"destinationMixerName", m.destinationMixerName}};
}

json toJson(const MixerStatus& m) {
  json j = m.definition ? toJson(*m.definition) : json::object();
  j["id"] = m.id;
  j["name"] = m.name;
  j["path"] = m.path;
  j["location"] = m.location;
  j["serverAddress"] = m.serverAddress;
  j["state"] = std::string(toString(m.state));
  j["isWebSocketConnected"] = m.isWebSocketConnected;
  j["page"] = m.page;
  if (!m.lastError.empty()) j["lastError"] = m.lastError;
  return j;
}

std::string dump(const json& j) {
  // Replace invalid UTF-8 instead of throwing: serialize never fails.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

// ---- composition pieces -----------------------------------------------------------------------------

Expected<CompositionRequest> compositionRequestFromJson(const json& j) {
  if (!j.is_object()) return Error{"", "composition must be a JSON object"};
  CompositionRequest r;
  if (auto e = readName(j, "event", r.event); !e) return e.error();
  if (auto e = readBool(j, "transcodeComposition", r.transcodeComposition); !e) return e.error();
  if (auto e = readName(j, "digest", r.digest); !e) return e.error();
  const json* mixers = find(j, "mixers");
  if (!mixers) return Error{"mixers", "missing"};
  if (!mixers->is_array()) return Error{"mixers", "must be an array"};
  if (mixers->empty()) return Error{"mixers", "must not be empty"};
  for (size_t i = 0; i < mixers->size(); ++i) {
    auto m = mixerSpecFromJson((*mixers)[i], "mixers[" + std::to_string(i) + "].");
    if (!m) return m.error();
    r.mixers.push_back(std::move(m.value()));
  }
  // The final mixer (the one publishing the composite) is the one with no destination; the server
  // finds the conference of a composition through it, so there must be exactly one.
  size_t finals = 0;
  for (const auto& m : r.mixers) finals += m.destinationMixerName.empty() ? 1 : 0;
  if (finals != 1) return Error{"mixers", "exactly one mixer must have an empty destinationMixerName"};
  if (auto e = readStringArray(j, "location", r.location); !e) return e.error();
  if (r.location.size() != 1) return Error{"location", "must have exactly one entry"};
  if (auto e = validateName("location[0]", r.location[0]); !e) return e.error();
  return r;
}

json toJson(const CompositionRequest& r) {
  json mixers = json::array();
  for (const auto& m : r.mixers) mixers.push_back(toJson(m));
  return json{{"event", r.event},   {"transcodeComposition", r.transcodeComposition},
              {"digest", r.digest}, {"mixers", std::move(mixers)},
              {"location", r.location}};
}

Expected<Composition> compositionFromJson(const json& j) {
  if (!j.is_object()) return Error{"", "composition must be a JSON object"};
  Composition c;
  if (auto e = readString(j, "event", c.event); !e) return e.error();
  if (auto e = readOptionalString(j, "name", c.name); !e) return e.error();
  if (auto e = readOptionalString(j, "context", c.context); !e) return e.error();
  if (const json* mixers = find(j, "mixers"); mixers && !mixers->is_null()) {
    if (!mixers->is_array()) return Error{"mixers", "must be an array"};
    for (size_t i = 0; i < mixers->size(); ++i) {
      auto m = mixerStatusFromJson((*mixers)[i], "mixers[" + std::to_string(i) + "].");
      if (!m) return m.error();
      c.mixers.push_back(std::move(m.value()));
    }
  }
  return c;
}

json toJson(const Composition& c) {
  json mixers = json::array();
  for (const auto& m : c.mixers) mixers.push_back(toJson(m));
  return json{{"event", c.event}, {"name", c.name}, {"context", c.context}, {"mixers", std::move(mixers)}};
}

// ---- client messages --------------------------------------------------------------------------------

namespace {

Expected<ClientMessage> clientFromJson(const json& j) {
  auto type = readType(j);
  if (!type) return type.error();
  const std::string& t = *type;
  auto lift = [](auto r) -> Expected<ClientMessage> {
    if (!r) return r.error();
    return ClientMessage(std::move(r.value()));
  };
  if (t == "promote") return lift(roomAndStream<Promote>(j));
  if (t == "demote") return lift(roomAndStream<Demote>(j));
  if (t == "presenter") return lift(roomAndStream<Presenter>(j));
  if (t == "exclude") return lift(roomAndStream<Exclude>(j));
  if (t == "order") {
    auto base = roomAndStream<Order>(j);
    if (!base) return base.error();
    Order m = base.value();
    if (auto e = readInt(j, "order", m.order); !e) return e.error();
    if (m.order < 0) return Error{"order", "must not be negative"};
    return ClientMessage(std::move(m));
  }
  if (t == "createComposition") {
    auto r = compositionRequestFromJson(j);
    if (!r) return r.error();
    return ClientMessage(CreateComposition{std::move(r.value())});
  }
  if (t == "destroyComposition") {
    DestroyComposition m;
    if (auto e = readName(j, "event", m.event); !e) return e.error();
    return ClientMessage(std::move(m));
  }
  if (t == "getActiveCompositions") return ClientMessage(GetActiveCompositions{});
  if (t == "getActiveStreams") return ClientMessage(GetActiveStreams{});
  return unknownType(t);
}

Expected<ServerMessage> serverFromJson(const json& j) {
  auto type = readType(j);
  if (!type) return type.error();
  const std::string& t = *type;
  if (t == "active") {
    Active m;
    if (auto e = readString(j, "room", m.room); !e) return e.error();
    if (auto e = readStreamList(j, "streams", m.streams); !e) return e.error();
    std::string share;
    const json* s = find(j, "screenshareName");
    if (s && !s->is_null()) {
      if (!s->is_string()) return Error{"screenshareName", "must be a string"};
      m.screenshareName = s->get<std::string>();
    }
    return ServerMessage(std::move(m));
  }
  if (t == "excluded") {
    Excluded m;
    if (auto e = readString(j, "room", m.room); !e) return e.error();
    if (auto e = readStreamList(j, "streams", m.streams); !e) return e.error();
    return ServerMessage(std::move(m));
  }
  if (t == "conference") {
    Conference m;
    if (auto e = readString(j, "room", m.room); !e) return e.error();
    std::string presenter;
    if (auto e = readOptionalString(j, "presenter", presenter); !e) return e.error();
    if (!presenter.empty()) m.presenter = presenter;
    if (auto e = readStreamList(j, "streams", m.streams); !e) return e.error();
    return ServerMessage(std::move(m));
  }
  if (t == "activeCompositions") {
    ActiveCompositions m;
    if (auto e = readOptionalString(j, "room", m.room); !e) return e.error();
    if (const json* list = find(j, "list"); list && !list->is_null()) {
      if (!list->is_array()) return Error{"list", "must be an array"};
      for (size_t i = 0; i < list->size(); ++i) {
        auto c = compositionFromJson((*list)[i]);
        if (!c) {
          Error e = c.error();
          e.field = "list[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
          return e;
        }
        m.list.push_back(std::move(c.value()));
      }
    }
    return ServerMessage(std::move(m));
  }
  if (t == "mixerRegions") {
    MixerRegions m;
    if (auto e = readStringArray(j, "regions", m.regions); !e) return e.error();
    return ServerMessage(std::move(m));
  }
  if (t == "activeStreams") {
    // Ours carries room and streams; the reference sends list: [{room, streams}] (empty when none).
    ActiveStreams m;
    if (find(j, "streams")) {
      if (auto e = readOptionalString(j, "room", m.room); !e) return e.error();
      if (auto e = readStreamList(j, "streams", m.streams); !e) return e.error();
    } else if (const json* list = find(j, "list"); list && !list->is_null()) {
      if (!list->is_array()) return Error{"list", "must be an array"};
      if (!list->empty()) {
        const json& first = (*list)[0];
        if (!first.is_object()) return Error{"list[0]", "must be an object"};
        if (auto e = readOptionalString(first, "room", m.room, "list[0]."); !e) return e.error();
        if (auto e = readStreamList(first, "streams", m.streams, "list[0]."); !e) return e.error();
      }
    } else {
      if (auto e = readOptionalString(j, "room", m.room); !e) return e.error();
    }
    return ServerMessage(std::move(m));
  }
  if (t == "error") {
    ErrorReply m;
    if (auto e = readString(j, "error", m.error); !e) return e.error();
    return ServerMessage(std::move(m));
  }
  if (t == kTalkingType) {
    // Ours, so strict: both fields required, every entry a stream name.
    Talking m;
    if (auto e = readString(j, "room", m.room); !e) return e.error();
    if (auto e = validateConferenceScope("room", m.room); !e) return e.error();
    if (auto e = readStringArray(j, "streams", m.streams); !e) return e.error();
    for (size_t i = 0; i < m.streams.size(); ++i)
      if (auto e = validateStreamName("streams[" + std::to_string(i) + "]", m.streams[i]); !e) return e.error();
    return ServerMessage(std::move(m));
  }
  return unknownType(t);
}

json roomStream(std::string_view type, const std::string& room, const std::string& streamName) {
  return json{{"type", type}, {"room", room}, {"streamName", streamName}};
}

template <class Message>
Expected<Message> parseMessage(std::string_view text, Expected<Message> (*fromJson)(const json&)) {
  try {
    auto j = parseObject(text);
    if (!j) return j.error();
    return fromJson(*j);
  } catch (const std::exception& e) {  // belt and braces: nothing escapes the codec
    return Error{"", std::string("unreadable message: ") + e.what()};
  }
}

}  // namespace

Expected<ClientMessage> parseClientMessage(std::string_view text) { return parseMessage(text, &clientFromJson); }
Expected<ServerMessage> parseServerMessage(std::string_view text) { return parseMessage(text, &serverFromJson); }

// In the order of the variants' alternatives (messages.hpp).
std::string_view typeName(const ClientMessage& m) {
  static constexpr std::string_view kNames[] = {"promote", "demote", "presenter", "order", "exclude",
                                                "createComposition", "destroyComposition",
                                                "getActiveCompositions", "getActiveStreams"};
  static_assert(std::size(kNames) == std::variant_size_v<ClientMessage>);
  return kNames[m.index()];
}

std::string_view typeName(const ServerMessage& m) {
  static constexpr std::string_view kNames[] = {"active", "excluded", "conference", "activeCompositions",
                                                "mixerRegions", "activeStreams", "error", kTalkingType};
  static_assert(std::size(kNames) == std::variant_size_v<ServerMessage>);
  return kNames[m.index()];
}

json toJson(const ClientMessage& msg) {
  return std::visit(
      Overloaded{
          [](const Promote& m) { return roomStream("promote", m.room, m.streamName); },
          [](const Demote& m) { return roomStream("demote", m.room, m.streamName); },
          [](const Presenter& m) { return roomStream("presenter", m.room, m.streamName); },
          [](const Exclude& m) { return roomStream("exclude", m.room, m.streamName); },
          [](const Order& m) {
            json j = roomStream("order", m.room, m.streamName);
            j["order"] = m.order;
            return j;
          },
          [](const CreateComposition& m) {
            json j = toJson(m.request);
            j["type"] = "createComposition";
            return j;
          },
          [](const DestroyComposition& m) { return json{{"type", "destroyComposition"}, {"event", m.event}}; },
          [](const GetActiveCompositions&) { return json{{"type", "getActiveCompositions"}}; },
          [](const GetActiveStreams&) { return json{{"type", "getActiveStreams"}}; },
      },
      msg);
}

json toJson(const ServerMessage& msg) {
  return std::visit(
      Overloaded{
          [](const Active& m) {
            json j{{"type", "active"}, {"room", m.room}, {"streams", m.streams}};
            if (m.screenshareName) j["screenshareName"] = *m.screenshareName;
            return j;
          },
          [](const Excluded& m) { return json{{"type", "excluded"}, {"room", m.room}, {"streams", m.streams}}; },
          [](const Conference& m) {
            json j{{"type", "conference"}, {"room", m.room}, {"streams", m.streams}};
            // Omitted when nobody presents, as the reference does.
            if (m.presenter && !m.presenter->empty()) j["presenter"] = *m.presenter;
            return j;
          },
          [](const ActiveCompositions& m) {
            json list = json::array();
            for (const auto& c : m.list) list.push_back(toJson(c));
            return json{{"type", "activeCompositions"}, {"room", m.room}, {"list", std::move(list)}};
          },
          [](const MixerRegions& m) { return json{{"type", "mixerRegions"}, {"regions", m.regions}}; },
          [](const ActiveStreams& m) {
            // Both shapes: ours (room, streams) and the reference's list, so either kind of client reads it.
            json list = json::array();
            if (!m.streams.empty()) list.push_back(json{{"room", m.room}, {"streams", m.streams}});
            return json{{"type", "activeStreams"}, {"room", m.room}, {"streams", m.streams}, {"list", std::move(list)}};
          },
          [](const ErrorReply& m) { return json{{"type", "error"}, {"error", m.error}}; },
          [](const Talking& m) { return json{{"type", std::string(kTalkingType)}, {"room", m.room}, {"streams", m.streams}}; },
      },
      msg);
}

std::string serialize(const ClientMessage& m) { return dump(toJson(m)); }
std::string serialize(const ServerMessage& m) { return dump(toJson(m)); }

}  // namespace confhost
