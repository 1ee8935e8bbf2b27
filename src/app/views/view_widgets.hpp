#pragma once
// The few widgets every view shares: headings, status dots, tooltips, inline field errors and the
// stream tile (placeholder or live video). Sizes derive from the current font and style, never from
// fixed pixels, so the views scale with devicePixelRatio.
#include <imgui.h>

#include <string>

#include "core/sessions/host_session.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"
#include "app/consoles/tile_video.hpp"

namespace confhost::ui {

void Heading(const char* text);
void StatusDot(const ImVec4& color);  // a filled circle, one text line high, then SameLine
void Tooltip(const char* text);      // on the last item, when hovered
void FieldError(const std::string& message);  // red, wrapped; nothing when empty
bool DangerButton(const char* label);
float Em(float n);                   // n × the current font size

ImVec4 colorOf(SocketState state);
ImVec4 colorOf(CompositionState state);
ImVec4 colorOf(MixerState state);

// Live video is not drawn by ImGui: the platform shows the peer's own video element under the tile
// (app/platform/media/video_overlay.*). The painter it installs is given the letterboxed rectangle, in draw
// order, so what the view draws afterwards (labels, outlines, popups) stays on top.
struct VideoPlacement {
  int peer = 0;
  ImVec2 min, max;
};
using VideoPainter = void (*)(ImDrawList* drawList, const VideoPlacement& placement);
void SetVideoPainter(VideoPainter painter);

// Draws a tile into [min, min+size) with the stream name on a label strip, the video letterboxed (or a
// placeholder), a presenter outline, an audio meter and, while the stream speaks, a ring around it.
// Does not move the cursor. Returns the height of the text strip along the top (stats or status; 0 when
// none), so overlays can start below it.
float DrawStreamTile(ImDrawList* drawList, ImVec2 min, ImVec2 size, const std::string& name,
                    const TileVideo* video, bool presenter, bool talking = false);

}  // namespace confhost::ui
