#pragma once
// The testbed menu (landing page): Settings, and "Stream Manager Mixer Tests → Conference Host /
// Conference Participant", as the seed's menu.
#include <string>
#include <vector>

#include "app/route.hpp"

namespace confhost {

struct Navigate { RouteId route; };

struct MenuView {
  std::string scope;      // from the settings, shown under the links
  std::string backend;
  bool hasHostToken = false;
};

void DrawMenu(const MenuView& view, std::vector<Navigate>& out);

}  // namespace confhost
