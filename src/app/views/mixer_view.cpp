#include "app/views/mixer_view.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/views/theme.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {

void DrawMixerView(const MixerConsole& mixer) {
  const MixerSession& s = mixer.session();
  const MixerConfig& c = s.config();
  ui::Heading("Mixing Page");
  if (!mixer.configError().empty()) {
    ui::FieldError(mixer.configError());
    return;
  }
  ImGui::TextDisabled("%s · %s · %dx%d @ %d fps · %d kbps", c.scope.c_str(), std::string(toString(c.layout)).c_str(),
                      c.width, c.height, c.framerate, c.bitrate);
  ImGui::Text("State: %s   output %.1f fps", std::string(toString(s.state())).c_str(), mixer.outputFps());
  ui::StatusDot(ui::colorOf(s.socket().state()));
  ImGui::Text("Conference socket: %s", std::string(toString(s.socket().state())).c_str());
  ui::FieldError(s.lastError());

  if (ImGui::BeginTable("sessions", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("Session");
    ImGui::TableSetupColumn("State");
    ImGui::TableSetupColumn("Media");
    ImGui::TableSetupColumn("Problem");
    ImGui::TableHeadersRow();
    std::vector<std::string> ids = {std::string(kMixerPublishSession), std::string(kMixerAudioSession)};
    for (const std::string& stream : s.streams()) {
      const std::string id = s.playSessionOf(stream);
      if (!id.empty()) ids.push_back(id);
    }
    for (const std::string& id : ids) {
      const media::MediaSessionClient* client = s.client(id);
      if (!client) continue;
      ImGui::PushID(id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(id.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(media::toString(client->state())).c_str());
      ImGui::TableNextColumn();
      const PeerStats* st = mixer.stats(id);
      ImGui::TextUnformatted(st ? describe(*st).c_str() : "-");
      ImGui::TableNextColumn();
      if (!client->reason().empty()) ui::FieldError(client->reason());
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  // The layout, to scale (names and the presenter outline; the pixels are in the published canvas).
  const float width = std::min(ImGui::GetContentRegionAvail().x, ui::Em(36));
  const float scale = c.width > 0 ? width / static_cast<float>(c.width) : 1.0f;
  const float height = static_cast<float>(c.height) * scale;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), theme::palette().canvasBackground);
  for (const RenderItem& item : s.renderList()) {
    const ImVec2 min(origin.x + item.rect.x * scale, origin.y + item.rect.y * scale);
    TileVideo marker;
    marker.stalled = item.stalled;
    if (!item.hasVideo) marker.status = "no video yet";
    ui::DrawStreamTile(dl, min, ImVec2(item.rect.w * scale, item.rect.h * scale), item.label, &marker, item.presenter);
  }
}

}  // namespace confhost
