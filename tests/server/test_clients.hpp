#pragma once
// Blocking TLS clients for the integration tests, with every wait bounded by a timeout: a WebSocket
// client that reads JSON messages until the one a test waits for arrives, and a one-shot HTTPS client.
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace confhost::test {

using namespace std::chrono_literals;

class WsClient {
 public:
  // Connects to wss://localhost:<port><target>; throws when the upgrade fails.
  WsClient(int port, const std::string& target);
  ~WsClient();

  void send(const std::string& text);
  void sendBinary(const std::string& data);
  // The next message (parsed JSON; a non-JSON frame becomes {"raw": text}), or nullopt on timeout/close.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = 5s);
  // Reads until a message of that type arrives; the ones before it are kept in skipped().
  // Throws std::runtime_error naming the type when it does not come in time.
  nlohmann::json waitFor(const std::string& type, std::chrono::milliseconds timeout = 5s);
  // A barrier: asks the server for activeStreams and returns every message that arrived before the
  // answer. The server handles one socket's messages in order on one thread, so anything it pushed to
  // this socket before handling the request is in the list.
  std::vector<nlohmann::json> sync(std::chrono::milliseconds timeout = 5s);
  // True when the server closed the socket; code/reason of its close frame.
  bool waitClosed(std::chrono::milliseconds timeout = 5s);
  int closeCode() const;
  std::string closeReason() const;
  void close();

  const std::vector<nlohmann::json>& skipped() const { return skipped_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<nlohmann::json> skipped_;
};

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One request on a fresh TLS connection; `target` is sent exactly as given (no normalisation).
HttpResult https(int port, const std::string& method, const std::string& target, const std::string& body = "",
                 const std::map<std::string, std::string>& headers = {});

// "/?testbed=conference&room=<room>&host=..&mixer=..[&hostToken=..]"
std::string conferenceTarget(const std::string& room, bool host, const std::string& hostToken = "",
                             bool mixer = false, const std::string& mixerId = "");

// The "streams" of a push; whether one of `messages` has type `type` (the room changed for a socket);
// the error text under `key` of a JSON error answer, else "<body>".
inline std::vector<std::string> streamsOf(const nlohmann::json& m) { return m["streams"].get<std::vector<std::string>>(); }
inline bool hasType(const std::vector<nlohmann::json>& messages, const std::string& type) {
  for (const auto& m : messages)
    if (m.value("type", "") == type) return true;
  return false;
}
inline std::string errorOf(const HttpResult& r, const char* key = "error") {
  const auto j = r.json();
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "<" + r.body + ">";
}

// A composition request (POST /composition body; add "type" for the createComposition message) for
// `scope` in region "local": `mixers` 640x360 mixers chained into the one named "final", each loading
// `page` (default: this stack's mixer page on `port`). Numbers are strings, as the reference host sends.
nlohmann::json compositionBody(const std::string& event, const std::string& scope, int port, int mixers = 1,
                               const std::string& page = "");

}  // namespace confhost::test
