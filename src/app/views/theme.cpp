#include "app/views/theme.hpp"

#include <cstdio>

namespace confhost::theme {
namespace {

constexpr const char* kFontPath = "/fonts/DejaVuSans.ttf";  // --embed-file target (src/app/CMakeLists.txt)
ImFont* gHeading = nullptr;

ImVec4 rgb(int r, int g, int b, float a = 1.0f) { return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a); }

}  // namespace

const Palette& palette() {
  static const Palette p{
      rgb(86, 201, 120),   // ok
      rgb(236, 184, 76),   // warn
      rgb(240, 98, 98),    // bad
      rgb(140, 146, 160),  // idle
      rgb(150, 156, 170),  // textDim
      rgb(110, 168, 254),  // accent
      IM_COL32(36, 40, 50, 255),
      IM_COL32(70, 78, 96, 255),
      IM_COL32(110, 168, 254, 255),
      IM_COL32(0, 0, 0, 170),
      IM_COL32(17, 18, 22, 255),
      rgb(120, 32, 38, 0.95f),
  };
  return p;
}

void apply(float scale) {
  ImGuiStyle style;  // start from defaults so repeated calls do not compound the scale
  ImGui::StyleColorsDark(&style);
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(9, 5);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(6, 5);
  style.IndentSpacing = 18;
  style.ScrollbarSize = 14;
  style.GrabMinSize = 12;
  // One corner radius for everything a user clicks or reads in (fields, popups, tabs), a rounder one for
  // panels, a tighter one for slider grabs; the full-page window is square and borderless. Panels keep
  // a 1 px outline because they are not filled (below).
  constexpr float kCorner = 5;
  style.WindowRounding = style.WindowBorderSize = style.FrameBorderSize = 0;
  style.FrameRounding = style.PopupRounding = style.TabRounding = kCorner;
  style.ChildRounding = kCorner + 1;
  style.GrabRounding = kCorner - 1;
  style.ChildBorderSize = 1;

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = rgb(228, 231, 238);
  c[ImGuiCol_TextDisabled] = rgb(128, 134, 148);
  c[ImGuiCol_WindowBg] = rgb(22, 24, 29);
  // Panels are outlined, not filled: on a software-rendered page (SwiftShader) every filled pixel is CPU,
  // and the two columns' backgrounds were a second full-screen fill per frame (measured: 17 → 23 fps
  // for the host console with 12 previews while the mouse moves). The main window draws no background
  // either: the frame's clear paints WindowBg.
  c[ImGuiCol_ChildBg] = rgb(28, 31, 38, 0.0f);
  c[ImGuiCol_PopupBg] = rgb(32, 35, 43, 0.98f);
  c[ImGuiCol_Border] = rgb(54, 60, 74);
  c[ImGuiCol_FrameBg] = rgb(40, 44, 54);
  c[ImGuiCol_FrameBgHovered] = rgb(52, 58, 72);
  c[ImGuiCol_FrameBgActive] = rgb(60, 68, 86);
  c[ImGuiCol_TitleBg] = rgb(22, 24, 29);
  c[ImGuiCol_TitleBgActive] = rgb(30, 34, 42);
  c[ImGuiCol_MenuBarBg] = rgb(30, 33, 40);
  c[ImGuiCol_Button] = rgb(48, 84, 150);
  c[ImGuiCol_ButtonHovered] = rgb(62, 104, 182);
  c[ImGuiCol_ButtonActive] = rgb(40, 70, 128);
  c[ImGuiCol_Header] = rgb(44, 50, 64);
  c[ImGuiCol_HeaderHovered] = rgb(56, 64, 82);
  c[ImGuiCol_HeaderActive] = rgb(64, 74, 96);
  c[ImGuiCol_Separator] = rgb(54, 60, 74);
  c[ImGuiCol_CheckMark] = rgb(110, 168, 254);
  c[ImGuiCol_SliderGrab] = rgb(110, 168, 254);
  c[ImGuiCol_Tab] = rgb(36, 40, 50);
  c[ImGuiCol_TabHovered] = rgb(62, 104, 182);
  c[ImGuiCol_TabActive] = rgb(48, 84, 150);
  c[ImGuiCol_TextSelectedBg] = rgb(62, 104, 182, 0.6f);
  c[ImGuiCol_NavHighlight] = rgb(110, 168, 254);

  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

bool loadFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  gHeading = nullptr;
  if (FILE* f = std::fopen(kFontPath, "rb")) {
    std::fclose(f);
    ImFontConfig config;
    config.OversampleH = 2;
    config.PixelSnapH = true;
    // Latin, Latin-1, general punctuation (… → •) and arrows (← →) used by the views.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
    io.Fonts->AddFontFromFileTTF(kFontPath, kBodyFontSize * scale, &config, ranges);
    gHeading = io.Fonts->AddFontFromFileTTF(kFontPath, kHeadingFontSize * scale, &config, ranges);
    return true;
  }
  ImFontConfig config;
  config.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&config);
  return false;
}

ImFont* headingFont() { return gHeading; }

}  // namespace confhost::theme
