#pragma once
// The limits of a composition's canvas and encoding, in one place for every way a composition arrives:
// the host's form, the createComposition message and POST /composition body (so the server too), and
// the mixing page's query. Each place refuses exactly the same values with the same sentence, which
// names the field: "framerate: must be between 1 and 60".
#include <string_view>

#include "core/protocol/expected.hpp"
#include "core/protocol/mixer_spec.hpp"

namespace confhost {

struct CompositionLimit {
  std::string_view field;  // "width", "height", "framerate", "bitrate"
  int lo, hi;
};

inline constexpr CompositionLimit kWidthLimit{"width", 16, 4096};        // pixels
inline constexpr CompositionLimit kHeightLimit{"height", 16, 4096};      // pixels
inline constexpr CompositionLimit kFramerateLimit{"framerate", 1, 60};   // frames per second
inline constexpr CompositionLimit kBitrateLimit{"bitrate", 100, 50000};  // kbps

// Error{prefix + field, "must be between lo and hi"} unless lo <= value <= hi. `prefix` locates a
// nested field ("mixers[0].").
Status checkLimit(const CompositionLimit& limit, int value, std::string_view prefix = "");

// All four numbers of a mixer, first problem first.
Status checkLimits(const MixerSpec& mixer, std::string_view prefix = "");

// A number as the mixing page's query carries it: decimal digits only (else Error{field, "must be an
// integer in lo..hi"}), then checkLimit.
Expected<int> parseLimited(const CompositionLimit& limit, std::string_view text);

}  // namespace confhost
