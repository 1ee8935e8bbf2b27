#pragma once
// The hash routes of the one-page console: "#/" testbed menu, "#/settings", "#/host", "#/participant",
// "#/mixer", and "#/standby" (a warm mixer node's page: the module loaded, waiting for the Stream
// Manager to navigate it to "#/mixer?…"). Query parameters after the route ("#/host?hostToken=T") override settings for that visit.
#include <string>
#include <string_view>

#include "core/protocol/query_string.hpp"

namespace confhost {

enum class RouteId { Menu, Settings, Host, Participant, Mixer, Standby, NotFound };

struct Route {
  RouteId id = RouteId::Menu;
  std::string path;    // "/host"
  QueryParams params;  // from the hash
};

Route parseRoute(std::string_view hash);        // "#/host?hostToken=T"
std::string_view routeHash(RouteId id);         // "#/host"
std::string_view routeTitle(RouteId id);        // "Conference Host"
std::string_view routeName(RouteId id);         // "host" (window.confhost.route())

}  // namespace confhost
