#include "server/streammanager/mixers/mixer_nodes.hpp"

#include <boost/asio/post.hpp>

#include <unistd.h>

#include <filesystem>

#include "core/protocol/names.hpp"
#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"

namespace confhost {

namespace fs = std::filesystem;

MixerNodes::MixerNodes(boost::asio::io_context& io, Options options)
    : io_(io), options_(std::move(options)), warmTimer_(io) {
  if (options_.warmNodes > 0 && !options_.warmPage.empty()) scheduleWarmNode(options_.firstWarmDelay);
}

MixerNodes::~MixerNodes() { killAll(); }

std::string MixerNodes::userDataDirOf(const std::string& mixerId) const {
  return fs::absolute(fs::path(options_.runDir) / "mixers" / mixerId).string();
}

Expected<MixerNodes::Node> MixerNodes::spawnBrowser(const std::string& dir, const std::string& url, bool warm) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Error{"mixer", "cannot create " + dir + ": " + ec.message()};

  ChildProcess::Options o;
  o.argv = {options_.browser,
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--use-gl=swiftshader",
            "--enable-unsafe-swiftshader",
            "--ignore-certificate-errors",
            "--autoplay-policy=no-user-gesture-required",
            // A hidden headless page must keep rendering and encoding at full rate.
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            "--renderer-process-limit=2",
            "--js-flags=--max-old-space-size=512",
            "--window-size=1280,720",
            "--disable-extensions",
            "--user-data-dir=" + dir};
  // The renderer sandbox stays on wherever the machine allows it: the mixing page is web content.
  // Chromium refuses to start as root with it ("Running as root without --no-sandbox is not
  // supported"): its sandbox is built to drop a normal user's privileges, not root's. Only then is it
  // turned off, and the page is limited by the origin allow-list instead (Compositions).
  if (geteuid() == 0) o.argv.push_back("--no-sandbox");
  Node node;
  if (warm) {
    auto pipe = DevToolsPipe::create(io_);
    if (!pipe) return pipe.error();
    node.devtools = pipe.value();
    o.argv.push_back("--remote-debugging-pipe");
    o.passFds = node.devtools->childFds();
  }
  o.argv.push_back(url);
  o.logPath = (fs::path(dir).parent_path() / (fs::path(dir).filename().string() + ".log")).string();
  // A warm node starts at the lowest priority: its start (a few CPU seconds) must not slow a mixer, a
  // console or Janus that has work; it is reniced to the mixers' level when it gets its mixer.
  o.niceness = warm ? 19 : options_.niceness;
  node.serial = nextSerial_++;
  node.dir = dir;
  node.startedAt = std::chrono::steady_clock::now();
  std::string error;
  const std::uint64_t serial = node.serial;
  node.process = ChildProcess::spawn(
      io_, o, [this, serial](std::string reason) { onBrowserExit(serial, reason); }, error);
  if (node.devtools) node.devtools->closeChildEnds();
  if (!node.process) {
    fs::remove_all(dir, ec);
    return Error{"mixer", error};
  }
  if (node.devtools) node.devtools->start();
  return node;
}

void MixerNodes::launch(const std::string& mixerId, const std::string& url, std::function<void(std::string)> onExit) {
  auto refuse = [this, &mixerId, &onExit](const std::string& why) {
    logError("mixer", std::string(LogText() << mixerId << " did not start: " << why));
    if (onExit) boost::asio::post(io_, [onExit, why]() { onExit("did not start: " + why); });
  };
  // The id becomes a directory name: only the name alphabet, and never a path that climbs out.
  if (!isValidName(mixerId) || mixerId.find('/') != std::string::npos) return refuse("invalid mixer id " + mixerId);
  if (mixers_.count(mixerId)) return refuse("a mixer with id " + mixerId + " is already running");
  if (static_cast<int>(mixers_.size()) >= options_.maxMixers)
    return refuse("the limit of " + std::to_string(options_.maxMixers) + " mixer nodes is reached");
  if (!isHttpUrl(url)) return refuse("the mixing page is not an http(s) URL");

  if (warm_.empty()) return launchCold(mixerId, url, std::move(onExit));
  Node node = std::move(warm_.front());
  warm_.pop_front();
  node.process->renice(options_.niceness);
  node.onExit = std::move(onExit);
  node.url = url;
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - node.startedAt);
  logInfo("mixer", std::string(LogText() << mixerId << " launched pid " << node.process->pid() << " loading "
                                         << withoutMixerSecret(url) << " (a warm node, started " << age.count()
                                         << " ms ago" << (node.sessionId.empty() ? ", still starting" : "") << ")"));
  const bool attached = !node.sessionId.empty();
  mixers_[mixerId] = std::move(node);
  if (attached) navigate(mixerId);
  scheduleWarmNode(options_.refillAfterUse);
}

