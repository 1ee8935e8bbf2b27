#include "server/streammanager/mixers/null_mixer_launcher.hpp"

#include "server/logging/log.hpp"

namespace confhost {

void NullMixerLauncher::launch(const std::string& mixerId, const std::string& url,
                               std::function<void(std::string)> onExit) {
  logInfo("mixers", "mixer nodes are off: not starting " + mixerId + " (" + withoutMixerSecret(url) + ")");
  urls_[mixerId] = url;
  onExit_[mixerId] = std::move(onExit);
}

void NullMixerLauncher::kill(const std::string& mixerId) {
  urls_.erase(mixerId);
  onExit_.erase(mixerId);
}

void NullMixerLauncher::simulateExit(const std::string& mixerId, const std::string& reason) {
  const auto it = onExit_.find(mixerId);
  if (it == onExit_.end()) return;
  auto callback = std::move(it->second);
  onExit_.erase(it);
  urls_.erase(mixerId);
  callback(reason);
}

}  // namespace confhost
