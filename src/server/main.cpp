// confhost-server: the local dev stack — HTTPS static files, the Conference API, the Stream
// Manager API, the WHIP/WHEP proxy, Janus and mixer nodes, on one port and one io_context thread.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "server/logging/log.hpp"
#include "server/security/tls_context.hpp"
#include "server/server_options.hpp"
#include "server/stack.hpp"

namespace asio = boost::asio;
using namespace confhost;

namespace {

int fail(const std::string& message) {
  logError("server", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  StackOptions o;
  CLI::App app{"Conference Host dev stack: HTTPS + Conference API + Stream Manager API + WHIP/WHEP proxy"};
  addServerOptions(app, o);
  CLI11_PARSE(app, argc, argv);

  applyToProcess(o);
  if (!std::filesystem::is_directory(o.webRoot))
    logWarn("server", "--web-root " + o.webRoot + " does not exist yet; static files will be 404 until it is built");
  const GeneratedCredentials generated = generateMissingCredentials(o);

  if (auto cert = resolveCertificate(o); !cert) return fail(cert.error().message());
  auto tls = makeServerTlsContext(o.cert, o.key);
  if (!tls) return fail(tls.error().message());

  asio::io_context ioc(1);
  Stack stack(ioc, **tls, o);
  if (auto started = stack.start(); !started) return fail(started.error().message());
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code error, int signal) {
    if (error) return;
    logInfo("server", std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    stack.stop();
  });

  logInfo("server", "listening on " + o.bind + ":" + std::to_string(stack.port()) + ", serving " + stack.webRoot() +
                        (o.openHost ? " (open host: every socket may change rooms)" : ""));
  printAccess(std::cout, stack.publicUrl(), o, generated);

  // The last net under the per-dispatch guards (router, WebSocket session): a handler that throws
  // anyway (a timer, an origin callback) is logged and the loop goes on; Asio allows run() again.
  for (;;) {
    try {
      ioc.run();
      break;
    } catch (const std::exception& e) {
      logError("server", std::string("a handler failed: ") + e.what() + "; continuing");
    }
  }
  stack.drain();
  logInfo("server", "stopped");
  return 0;
}
