#include "layout.hpp"

#include <algorithm>
#include <cmath>

namespace confhost {

namespace {

// The presenter keeps at least this share of the height: the row below never takes more than
// kMaxRowShare, so the presenter is the biggest tile whatever the number of others.
constexpr float kMaxRowShare = 0.25f;

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

// Small gaps between tiles and around the edges: 2 % of the short side, but never so much that a row
// of n tiles (or the rows of a grid) would leave nothing for the tiles themselves.
float marginFor(float width, float height, int n) {
  float m = 0.02f * std::min(width, height);
  m = std::min(m, width / (4.0f * static_cast<float>(n + 1)));
  m = std::min(m, height / (4.0f * static_cast<float>(n + 1)));
  return m;
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
  // The row: `others` equal tiles side by side, as wide as the canvas allows but no taller than
  // kMaxRowShare of the canvas.
  const float cellW = (width - static_cast<float>(others + 1) * m) / static_cast<float>(others);
  const float rowH = std::min(cellW / aspect, kMaxRowShare * height);
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
  // Pick the column count that gives the biggest tiles (a near-square grid on a square canvas, a
  // single column on a tall one).
  int bestCols = 1;
  float bestW = -1;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    const float cellW = (width - static_cast<float>(cols + 1) * m) / static_cast<float>(cols);
    const float cellH = (height - static_cast<float>(rows + 1) * m) / static_cast<float>(rows);
    const float w = fit({0, 0, cellW, cellH}, aspect).w;
    if (w > bestW + 1e-4f) {
      bestW = w;
      bestCols = cols;
    }
  }
  const int cols = bestCols;
  const int rows = (n + cols - 1) / cols;
  const float cellW = (width - static_cast<float>(cols + 1) * m) / static_cast<float>(cols);
  const float cellH = (height - static_cast<float>(rows + 1) * m) / static_cast<float>(rows);
  const Rect tile = fit({0, 0, cellW, cellH}, aspect);
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
  if (name == "focused") return LayoutPreset::Focused;
  if (name == "grid") return LayoutPreset::Grid;
  return Error{"layout", "must be \"focused\" or \"grid\", got \"" + std::string(name) + "\""};
}

std::string_view toString(LayoutPreset preset) {
  return preset == LayoutPreset::Grid ? "grid" : "focused";
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
