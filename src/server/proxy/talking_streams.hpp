#pragma once
// Who speaks, from the origin's own speech detection: Janus's `talking` / `stopped-talking` events of
// the AudioBridge (a conference scope's audio joins) and of the waiting room's VideoRoom (its
// publishers, who are in no AudioBridge yet). An AudioBridge event names the participant id Janus gave
// the join, not our stream, so the proxy records each join's id here; a VideoRoom publisher's id is its
// stream name. The proxy feeds every such event; a change of a scope's set comes back whole, ready for
// StreamEvents.
// Sans-I/O, so the rules are tested without Janus (tests/server/talking_streams_test.cpp):
// - a muted join (a mixer's, `?muted=true`) never talks;
// - a join that ends stops talking at once;
// - every participant of a room is told of each talker, so the same event arrives once per join:
//   only the first changes anything;
// - events of another plugin or kind, or for an id no join of ours has, change nothing.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace confhost {

class TalkingStreams {
 public:
  struct Change {
    std::string scope;
    std::vector<std::string> streams;  // every talking stream of the scope, sorted
  };

  // A conference audio join. `participantId`: plugindata.data.id of Janus's answer to the join (a
  // string with string_ids).
  void joined(const std::string& resource, const std::string& scope, const std::string& stream,
              const nlohmann::json& participantId, bool muted);
  // A waiting-room publish (VideoRoom publisher id = stream).
  void published(const std::string& resource, const std::string& scope, const std::string& stream);
  // `data`: plugindata.data of an asynchronous AudioBridge or VideoRoom event.
  std::optional<Change> onEvent(const nlohmann::json& data);
  std::optional<Change> left(const std::string& resource);

  std::vector<std::string> talkingIn(const std::string& scope) const;

 private:
  struct Join {
    std::string plugin;  // the key naming the plugin in its events: "audiobridge" or "videoroom"
    std::string scope, stream;
    nlohmann::json id;
    bool muted = false;
    bool talking = false;
  };
  Change changeOf(const std::string& scope) const { return Change{scope, talkingIn(scope)}; }

  std::map<std::string, Join> joins_;  // by proxy resource id
};

}  // namespace confhost
