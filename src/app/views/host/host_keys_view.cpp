// The host keyboard's face: keys read while no text field has focus, the focus ring, the "destroy?"
// question and the `?` overlay. What each key does is core/sessions/host_keyboard's table.
#include <imgui.h>

#include <cctype>

#include "app/views/host/host_view.hpp"
#include "app/views/theme.hpp"

namespace confhost {

void ReadHostKeys(const HostView& view, std::vector<HostCommand>& out) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;  // typing into the form: the keys are the text's
  for (const KeyPress& press : view.keys) out.push_back(PressKey{press});
  // Letters and '?' as typed characters: '?' is wherever the user's keyboard layout puts it.
  for (const ImWchar c : io.InputQueueCharacters) {
    const int lower = c < 128 ? std::tolower(static_cast<int>(c)) : 0;
    const Key key = lower == 'a' ? Key::A : lower == 'r' ? Key::R : lower == 'p' ? Key::P : lower == 'x' ? Key::X
                    : lower == 'd' ? Key::D : lower == '?' ? Key::Question : Key::Escape;
    if (key != Key::Escape) out.push_back(PressKey{{key, false}});
  }
}

void DrawFocusRing(ImDrawList* dl, ImVec2 min, ImVec2 size) {
  const float gap = 6;  // outside the talking ring (view_widgets), so both show
  dl->AddRect(ImVec2(min.x - gap, min.y - gap), ImVec2(min.x + size.x + gap, min.y + size.y + gap),
              ImGui::GetColorU32(theme::palette().accent), ImGui::GetStyle().ChildRounding, 0, 2.0f);
}

void DrawDestroyQuestion(const HostView& view, std::vector<HostCommand>& out) {
  constexpr const char* kTitle = "Destroy the composition?";
  const bool asking = view.keyboard && view.keyboard->confirmingDestroy;
  if (asking && !ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  if (!asking) {  // answered by a key
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  ImGui::Text("Destroy %s? Its mixer stops, and every participant loses the composite.",
              view.state.selectedEvent.c_str());
  if (ui::DangerButton("Destroy (Enter)")) out.push_back(PressKey{{Key::Enter}});
  ImGui::SameLine();
  if (ImGui::Button("Keep it (Esc)")) out.push_back(PressKey{{Key::Escape}});
  ImGui::EndPopup();
}

void DrawShortcutHelp(const HostView& view, std::vector<HostCommand>& out) {
  if (!view.keyboard || !view.keyboard->helpOpen) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyle().Colors[ImGuiCol_PopupBg]);
  ImGui::Begin("Keyboard shortcuts", nullptr,
               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
  if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit)) {
    for (const HostShortcut& s : hostShortcuts()) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextColored(theme::palette().accent, "%.*s", static_cast<int>(s.keys.size()), s.keys.data());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(s.does.data(), s.does.data() + s.does.size());
    }
    ImGui::EndTable();
  }
  if (ImGui::Button("Close (Esc)")) out.push_back(PressKey{{Key::Escape}});
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace confhost
