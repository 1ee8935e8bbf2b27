#include "server/proxy/bridge/gst_whep_bridge.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <utility>

#include "core/protocol/overloaded.hpp"
#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"
#include "server/security/random_token.hpp"

extern char** environ;

namespace confhost {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

struct GstWhepBridge::Bridge {
  Bridge(asio::io_context& io) : acceptor(io), socket(io), timer(io), readBuffer(bridge::kMaxLine + 1) {}
  std::string id;
  std::uint64_t serial = 0;
  std::shared_ptr<ChildProcess> process;
  local::acceptor acceptor;
  local::socket socket;
  asio::steady_timer timer;  // open deadline
  asio::streambuf readBuffer;
  std::deque<std::string> writes;
  bool connected = false, writing = false, done = false;
  Opened opened;        // until the answers (or a failure) arrive
};

namespace {

// Hands `result` to the callback waiting in `slot`, which is emptied: each is answered once, and never
// from inside the call that settled it.
template <class Callback, class Result>
void settle(asio::io_context& io, Callback& slot, Result result) {
  asio::post(io, [cb = std::exchange(slot, nullptr), result = std::move(result)]() { cb(result); });
}

// `<program> --check`: ok when every GStreamer element a bridge needs is installed, else why not.
Status checkProgram(const std::string& program) {
  if (access(program.c_str(), X_OK) != 0)
    return Error{"", "the WHEP bridge program " + program + " is not there (build it: it needs GStreamer's webrtcbin)"};
  int out[2];
  if (pipe(out) != 0) return Error{"", "pipe failed"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("--check"), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string output;
  char buf[512];
  for (ssize_t n; rc == 0 && (n = read(out[0], buf, sizeof buf)) > 0;) output.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  if (rc != 0) return Error{"", program + " would not start"};
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return Error{"", program + " --check failed: " + (output.empty() ? "no reason given" : output)};
}

}  // namespace

std::string GstWhepBridge::defaultProgram() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "confhost-whep-bridge";
  return (exe.parent_path().parent_path() / "bridge" / "confhost-whep-bridge").string();
}

GstWhepBridge::GstWhepBridge(asio::io_context& io, Options options) : io_(io), options_(std::move(options)) {
  if (options_.program.empty()) options_.program = defaultProgram();
  if (auto checked = checkProgram(options_.program); !checked) unavailableReason_ = checked.error().message();
}

GstWhepBridge::~GstWhepBridge() {
  *alive_ = false;
  stopAll();
}

void GstWhepBridge::stopAll() {
  auto all = std::move(bridges_);
  bridges_.clear();
  for (auto& [id, b] : all) {
    b->done = true;
    b->timer.cancel();
    boost::system::error_code ec;
    b->socket.close(ec);
    b->acceptor.close(ec);
    if (b->process) b->process->stopBlocking(std::chrono::milliseconds(1000));
  }
  for (auto& [serial, process] : stopping_) process->stopBlocking(std::chrono::milliseconds(500));
  stopping_.clear();
}

pid_t GstWhepBridge::pidOf(const std::string& id) const {
  auto it = bridges_.find(id);
  return it == bridges_.end() || !it->second->process ? -1 : it->second->process->pid();
}

void GstWhepBridge::open(const std::string& id, const std::string& originOffer, const std::string& viewerOffer,
                         Opened opened) {
  auto refuse = [&](const std::string& why) { settle(io_, opened, Error{"bridge", why}); };
  if (!available()) return refuse(unavailableReason_);
  if (bridges_.count(id)) return refuse("a bridge for this resource is already open");
  if (bridges_.size() >= options_.maxBridges)
    return refuse("the limit of " + std::to_string(options_.maxBridges) + " bridged WHEP viewers is reached");

  auto b = std::make_shared<Bridge>(io_);
  b->id = id;
  b->serial = nextSerial_++;
  b->opened = std::move(opened);
  // A fresh unguessable abstract socket name: nothing on the file system to clean up, and no other
  // process can connect first without guessing 128 bits (the peer's pid is checked as well).
  const std::string name = "confhost-whep-" + randomToken(16);
  boost::system::error_code ec;
  b->acceptor.open(local(), ec);
  if (!ec) b->acceptor.bind(local::endpoint(std::string(1, '\0') + name), ec);
  if (!ec) b->acceptor.listen(1, ec);
  if (ec) return settle(io_, b->opened, Error{"bridge", "control socket: " + ec.message()});

  ChildProcess::Options o;
  o.argv = {options_.program, "--connect", name, "--connect-timeout", std::to_string(options_.viewerConnectTimeoutS)};
  o.logPath = options_.logPath;
  std::weak_ptr<Bridge> weak = b;
  auto alive = alive_;
  const std::uint64_t serial = b->serial;
  std::string error;
  b->process = ChildProcess::spawn(
      io_, o,
      [this, weak, alive, serial](std::string reason) {
        if (!*alive) return;
        if (stopping_.erase(serial)) return;  // we stopped it: nobody waits for this exit
        if (auto b = weak.lock()) finish(b, "the bridge process " + reason, true);
      },
      error);
  if (!b->process) return settle(io_, b->opened, Error{"bridge", "cannot start the bridge: " + error});
  bridges_[id] = b;
  logInfo("whep-bridge", std::string(LogText() << "bridge #" << b->serial << " started, pid " << b->process->pid()));
  send(b, bridge::formatCommand(bridge::Open{originOffer, viewerOffer}));

  b->timer.expires_after(options_.openTimeout);
  b->timer.async_wait([this, weak, alive](boost::system::error_code e) {
    if (e || !*alive) return;
    if (auto b = weak.lock(); b && b->opened)
      finish(b, "the bridge did not answer within " +
                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.openTimeout).count()) + " s",
             false);
  });
  b->acceptor.async_accept(b->socket, [this, weak, alive](boost::system::error_code e) {
    if (!*alive) return;
    auto b = weak.lock();
    if (!b || b->done) return;
    if (e) return finish(b, "the bridge never connected: " + e.message(), true);
    accepted(b);
  });
}

