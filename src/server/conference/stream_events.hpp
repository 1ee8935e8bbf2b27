#pragma once
// What the media side (the WHIP/WHEP proxy, or the /webhook endpoint) tells the Conference API about
// publishing streams. Implemented by ConferenceApi; everything runs on the server's one io_context, so
// implementations need no locks.
#include <string>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost {

struct StreamEvents {
  virtual ~StreamEvents() = default;
  // `scope` is where the stream publishes ("live/room1_wr" for a waiting room, "live/room1" for the
  // conference scope); `name` is the stream name.
  virtual void streamStarted(const std::string& scope, const std::string& name) = 0;
  virtual void streamStopped(const std::string& scope, const std::string& name) = 0;
  // True when the host excluded `name` from the conference `scope` belongs to: the proxy must refuse
  // the publish (403) before touching the origin.
  virtual bool isBanned(const std::string& scope, const std::string& name) const = 0;
  // Ok, or why a new publish of `name` in `scope` would be refused for a quota (--max-streams-per-scope,
  // --max-streams): the proxy should answer 429 with it before touching the origin. A publish
  // announced anyway is not listed.
  virtual Status checkPublishQuota(const std::string& scope, const std::string& name) const {
    (void)scope;
    (void)name;
    return {};
  }
  // The streams of `scope` that speak now (the whole set, after each change), as the origin detects
  // it: in a conference scope, its audio joins (AudioBridge); in a waiting room, its publishes.
  virtual void talkingChanged(const std::string& scope, const std::vector<std::string>& streams) {
    (void)scope;
    (void)streams;
  }
};

}  // namespace confhost
