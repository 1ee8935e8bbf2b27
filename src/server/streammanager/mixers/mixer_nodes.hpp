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
//
// Warm nodes: starting Chromium and loading the console's module is most of the time from "create" to
// "composing", so `warmNodes` browsers are kept started ahead, on the console's standby page
// (`warmPage`, the module loaded), at the lowest CPU priority. launch() hands one the mixing page's URL over
// its DevTools pipe: the same document with another fragment is a same-document navigation, so the
// mixer starts without a new page load. With none ready, launch() starts a browser as before.
// Refilling the pool costs a browser's start (seconds of CPU, some of it on threads Chromium raises
// itself), which must not land on a conference that is just starting: a new warm node is started when a
// mixer stops (`refillAfterStop`), or `refillAfterUse` after one was taken, whichever comes first.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "server/process/child_process.hpp"
#include "server/streammanager/mixers/devtools_pipe.hpp"
#include "server/streammanager/mixers/mixer_launcher.hpp"

namespace confhost {

class MixerNodes : public MixerLauncher {
 public:
  struct Options {
    std::string runDir = "run";
    std::string browser = "/usr/bin/chromium";
    int maxMixers = 8;
    int niceness = 5;
    int warmNodes = 0;
    std::string warmPage;  // the standby page a warm node loads; empty: no warm nodes
    std::chrono::milliseconds firstWarmDelay{1000}, refillAfterStop{500}, refillAfterUse{30000};
  };

  MixerNodes(boost::asio::io_context& io, Options options);
  ~MixerNodes() override;
  MixerNodes(const MixerNodes&) = delete;
  MixerNodes& operator=(const MixerNodes&) = delete;

  void launch(const std::string& mixerId, const std::string& url, std::function<void(std::string reason)> onExit) override;
  void kill(const std::string& mixerId) override;
  void killAll();

  std::size_t count() const { return mixers_.size(); }
  std::size_t warmCount() const { return warm_.size(); }
  pid_t pidOf(const std::string& mixerId) const;

 private:
  struct Node {
    std::shared_ptr<ChildProcess> process;
    std::uint64_t serial;  // tells a relaunch with the same id apart from the browser being stopped
    std::string dir;       // its user-data dir
    std::function<void(std::string)> onExit;
    // Warm nodes: the DevTools pipe, the page's session once attached, and the mixing page's URL once
    // it has a mixer (navigated to as soon as it is attached, if it was still starting).
    std::shared_ptr<DevToolsPipe> devtools;
    std::string sessionId, url;
    bool navigated = false;
    std::chrono::steady_clock::time_point startedAt;
  };
  std::string userDataDirOf(const std::string& mixerId) const;
  Expected<Node> spawnBrowser(const std::string& dir, const std::string& url, bool warm);
  void launchCold(const std::string& mixerId, const std::string& url, std::function<void(std::string)> onExit);
  void onBrowserExit(std::uint64_t serial, const std::string& reason);
  void startWarmNode();
  void scheduleWarmNode(std::chrono::milliseconds delay);
  void attach(std::uint64_t serial, int attemptsLeft);
  void onAttached(std::uint64_t serial, Expected<std::string> sessionId);
  void navigate(const std::string& mixerId);
  void giveUpWarm(const std::string& mixerId, const std::string& why);
  void stop(Node node, std::chrono::milliseconds grace);
  Node* findBySerial(std::uint64_t serial, std::string* mixerId);

  boost::asio::io_context& io_;
  Options options_;
  std::uint64_t nextSerial_ = 1;
  std::map<std::string, Node> mixers_;                  // running, exits are reported
  std::deque<Node> warm_;                               // started ahead, no mixer yet
  std::map<std::uint64_t, Node> stopping_;                // killed, waiting for them to go
  boost::asio::steady_timer warmTimer_;
  int warmFailures_ = 0;  // in a row: a browser that cannot start is not retried forever
  bool warmScheduled_ = false;
  bool stopped_ = false;
};

}  // namespace confhost
