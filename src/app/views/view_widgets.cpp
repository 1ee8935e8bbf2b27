#include "app/views/view_widgets.hpp"

#include <algorithm>

#include "core/composition/layout.hpp"
#include "app/views/theme.hpp"

namespace confhost::ui {

namespace {
VideoPainter gVideoPainter = nullptr;  // set once by the platform; without it tiles show placeholders
}  // namespace

void Heading(const char* text) {
  if (ImFont* font = theme::headingFont()) ImGui::PushFont(font);
  ImGui::TextUnformatted(text);
  if (theme::headingFont()) ImGui::PopFont();
}

void StatusDot(const ImVec4& color) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + h * 0.5f, p.y + h * 0.5f), h * 0.32f,
                                              ImGui::ColorConvertFloat4ToU32(color));
  ImGui::Dummy(ImVec2(h, h));
  ImGui::SameLine();
}

void Tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(Em(24));
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void FieldError(const std::string& message) {
  if (message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().bad);
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

bool DangerButton(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.18f, 0.20f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.70f, 0.24f, 0.26f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.45f, 0.14f, 0.16f, 1.0f));
  const bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor(3);
  return pressed;
}

float Em(float n) { return n * ImGui::GetFontSize(); }

ImVec4 colorOf(SocketState state) {
  const auto& p = theme::palette();
  switch (state) {
    case SocketState::Open: return p.ok;
    case SocketState::Connecting: return p.warn;
    case SocketState::Backoff: return p.bad;
    case SocketState::Closed: return p.idle;
  }
  return p.idle;
}

ImVec4 colorOf(CompositionState state) {
  const auto& p = theme::palette();
  switch (state) {
    case CompositionState::Composing: return p.ok;
    case CompositionState::Pending:
    case CompositionState::Destroying: return p.warn;
    case CompositionState::Failed: return p.bad;
    case CompositionState::None: return p.idle;
  }
  return p.idle;
}

ImVec4 colorOf(MixerState state) {
  const auto& p = theme::palette();
  switch (state) {
    case MixerState::Composing: return p.ok;
    case MixerState::Pending:
    case MixerState::InService:
    case MixerState::Terminating: return p.warn;
    case MixerState::Failed: return p.bad;
  }
  return p.idle;
}

void SetVideoPainter(VideoPainter painter) { gVideoPainter = painter; }

float DrawStreamTile(ImDrawList* dl, ImVec2 min, ImVec2 size, const std::string& name, const TileVideo* video,
                    bool presenter, bool talking) {
  const auto& p = theme::palette();
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 max(min.x + size.x, min.y + size.y);
  dl->AddRectFilled(min, max, p.tileBackground, style.ChildRounding);
  dl->PushClipRect(min, max, true);

  if (video && video->live && video->width > 0 && video->height > 0 && gVideoPainter) {
    const Rect fit = letterbox(Rect{min.x, min.y, size.x, size.y}, static_cast<float>(video->width),
                               static_cast<float>(video->height));
    gVideoPainter(dl, VideoPlacement{video->peer, ImVec2(fit.x, fit.y), ImVec2(fit.right(), fit.bottom())});
  } else {
    // Placeholder: the stream's initial, large and dim, in the middle of the tile.
    const std::string initial = name.empty() ? "?" : name.substr(0, 1);
    const float fontSize = std::min(size.y * 0.45f, ImGui::GetFontSize() * 4.0f);
    const ImVec2 textSize = ImGui::GetFont()->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, initial.c_str());
    dl->AddText(ImGui::GetFont(), fontSize,
                ImVec2(min.x + (size.x - textSize.x) * 0.5f, min.y + (size.y - textSize.y) * 0.45f),
                ImGui::GetColorU32(ImGuiCol_TextDisabled), initial.c_str());
  }

  // The name on a strip along the bottom (the mixer labels its tiles the same way).
  const float line = ImGui::GetTextLineHeight();
  const float pad = style.FramePadding.y;
  const ImVec2 stripMin(min.x, max.y - line - 2 * pad);
  dl->AddRectFilled(stripMin, max, p.tileLabelBackground);
  dl->AddText(ImVec2(min.x + style.FramePadding.x, stripMin.y + pad), ImGui::GetColorU32(ImGuiCol_Text),
              name.c_str());
  // Top line: what is wrong (connecting, failed: reason, stalled), else the stream's stats; wrapped.
  float topStrip = 0.0f;
  if (video) {
    const std::string& top = !video->status.empty() ? video->status : video->stats;
    const bool warn = video->stalled && video->status.empty();
    const std::string text = warn ? "stalled" + (top.empty() ? std::string() : " · " + top) : top;
    if (!text.empty()) {
      const ImVec2 at(min.x + style.FramePadding.x, min.y + pad);
      const float wrap = size.x - 2 * style.FramePadding.x;
      const ImVec2 extent = ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, wrap, text.c_str());
      topStrip = extent.y + 2 * pad;
      dl->AddRectFilled(ImVec2(min.x, min.y), ImVec2(max.x, min.y + topStrip), p.tileLabelBackground);
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at,
                  warn ? ImGui::ColorConvertFloat4ToU32(p.warn)
                       : ImGui::GetColorU32(video->status.empty() ? ImGuiCol_Text : ImGuiCol_TextDisabled),
                  text.c_str(), nullptr, wrap);
    }
  }
  if (video && video->audioLevel >= 0.0f) {
    // A vertical meter on the right edge.
    const float w = std::max(3.0f, line * 0.25f);
    const float h = (size.y - line - 4 * pad) * std::clamp(video->audioLevel, 0.0f, 1.0f);
    dl->AddRectFilled(ImVec2(max.x - w - pad, stripMin.y - pad - h), ImVec2(max.x - pad, stripMin.y - pad),
                      ImGui::ColorConvertFloat4ToU32(p.ok));
  }
  dl->PopClipRect();
  dl->AddRect(min, max, presenter ? p.presenterBorder : p.tileBorder, style.ChildRounding, 0,
              presenter ? std::max(2.0f, line * 0.15f) : 1.0f);
  if (talking) {
    // Just outside the tile, so it never hides the presenter outline, the video or the meter.
    const float ring = std::clamp(line * 0.15f, 2.0f, 3.0f);
    const float out = ring * 0.5f + 1.0f;
    dl->AddRect(ImVec2(min.x - out, min.y - out), ImVec2(max.x + out, max.y + out),
                ImGui::ColorConvertFloat4ToU32(p.ok), style.ChildRounding + out, 0, ring);
  }
  return topStrip;
}

}  // namespace confhost::ui
