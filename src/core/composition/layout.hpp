#pragma once
// Conference layout geometry. Pure functions: the mixer page draws its composite with them and the host
// console draws its conference preview with them, so what the host sees is what participants get. The
// presets and their names are the table below; their numbers (gaps, the focused row's cap) are data in
// assets/layouts.json, checked when the project is configured.
//
// Rules every preset keeps (tested for 0..16 tiles and odd canvas shapes):
// - one rectangle per stream, index i of the result is stream i of the conference list;
// - every rectangle lies inside the canvas, none overlap, none is empty;
// - tiles have the canvas's aspect ratio (participant cameras usually match the composite's shape);
//   a source of another shape is fitted inside its tile with `letterbox`.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
  float area() const { return w * h; }
};

enum class LayoutPreset {
  Focused,  // presenter large on top, the others in one row below in list order
  Grid,     // near-square grid of equal tiles, row-major in list order (the presenter is not enlarged)
};
// Every preset, in the order a picker lists them.
inline constexpr std::array<LayoutPreset, 2> kLayoutPresets = {LayoutPreset::Focused, LayoutPreset::Grid};

// Its name as written in URLs and in the composition form's mixing page: "focused", "grid"
// (case-sensitive).
std::string_view toString(LayoutPreset preset);
Expected<LayoutPreset> parseLayoutPreset(std::string_view name);
std::string layoutPresetChoices();  // "\"focused\" or \"grid\"", for refusals

// Tile rectangles for n streams on a width×height canvas, in canvas pixels (origin top-left).
// presenterIndex picks the focused tile; -1 or out of range means the first stream is the presenter.
// Returns an empty vector when n <= 0 or the canvas is empty (width or height <= 0 or not finite).
std::vector<Rect> layout(LayoutPreset preset, float width, float height, int n, int presenterIndex);

// The largest rectangle of the source's aspect ratio (srcW:srcH) centred inside tile: the region a
// video is drawn into, the rest of the tile stays background. An unknown source size (<= 0) returns tile.
Rect letterbox(const Rect& tile, float srcW, float srcH);

}  // namespace confhost
