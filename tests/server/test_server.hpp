#pragma once
// A real confhost-server process for one test (or a group of tests): started on a free port (--port 0,
// the port is read from its "Testbed menu:" line), with its own run dir and web root, --no-janus
// --no-mixers, known host and Stream Manager tokens, webhook secret and webhook token. Stopped with SIGTERM in the destructor.
#include <string>
#include <sys/types.h>
#include <vector>

namespace confhost::test {

inline const std::string kHostToken = "test-host-token";
inline const std::string kSmToken = "test-sm-token";
inline const std::string kWebhookSecret = "test-webhook-secret";
inline const std::string kWebhookToken = "test-webhook-token";
// The bytes of the web root's build-time variants ("confhost.js.gz", "confhost.js.br", ...).
inline const std::string kGzipMarker = "GZIP VARIANT";
inline const std::string kBrotliMarker = "BROTLI VARIANT";

class TestServer {
 public:
  explicit TestServer(std::vector<std::string> extraArgs = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  const std::string& webRoot() const { return webRoot_; }
  const std::string& stdoutText() const { return stdout_; }
  // "/module.<16 hex>.wasm" of the web root: its name carries its content's hash.
  const std::string& fingerprintedName() const { return fingerprintedName_; }

  void signalTerm();
  // SIGTERM, then wait (bounded) for the process to exit; returns its exit status (-1 on timeout).
  int stop(int timeoutMs = 10000);

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  int port_ = 0;
  bool termSent_ = false;
  std::string dir_, webRoot_, stdout_, fingerprintedName_;

  void writeCompressedVariants();
};

// One server shared by the tests that only need the defaults (room names keep them apart).
TestServer& sharedServer();

}  // namespace confhost::test
