// confhost-server: the local dev stack — HTTPS static files, the Conference API, the Stream
// Manager API and (wired by the media side) the WHIP/WHEP proxy, Janus and mixer nodes, on one port
// and one io_context thread.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "server/streammanager/compositions.hpp"
#include "server/conference/conference_api.hpp"
#include "server/net/connection_set.hpp"
#include "server/security/credential_validator.hpp"
#include "server/proxy/bridge/gst_whep_bridge.hpp"
#include "server/origin/janus_client.hpp"
#include "server/origin/janus_process.hpp"
#include "server/net/listener.hpp"
#include "server/logging/log.hpp"
#include "server/streammanager/mixer_nodes.hpp"
#include "server/streammanager/null_mixer_launcher.hpp"
#include "server/streammanager/page_origin.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"
#include "server/security/self_signed_certificate.hpp"
#include "server/net/send_budget.hpp"
#include "server/site/static_files.hpp"
#include "server/streammanager/stream_manager_api.hpp"
#include "server/conference/stream_registry.hpp"
#include "server/proxy/whip_whep_proxy.hpp"

namespace asio = boost::asio;
using namespace confhost;

namespace {

struct Options {
  int port = 8443;
  std::string bind = "127.0.0.1";
  std::string webRoot = "build/web/site";
  std::string cert, key;
  std::string hostToken, smToken;
  bool openHost = false;
  std::string region = "local";
  std::string mediaInterface;
  int janusWsPort = 8188;
  std::string runDir = "run";
  bool noJanus = false;
  bool noMixers = false;
  std::string whepBridge;  // empty: confhost-whep-bridge next to this build (../bridge/)
  bool noWhepBridge = false;
  int peerConnectTimeout = 20;
  // WHIP/WHEP proxy: ICE servers handed to clients, and its quotas (so no client can exhaust it).
  std::vector<std::string> iceServers;
  std::size_t maxProxySessions = 200, maxViewersPerStream = 100, maxProxyRooms = 100;
  int roomIdleTimeout = 60;
  std::string publicHost;
  std::string authUser, authPassword, authToken;
  std::string logLevel = "info";
  // Credentials and quotas (README "Security").
  std::string webhookSecret, webhookToken;
  std::size_t maxConnections = 1000, maxConnectionsPerIp = 100, maxSocketsPerRoom = 200;
  std::size_t maxStreamsPerScope = 100, maxStreams = 2000, maxCompositions = 16, maxMixersPerComposition = 4;
  std::vector<std::string> mixingPageOrigins;
  std::string mixerBrowser = "/usr/bin/chromium";
  int wsSendBudgetMb = 64;
};

int fail(const std::string& message) {
  logError("server", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Conference Host dev stack: HTTPS + Conference API + Stream Manager API + WHIP/WHEP proxy"};
  app.add_option("--port", o.port, "HTTPS port (0 = any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--bind", o.bind, "address to listen on (0.0.0.0 to let other machines in)");
  app.add_option("--web-root", o.webRoot, "folder of the web build to serve");
  app.add_option("--cert", o.cert, "TLS certificate chain (PEM); default: self-signed in <run-dir>/tls");
  app.add_option("--key", o.key, "TLS private key (PEM)");
  app.add_option("--host-token", o.hostToken, "host credential for room-changing commands (default: generated)");
  app.add_option("--sm-token", o.smToken, "Stream Manager API access token (default: generated)");
  app.add_flag("--open-host", o.openHost, "trust every Conference API socket as host (original Red5 testbed pages)");
  app.add_option("--region", o.region, "the stack's only region (Stream Manager node group, mixer location)");
  app.add_option("--media-interface", o.mediaInterface, "network interface Janus uses for ICE (default: default route)");
  app.add_option("--janus-ws-port", o.janusWsPort, "Janus WebSocket API port (loopback / private address only)");
  app.add_option("--run-dir", o.runDir, "folder for generated state (TLS, Janus config, mixer profiles)");
  app.add_flag("--no-janus", o.noJanus, "do not start Janus (API-only runs and tests)");
  app.add_flag("--no-mixers", o.noMixers, "do not launch mixer browsers (compositions stay pending)");
  app.add_option("--whep-bridge", o.whepBridge,
                 "the standard-WHEP bridge program (default: ../bridge/confhost-whep-bridge beside this binary)");
  app.add_flag("--no-whep-bridge", o.noWhepBridge,
               "no bridge: a WHEP client offer is answered with 406 + the origin's offer (answer by PATCH)");
  app.add_option("--peer-connect-timeout", o.peerConnectTimeout,
                 "seconds a WHIP/WHEP/conference peer has to connect before its origin session is dropped")
      ->check(CLI::Range(1, 600));
  app.add_option("--ice-server", o.iceServers,
                 "STUN/TURN server given to WHIP/WHEP clients in Link headers: 'stun:host:3478' or "
                 "'turn:host:3478?transport=udp,<username>,<credential>' (repeatable)");
  app.add_option("--max-proxy-sessions", o.maxProxySessions,
                 "WHIP/WHEP/conference media sessions the proxy holds at once (past it: 503 + Retry-After)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-viewers-per-stream", o.maxViewersPerStream, "WHEP viewers of one stream at once")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-proxy-rooms", o.maxProxyRooms, "scopes with live origin (Janus) rooms at once")
      ->check(CLI::PositiveNumber);
  app.add_option("--room-idle-timeout", o.roomIdleTimeout,
                 "seconds an origin room with no publisher, viewer or conference join is kept before it is destroyed")
      ->check(CLI::Range(1, 86400));
  app.add_option("--public-host", o.publicHost, "host:port browsers use to reach this server (default localhost:<port>)");
  app.add_option("--auth-user", o.authUser, "round-trip auth: accepted username (unset with the others = accept any)");
  app.add_option("--auth-password", o.authPassword, "round-trip auth: accepted password");
  app.add_option("--auth-token", o.authToken, "round-trip auth: accepted token");
  app.add_option("--log-level", o.logLevel, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--ws-send-budget-mb", o.wsSendBudgetMb,
                 "MiB all WebSocket send queues may hold together; past it the slowest readers are closed")
      ->check(CLI::Range(1, 65536));
  app.add_option("--webhook-secret", o.webhookSecret,
                 "key of the HMAC-SHA256 signature POST /webhook may carry (default: generated)");
  app.add_option("--webhook-token", o.webhookToken,
                 "token POST /webhook may carry in its URL instead, /webhook?token=<t> (default: generated)");
  app.add_option("--max-connections", o.maxConnections, "live HTTPS/WebSocket connections in all")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-connections-per-ip", o.maxConnectionsPerIp, "live connections from one client address")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-sockets-per-room", o.maxSocketsPerRoom,
                 "Conference API sockets per conference (its scope and waiting room together)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-streams-per-scope", o.maxStreamsPerScope, "publishing streams listed per scope")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-streams", o.maxStreams, "publishing streams listed in all scopes together")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-compositions", o.maxCompositions, "compositions at once")->check(CLI::PositiveNumber);
  app.add_option("--max-mixers-per-composition", o.maxMixersPerComposition, "mixers in one composition")
      ->check(CLI::PositiveNumber);
  app.add_option("--mixing-page-origin", o.mixingPageOrigins,
                 "another origin mixers may load pages from, e.g. https://pages.example:8443 (repeatable; "
                 "default: only this stack's own)");
  app.add_option("--mixer-browser", o.mixerBrowser, "the browser mixer nodes run (Chromium or compatible)");
  CLI11_PARSE(app, argc, argv);

