#include "app/platform/browser_page.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdlib>

extern "C" {
char* confhost_location_hash();
void confhost_set_location_hash(const char* hash);
char* confhost_page_host();
void confhost_watch_hash();
char* confhost_storage_get(const char* key);
int confhost_storage_set(const char* key, const char* value);
void confhost_install_automation();
}

namespace confhost::browser {
namespace {

// The glue returns malloc'd copies; take ownership here.
std::string adopt(char* text) {
  if (!text) return {};
  std::string result(text);
  std::free(text);
  return result;
}

}  // namespace

std::string locationHash() { return adopt(confhost_location_hash()); }

void setLocationHash(std::string_view hash) { confhost_set_location_hash(std::string(hash).c_str()); }

std::string pageHost() { return adopt(confhost_page_host()); }

void watchHashChanges() { confhost_watch_hash(); }

std::optional<std::string> storageGet(std::string_view key) {
  char* value = confhost_storage_get(std::string(key).c_str());
  if (!value) return std::nullopt;
  return adopt(value);
}

bool storageSet(std::string_view key, std::string_view value) {
  return confhost_storage_set(std::string(key).c_str(), std::string(value).c_str()) != 0;
}

float devicePixelRatio() {
  const double ratio = emscripten_get_device_pixel_ratio();
  return ratio > 0.25 ? static_cast<float>(ratio) : 1.0f;
}

double randomSeed() { return static_cast<double>(emscripten_random()) * 4294967295.0; }

void installAutomationHook() { confhost_install_automation(); }

}  // namespace confhost::browser
