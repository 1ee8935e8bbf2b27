#pragma once
// One dark, legible theme for every view: ImGui's palette plus the few colours views draw themselves
// (status dots, tiles, the error banner). Sizes scale with devicePixelRatio: the canvas backing store is
// in device pixels, so fonts are rasterised at size x ratio and every style size is scaled alike.
#include <imgui.h>

namespace confhost::theme {

struct Palette {
  ImVec4 ok;          // connected, composing
  ImVec4 warn;        // connecting, pending
  ImVec4 bad;         // closed, failed, validation errors
  ImVec4 idle;        // none, not started
  ImVec4 textDim;     // secondary text
  ImVec4 accent;      // links, headings
  ImU32 tileBackground;
  ImU32 tileBorder;
  ImU32 presenterBorder;
  ImU32 tileLabelBackground;
  ImU32 canvasBackground;  // the conference preview's backdrop (the mixer's background colour)
  ImVec4 bannerBackground;
};

const Palette& palette();

// Colours and sizes; call again after the pixel ratio changes.
void apply(float scale);
// DejaVu Sans (assets/fonts/, embedded in the module) at the body and heading sizes.
// Returns false when the font file is missing (ImGui's built-in font is used then).
bool loadFonts(float scale);
ImFont* headingFont();  // nullptr before loadFonts: callers fall back to the default font

// Body font size in CSS pixels.
inline constexpr float kBodyFontSize = 16.0f;
inline constexpr float kHeadingFontSize = 22.0f;
// The shape of every video tile and preview: cameras and composites are 16:9.
inline constexpr float kVideoHeightPerWidth = 9.0f / 16.0f;

}  // namespace confhost::theme
