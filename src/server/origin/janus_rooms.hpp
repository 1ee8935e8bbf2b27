#pragma once
// The origin rooms the WHIP/WHEP proxy creates on demand (a VideoRoom and/or an AudioBridge room per
// scope), so that they do not pile up: anyone may POST to a new scope, and each would otherwise leave
// a room in Janus for as long as it runs.
//  - A scope's rooms are destroyed once nothing has used them (no publisher, viewer or conference
//    join through the proxy) for `idleTimeout`.
//  - At most `maxScopes` scopes have rooms at once; a session in a further scope is refused (503)
//    until some go idle.
//  - A session that starts in a scope whose rooms are being destroyed waits for that to finish, so
//    it never joins a room that is about to vanish.
// Janus losing its state (restart) forgets every room.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/origin/janus_client.hpp"

namespace confhost {

class JanusRooms {
 public:
  struct Options {
    std::chrono::milliseconds idleTimeout{60000};
    std::size_t maxScopes = 100;
  };
  static constexpr const char* kVideoRoom = "janus.plugin.videoroom";
  static constexpr const char* kAudioBridge = "janus.plugin.audiobridge";

  // `inUse(scope)`: does the proxy still hold a session there (checked again when the timer fires).
  JanusRooms(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, Options options,
             std::function<bool(const std::string& scope)> inUse);
  ~JanusRooms();

  // False when `scope` has no rooms yet and `maxScopes` scopes already have some.
  bool admits(const std::string& scope) const;
  // A session that will create or join a room of `plugin` in `scope` starts: the idle clock stops and
  // `then` runs (at once, or after a destroy of that scope in flight has finished).
  void enter(const std::string& scope, const std::string& plugin, std::function<void()> then);
  // The proxy's last session in `scope` ended: its rooms are destroyed after `idleTimeout` unless used.
  void idle(const std::string& scope);
  // Janus restarted: its rooms are gone.
  void forgetAll();

  std::size_t scopeCount() const { return scopes_.size(); }
  std::size_t maxScopes() const { return options_.maxScopes; }
  nlohmann::json debugJson() const;

 private:
  struct Scope {
    std::vector<std::string> plugins;
    std::unique_ptr<boost::asio::steady_timer> idleTimer;
    bool destroying = false;
    std::vector<std::function<void()>> waiting;  // sessions that arrived during the destroy
  };
  void destroy(const std::string& scope);
  void destroyNext(const std::string& scope, std::vector<std::string> plugins);
  void destroyed(const std::string& scope);

  boost::asio::io_context& io_;
  std::shared_ptr<JanusClient> janus_;
  Options options_;
  std::function<bool(const std::string&)> inUse_;
  std::map<std::string, Scope> scopes_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace confhost