void MixerNodes::launchCold(const std::string& mixerId, const std::string& url, std::function<void(std::string)> onExit) {
  auto node = spawnBrowser(userDataDirOf(mixerId), url, false);
  if (!node) {
    logError("mixer", std::string(LogText() << mixerId << " did not start: " << node.error().reason));
    const std::string why = node.error().reason;
    if (onExit) boost::asio::post(io_, [onExit, why]() { onExit("did not start: " + why); });
    return;
  }
  logInfo("mixer", std::string(LogText() << mixerId << " launched pid " << node.value().process->pid() << " loading " << withoutMixerSecret(url)));
  node.value().onExit = std::move(onExit);
  mixers_[mixerId] = std::move(node.value());
}

MixerNodes::Node* MixerNodes::findBySerial(std::uint64_t serial, std::string* mixerId) {
  for (auto& [id, node] : mixers_) {
    if (node.serial != serial) continue;
    if (mixerId) *mixerId = id;
    return &node;
  }
  for (Node& node : warm_)
    if (node.serial == serial) return &node;
  return nullptr;
}

void MixerNodes::onBrowserExit(std::uint64_t serial, const std::string& reason) {
  if (auto it = stopping_.find(serial); it != stopping_.end()) {  // we killed it: nobody is waiting for this exit
    std::error_code ec;
    fs::remove_all(it->second.dir, ec);
    stopping_.erase(it);
    return;
  }
  for (auto it = warm_.begin(); it != warm_.end(); ++it) {
    if (it->serial != serial) continue;
    std::error_code ec;
    fs::remove_all(it->dir, ec);
    if (it->devtools) it->devtools->close();
    warm_.erase(it);
    ++warmFailures_;
    logWarn("mixer", "a warm mixer node " + reason);
    scheduleWarmNode(std::chrono::milliseconds(10000));
    return;
  }
  std::string mixerId;
  Node* node = findBySerial(serial, &mixerId);
  if (!node) return;
  std::error_code ec;
  fs::remove_all(node->dir, ec);
  if (node->devtools) node->devtools->close();
  auto onExit = std::move(node->onExit);
  mixers_.erase(mixerId);
  logWarn("mixer", std::string(LogText() << mixerId << " " << reason));
  if (onExit) onExit(reason);
}

// One refill pending at a time, at the earliest time asked for: a later request never pushes it back.
void MixerNodes::scheduleWarmNode(std::chrono::milliseconds delay) {
  if (stopped_ || options_.warmNodes <= 0 || options_.warmPage.empty()) return;
  const auto at = std::chrono::steady_clock::now() + delay;
  if (warmScheduled_ && warmTimer_.expiry() <= at) return;
  warmScheduled_ = true;
  warmTimer_.expires_at(at);  // cancels the later wait, whose handler sees operation_aborted
  warmTimer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    warmScheduled_ = false;
    startWarmNode();
  });
}

void MixerNodes::startWarmNode() {
  if (stopped_ || static_cast<int>(warm_.size()) >= options_.warmNodes) return;
  if (static_cast<int>(mixers_.size()) >= options_.maxMixers) return;  // refilled when one ends
  if (warmFailures_ >= 3) {
    logWarn("mixer", "warm mixer nodes are off: three in a row ended before they got a mixer (see the warm-*.log files)");
    return;
  }
  auto node = spawnBrowser(userDataDirOf("warm-" + std::to_string(nextSerial_)), options_.warmPage, true);
  if (!node) {
    ++warmFailures_;
    logWarn("mixer", "a warm mixer node did not start: " + node.error().reason);
    return scheduleWarmNode(std::chrono::milliseconds(10000));
  }
  const std::uint64_t serial = node.value().serial;
  logInfo("mixer", std::string(LogText() << "warm node pid " << node.value().process->pid() << " loading " << options_.warmPage));
  warm_.push_back(std::move(node.value()));
  attach(serial, 150);
  if (static_cast<int>(warm_.size()) < options_.warmNodes) scheduleWarmNode(options_.refillAfterStop);
}

// The page target appears once the browser has opened its first tab; it is looked for every 200 ms
// (30 s at most), then attached to with a flat session, through which it is later navigated.
void MixerNodes::attach(std::uint64_t serial, int attemptsLeft) {
  Node* node = findBySerial(serial, nullptr);
  if (!node || !node->devtools) return;
  node->devtools->send("Target.getTargets", nlohmann::json::object(), "", [this, serial, attemptsLeft](Expected<nlohmann::json> r) {
    Node* node = findBySerial(serial, nullptr);
    if (!node) return;
    if (!r) return onAttached(serial, r.error());
    std::string targetId;
    const nlohmann::json& infos = r.value().contains("targetInfos") ? r.value()["targetInfos"] : nlohmann::json::array();
    if (infos.is_array())
      for (const nlohmann::json& t : infos)
        if (t.is_object() && t.value("type", "") == "page" && t.contains("targetId") && t["targetId"].is_string())
          targetId = t["targetId"].get<std::string>();
    if (targetId.empty()) {
      if (attemptsLeft <= 0) return onAttached(serial, Error{"Target.getTargets", "no page after 30 s"});
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(200));
      timer->async_wait([this, serial, attemptsLeft, timer](boost::system::error_code ec) {
        if (!ec) attach(serial, attemptsLeft - 1);
      });
      return;
    }
    node->devtools->send("Target.attachToTarget", {{"targetId", targetId}, {"flatten", true}}, "",
                         [this, serial](Expected<nlohmann::json> a) {
                           if (!a) return onAttached(serial, a.error());
                           const nlohmann::json& v = a.value();
                           if (!v.contains("sessionId") || !v["sessionId"].is_string())
                             return onAttached(serial, Error{"Target.attachToTarget", "no sessionId in the reply"});
                           onAttached(serial, v["sessionId"].get<std::string>());
                         });
  });
}

