#include "core/composition/composition_rules.hpp"

#include <string>

namespace confhost {

Status checkLimit(const CompositionLimit& limit, int value, std::string_view prefix) {
  if (value >= limit.lo && value <= limit.hi) return {};
  return Error{std::string(prefix) + std::string(limit.field),
               "must be between " + std::to_string(limit.lo) + " and " + std::to_string(limit.hi)};
}

Status checkLimits(const MixerSpec& m, std::string_view prefix) {
  if (auto e = checkLimit(kWidthLimit, m.width, prefix); !e) return e;
  if (auto e = checkLimit(kHeightLimit, m.height, prefix); !e) return e;
  if (auto e = checkLimit(kFramerateLimit, m.framerate, prefix); !e) return e;
  return checkLimit(kBitrateLimit, m.bitrate, prefix);
}

Expected<int> parseLimited(const CompositionLimit& limit, std::string_view text) {
  // Nine digits at most, so the number fits an int before the range check.
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return Error{std::string(limit.field),
                 "must be an integer in " + std::to_string(limit.lo) + ".." + std::to_string(limit.hi)};
  const int n = std::stoi(std::string(text));
  if (auto s = checkLimit(limit, n); !s) return s.error();
  return n;
}

}  // namespace confhost