  // A peer that vanishes mid-write must cost an EPIPE error on that socket, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  webSocketSendBudget().setLimit(static_cast<std::size_t>(o.wsSendBudgetMb) * 1024 * 1024);

  // Every conference socket is a descriptor: take the hard limit, not the 1024 default.
  if (rlimit lim{}; getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  setLogLevel(o.logLevel == "debug" ? LogLevel::Debug
              : o.logLevel == "warn" ? LogLevel::Warn
              : o.logLevel == "error" ? LogLevel::Error
                                      : LogLevel::Info);
  if (o.cert.empty() != o.key.empty()) return fail("--cert and --key go together: give both or neither");
  if (!std::filesystem::is_directory(o.webRoot))
    logWarn("server", "--web-root " + o.webRoot + " does not exist yet; static files will be 404 until it is built");
  const bool hostTokenGenerated = o.hostToken.empty();
  if (hostTokenGenerated) o.hostToken = randomToken(16);
  const bool smTokenGenerated = o.smToken.empty();
  if (smTokenGenerated) o.smToken = randomToken(16);
  const bool webhookSecretGenerated = o.webhookSecret.empty();
  if (webhookSecretGenerated) o.webhookSecret = randomToken(16);
  const bool webhookTokenGenerated = o.webhookToken.empty();
  if (webhookTokenGenerated) o.webhookToken = randomToken(16);

  // ---- TLS ----------------------------------------------------------------------------------------
  if (o.cert.empty()) {
    const auto files = ensureSelfSignedCertificate((std::filesystem::path(o.runDir) / "tls").string());
    if (!files) return fail("TLS: " + files.error().message());
    o.cert = files->certPath;
    o.key = files->keyPath;
    if (files->generated) logInfo("server", "generated a self-signed certificate for localhost: " + o.cert);
  }
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                  asio::ssl::context::single_dh_use);
  // TLS 1.2: forward-secret key exchange and AEAD ciphers only (no CBC, no SHA-1 MACs, no RSA key
  // transport); TLS 1.3 keeps OpenSSL's suites, which are all of that kind.
  if (SSL_CTX_set_cipher_list(tls.native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1)
    return fail("TLS: the ECDHE+AEAD cipher list is not supported by this OpenSSL");
  SSL_CTX_set_options(tls.native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  boost::system::error_code ec;
  tls.use_certificate_chain_file(o.cert, ec);
  if (ec) return fail("TLS: cannot load certificate " + o.cert + ": " + ec.message());
  tls.use_private_key_file(o.key, asio::ssl::context::pem, ec);
  if (ec) return fail("TLS: cannot load key " + o.key + ": " + ec.message());

  asio::io_context ioc(1);
  ConnectionSet connections;
  Router router;
  auto listener =
      std::make_shared<Listener>(ioc, tls, router, connections, ConnectionLimits{o.maxConnections, o.maxConnectionsPerIp});
  asio::ip::address address = asio::ip::make_address(o.bind, ec);
  if (ec) return fail("--bind: '" + o.bind + "' is not an IP address");
  if (auto e = listener->open({address, static_cast<unsigned short>(o.port)}); !e) return fail(e.error().message());
  const unsigned short port = listener->port();
  if (o.publicHost.empty()) o.publicHost = "localhost:" + std::to_string(port);
  // Mixers load pages of this stack only (by the names it answers to), unless told otherwise.
  std::vector<std::string> pageOrigins{"https://" + o.publicHost};
  if (address.is_loopback() || address.is_unspecified())
    for (const char* self : {"localhost", "127.0.0.1"}) pageOrigins.push_back("https://" + std::string(self) + ":" + std::to_string(port));
  for (const auto& extra : o.mixingPageOrigins) {
    const auto origin = urlOrigin(extra);
    if (!origin) return fail("--mixing-page-origin " + extra + ": " + origin.error().reason);
    pageOrigins.push_back(*origin);
  }

  // ---- features -----------------------------------------------------------------------------------
  StreamRegistry streams;
  NullMixerLauncher nullLauncher;
  MixerLauncher* launcher = &nullLauncher;
  MixerNodes mixerNodes(ioc, MixerNodes::Options{o.runDir, o.mixerBrowser});
  if (!o.noMixers) launcher = &mixerNodes;

  Compositions compositions(*launcher, CompositionSettings{{o.region}, o.publicHost, pageOrigins, o.maxCompositions,
                                                          o.maxMixersPerComposition});
  ConferenceApi conference(ConferenceSettings{o.openHost, o.hostToken, {o.region}, o.webhookSecret, o.webhookToken, o.maxSocketsPerRoom,
                                              o.maxStreamsPerScope, o.maxStreams},
                           compositions, streams);
  StreamManagerApi streamManager(StreamManagerSettings{o.smToken, o.region, o.publicHost}, compositions, streams,
                                 conference);
  CredentialValidator credentials(CredentialSettings{o.authUser, o.authPassword, o.authToken, o.smToken});
  StaticFiles staticFiles(o.webRoot);

  router.setWebSocketEndpoint(&conference);
  router.addExact("/webhook", [&](HttpRequest r, Respond respond) { conference.handleWebhook(r, respond); });
  router.addExact("/validateCredentials", [&](HttpRequest r, Respond respond) { credentials.handleValidate(r, respond); });
  router.addExact("/invalidateCredentials",
                  [&](HttpRequest r, Respond respond) { credentials.handleInvalidate(r, respond); });
  router.addExact("/cluster/api", [&](HttpRequest r, Respond respond) { streamManager.handleCluster(r, respond); });
  router.addPrefix("/streammanager/", [&](HttpRequest r, Respond respond) { streamManager.handle(r, respond); });
  auto janus = JanusClient::create(ioc);
  WhipWhepProxy::Options proxyOptions;
  proxyOptions.connectTimeout = std::chrono::seconds(o.peerConnectTimeout);
  proxyOptions.accessToken = o.smToken;
  proxyOptions.maxSessions = o.maxProxySessions;
  proxyOptions.maxViewersPerStream = o.maxViewersPerStream;
  proxyOptions.rooms = JanusRooms::Options{std::chrono::seconds(o.roomIdleTimeout), o.maxProxyRooms};
  for (const auto& spec : o.iceServers) {
    auto server = parseIceServer(spec);
    if (!server) return fail(server.error().message());
    proxyOptions.iceServers.push_back(*server);
  }
  // Standard WHEP (client offer → 201 + answer) needs a media element between the viewer and Janus.
  std::unique_ptr<GstWhepBridge> whepBridge;
  if (!o.noWhepBridge) {
    whepBridge = std::make_unique<GstWhepBridge>(
        ioc, GstWhepBridge::Options{o.whepBridge, (std::filesystem::path(o.runDir) / "whep-bridge.log").string()});
    if (whepBridge->available()) proxyOptions.bridge = whepBridge.get();
    else logWarn("server", "standard WHEP is off (viewers get 406 + offer): " + whepBridge->unavailableReason());
  }
  WhipWhepProxy proxy(ioc, janus, conference, proxyOptions);
  router.addPrefix(std::string(WhipWhepProxy::kPrefix), [&](HttpRequest r, Respond respond) { proxy.handle(r, respond); });
  // The Red5 origin spellings of the same endpoints ("/live/room1/whep/endpoint/<stream>").
  router.addMatching(isOriginStylePath, [&](HttpRequest r, Respond respond) { proxy.handle(r, respond); });
  compositions.setSessionEnder([&proxy](const std::string& path, const std::string& streamName) {
    proxy.endSessionsOf(path, streamName, "its mixer was destroyed");
  });
  JanusProcess janusProcess(ioc, JanusProcess::Options{o.runDir, o.mediaInterface, static_cast<unsigned short>(o.janusWsPort)},
                            janus);
  if (o.noJanus) {
    janus->setUnavailableReason("the origin media server is not running (the server was started with --no-janus)");
  } else {
    janusProcess.start([](const Status& started) {
      if (!started) logError("janus", "the origin is not available: " + started.error().message());
    });
  }
  router.setStaticFiles(&staticFiles);

  // Stopped in reverse order of dependence: no new clients, then mixers, then the media side, then
  // the open sockets (close frames); the io_context ends when their handlers have run.
  std::vector<std::function<void()>> onShutdown;  // the media side appends its stops here
  onShutdown.push_back([&] { mixerNodes.killAll(); });
  onShutdown.push_back([&] { janusProcess.stop(); });
  onShutdown.push_back([&] { if (whepBridge) whepBridge->stopAll(); });
  asio::steady_timer backstop(ioc);
  bool stopping = false;
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code error, int signal) {
    if (error || stopping) return;
    stopping = true;
    logInfo("server", std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    listener->stop();
    compositions.killAll();
    for (auto& stop : onShutdown) stop();
    // Done when the last session has closed; clients that never answer the close handshake must not
    // hold the process, hence the backstop.
    connections.setOnEmpty([&] { asio::post(ioc, [&] { ioc.stop(); }); });
    if (connections.size() == 0) asio::post(ioc, [&] { ioc.stop(); });
    connections.shutdownAll();
    backstop.expires_after(std::chrono::seconds(3));
    backstop.async_wait([&](boost::system::error_code e) {
      if (!e) ioc.stop();
    });
  });

  listener->run();
  logInfo("server", "listening on " + o.bind + ":" + std::to_string(port) + ", serving " + staticFiles.root() +
                        (o.openHost ? " (open host: every socket may change rooms)" : ""));
  std::cout << "Testbed menu: https://" << o.publicHost << "/\n"
            << "Host console: https://" << o.publicHost << "/#/host?hostToken=" << o.hostToken
            << "&smToken=" << o.smToken << "\n"
            << "Stream Manager token: " << o.smToken << (smTokenGenerated ? " (generated)" : "") << "\n"
            << "Webhook secret: " << o.webhookSecret << (webhookSecretGenerated ? " (generated)" : "") << "\n"
            << "Webhook URL: https://" << o.publicHost << "/webhook?token=" << o.webhookToken
            << (webhookTokenGenerated ? " (token generated)" : "") << "\n"
            << "Host token: " << o.hostToken << (hostTokenGenerated ? " (generated)" : "") << std::endl;

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
  // Whatever did not finish its close handshake is cut now, and its handlers run to completion here,
  // so no session outlives the features it points to.
  backstop.cancel();
  connections.setOnEmpty(nullptr);
  connections.abortAll();
  ioc.restart();
  const auto drainDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (connections.size() > 0 && ioc.run_one_until(drainDeadline) > 0) {
  }
  logInfo("server", "stopped");
  return 0;
}
