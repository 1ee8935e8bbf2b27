#include "core/media/proxy_path.hpp"

#include <array>

#include "core/protocol/names.hpp"

namespace confhost {

namespace {

constexpr std::array<std::string_view, 4> kOriginMarkers = {"/whip/endpoint/", "/whep/endpoint/", "/whip/resource/",
                                                            "/whep/resource/"};
constexpr std::array<Endpoint, 3> kEndpoints = {Endpoint::Whip, Endpoint::Whep, Endpoint::Conference};

ProxyPath invalid(int status, std::string problem) {
  ProxyPath p;
  p.status = status;
  p.problem = std::move(problem);
  return p;
}

// Checks the names of an endpoint path and fills scope/stream.
ProxyPath endpoint(Endpoint kind, std::string scope, std::string stream, std::string resourceBase,
                   const std::string& shape) {
  if (scope.empty() || stream.empty() || stream.find('/') != std::string::npos)
    return invalid(400, "the path must be " + shape);
  if (auto e = validateName("scope", scope); !e) return invalid(400, e.error().message());
  if (auto e = validateName("stream", stream); !e) return invalid(400, e.error().message());
  ProxyPath p;
  p.kind = ProxyPath::Kind::Endpoint;
  p.endpoint = kind;
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

bool hasProxyPrefix(std::string_view path) { return path.substr(0, kProxyPrefix.size()) == kProxyPrefix; }

bool isOriginStylePath(std::string_view path) {
  for (auto marker : kOriginMarkers)
    if (path.find(marker) != std::string_view::npos) return true;
  return false;
}

ProxyPath parsePrefixed(std::string_view path) {
  const std::string rest(path.substr(kProxyPrefix.size()));
  const std::string base = std::string(kProxyPrefix) + "resource/";
  if (rest == "debug") {
    ProxyPath p;
    p.kind = ProxyPath::Kind::Debug;
    return p;
  }
  if (rest.rfind("resource/", 0) == 0) return resource(rest.substr(9), base);
  const auto slash = rest.find('/');
  const std::string segment = rest.substr(0, slash);
  for (Endpoint kind : kEndpoints) {
    if (segment != toString(kind)) continue;
    const std::string guid = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const auto last = guid.rfind('/');
    const std::string shape = std::string(kProxyPrefix) + segment + "/<app>/<room>/<stream>";
    if (last == std::string::npos) return invalid(400, "the path must be " + shape);
    return endpoint(kind, guid.substr(0, last), guid.substr(last + 1), base, shape);
  }
  return invalid(404, "unknown proxy path " + std::string(path) +
                          " (expected whip/, whep/, conference/, resource/ or debug)");
}

// The marker closest to the end wins (a scope could itself contain "whip").
ProxyPath parseOriginSpelling(std::string_view path) {
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
  const Endpoint kind = marker.substr(1, 4) == "whip" ? Endpoint::Whip : Endpoint::Whep;
  const std::string segment(toString(kind));
  const std::string base = "/" + scope + "/" + segment + "/resource/";
  ProxyPath p = marker.find("resource") != std::string_view::npos
                    ? resource(tail, base)
                    : endpoint(kind, scope, tail, base, "/<app>/" + segment + "/endpoint/<stream>");
  p.originSpelling = true;
  return p;
}

}  // namespace

std::string_view toString(Endpoint e) {
  switch (e) {
    case Endpoint::Whip: return "whip";
    case Endpoint::Whep: return "whep";
    case Endpoint::Conference: return "conference";
  }
  return "";
}

std::string proxyUrl(std::string_view origin, Endpoint endpoint, std::string_view scope, std::string_view stream) {
  std::string url(origin);
  url.append(kProxyPrefix).append(toString(endpoint)).append("/").append(scope).append("/").append(stream);
  return url;
}

bool isProxyPath(std::string_view path) { return hasProxyPrefix(path) || isOriginStylePath(path); }

ProxyPath parseProxyPath(std::string_view path) {
  return hasProxyPrefix(path) ? parsePrefixed(path) : parseOriginSpelling(path);
}

}  // namespace confhost
