#include "app/route.hpp"

namespace confhost {

Route parseRoute(std::string_view hash) {
  Route route;
  route.path = routeOf(hash);
  route.params = parseQueryParams(hash);
  const std::string& p = route.path;
  route.id = (p == "/" || p.empty()) ? RouteId::Menu
             : p == "/settings"      ? RouteId::Settings
             : p == "/host"          ? RouteId::Host
             : p == "/participant"   ? RouteId::Participant
             : p == "/mixer"         ? RouteId::Mixer
             : p == "/standby"       ? RouteId::Standby
                                     : RouteId::NotFound;
  return route;
}

std::string_view routeHash(RouteId id) {
  switch (id) {
    case RouteId::Menu: return "#/";
    case RouteId::Settings: return "#/settings";
    case RouteId::Host: return "#/host";
    case RouteId::Participant: return "#/participant";
    case RouteId::Mixer: return "#/mixer";
    case RouteId::Standby: return "#/standby";
    case RouteId::NotFound: return "#/";
  }
  return "#/";
}

std::string_view routeTitle(RouteId id) {
  switch (id) {
    case RouteId::Menu: return "Testbed Menu";
    case RouteId::Settings: return "Settings";
    case RouteId::Host: return "Conference Host";
    case RouteId::Participant: return "Conference Participant";
    case RouteId::Mixer: return "Mixing Page";
    case RouteId::Standby: return "Mixer node on standby";
    case RouteId::NotFound: return "Page not found";
  }
  return "";
}

std::string_view routeName(RouteId id) {
  switch (id) {
    case RouteId::Menu: return "menu";
    case RouteId::Settings: return "settings";
    case RouteId::Host: return "host";
    case RouteId::Participant: return "participant";
    case RouteId::Mixer: return "mixer";
    case RouteId::Standby: return "standby";
    case RouteId::NotFound: return "notFound";
  }
  return "";
}

}  // namespace confhost
