#include "test_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

extern char** environ;

#include "server/site/file_digests.hpp"

namespace confhost::test {

namespace fs = std::filesystem;

namespace {

enum class ReadResult { Data, Eof, Timeout };

// Reads what is available on fd into out, waiting at most timeoutMs.
ReadResult readSome(int fd, std::string& out, int timeoutMs) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeoutMs) <= 0) return ReadResult::Timeout;
  char buf[4096];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n <= 0) return ReadResult::Eof;
  out.append(buf, static_cast<std::size_t>(n));
  return ReadResult::Data;
}

}  // namespace

TestServer::TestServer(std::vector<std::string> extraArgs) {
  char tmpl[] = "/tmp/confhost-server-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  webRoot_ = dir_ + "/site";
  fs::create_directories(webRoot_ + "/sub");
  std::ofstream(webRoot_ + "/index.html") << "<!doctype html><title>confhost test</title>";
  std::ofstream(webRoot_ + "/confhost.js") << "console.log('hi');";
  std::ofstream(webRoot_ + "/confhost.wasm", std::ios::binary) << std::string("\0asm\1\0\0\0", 8);
  std::ofstream(webRoot_ + "/sub/index.html") << "sub index";
  std::ofstream(dir_ + "/secret.txt") << "TOP SECRET";
  fs::create_symlink(dir_ + "/secret.txt", webRoot_ + "/escape.txt");
  writeCompressedVariants();

  // Defaults, unless the test gives that flag itself; a flag given with "" is left out entirely (so
  // `{"--host-token", ""}` makes the server generate one).
  const auto given = [&](const std::string& flag) {
    return std::find(extraArgs.begin(), extraArgs.end(), flag) != extraArgs.end();
  };
  std::vector<std::string> args = {CONFHOST_SERVER_BINARY, "--port", "0", "--no-janus",
                                   "--run-dir", dir_ + "/run", "--web-root", webRoot_, "--log-level", "warn"};
  // Mixer nodes stay off unless the test names the "browser" they run (tests/server/recording_browser.hpp).
  if (!given("--mixer-browser")) args.push_back("--no-mixers");
  // A warm node would be one more launch of the recording browser; the tests that want one ask for it.
  if (!given("--warm-mixers")) args.insert(args.end(), {"--warm-mixers", "0"});
  if (!given("--host-token")) args.insert(args.end(), {"--host-token", kHostToken});
  if (!given("--sm-token")) args.insert(args.end(), {"--sm-token", kSmToken});
  if (!given("--webhook-secret")) args.insert(args.end(), {"--webhook-secret", kWebhookSecret});
  if (!given("--webhook-token")) args.insert(args.end(), {"--webhook-token", kWebhookToken});
  for (std::size_t i = 0; i < extraArgs.size(); ++i) {
    if (i + 1 < extraArgs.size() && extraArgs[i + 1].empty()) {
      ++i;
      continue;
    }
    args.push_back(extraArgs[i]);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipeFds[2];
  if (pipe(pipeFds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipeFds[1]);
  stdoutFd_ = pipeFds[0];
  if (rc != 0) throw std::runtime_error(std::string("cannot start ") + CONFHOST_SERVER_BINARY);

  // Wait for the announcement line (the listener is up before it is printed).
  const std::regex menu("Testbed menu: https://localhost:([0-9]+)/");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::smatch m;
  while (!std::regex_search(stdout_, m, menu) || stdout_.find("Host token:") == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || readSome(stdoutFd_, stdout_, static_cast<int>(left.count())) != ReadResult::Data) {
      stop(2000);
      throw std::runtime_error("confhost-server did not announce itself; stdout: " + stdout_);
    }
  }
  port_ = std::stoi(m[1]);
}

// Build-time variants as the web build writes them (the server never decodes them, so their bytes are
// markers a test can recognise), a fingerprinted module, and variants the server must not use.
void TestServer::writeCompressedVariants() {
  std::ofstream(webRoot_ + "/confhost.js.gz", std::ios::binary) << kGzipMarker;
  std::ofstream(webRoot_ + "/confhost.js.br", std::ios::binary) << kBrotliMarker;
  std::ofstream(webRoot_ + "/only-gzip.txt") << "only gzip here";
  std::ofstream(webRoot_ + "/only-gzip.txt.gz", std::ios::binary) << kGzipMarker;

  const std::string module = std::string("\0asm\1\0\0\0", 8) + "fingerprinted";
  std::ofstream(webRoot_ + "/module.wasm", std::ios::binary) << module;
  const std::string hash = FileDigests().sha256Hex(webRoot_ + "/module.wasm").value();
  fingerprintedName_ = "module." + hash.substr(0, 16) + ".wasm";
  fs::rename(webRoot_ + "/module.wasm", webRoot_ + "/" + fingerprintedName_);
  std::ofstream(webRoot_ + "/" + fingerprintedName_ + ".gz", std::ios::binary) << kGzipMarker;
  std::ofstream(webRoot_ + "/module.0123456789abcdef.wasm", std::ios::binary) << module;  // a name that lies

  std::ofstream(webRoot_ + "/stale.txt") << "new content";
  std::ofstream(webRoot_ + "/stale.txt.gz", std::ios::binary) << "OLD CONTENT";
  fs::last_write_time(webRoot_ + "/stale.txt.gz", fs::last_write_time(webRoot_ + "/stale.txt") - std::chrono::hours(1));

  std::ofstream(webRoot_ + "/leak.txt") << "public";
  std::ofstream(dir_ + "/secret.txt.gz") << "TOP SECRET";
  fs::create_symlink(dir_ + "/secret.txt.gz", webRoot_ + "/leak.txt.gz");
}

void TestServer::signalTerm() {
  if (pid_ > 0 && !termSent_) kill(pid_, SIGTERM);
  termSent_ = true;
}

int TestServer::stop(int timeoutMs) {
  if (pid_ <= 0) return -1;
  signalTerm();  // once: a second SIGTERM during shutdown would end the process the hard way
  // The process closing its stdout (at exit) is the state we wait for.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  bool exited = false;
  while (!exited) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const ReadResult r = readSome(stdoutFd_, stdout_, static_cast<int>(left.count()));
    if (r == ReadResult::Eof) exited = true;
    if (r == ReadResult::Timeout) break;
  }
  int status = 0;
  int result = -1;
  if (!exited) kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  if (exited) result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pid_ = -1;
  close(stdoutFd_);
  stdoutFd_ = -1;
  return result;
}

TestServer::~TestServer() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

TestServer& sharedServer() {
  static TestServer server;
  return server;
}

}  // namespace confhost::test
