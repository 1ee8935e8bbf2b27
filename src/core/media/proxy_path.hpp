#pragma once
// The proxy's URLs, built by the client and parsed by the server. Two spellings reach the same
// endpoints:
//   Stream Manager 2.0 proxy paths:                 Red5 Pro origin paths (what red5pro-webrtc-sdk builds):
//   <prefix>whip/<scope>/<stream>                   /<scope>/whip/endpoint/<stream>
//   <prefix>whep/<scope>/<stream>                   /<scope>/whep/endpoint/<stream>
//   <prefix>resource/<id>                           /<scope>/whip/resource/<id>, /<scope>/whep/resource/<id>
//   <prefix>conference/<scope>/<stream>
//   <prefix>debug
// where <prefix> is kProxyPrefix and <scope> is "<app>/<room>" or any name with slashes
// (`live/room1`). A resource created through one spelling gets its Location in the same spelling;
// either spelling reaches any resource.
#include <string>
#include <string_view>

namespace confhost {

inline constexpr std::string_view kProxyPrefix = "/as/v1/proxy/";

// What a media session asks of the proxy: publish (WHIP), play (WHEP), or join a conference's
// mix-minus audio (sendrecv, AudioBridge).
enum class Endpoint { Whip, Whep, Conference };
std::string_view toString(Endpoint);  // "whip", "whep", "conference": its path segment

// "<origin><prefix><endpoint>/<scope>/<stream>"
std::string proxyUrl(std::string_view origin, Endpoint endpoint, std::string_view scope, std::string_view stream);

struct ProxyPath {
  enum class Kind { Endpoint, Resource, Debug, Invalid };
  Kind kind = Kind::Invalid;
  Endpoint endpoint = Endpoint::Whip;  // Kind::Endpoint
  std::string scope, stream;           // Kind::Endpoint
  std::string id;                      // Kind::Resource
  std::string resourceBase;            // where resources created here live, e.g. "<prefix>resource/"
  bool originSpelling = false;         // the Red5 origin spelling
  int status = 0;                      // Invalid: 404 (no such endpoint) or 400 (a bad name), with `problem`
  std::string problem;
};

// `path` is the request target without its query.
ProxyPath parseProxyPath(std::string_view path);

// Whether `path` is for the proxy at all, in either spelling (the router sends it there).
bool isProxyPath(std::string_view path);

}  // namespace confhost
