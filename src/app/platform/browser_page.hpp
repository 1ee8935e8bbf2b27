#pragma once
// The page around the wasm module: location hash, origin, localStorage, pixel ratio. Thin calls into
// web/confhost_glue.js; nothing here decides anything.
#include <optional>
#include <string>
#include <string_view>

namespace confhost::browser {

std::string locationHash();                // "#/host?hostToken=abc", "" when none
void setLocationHash(std::string_view hash);
std::string pageHost();                    // "localhost:8443"
void watchHashChanges();                   // confhost_on_hash_changed() is called on every change
std::optional<std::string> storageGet(std::string_view key);
bool storageSet(std::string_view key, std::string_view value);  // false when storage is unavailable
float devicePixelRatio();
double randomSeed();                       // 0 .. 2^32, different per call and page load
void installAutomationHook();              // window.confhost

}  // namespace confhost::browser
