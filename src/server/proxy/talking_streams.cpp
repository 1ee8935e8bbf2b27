#include "server/proxy/talking_streams.hpp"

#include <algorithm>

namespace confhost {

void TalkingStreams::joined(const std::string& resource, const std::string& scope, const std::string& stream,
                            const nlohmann::json& participantId, bool muted) {
  joins_[resource] = Join{"audiobridge", scope, stream, participantId, muted, false};
}

void TalkingStreams::published(const std::string& resource, const std::string& scope, const std::string& stream) {
  joins_[resource] = Join{"videoroom", scope, stream, nlohmann::json(stream), false, false};
}

std::optional<TalkingStreams::Change> TalkingStreams::onEvent(const nlohmann::json& data) {
  if (!data.is_object()) return std::nullopt;
  const std::string plugin = data.contains("audiobridge") ? "audiobridge" : "videoroom";
  const auto kind = data.find(plugin);
  if (kind == data.end() || !kind->is_string()) return std::nullopt;
  const std::string what = kind->get<std::string>();
  if (what != "talking" && what != "stopped-talking") return std::nullopt;
  const auto room = data.find("room");
  const auto id = data.find("id");
  if (room == data.end() || !room->is_string() || id == data.end() || id->is_null()) return std::nullopt;
  const std::string scope = room->get<std::string>();
  for (auto& [resource, join] : joins_) {
    if (join.plugin != plugin || join.scope != scope || join.id != *id) continue;
    const bool talking = what == "talking" && !join.muted;
    if (join.talking == talking) return std::nullopt;
    join.talking = talking;
    return changeOf(scope);
  }
  return std::nullopt;
}

std::optional<TalkingStreams::Change> TalkingStreams::left(const std::string& resource) {
  const auto it = joins_.find(resource);
  if (it == joins_.end()) return std::nullopt;
  const Join join = it->second;
  joins_.erase(it);
  if (!join.talking) return std::nullopt;
  return changeOf(join.scope);
}

std::vector<std::string> TalkingStreams::talkingIn(const std::string& scope) const {
  std::vector<std::string> out;
  for (const auto& [resource, join] : joins_)
    if (join.scope == scope && join.talking) out.push_back(join.stream);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace confhost
