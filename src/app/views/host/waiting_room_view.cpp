// The waiting-room wall: one tile per waiting stream, each with "Add to conference" and "Exclude".
#include <imgui.h>

#include <algorithm>

#include "app/views/host/host_view.hpp"
#include "app/views/theme.hpp"

namespace confhost {

void DrawWaitingRoom(const HostView& view, std::vector<HostCommand>& out) {
  const HostState& state = view.state;
  ui::Heading("Waiting Room");
  ImGui::SameLine();
  ImGui::TextDisabled("(%d)", static_cast<int>(state.waiting.size()));
  if (state.waiting.empty()) {
    ImGui::TextDisabled("Nobody is waiting. Participants appear here when they start broadcasting to %s_wr.",
                        state.config.scope.c_str());
    return;
  }

  const ImGuiStyle& style = ImGui::GetStyle();
  const float buttonsWidth = ImGui::CalcTextSize("Add to conference").x + ImGui::CalcTextSize("Exclude").x +
                             4 * style.FramePadding.x + style.ItemSpacing.x;
  const float tileWidth = std::max(ui::Em(15), buttonsWidth);
  const float tileHeight = tileWidth * theme::kVideoHeightPerWidth;
  const float cellWidth = tileWidth + style.ItemSpacing.x;
  const int columns = std::max(1, static_cast<int>((ImGui::GetContentRegionAvail().x + style.ItemSpacing.x) / cellWidth));

  for (size_t i = 0; i < state.waiting.size(); ++i) {
    const std::string& name = state.waiting[i];
    ImGui::PushID(name.c_str());
    if (i % columns != 0) ImGui::SameLine();
    ImGui::BeginGroup();
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(tileWidth, tileHeight));
    const TileVideo* video = view.video(name);
    if (ImGui::IsItemHovered()) {
      const std::string tip = name + "\nwaiting in " + state.config.scope + "_wr" +
                              (video && !video->stats.empty() ? "\n" + video->stats : std::string());
      ImGui::SetTooltip("%s", tip.c_str());
    }
    ui::DrawStreamTile(ImGui::GetWindowDrawList(), min, ImVec2(tileWidth, tileHeight), name, video, false,
                       isTalking(state, name));
    if (view.focused(TileList::Waiting, name)) DrawFocusRing(ImGui::GetWindowDrawList(), min, ImVec2(tileWidth, tileHeight));
    if (ImGui::Button("Add to conference")) out.push_back(host::AddToConference{name});
    ui::Tooltip("Promote this stream: it joins the conference and receives the composite and the mix-minus audio.");
    ImGui::SameLine();
    if (ImGui::Button("Exclude")) out.push_back(host::Exclude{name});
    ui::Tooltip("Ban this stream from the room: it is removed and cannot come back while the room lives.");
    ImGui::EndGroup();
    ImGui::PopID();
  }
}

}  // namespace confhost
