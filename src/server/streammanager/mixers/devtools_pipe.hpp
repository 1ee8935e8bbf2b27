#pragma once
// The server's end of Chromium's --remote-debugging-pipe: DevTools protocol messages, each a JSON text
// ended by a NUL byte, written to the browser's fd 3 and read from its fd 4. Only what a warm mixer node
// needs is used (find the page, attach to it, navigate it), so replies are matched to their command by id
// and events are dropped.
//
// Why a pipe and not --remote-debugging-port: a port is reachable by anything on the machine that can
// connect to loopback, and the mixing page's URL carries the mixer's secret; a pipe is only the server's.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost {

class DevToolsPipe : public std::enable_shared_from_this<DevToolsPipe> {
 public:
  // The command's `result`, or an error naming the method and the browser's message (or the closed pipe).
  using Reply = std::function<void(Expected<nlohmann::json>)>;

  // Two pipes; childFds() are what the browser gets as its fds 3 and 4 (the server closes its copies
  // of them once the child is started: closeChildEnds()).
  static Expected<std::shared_ptr<DevToolsPipe>> create(boost::asio::io_context& io);
  ~DevToolsPipe();
  DevToolsPipe(const DevToolsPipe&) = delete;
  DevToolsPipe& operator=(const DevToolsPipe&) = delete;

  std::vector<int> childFds() const { return {childRead_, childWrite_}; }
  void closeChildEnds();
  void start();  // begins reading replies
  // `sessionId` empty: a command to the browser itself; otherwise to the attached target.
  void send(const std::string& method, nlohmann::json params, const std::string& sessionId, Reply reply);
  // Every pending reply gets an error; later sends fail at once.
  void close();

 private:
  DevToolsPipe(boost::asio::io_context& io, int toBrowser, int fromBrowser, int childRead, int childWrite);
  void readSome();
  void deliver(const std::string& text);
  void writeNext();
  void failAll(const std::string& why);

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor toBrowser_, fromBrowser_;
  int childRead_, childWrite_;
  std::array<char, 8192> buffer_{};
  std::string partial_;
  std::deque<std::string> outbox_;
  bool writing_ = false, closed_ = false;
  std::int64_t nextId_ = 1;
  std::map<std::int64_t, std::pair<std::string, Reply>> pending_;  // id → (method, reply)
};

}  // namespace confhost
