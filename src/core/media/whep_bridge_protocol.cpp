#include "core/media/whep_bridge_protocol.hpp"

#include <nlohmann/json.hpp>

#include "core/protocol/overloaded.hpp"

namespace confhost::bridge {

namespace {

using nlohmann::json;

// The object of one line, or an error naming what is wrong with it.
Expected<json> objectOf(const std::string& line) {
  if (line.size() > kMaxLine) return Error{"", "line longer than " + std::to_string(kMaxLine) + " bytes"};
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded()) return Error{"", "not JSON"};
  if (!j.is_object()) return Error{"", "not a JSON object"};
  if (!j.contains("type") || !j["type"].is_string()) return Error{"type", "missing or not a string"};
  return j;
}

Expected<std::string> stringField(const json& j, const char* name, bool nonEmpty) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return Error{name, "missing or not a string"};
  std::string s = it->get<std::string>();
  if (nonEmpty && s.empty()) return Error{name, "empty"};
  return s;
}

std::string line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

}  // namespace

Expected<Command> parseCommand(const std::string& text) {
  auto j = objectOf(text);
  if (!j) return j.error();
  const std::string type = (*j)["type"].get<std::string>();
  if (type == "open") {
    auto origin = stringField(*j, "originOffer", true);
    if (!origin) return origin.error();
    auto viewer = stringField(*j, "viewerOffer", true);
    if (!viewer) return viewer.error();
    return Command{Open{*origin, *viewer}};
  }
  if (type == "candidates") {
    auto frag = stringField(*j, "sdpfrag", false);
    if (!frag) return frag.error();
    return Command{Candidates{*frag}};
  }
  if (type == "close") return Command{Close{}};
  return Error{"type", "unknown command '" + type + "' (open, candidates, close)"};
}

std::string formatCommand(const Command& command) {
  return line(std::visit(
      Overloaded{
          [](const Open& o) { return json{{"type", "open"}, {"originOffer", o.originOffer}, {"viewerOffer", o.viewerOffer}}; },
          [](const Candidates& c) { return json{{"type", "candidates"}, {"sdpfrag", c.sdpfrag}}; },
          [](const Close&) { return json{{"type", "close"}}; },
      },
      command));
}

Expected<Event> parseEvent(const std::string& text) {
  auto j = objectOf(text);
  if (!j) return j.error();
  const std::string type = (*j)["type"].get<std::string>();
  auto text1 = [&](const char* name) { return stringField(*j, name, false); };
  if (type == "opened") {
    auto origin = stringField(*j, "originAnswer", true);
    if (!origin) return origin.error();
    auto viewer = stringField(*j, "viewerAnswer", true);
    if (!viewer) return viewer.error();
    return Event{Opened{*origin, *viewer}};
  }
  const char* field = type == "state" ? "what" : type == "ended" ? "reason" : "error";
  auto value = text1(field);
  if (type == "openFailed" || type == "refused" || type == "state" || type == "ended") {
    if (!value) return value.error();
    if (type == "openFailed") return Event{OpenFailed{*value}};
    if (type == "refused") return Event{Refused{*value}};
    if (type == "state") return Event{State{*value}};
    return Event{Ended{*value}};
  }
  return Error{"type", "unknown event '" + type + "'"};
}

std::string formatEvent(const Event& event) {
  return line(std::visit(
      Overloaded{
          [](const Opened& o) {
            return json{{"type", "opened"}, {"originAnswer", o.originAnswer}, {"viewerAnswer", o.viewerAnswer}};
          },
          [](const OpenFailed& f) { return json{{"type", "openFailed"}, {"error", f.error}}; },
          [](const Refused& x) { return json{{"type", "refused"}, {"error", x.error}}; },
          [](const State& s) { return json{{"type", "state"}, {"what", s.what}}; },
          [](const Ended& e) { return json{{"type", "ended"}, {"reason", e.reason}}; },
      },
      event));
}

}  // namespace confhost::bridge