void GstWhepBridge::accepted(const std::shared_ptr<Bridge>& b) {
  boost::system::error_code ec;
  b->acceptor.close(ec);
  ucred peer{};
  socklen_t len = sizeof peer;
  if (getsockopt(b->socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || peer.pid != b->process->pid())
    return finish(b, "a process other than the bridge connected to its control socket", true);
  b->connected = true;
  writeNext(b);
  readNext(b);
}

void GstWhepBridge::send(const std::shared_ptr<Bridge>& b, std::string line) {
  b->writes.push_back(std::move(line));
  writeNext(b);
}

void GstWhepBridge::writeNext(const std::shared_ptr<Bridge>& b) {
  if (!b->connected || b->writing || b->writes.empty() || b->done) return;
  b->writing = true;
  std::weak_ptr<Bridge> weak = b;
  auto alive = alive_;
  asio::async_write(b->socket, asio::buffer(b->writes.front()),
                    [this, weak, alive](boost::system::error_code ec, std::size_t) {
                      if (!*alive) return;
                      auto b = weak.lock();
                      if (!b || b->done) return;
                      b->writing = false;
                      b->writes.pop_front();
                      if (ec) return finish(b, "the bridge's control channel broke: " + ec.message(), true);
                      writeNext(b);
                    });
}

void GstWhepBridge::readNext(const std::shared_ptr<Bridge>& b) {
  std::weak_ptr<Bridge> weak = b;
  auto alive = alive_;
  asio::async_read_until(b->socket, b->readBuffer, '\n', [this, weak, alive](boost::system::error_code ec, std::size_t n) {
    if (!*alive) return;
    auto b = weak.lock();
    if (!b || b->done) return;
    if (ec == asio::error::not_found) return finish(b, "the bridge sent a line longer than its limit", true);
    if (ec) return finish(b, "the bridge closed its control channel", true);
    std::string line(asio::buffers_begin(b->readBuffer.data()), asio::buffers_begin(b->readBuffer.data()) + n - 1);
    b->readBuffer.consume(n);
    onLine(b, line);
    if (!b->done) readNext(b);
  });
}

void GstWhepBridge::onLine(const std::shared_ptr<Bridge>& b, const std::string& line) {
  auto event = bridge::parseEvent(line);
  if (!event) return finish(b, "the bridge sent an unreadable event (" + event.error().message() + ")", true);
  const std::string who = std::string(LogText() << "bridge #" << b->serial);
  std::visit(Overloaded{
                 [&](const bridge::Opened& o) {
                   if (!b->opened) return logWarn("whep-bridge", who + " answered twice");
                   b->timer.cancel();
                   logInfo("whep-bridge", who + " answered the origin and the viewer");
                   settle(io_, b->opened, Answers{o.originAnswer, o.viewerAnswer});
                 },
                 [&](const bridge::OpenFailed& f) { finish(b, f.error, false); },
                 [&](const bridge::Refused& x) { logWarn("whep-bridge", who + " refused a command: " + x.error); },
                 [&](const bridge::State& s) { logInfo("whep-bridge", who + ": " + s.what); },
                 [&](const bridge::Ended& e) { finish(b, e.reason, true); },
             },
             *event);
}

void GstWhepBridge::finish(const std::shared_ptr<Bridge>& b, const std::string& reason, bool ended) {
  if (b->done) return;
  b->done = true;
  auto it = bridges_.find(b->id);
  if (it != bridges_.end() && it->second == b) bridges_.erase(it);
  b->timer.cancel();
  logInfo("whep-bridge", std::string(LogText() << "bridge #" << b->serial << " ends: " << reason));
  if (b->process && b->process->running()) {
    // The bridge exits by itself on close or when its channel closes; SIGKILL if it lingers.
    b->process->terminate(std::chrono::milliseconds(1000));
    stopping_[b->serial] = b->process;
  }
  boost::system::error_code ec;
  b->socket.close(ec);
  b->acceptor.close(ec);
  const std::string id = b->id;
  if (b->opened) return settle(io_, b->opened, Error{"bridge", reason});  // a failed open, not an end
  if (ended && onEnded_) asio::post(io_, [cb = onEnded_, id, reason, alive = alive_]() {
    if (*alive) cb(id, reason);
  });
}

void GstWhepBridge::addViewerCandidates(const std::string& id, const std::string& sdpfrag) {
  auto it = bridges_.find(id);
  if (it == bridges_.end()) return;
  send(it->second, bridge::formatCommand(bridge::Candidates{sdpfrag}));
}

void GstWhepBridge::close(const std::string& id) {
  auto it = bridges_.find(id);
  if (it == bridges_.end()) return;
  auto b = it->second;
  // Best effort: the close command ends the pipeline cleanly; finish() SIGTERMs it anyway.
  if (b->connected && !b->writing) {
    boost::system::error_code ec;
    const std::string line = bridge::formatCommand(bridge::Close{});
    b->socket.non_blocking(true, ec);
    b->socket.write_some(asio::buffer(line), ec);
  }
  finish(b, "closed by the proxy", false);
}

}  // namespace confhost
