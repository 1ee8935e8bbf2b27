#pragma once
// Which proxy URL a request names. Two spellings reach the same endpoints:
//   Stream Manager 2.0 proxy paths:                 Red5 Pro origin paths (what red5pro-webrtc-sdk builds):
//   /as/v1/proxy/whip/<scope>/<stream>              /<scope>/whip/endpoint/<stream>
//   /as/v1/proxy/whep/<scope>/<stream>              /<scope>/whep/endpoint/<stream>
//   /as/v1/proxy/resource/<id>                      /<scope>/whip/resource/<id>, /<scope>/whep/resource/<id>
//   /as/v1/proxy/conference/<scope>/<stream>
//   /as/v1/proxy/debug
// where <scope> is "<app>/<room>" or any name with slashes (`live/room1`). A resource created through
// one spelling gets its Location in the same spelling; either spelling reaches any resource.
#include <string>
#include <string_view>

namespace confhost {

struct ProxyPath {
  enum class Kind { Whip, Whep, Conference, Resource, Debug, Invalid };
  Kind kind = Kind::Invalid;
  std::string scope, stream;  // endpoints
  std::string id;             // resources
  std::string resourceBase;   // where resources created here live, e.g. "/as/v1/proxy/resource/"
  int status = 0;             // Invalid: 404 (no such endpoint) or 400 (a bad name), with `problem`
  std::string problem;
};

inline constexpr std::string_view kProxyPrefix = "/as/v1/proxy/";

// `path` is the request target without its query.
ProxyPath parseProxyPath(std::string_view path);

// True for the Red5 origin spelling (".../whip/endpoint/...", ".../whep/resource/...", ...), so the
// router can send those paths to the proxy.
bool isOriginStylePath(std::string_view path);

}  // namespace confhost
