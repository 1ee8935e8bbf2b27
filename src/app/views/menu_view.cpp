#include "app/views/menu_view.hpp"

#include <imgui.h>

#include "app/views/theme.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {
namespace {

// A link-styled entry: title in the accent colour, a dim description underneath.
void MenuLink(RouteId route, const char* description, std::vector<Navigate>& out) {
  const std::string title(routeTitle(route));
  ImGui::PushID(title.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().accent);
  if (ImGui::Selectable(title.c_str(), false, 0, ImVec2(ui::Em(22), 0))) out.push_back(Navigate{route});
  ImGui::PopStyleColor();
  ui::Tooltip((std::string("Open ") + std::string(routeHash(route))).c_str());
  ImGui::Indent();
  ImGui::TextDisabled("%s", description);
  ImGui::Unindent();
  ImGui::PopID();
}

}  // namespace

void DrawMenu(const MenuView& view, std::vector<Navigate>& out) {
  ui::Heading("Testbed Menu");
  ImGui::TextDisabled("Conference Host: mixer-based video conferences, run from this page.");
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();

  MenuLink(RouteId::Settings, "Host, scope (app/room), backend socket, Stream Manager, tokens, auth, ICE.", out);
  ImGui::Spacing();
  ImGui::TextUnformatted("Stream Manager Mixer Tests");
  ImGui::Indent();
  MenuLink(RouteId::Host,
           "Create a composition, admit participants from the waiting room, run the conference.", out);
  MenuLink(RouteId::Participant,
           "Publish camera and microphone to the waiting room; when admitted, get the composite and mix-minus.",
           out);
  ImGui::Unindent();

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextDisabled("Scope %s  ·  backend %s  ·  host token %s", view.scope.c_str(), view.backend.c_str(),
                      view.hasHostToken ? "set" : "not set");
}

}  // namespace confhost
