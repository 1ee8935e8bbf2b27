#include "server/streammanager/mixer_nodes.hpp"

#include <boost/asio/post.hpp>

#include <unistd.h>

#include <filesystem>

#include "core/protocol/names.hpp"
#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"

namespace confhost {

namespace fs = std::filesystem;

MixerNodes::MixerNodes(boost::asio::io_context& io, Options options) : io_(io), options_(std::move(options)) {}

MixerNodes::~MixerNodes() { killAll(); }

std::string MixerNodes::userDataDirOf(const std::string& mixerId) const {
  return fs::absolute(fs::path(options_.runDir) / "mixers" / mixerId).string();
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

  const std::string dir = userDataDirOf(mixerId);
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return refuse("cannot create " + dir + ": " + ec.message());

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
  o.argv.push_back(url);
  o.logPath = (fs::path(dir).parent_path() / (mixerId + ".log")).string();
  o.niceness = options_.niceness;
  std::string error;
  const std::uint64_t serial = nextSerial_++;
  auto child = ChildProcess::spawn(
      io_, o,
      [this, mixerId, dir, serial, onExit](std::string reason) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        if (stopping_.erase(serial)) return;  // we killed it: nobody is waiting for this exit
        auto it = mixers_.find(mixerId);
        if (it == mixers_.end() || it->second.serial != serial) return;
        mixers_.erase(it);
        logWarn("mixer", std::string(LogText() << mixerId << " " << reason));
        if (onExit) onExit(reason);
      },
      error);
  if (!child) return refuse(error);
  logInfo("mixer", std::string(LogText() << mixerId << " launched pid " << child->pid() << " loading " << withoutMixerSecret(url)));
  mixers_[mixerId] = Node{std::move(child), serial};
}

void MixerNodes::kill(const std::string& mixerId) {
  auto it = mixers_.find(mixerId);
  if (it == mixers_.end()) return;
  Node node = std::move(it->second);
  mixers_.erase(it);
  // Chromium gets a moment to close its peer connections cleanly (the origin then sees a hangup at
  // once rather than an ICE timeout); the group is SIGKILLed after that. The exit callback removes the
  // user-data dir and this entry.
  node.process->terminate(std::chrono::milliseconds(1500));
  stopping_[node.serial] = std::move(node.process);
  logInfo("mixer", std::string(LogText() << mixerId << " stopping"));
}

void MixerNodes::killAll() {
  // Shutdown: wait for every browser, so none outlives the server.
  for (auto& [id, node] : mixers_) {
    node.process->stopBlocking(std::chrono::milliseconds(1500));
    std::error_code ec;
    fs::remove_all(userDataDirOf(id), ec);
  }
  mixers_.clear();
  for (auto& [serial, process] : stopping_) process->stopBlocking(std::chrono::milliseconds(500));
  stopping_.clear();
}

pid_t MixerNodes::pidOf(const std::string& mixerId) const {
  auto it = mixers_.find(mixerId);
  return it == mixers_.end() ? -1 : it->second.process->pid();
}

}  // namespace confhost