void MixerNodes::onAttached(std::uint64_t serial, Expected<std::string> sessionId) {
  std::string mixerId;
  Node* node = findBySerial(serial, &mixerId);
  if (!node) return;
  if (!sessionId) {
    const std::string why = sessionId.error().message();
    if (!mixerId.empty()) return giveUpWarm(mixerId, why);
    logWarn("mixer", "a warm mixer node is dropped: " + why);
    ++warmFailures_;
    for (auto it = warm_.begin(); it != warm_.end(); ++it) {
      if (it->serial != serial) continue;
      Node dropped = std::move(*it);
      warm_.erase(it);
      stop(std::move(dropped), std::chrono::milliseconds(500));
      break;
    }
    return scheduleWarmNode(std::chrono::milliseconds(10000));
  }
  node->sessionId = sessionId.value();
  warmFailures_ = 0;
  if (!mixerId.empty()) navigate(mixerId);
}

void MixerNodes::navigate(const std::string& mixerId) {
  auto it = mixers_.find(mixerId);
  if (it == mixers_.end() || !it->second.devtools) return;
  Node& node = it->second;
  if (node.navigated || node.sessionId.empty()) return;
  node.navigated = true;
  const std::uint64_t serial = node.serial;
  node.devtools->send("Page.navigate", {{"url", node.url}}, node.sessionId, [this, mixerId, serial](Expected<nlohmann::json> r) {
    auto it = mixers_.find(mixerId);
    if (it == mixers_.end() || it->second.serial != serial) return;
    std::string why = r ? r.value().value("errorText", "") : r.error().message();
    if (!why.empty()) giveUpWarm(mixerId, "navigation failed: " + why);
  });
}

// A warm node that cannot take its mixer is stopped, and the mixer is started the ordinary way.
void MixerNodes::giveUpWarm(const std::string& mixerId, const std::string& why) {
  auto it = mixers_.find(mixerId);
  if (it == mixers_.end()) return;
  logWarn("mixer", mixerId + ": its warm node " + why + "; starting a browser for it instead");
  Node node = std::move(it->second);
  mixers_.erase(it);
  const std::string url = node.url;
  auto onExit = std::move(node.onExit);
  stop(std::move(node), std::chrono::milliseconds(500));
  ++warmFailures_;
  launchCold(mixerId, url, std::move(onExit));
}

void MixerNodes::stop(Node node, std::chrono::milliseconds grace) {
  if (node.devtools) node.devtools->close();
  node.process->terminate(grace);
  const std::uint64_t serial = node.serial;
  stopping_[serial] = std::move(node);
}

void MixerNodes::kill(const std::string& mixerId) {
  auto it = mixers_.find(mixerId);
  if (it == mixers_.end()) return;
  Node node = std::move(it->second);
  mixers_.erase(it);
  // Chromium gets a moment to close its peer connections cleanly (the origin then sees a hangup at
  // once rather than an ICE timeout); the group is SIGKILLed after that. The exit callback removes the
  // user-data dir and this entry.
  stop(std::move(node), std::chrono::milliseconds(1500));
  logInfo("mixer", std::string(LogText() << mixerId << " stopping"));
  // The CPU the mixer leaves is what a new warm node's start may use.
  scheduleWarmNode(options_.refillAfterStop);
}

void MixerNodes::killAll() {
  // Shutdown: wait for every browser, so none outlives the server.
  stopped_ = true;
  warmTimer_.cancel();
  const auto stopNow = [](Node& node, std::chrono::milliseconds grace) {
    node.process->stopBlocking(grace);
    std::error_code ec;
    fs::remove_all(node.dir, ec);
  };
  for (auto& [id, node] : mixers_) stopNow(node, std::chrono::milliseconds(1500));
  mixers_.clear();
  for (Node& node : warm_) stopNow(node, std::chrono::milliseconds(500));
  warm_.clear();
  for (auto& [serial, node] : stopping_) stopNow(node, std::chrono::milliseconds(500));
  stopping_.clear();
}

pid_t MixerNodes::pidOf(const std::string& mixerId) const {
  auto it = mixers_.find(mixerId);
  return it == mixers_.end() ? -1 : it->second.process->pid();
}

}  // namespace confhost
