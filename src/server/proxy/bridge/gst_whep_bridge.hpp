#pragma once
// WhepBridge backed by confhost-whep-bridge processes (src/bridge): one process per viewer, so a
// pipeline that crashes ends one view only; each is a ChildProcess (pidfd-watched, process group,
// dies with the server).
//
// Control channel: the server listens on a fresh abstract unix socket (128-bit random name) per
// bridge, the child connects to it (its descriptors are closed at exec, so it cannot inherit one) and
// the peer's pid is checked with SO_PEERCRED before the first command. Then line-delimited JSON
// (whep_bridge_protocol.hpp), read and written asynchronously on the io_context: the server never
// waits for a bridge. Lines are bounded (kMaxLine), a bridge that sends more is killed.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "server/process/child_process.hpp"
#include "server/proxy/bridge/whep_bridge.hpp"
#include "core/media/whep_bridge_protocol.hpp"

namespace confhost {

class GstWhepBridge : public WhepBridge {
 public:
  struct Options {
    std::string program;     // confhost-whep-bridge; empty: the one next to the server's build
    std::string logPath;     // the bridges' stderr, appended; empty = /dev/null
    std::size_t maxBridges = 64;
    std::chrono::milliseconds openTimeout{15000};   // spawn → both answers
    unsigned viewerConnectTimeoutS = 30;             // passed to the bridge (--connect-timeout)
  };

  GstWhepBridge(boost::asio::io_context& io, Options options);
  ~GstWhepBridge() override;

  // Runs `<program> --check` once (blocking, startup only) to learn whether bridges can start here.
  bool available() const override { return unavailableReason_.empty(); }
  std::string unavailableReason() const override { return unavailableReason_; }

  void open(const std::string& id, const std::string& originOffer, const std::string& viewerOffer,
            Opened opened) override;
  void addViewerCandidates(const std::string& id, const std::string& sdpfrag) override;
  void close(const std::string& id) override;
  void setOnEnded(Ended ended) override { onEnded_ = std::move(ended); }

  // Shutdown: every bridge process stopped and reaped.
  void stopAll();
  std::size_t bridgeCount() const { return bridges_.size(); }
  pid_t pidOf(const std::string& id) const;  // -1 when unknown (tests)
  // The default program path: <dir of this executable>/../bridge/confhost-whep-bridge.
  static std::string defaultProgram();

 private:
  struct Bridge;
  void accepted(const std::shared_ptr<Bridge>& b);
  void readNext(const std::shared_ptr<Bridge>& b);
  void onLine(const std::shared_ptr<Bridge>& b, const std::string& line);
  void send(const std::shared_ptr<Bridge>& b, std::string line);
  void writeNext(const std::shared_ptr<Bridge>& b);
  // Removes `b`, answers what it still owes with `reason`, stops its process; `ended` tells whether
  // the proxy hears of it through the Ended callback (not when the proxy asked for the close).
  void finish(const std::shared_ptr<Bridge>& b, const std::string& reason, bool ended);

  boost::asio::io_context& io_;
  Options options_;
  std::string unavailableReason_;
  std::map<std::string, std::shared_ptr<Bridge>> bridges_;
  std::map<std::uint64_t, std::shared_ptr<ChildProcess>> stopping_;  // closed, not yet reaped
  std::uint64_t nextSerial_ = 1;
  Ended onEnded_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace confhost
