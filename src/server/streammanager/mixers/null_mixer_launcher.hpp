#pragma once
// A MixerLauncher that starts nothing: for API-only runs (--no-mixers) and the Conference/Stream
// Manager API tests, where a composition's mixers stay Pending until something connects with their
// mixerId. It remembers what it was asked so tests and logs can show it.
#include <map>
#include <string>

#include "server/streammanager/mixers/mixer_launcher.hpp"

namespace confhost {

class NullMixerLauncher : public MixerLauncher {
 public:
  void launch(const std::string& mixerId, const std::string& url, std::function<void(std::string)> onExit) override;
  void kill(const std::string& mixerId) override;

  // Ends a "launched" mixer as if its process had died (tests of the failed state).
  void simulateExit(const std::string& mixerId, const std::string& reason);
  const std::map<std::string, std::string>& launched() const { return urls_; }

 private:
  std::map<std::string, std::string> urls_;
  std::map<std::string, std::function<void(std::string)>> onExit_;
};

}  // namespace confhost
