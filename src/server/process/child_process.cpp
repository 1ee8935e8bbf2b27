#include "server/process/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace confhost {

namespace {

std::string describeStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "ended (wait status " + std::to_string(status) + ")";
}

}  // namespace

std::shared_ptr<ChildProcess> ChildProcess::spawn(boost::asio::io_context& io, const Options& options, OnExit onExit,
                                                  std::string& error) {
  if (options.argv.empty()) {
    error = "no command given";
    return nullptr;
  }
  if (access(options.argv[0].c_str(), X_OK) != 0) {
    error = options.argv[0] + " is not executable: " + strerror(errno);
    return nullptr;
  }
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const char* logPath = options.logPath.empty() ? "/dev/null" : options.logPath.c_str();
  const pid_t parent = getpid();
  const std::vector<int> passFds = options.passFds;
  const int firstClosed = 3 + static_cast<int>(passFds.size());

  const pid_t pid = fork();
  if (pid < 0) {
    error = std::string("fork failed: ") + strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the server died between fork and prctl
    setpgid(0, 0);
    const int out = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    if (in >= 0) dup2(in, STDIN_FILENO);
    // Moved out of the way first, so that placing one at 3 + i never overwrites another still to place.
    int moved[16];
    const std::size_t passCount = passFds.size() < 16 ? passFds.size() : 16;
    for (std::size_t i = 0; i < passCount; ++i) moved[i] = fcntl(passFds[i], F_DUPFD_CLOEXEC, 64);
    for (std::size_t i = 0; i < passCount; ++i) dup2(moved[i], 3 + static_cast<int>(i));  // dup2 clears CLOEXEC
    // The server's own descriptors (listening socket, client sockets, Janus socket) must not leak into
    // the child. The server raises RLIMIT_NOFILE, so they are not all below 1024: close_range takes
    // them all; on a kernel without it (before 5.9), close up to the limit.
    if (syscall(SYS_close_range, static_cast<unsigned>(firstClosed), ~0u, 0u) != 0) {
      rlimit lim{};
      const long top = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
                           ? static_cast<long>(lim.rlim_cur) : 65536;
      for (long fd = firstClosed; fd < top; ++fd) close(static_cast<int>(fd));
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // The server ignores SIGPIPE; an ignored disposition survives exec, and the child expects the default.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    if (options.niceness != 0) setpriority(PRIO_PROCESS, 0, options.niceness);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so kill(-pid) works even before the child ran
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));  // glibc's wrapper is not in libc here
  if (pidfd < 0) {
    error = std::string("pidfd_open failed: ") + strerror(errno);
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return nullptr;
  }
  std::shared_ptr<ChildProcess> child(new ChildProcess(io, pid, pidfd, std::move(onExit)));
  child->waitForExit();
  return child;
}

ChildProcess::ChildProcess(boost::asio::io_context& io, pid_t pid, int pidfd, OnExit onExit)
    : pid_(pid), pidfd_(io, pidfd), killTimer_(io), onExit_(std::move(onExit)) {}

ChildProcess::~ChildProcess() {
  if (running_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::waitForExit() {
  std::weak_ptr<ChildProcess> weak = shared_from_this();
  pidfd_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [weak](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the owner destroyed us
    if (auto self = weak.lock()) self->reap();
  });
}

void ChildProcess::reap() {
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) {  // spurious wake-up
    waitForExit();
    return;
  }
  running_ = false;
  killTimer_.cancel();
  // Whatever the leader left behind in its group goes with it.
  ::kill(-pid_, SIGKILL);
  auto onExit = std::move(onExit_);
  onExit_ = nullptr;
  if (onExit) onExit(r < 0 ? std::string("ended (") + strerror(errno) + ")" : describeStatus(status));
}

void ChildProcess::renice(int niceness) {
  if (running_) setpriority(PRIO_PGRP, static_cast<id_t>(pid_), niceness);
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (!running_) return;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  killTimer_.expires_after(grace);
  std::weak_ptr<ChildProcess> weak = shared_from_this();
  killTimer_.async_wait([weak](boost::system::error_code ec) {
    if (ec) return;
    auto self = weak.lock();
    if (self && self->running_) {
      ::kill(-self->pid_, SIGKILL);
      ::kill(self->pid_, SIGKILL);
    }
  });
}

}  // namespace confhost

namespace confhost {

void ChildProcess::stopBlocking(std::chrono::milliseconds grace) {
  onExit_ = nullptr;
  if (!running_) return;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      running_ = false;
      break;
    }
    usleep(10 * 1000);  // shutdown only: polling the exit beats blocking the server forever
  }
  ::kill(-pid_, SIGKILL);
  if (running_) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    running_ = false;
  }
  killTimer_.cancel();
  boost::system::error_code ec;
  pidfd_.cancel(ec);
}

}  // namespace confhost
