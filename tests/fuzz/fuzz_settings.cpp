// Console settings (src/core/settings) from whatever localStorage holds: loading never crashes, what
// is saved loads back to the same settings, and validation and query overrides accept anything.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/protocol/query_string.hpp"
#include "core/settings.hpp"

using namespace confhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const LoadedSettings loaded = loadSettings(std::string_view(text), "localhost:8443");
  const std::string saved = saveSettings(loaded.settings);
  const LoadedSettings reloaded = loadSettings(std::string_view(saved), "localhost:8443");
  if (!reloaded.errors.empty() || saveSettings(reloaded.settings) != saved) std::abort();
  (void)validate(loaded.settings);
  Settings overridden = loaded.settings;
  (void)applyQueryOverrides(overridden, parseQueryParams(text));
  (void)saveSettings(overridden);  // the console saves what a link overrode
  (void)effectiveBackend(overridden);
  (void)conferenceSocketUrl(effectiveBackend(overridden), overridden.scope, true, false, overridden.hostToken);
  return 0;
}
