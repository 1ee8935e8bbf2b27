#include "app/platform/media/video_overlay.hpp"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "app/views/view_widgets.hpp"

extern "C" {
void confhost_rtc_begin_draw();
void confhost_rtc_place_video(int handle, float x, float y, float w, float h);
void confhost_rtc_end_draw();
}

namespace confhost::video_overlay {

namespace {

std::vector<ui::VideoPlacement> gHoles;  // this frame's placements; the callback's data is an index

// Runs inside ImGui_ImplOpenGL3_RenderDrawData, which sets the scissor again before its next draw.
void punchHole(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto index = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(cmd->UserCallbackData));
  if (index >= gHoles.size()) return;
  const ui::VideoPlacement& p = gHoles[index];
  const float x0 = std::max(p.min.x, cmd->ClipRect.x), y0 = std::max(p.min.y, cmd->ClipRect.y);
  const float x1 = std::min(p.max.x, cmd->ClipRect.z), y1 = std::min(p.max.y, cmd->ClipRect.w);
  if (x1 <= x0 || y1 <= y0) return;
  const float height = ImGui::GetIO().DisplaySize.y;
  const int left = static_cast<int>(std::lround(x0)), right = static_cast<int>(std::lround(x1));
  const int top = static_cast<int>(std::lround(y0)), bottom = static_cast<int>(std::lround(y1));
  glScissor(left, static_cast<int>(height) - bottom, right - left, bottom - top);
  glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

void place(ImDrawList* drawList, const ui::VideoPlacement& placement) {
  const float x = std::round(placement.min.x), y = std::round(placement.min.y);
  confhost_rtc_place_video(placement.peer, x, y, std::round(placement.max.x) - x, std::round(placement.max.y) - y);
  gHoles.push_back(placement);
  drawList->AddCallback(punchHole, reinterpret_cast<void*>(static_cast<std::uintptr_t>(gHoles.size() - 1)));
}

}  // namespace

void install() { ui::SetVideoPainter(place); }

void beginFrame() {
  gHoles.clear();
  confhost_rtc_begin_draw();
}

void endFrame() { confhost_rtc_end_draw(); }

}  // namespace confhost::video_overlay
