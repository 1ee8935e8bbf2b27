#include "server/proxy/proxy_paths.hpp"

#include <array>

#include "core/protocol/names.hpp"

namespace confhost {

namespace {

constexpr std::array<std::string_view, 4> kOriginMarkers = {"/whip/endpoint/", "/whep/endpoint/", "/whip/resource/",
                                                            "/whep/resource/"};

ProxyPath invalid(int status, std::string problem) {
  ProxyPath p;
  p.status = status;
  p.problem = std::move(problem);
  return p;
}

// Checks the names of an endpoint path and fills scope/stream.
ProxyPath endpoint(ProxyPath::Kind kind, std::string scope, std::string stream, std::string resourceBase,
                   const std::string& shape) {
  if (scope.empty() || stream.empty() || stream.find('/') != std::string::npos)
    return invalid(400, "the path must be " + shape);
  if (auto e = validateName("scope", scope); !e) return invalid(400, e.error().message());
  if (auto e = validateName("stream", stream); !e) return invalid(400, e.error().message());
  ProxyPath p;
  p.kind = kind;
  p.scope = std::move(scope);
  p.stream = std::move(stream);
  p.resourceBase = std::move(resourceBase);
  return p;
}

ProxyPath resource(std::string id, std::string resourceBase) {
  if (id.empty() || id.find('/') != std::string::npos) return invalid(404, "no such resource");
  ProxyPath p;
  p.kind = ProxyPath::Kind::Resource;
  p.id = std::move(id);
  p.resourceBase = std::move(resourceBase);
  return p;
}

}  // namespace

bool isOriginStylePath(std::string_view path) {
  for (auto marker : kOriginMarkers)
    if (path.find(marker) != std::string_view::npos) return true;
  return false;
}

ProxyPath parseProxyPath(std::string_view path) {
  if (path.substr(0, kProxyPrefix.size()) == kProxyPrefix) {
    const std::string rest(path.substr(kProxyPrefix.size()));
    const std::string base = std::string(kProxyPrefix) + "resource/";
    if (rest == "debug") {
      ProxyPath p;
      p.kind = ProxyPath::Kind::Debug;
      return p;
    }
    if (rest.rfind("resource/", 0) == 0) return resource(rest.substr(9), base);
    const auto slash = rest.find('/');
    const std::string kind = rest.substr(0, slash);
    const ProxyPath::Kind k = kind == "whip"         ? ProxyPath::Kind::Whip
                              : kind == "whep"       ? ProxyPath::Kind::Whep
                              : kind == "conference" ? ProxyPath::Kind::Conference
                                                     : ProxyPath::Kind::Invalid;
    if (k == ProxyPath::Kind::Invalid)
      return invalid(404, "unknown proxy path " + std::string(path) +
                              " (expected whip/, whep/, conference/, resource/ or debug)");
    const std::string guid = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const auto last = guid.rfind('/');
    const std::string shape = std::string(kProxyPrefix) + kind + "/<app>/<room>/<stream>";
    if (last == std::string::npos) return invalid(400, "the path must be " + shape);
    return endpoint(k, guid.substr(0, last), guid.substr(last + 1), base, shape);
  }
  // Red5 origin spelling: the marker closest to the end wins (a scope could itself contain "whip").
  std::size_t at = std::string_view::npos;
  std::string_view marker;
  for (auto m : kOriginMarkers) {
    const auto found = path.rfind(m);
    if (found != std::string_view::npos && (at == std::string_view::npos || found > at)) {
      at = found;
      marker = m;
    }
  }
  if (at == std::string_view::npos) return invalid(404, "unknown proxy path " + std::string(path));
  const std::string scope(path.substr(1 < at ? 1 : at, at > 0 ? at - 1 : 0));
  const std::string tail(path.substr(at + marker.size()));
  const bool whip = marker.substr(1, 4) == "whip";
  const std::string base = "/" + scope + (whip ? "/whip/resource/" : "/whep/resource/");
  if (marker.find("resource") != std::string_view::npos) return resource(tail, base);
  const std::string shape = std::string("/<app>/") + (whip ? "whip" : "whep") + "/endpoint/<stream>";
  return endpoint(whip ? ProxyPath::Kind::Whip : ProxyPath::Kind::Whep, scope, tail, base, shape);
}

}  // namespace confhost
