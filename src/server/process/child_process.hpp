#pragma once
// One child process of the server (Janus, or a mixer's Chromium), watched on the io_context.
//
// Why not boost::process: it reaps through a process-wide SIGCHLD handler that would also reap
// children other parts of the server own. A pidfd per child lets each owner wait for exactly its own
// process on the one io_context, with no signal handling at all.
//
// No orphans: the child gets PR_SET_PDEATHSIG(SIGKILL), so it dies with the server even when the
// server is SIGKILLed; it runs in its own process group so that stopping it also stops whatever it
// forked (Chromium's zygote and renderers); the destructor SIGKILLs the group and reaps it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace confhost {

class ChildProcess : public std::enable_shared_from_this<ChildProcess> {
 public:
  struct Options {
    std::vector<std::string> argv;  // argv[0] is the executable path (no PATH search)
    std::string logPath;            // stdout+stderr appended here; empty = /dev/null
    int niceness = 0;               // added to the child's nice value (mixers run below the server)
    // Descriptors the child gets as 3, 4, … (a DevTools pipe); every other server descriptor is closed.
    std::vector<int> passFds;
  };
  // Called once, on the io_context, with a sentence like "exited with status 1" or "killed by signal 9".
  using OnExit = std::function<void(std::string reason)>;

  // Starts the process. On failure returns nullptr and sets `error`.
  static std::shared_ptr<ChildProcess> spawn(boost::asio::io_context& io, const Options& options, OnExit onExit,
                                             std::string& error);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sets the nice value of the whole group (a warm browser is niced further until it gets work).
  void renice(int niceness);
  bool running() const { return running_; }
  // SIGTERM to the group now, SIGKILL after `grace` if it is still there. onExit still fires.
  void terminate(std::chrono::milliseconds grace);
  // Shutdown path: SIGTERM, wait up to `grace` for it to exit, then SIGKILL; returns when it is reaped.
  // onExit is not called.
  void stopBlocking(std::chrono::milliseconds grace);
  // Forget the exit callback (the owner is tearing it down and does not want to hear about it).
  void dropExitCallback() { onExit_ = nullptr; }

 private:
  ChildProcess(boost::asio::io_context& io, pid_t pid, int pidfd, OnExit onExit);
  void waitForExit();
  void reap();

  pid_t pid_;
  boost::asio::posix::stream_descriptor pidfd_;
  boost::asio::steady_timer killTimer_;
  OnExit onExit_;
  bool running_ = true;
};

}  // namespace confhost
