#pragma once
// Picking effects out of what a sans-I/O state machine handed back: every effect of one type, the
// only one, or whether there is any. Works on a role's effect list and on a MediaSessionSet's
// (whose effects carry their session).
#include <doctest/doctest.h>

#include <variant>
#include <vector>

#include "core/media/media_session_client.hpp"

namespace confhost::testing {

template <class Variant>
const Variant& variantOf(const Variant& effect) {
  return effect;
}
inline const media::Effect& variantOf(const media::SessionEffect& effect) { return effect.effect; }

template <class T, class Effect>
std::vector<T> all(const std::vector<Effect>& effects) {
  std::vector<T> found;
  for (const auto& e : effects)
    if (const T* p = std::get_if<T>(&variantOf(e))) found.push_back(*p);
  return found;
}

template <class T, class Effect>
T only(const std::vector<Effect>& effects) {
  auto found = all<T>(effects);
  REQUIRE(found.size() == 1);
  return found.front();
}

template <class T, class Effect>
bool has(const std::vector<Effect>& effects) {
  return !all<T>(effects).empty();
}

}  // namespace confhost::testing
