#pragma once
// Mixer nodes: one headless Chromium per mixer, loading the composition's mixing page.
//
// Each browser gets a fresh user-data dir under `<run-dir>/mixers/<mixerId>` (removed when it ends), the
// flags that keep an automated browser quiet (no first-run, sync or update traffic), `--autoplay-policy=no-user-gesture-required` (the page plays
// its inputs' audio and video without a click) and `--ignore-certificate-errors` (the stack's own
// certificate is self-signed). Resources are bounded: at most `maxMixers` browsers, each niced below the
// server, with a capped V8 heap and at most two renderer processes.
//
// A mixer's process ending is reported through the launch's onExit (on the io_context, never inside
// launch()); kill() stops the whole process group (SIGTERM, SIGKILL 1.5 s later, without blocking the
// server) and does not report. The destructor kills every
// mixer and waits for them: no orphans, and PR_SET_PDEATHSIG covers a server that is SIGKILLed.
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "server/process/child_process.hpp"
#include "server/streammanager/mixer_launcher.hpp"

namespace confhost {

class MixerNodes : public MixerLauncher {
 public:
  struct Options {
    std::string runDir = "run";
    std::string browser = "/usr/bin/chromium";
    int maxMixers = 8;
    int niceness = 5;
  };

  MixerNodes(boost::asio::io_context& io, Options options);
  ~MixerNodes() override;
  MixerNodes(const MixerNodes&) = delete;
  MixerNodes& operator=(const MixerNodes&) = delete;

  void launch(const std::string& mixerId, const std::string& url, std::function<void(std::string reason)> onExit) override;
  void kill(const std::string& mixerId) override;
  void killAll();

  std::size_t count() const { return mixers_.size(); }
  pid_t pidOf(const std::string& mixerId) const;

 private:
  struct Node {
    std::shared_ptr<ChildProcess> process;
    std::uint64_t serial;  // tells a relaunch with the same id apart from the browser being stopped
  };
  std::string userDataDirOf(const std::string& mixerId) const;

  boost::asio::io_context& io_;
  Options options_;
  std::uint64_t nextSerial_ = 1;
  std::map<std::string, Node> mixers_;                  // running, exits are reported
  std::map<std::uint64_t, std::shared_ptr<ChildProcess>> stopping_;  // killed, waiting for them to go
};

}  // namespace confhost
