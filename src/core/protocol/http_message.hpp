#pragma once
// HTTP request/response values exchanged between the core state machines and the platform's HTTP
// adapter (the browser's fetch in src/app), plus the header parsing WHIP/WHEP needs:
// case-insensitive header lookup, `Link` ICE servers (RFC 9725 section 4.6), `Location` resolution and
// the human-readable reason of an error response. No I/O here.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace confhost {

struct HttpHeader {
  std::string name;
  std::string value;
  bool operator==(const HttpHeader& o) const { return name == o.name && value == o.value; }
};
using HttpHeaders = std::vector<HttpHeader>;

// What a state machine asks the adapter to send. requestId is unique per state machine instance and
// comes back in the matching HttpResponseMessage.
struct HttpRequestMessage {
  int requestId = 0;
  std::string method;  // "POST", "PATCH", "DELETE", "GET"
  std::string url;     // absolute
  HttpHeaders headers;
  std::string body;
};

// What the adapter feeds back. A transport failure (DNS, TLS, connection refused, CORS, aborted) has
// status 0 and networkError set to the platform's message; otherwise every status, 2xx or not, is
// reported with its headers and body so the core can show the server's reason.
struct HttpResponseMessage {
  int requestId = 0;
  int status = 0;
  HttpHeaders headers;
  std::string body;
  std::string networkError;
};

// An ICE server as RTCPeerConnection takes it (one URL per entry).
struct IceServer {
  std::string urls;        // "stun:host:3478", "turn:host?transport=udp"
  std::string username;    // "" when none
  std::string credential;  // "" when none
  bool operator==(const IceServer& o) const {
    return urls == o.urls && username == o.username && credential == o.credential;
  }
};

// First header of that name (case-insensitive), if any.
std::optional<std::string> findHeader(const HttpHeaders& headers, std::string_view name);
// Every header of that name, in order (Link may be repeated).
std::vector<std::string> findHeaders(const HttpHeaders& headers, std::string_view name);

// ICE servers from every `Link: <stun:...>; rel="ice-server"; username="u"; credential="c"` header,
// whether repeated or comma-separated in one header. Links with another rel are skipped; quoted values
// may contain commas and semicolons.
std::vector<IceServer> parseIceServerLinks(const HttpHeaders& headers);

// Resolves a Location header against the URL the request went to: absolute URLs are kept,
// "//host/p" takes the base's scheme, "/p" the base's origin, "p" or "../p" the base's directory.
std::string resolveUrl(std::string_view base, std::string_view reference);

// "409 Conflict: stream name already publishing": the status line plus the server's reason, taken from
// a JSON body's `errorMessage`, `error` or `message` field, or from a short plain-text body.
// A network error reads "network error: <message>".
std::string httpErrorReason(const HttpResponseMessage& response);
// "Not Found" for 404, "" for an unknown code.
std::string_view httpReasonPhrase(int status);

}  // namespace confhost
