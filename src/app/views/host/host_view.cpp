#include "app/views/host/host_view.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/views/theme.hpp"

namespace confhost {

bool isTalking(const HostState& state, const std::string& stream) {
  return std::find(state.talking.begin(), state.talking.end(), stream) != state.talking.end();
}

void DrawErrorBanner(const HostState& state, std::vector<HostCommand>& out) {
  if (state.lastError.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::palette().bannerBackground);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float wrap = ImGui::GetContentRegionAvail().x - ui::Em(6) - 2 * style.WindowPadding.x;
  const float textHeight = ImGui::CalcTextSize(state.lastError.c_str(), nullptr, false, wrap).y;
  const float height = std::max(textHeight, ImGui::GetFrameHeight()) + 2 * style.WindowPadding.y;
  ImGui::BeginChild("errorBanner", ImVec2(0, height), false, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(state.lastError.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ui::Em(5));
  if (ImGui::Button("Dismiss")) out.push_back(host::DismissError{});
  ui::Tooltip("Hide this message. The next error shows here again.");
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void DrawConnectionStatus(const HostState& state, std::vector<HostCommand>& out) {
  struct Row { SocketId id; const char* label; const char* help; };
  const Row rows[] = {
      {SocketId::WaitingRoom, "Waiting room socket",
       "Conference API socket for <scope>_wr: waiting-room streams, mixer regions, compositions. "
       "Every host command is sent on it."},
      {SocketId::Conference, "Conference socket", "Conference API socket for <scope>: the conference list."},
  };
  for (const Row& row : rows) {
    const SocketStatus& s = state.socket(row.id);
    ImGui::PushID(row.label);
    ui::StatusDot(ui::colorOf(s.state));
    ImGui::Text("%s: %s", row.label, std::string(toString(s.state)).c_str());
    std::string help = std::string(row.help) + "\nURL: " + (s.url.empty() ? "(none yet)" : s.url);
    if (!s.closeReason.empty()) help += "\nLast close: " + s.closeReason;
    if (s.state == SocketState::Backoff) help += "\nReconnect attempt " + std::to_string(s.attempts) + " pending.";
    ui::Tooltip(help.c_str());
    ImGui::SameLine(0, ui::Em(1.5f));
    ImGui::PopID();
  }
  const bool anyDown = state.socket(SocketId::WaitingRoom).state != SocketState::Open ||
                       state.socket(SocketId::Conference).state != SocketState::Open;
  if (!state.started) ImGui::BeginDisabled();
  if (anyDown) {
    if (ImGui::SmallButton("Reconnect now")) out.push_back(ReconnectNow{});
    ui::Tooltip("Close both sockets and connect again without waiting for the backoff delay.");
  } else {
    ImGui::TextDisabled("scope %s", state.config.scope.c_str());
  }
  if (!state.started) ImGui::EndDisabled();
}

void DrawHostView(const HostView& view, CompositionForm& form, std::vector<HostCommand>& out) {
  ReadHostKeys(view, out);
  DrawConnectionStatus(view.state, out);
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("? keyboard shortcuts").x);
  ImGui::TextDisabled("? keyboard shortcuts");
  DrawErrorBanner(view.state, out);
  ImGui::Spacing();

  // Two columns: composition controls on the left, the streams on the right.
  const float sideWidth = std::min(ui::Em(24), ImGui::GetContentRegionAvail().x * 0.42f);
  ImGui::BeginChild("compositionColumn", ImVec2(sideWidth, 0), true);
  DrawActiveComposition(view.state, out);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  DrawCompositionForm(form, view.formErrors, view.formMessage, view.state, out);
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("streamsColumn", ImVec2(0, 0), true);
  DrawWaitingRoom(view, out);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  DrawConference(view, out);
  ImGui::EndChild();
  DrawDestroyQuestion(view, out);
  DrawShortcutHelp(view, out);
}

}  // namespace confhost
