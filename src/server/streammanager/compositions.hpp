#pragma once
// Every composition of the stack, whichever door it came in through: the Conference API's
// createComposition/destroyComposition and the Stream Manager API's POST/GET/DELETE /composition use
// this one class, so both behave identically. It launches and kills mixers through MixerLauncher and
// moves each mixer through the MixerLifecycle table as the mixer's page connects, its composite
// publishes, and its process lives or dies. Every change is reported at once to the listener, with the
// conference scopes whose hosts must see the new list.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/protocol/messages.hpp"
#include "server/streammanager/mixers/mixer_launcher.hpp"
#include "server/streammanager/mixer_lifecycle.hpp"

namespace confhost {

struct CompositionSettings {
  std::vector<std::string> regions{"local"};
  std::string serverAddress = "localhost:8443";  // reported as each mixer's serverAddress
  // Origins a mixing page may come from (the stack's own names and --mixing-page-origin). Empty: only
  // https://<serverAddress>. A server-side browser must never be pointed at Janus's API, a cloud
  // metadata address or anyone else's page on the operator's behalf.
  std::vector<std::string> mixingPageOrigins;
  std::size_t maxCompositions = 16;          // --max-compositions
  std::size_t maxMixersPerComposition = 4;   // --max-mixers-per-composition
};

class Compositions {
 public:
  using ChangeListener = std::function<void(const std::set<std::string>& conferenceScopes)>;
  // Ends, at once, the media sessions a killed mixer left at the origin: its composite publish of
  // stream `streamName` in `path` and its conference (AudioBridge) join under the same name. Without
  // this they linger until the proxy's no-media timeout, and a composition re-created meanwhile would
  // see the old composite.
  using SessionEnder = std::function<void(const std::string& path, const std::string& streamName)>;

  Compositions(MixerLauncher& launcher, CompositionSettings settings);

  void setListener(ChangeListener listener) { listener_ = std::move(listener); }
  void setSessionEnder(SessionEnder ender) { sessionEnder_ = std::move(ender); }
  const CompositionSettings& settings() const { return settings_; }

  // Validates (quotas, event unique, region known, mixer names unique, mixing page on an allowed
  // origin, the final mixer present), launches every mixer and returns the composition with its
  // mixers Pending. Each mixer gets a secret (mixerSecret=) in the URL it is launched with, never in
  // the `page` others see: its socket must present it to be taken as that mixer.
  // `ownerScope` is the conference the request came from ("" when from the HTTP API).
  Expected<Composition> create(const CompositionRequest& request, const std::string& ownerScope);
  // The quota `request` would break (too many compositions, too many mixers), if any: callers that
  // answer over HTTP turn it into 429 rather than 400.
  Status quotaRefusal(const CompositionRequest& request) const;
  // Terminating (pushed), mixers killed, then removed (pushed). Error when the event is unknown.
  Expected<Composition> destroy(const std::string& event);

  std::optional<Composition> find(const std::string& event) const;
  std::vector<Composition> all() const;
  // The compositions a host of `conferenceScope` sees: created from it, or mixing into it.
  std::vector<Composition> visibleTo(const std::string& conferenceScope) const;

  // Events from the Conference API (mixer pages) and the media side (composite streams).
  bool isKnownMixer(const std::string& mixerId) const;
  // True when `secret` is the one mixer `mixerId` was launched with (constant-time compare).
  bool mixerSecretMatches(const std::string& mixerId, const std::string& secret) const;
  std::optional<std::string> mixerPath(const std::string& mixerId) const;  // the scope it mixes into
  void mixerSocketOpened(const std::string& mixerId);
  void mixerSocketClosed(const std::string& mixerId);
  void streamStarted(const std::string& scope, const std::string& name);
  void streamStopped(const std::string& scope, const std::string& name);

  // Kills every mixer (shutdown); nothing is pushed.
  void killAll();

 private:
  struct Entry {
    CompositionRequest request;
    Composition status;
    std::string ownerScope;
  };
  struct MixerRef {
    std::string event;
    std::size_t index;
  };

  void apply(const std::string& mixerId, MixerEvent event, const std::string& error = "");
  std::string compositeOf(const std::string& mixerId) const;  // "<path>/<streamName>", "" when unknown
  std::vector<std::string> mixersPublishing(const std::string& scope, const std::string& name) const;
  std::set<std::string> scopesOf(const Entry& entry) const;
  void notify(const std::set<std::string>& scopes) const;
  Status pageRefusal(const std::string& field, const std::string& url) const;

  MixerLauncher& launcher_;
  CompositionSettings settings_;
  ChangeListener listener_;
  SessionEnder sessionEnder_;
  std::map<std::string, Entry> entries_;      // by event name
  std::map<std::string, MixerRef> mixers_;    // by mixer id
  std::map<std::string, std::string> secrets_;  // mixer id → the secret its launch URL carries
  std::map<std::string, int> connectedMixers_;  // mixer id → open page sockets
  // "<scope>/<name>" of streams publishing now → the sequence number of their start. A mixer only takes
  // a composite that started after its launch (launchSeq_) and while its page is connected: anything
  // older belongs to a mixer that is gone.
  std::map<std::string, unsigned long> publishing_;
  std::map<std::string, unsigned long> launchSeq_;  // mixer id → sequence number at its launch
  unsigned long seq_ = 0;
  unsigned long nextId_ = 1;
};

}  // namespace confhost
