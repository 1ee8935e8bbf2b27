#pragma once
// Starts and stops mixer nodes (headless browsers loading a composition's mixing page). Implemented by
// MixerNodes on the media side; Compositions only sees this interface so its state machine can be
// tested with a fake.
#include <functional>
#include <string>

namespace confhost {

struct MixerLauncher {
  virtual ~MixerLauncher() = default;
  // Launch one mixer that loads `url` (which already carries `mixerId=<mixerId>`). `onExit` is called
  // at most once, on the io_context, when the process ends or could not start: the reason is a
  // human-readable sentence ("exited with status 1", "did not start: ..."). Calling it after kill() is
  // allowed (the caller ignores exits of mixers it is tearing down).
  virtual void launch(const std::string& mixerId, const std::string& url,
                      std::function<void(std::string reason)> onExit) = 0;
  // Stop that mixer (no-op when unknown or already gone).
  virtual void kill(const std::string& mixerId) = 0;
};

}  // namespace confhost
