#include "core/composition/layout.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "core_assets.hpp"

namespace confhost {

namespace {

// The presets' numbers, from assets/layouts.json (compiled in; the build refuses the asset unless each
// is a number, so the fallbacks — no gaps, no cap — only keep a hand-edited header from throwing).
struct Definitions {
  float gapShortSideShare = 0;  // a gap is this share of the canvas's short side...
  float gapMaxTotalShare = 0;   // ...but the gaps across a side never take more than this share of it
  float rowMaxHeightShare = 1;  // focused: the row's cap, so the presenter is always the biggest tile
};

void readShare(const nlohmann::json& j, const char* key, float& share) {
  if (j.is_object() && j.contains(key) && j[key].is_number()) share = j[key].get<float>();
}

const Definitions& definitions() {
  static const Definitions d = [] {
    Definitions d;
    const auto j = nlohmann::json::parse(assets::layouts, nullptr, /*allow_exceptions=*/false);
    const auto gaps = j.is_object() && j.contains("gaps") ? j["gaps"] : nlohmann::json();
    readShare(gaps, "shortSideShare", d.gapShortSideShare);
    readShare(gaps, "maxTotalShare", d.gapMaxTotalShare);
    readShare(j, "focusedRowMaxHeightShare", d.rowMaxHeightShare);
    return d;
  }();
  return d;
}

// The largest rectangle of aspect `aspect` (w/h) centred in `box`.
Rect fit(const Rect& box, float aspect) {
  if (box.w <= 0 || box.h <= 0) return {box.x, box.y, 0, 0};
  float w = box.w;
  float h = w / aspect;
  if (h > box.h) {
    h = box.h;
    w = h * aspect;
  }
  return {box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h};
}

// Small gaps between tiles and around the edges, but never so much that a row of n tiles (or the rows
// of a grid) would leave nothing for the tiles themselves.
float marginFor(float width, float height, int n) {
  const Definitions& d = definitions();
  float m = d.gapShortSideShare * std::min(width, height);
  m = std::min(m, d.gapMaxTotalShare * width / static_cast<float>(n + 1));
  return std::min(m, d.gapMaxTotalShare * height / static_cast<float>(n + 1));
}

std::vector<Rect> focused(float width, float height, int n, int presenter) {
  const float aspect = width / height;
  const float m = marginFor(width, height, n);
  std::vector<Rect> rects(static_cast<size_t>(n));
  if (n == 1) {
    rects[0] = fit({m, m, width - 2 * m, height - 2 * m}, aspect);
    return rects;
  }
  const int others = n - 1;
  // The row: `others` equal tiles side by side, as wide as the canvas allows but no taller than its cap.
  const float cellW = (width - static_cast<float>(others + 1) * m) / static_cast<float>(others);
  const float rowH = std::min(cellW / aspect, definitions().rowMaxHeightShare * height);
  const float rowY = height - m - rowH;
  // The presenter takes everything above the row.
  rects[static_cast<size_t>(presenter)] = fit({m, m, width - 2 * m, rowY - 2 * m}, aspect);
  // Tiles of the row, centred as a group so a short row does not hug the left edge.
  const Rect first = fit({0, 0, cellW, rowH}, aspect);
  const float tileW = first.w;
  const float tileH = first.h;
  const float rowW = static_cast<float>(others) * tileW + static_cast<float>(others - 1) * m;
  float x = (width - rowW) / 2;
  const float y = rowY + (rowH - tileH) / 2;
  for (int i = 0; i < n; ++i) {
    if (i == presenter) continue;
    rects[static_cast<size_t>(i)] = {x, y, tileW, tileH};
    x += tileW + m;
  }
  return rects;
}

std::vector<Rect> grid(float width, float height, int n) {
  const float aspect = width / height;
  const float m = marginFor(width, height, n);
  const auto tileFor = [&](int cols) {  // the tile of a grid of `cols` columns
    const int rows = (n + cols - 1) / cols;
    return fit({0, 0, (width - static_cast<float>(cols + 1) * m) / static_cast<float>(cols),
                (height - static_cast<float>(rows + 1) * m) / static_cast<float>(rows)}, aspect);
  };
  // Pick the column count that gives the biggest tiles (a near-square grid on a square canvas, a
  // single column on a tall one).
  int cols = 1;
  float bestW = -1;
  for (int c = 1; c <= n; ++c) {
    const float w = tileFor(c).w;
    if (w > bestW + 1e-4f) {
      bestW = w;
      cols = c;
    }
  }
  const int rows = (n + cols - 1) / cols;
  const Rect tile = tileFor(cols);
  // The whole grid is centred; a partial last row is centred too.
  const float gridH = static_cast<float>(rows) * tile.h + static_cast<float>(rows - 1) * m;
  const float top = (height - gridH) / 2;
  std::vector<Rect> rects;
  rects.reserve(static_cast<size_t>(n));
  for (int r = 0; r < rows; ++r) {
    const int inRow = std::min(cols, n - r * cols);
    const float rowW = static_cast<float>(inRow) * tile.w + static_cast<float>(inRow - 1) * m;
    float x = (width - rowW) / 2;
    const float y = top + static_cast<float>(r) * (tile.h + m);
    for (int c = 0; c < inRow; ++c) {
      rects.push_back({x, y, tile.w, tile.h});
      x += tile.w + m;
    }
  }
  return rects;
}

}  // namespace

Expected<LayoutPreset> parseLayoutPreset(std::string_view name) {
  for (LayoutPreset preset : kLayoutPresets)
    if (toString(preset) == name) return preset;
  return Error{"layout", "must be " + layoutPresetChoices() + ", got \"" + std::string(name) + '"'};
}

std::string_view toString(LayoutPreset preset) {
  switch (preset) {
    case LayoutPreset::Focused: return "focused";
    case LayoutPreset::Grid: return "grid";
  }
  return "";
}

std::string layoutPresetChoices() {
  std::string choices;
  for (std::size_t i = 0; i < kLayoutPresets.size(); ++i) {
    if (i > 0) choices += i + 1 == kLayoutPresets.size() ? " or " : ", ";
    choices += "\"" + std::string(toString(kLayoutPresets[i])) + '"';
  }
  return choices;
}

std::vector<Rect> layout(LayoutPreset preset, float width, float height, int n, int presenterIndex) {
  if (n <= 0 || !std::isfinite(width) || !std::isfinite(height) || width <= 0 || height <= 0) return {};
  if (presenterIndex < 0 || presenterIndex >= n) presenterIndex = 0;
  return preset == LayoutPreset::Grid ? grid(width, height, n) : focused(width, height, n, presenterIndex);
}

Rect letterbox(const Rect& tile, float srcW, float srcH) {
  if (!(srcW > 0) || !(srcH > 0) || !std::isfinite(srcW) || !std::isfinite(srcH)) return tile;
  return fit(tile, srcW / srcH);
}

}  // namespace confhost
