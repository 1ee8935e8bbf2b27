#pragma once
// Starts and stops mixer nodes (headless browsers loading a composition's mixing page). Implemented by
// MixerNodes on the media side; Compositions only sees this interface so its state machine can be
// tested with a fake.
#include <functional>
#include <string>
#include <string_view>

namespace confhost {

struct MixerLauncher {
  virtual ~MixerLauncher() = default;
  // Launch one mixer that loads `url` (which already carries `mixerId=<mixerId>` and
  // `mixerSecret=<its secret>`: log it through withoutMixerSecret()). `onExit` is called
  // at most once, on the io_context, when the process ends or could not start: the reason is a
  // human-readable sentence ("exited with status 1", "did not start: ..."). Calling it after kill() is
  // allowed (the caller ignores exits of mixers it is tearing down).
  virtual void launch(const std::string& mixerId, const std::string& url,
                      std::function<void(std::string reason)> onExit) = 0;
  // Stop that mixer (no-op when unknown or already gone).
  virtual void kill(const std::string& mixerId) = 0;
};

// `url` with the value of its mixerSecret parameter blanked, for logs.
inline std::string withoutMixerSecret(std::string url) {
  constexpr std::string_view kKey = "mixerSecret=";
  const auto at = url.find(kKey);
  if (at == std::string::npos) return url;
  const auto from = at + kKey.size();
  url.replace(from, url.find('&', from) == std::string::npos ? std::string::npos : url.find('&', from) - from, "…");
  return url;
}

}  // namespace confhost
