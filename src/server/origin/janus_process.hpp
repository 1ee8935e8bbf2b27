#pragma once
// The origin media server's lifecycle: writes a Janus config into `<run-dir>/janus/`,
// starts `janus -F <that dir>`, connects the JanusClient once the API answers, restarts Janus when it
// dies (with backoff, so a Janus that cannot start does not spin), and stops it on exit.
//
// The generated config loads only the videoroom, audiobridge and streaming plugins (string room ids,
// so a scope is a room id) and only the WebSocket transport, plain ws bound to 127.0.0.1 with the admin
// API off: the origin's control API is never reachable from outside the machine. ICE gathers only on
// the media interface (Janus never gathers on loopback), mDNS candidates are ignored (Janus learns the
// browser's address from its connectivity checks) and RTP uses ports 20000-20999.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "server/process/child_process.hpp"
#include "server/origin/janus_client.hpp"

namespace confhost {

class JanusProcess {
 public:
  struct Options {
    std::string runDir = "run";
    std::string mediaInterface;  // empty: the default-route interface
    unsigned short wsPort = 8188;
    std::string binary = "/usr/bin/janus";
    std::string libDir = "/usr/lib/x86_64-linux-gnu/janus";
  };

  JanusProcess(boost::asio::io_context& io, Options options, std::shared_ptr<JanusClient> client);
  ~JanusProcess();
  JanusProcess(const JanusProcess&) = delete;
  JanusProcess& operator=(const JanusProcess&) = delete;

  // Writes the config and starts Janus. `ready` is called once, when the API first answers (ok) or the
  // first start failed (the reason). Later restarts are logged only.
  void start(std::function<void(Status)> ready);
  // Closes the client, SIGTERMs Janus (SIGKILL after 2 s) and waits for it. Idempotent.
  void stop();
  pid_t pid() const { return child_ ? child_->pid() : -1; }
  const std::string& mediaInterface() const { return options_.mediaInterface; }

  // The default-route interface from /proc/net/route ("" when there is none).
  static std::string defaultRouteInterface();

 private:
  Status writeConfig();
  void launch();
  void exited(const std::string& reason);

  boost::asio::io_context& io_;
  Options options_;
  std::shared_ptr<JanusClient> client_;
  std::shared_ptr<ChildProcess> child_;
  boost::asio::steady_timer restartTimer_;
  std::function<void(Status)> ready_;
  std::chrono::milliseconds backoff_{250};
  std::chrono::steady_clock::time_point launchedAt_;
  bool stopping_ = false;
  int restarts_ = 0;
};

}  // namespace confhost
