#include "server/stack.hpp"

#include <boost/asio/post.hpp>

#include <filesystem>

#include "server/conference/conference_api.hpp"
#include "server/conference/stream_registry.hpp"
#include "server/logging/log.hpp"
#include "server/net/connection_set.hpp"
#include "server/net/listener.hpp"
#include "server/net/router.hpp"
#include "server/origin/janus_client.hpp"
#include "server/origin/janus_process.hpp"
#include "server/proxy/bridge/gst_whep_bridge.hpp"
#include "server/proxy/whip_whep_proxy.hpp"
#include "server/security/credential_validator.hpp"
#include "server/site/static_files.hpp"
#include "server/streammanager/compositions.hpp"
#include "server/streammanager/mixers/mixer_nodes.hpp"
#include "server/streammanager/mixers/null_mixer_launcher.hpp"
#include "server/streammanager/page_origin.hpp"
#include "server/streammanager/stream_manager_api.hpp"

namespace confhost {

namespace asio = boost::asio;

namespace {

// Clients that never answer the close handshake must not hold the process.
constexpr std::chrono::seconds kCloseBackstop{3};
constexpr std::chrono::seconds kDrainDeadline{2};

// Mixers load pages of this stack only (by the names it answers to), unless told otherwise.
Expected<std::vector<std::string>> mixingPageOrigins(const StackOptions& o, const asio::ip::address& address,
                                                     unsigned short port) {
  std::vector<std::string> origins{"https://" + o.publicHost};
  if (address.is_loopback() || address.is_unspecified())
    for (const char* self : {"localhost", "127.0.0.1"})
      origins.push_back("https://" + std::string(self) + ":" + std::to_string(port));
  for (const auto& extra : o.mixingPageOrigins) {
    const auto origin = urlOrigin(extra);
    if (!origin) return Error{"--mixing-page-origin", extra + ": " + origin.error().reason};
    origins.push_back(*origin);
  }
  return origins;
}

Expected<WhipWhepProxy::Options> proxyOptionsOf(const StackOptions& o) {
  WhipWhepProxy::Options p;
  p.connectTimeout = std::chrono::seconds(o.peerConnectTimeout);
  p.accessToken = o.smToken;
  p.maxSessions = o.maxProxySessions;
  p.maxViewersPerStream = o.maxViewersPerStream;
  p.rooms = JanusRooms::Options{std::chrono::seconds(o.roomIdleTimeout), o.maxProxyRooms};
  for (const auto& spec : o.iceServers) {
    auto server = parseIceServer(spec);
    if (!server) return server.error();
    p.iceServers.push_back(*server);
  }
  return p;
}

}  // namespace

// Built in start(), in order of dependence; destroyed in reverse.
struct Stack::Parts {
  ConnectionSet connections;
  Router router;
  std::shared_ptr<Listener> listener;
  StreamRegistry streams;
  NullMixerLauncher nullLauncher;
  std::unique_ptr<MixerNodes> mixerNodes;
  std::unique_ptr<Compositions> compositions;
  std::unique_ptr<ConferenceApi> conference;
  std::unique_ptr<StreamManagerApi> streamManager;
  std::unique_ptr<CredentialValidator> credentials;
  std::unique_ptr<StaticFiles> staticFiles;
  std::shared_ptr<JanusClient> janus;
  std::unique_ptr<GstWhepBridge> whepBridge;
  std::unique_ptr<WhipWhepProxy> proxy;
  std::unique_ptr<JanusProcess> janusProcess;
};

Stack::Stack(asio::io_context& io, asio::ssl::context& tls, StackOptions options)
    : io_(io), tls_(tls), options_(std::move(options)), parts_(std::make_unique<Parts>()), backstop_(io) {}

Stack::~Stack() = default;

unsigned short Stack::port() const { return parts_->listener ? parts_->listener->port() : 0; }
std::string Stack::publicUrl() const { return "https://" + options_.publicHost + "/"; }
std::string Stack::webRoot() const { return parts_->staticFiles ? parts_->staticFiles->root() : options_.webRoot; }

Status Stack::start() {
  StackOptions& o = options_;
  Parts& p = *parts_;
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(o.bind, ec);
  if (ec) return Error{"--bind", "'" + o.bind + "' is not an IP address"};
  p.listener = std::make_shared<Listener>(io_, tls_, p.router, p.connections,
                                          ConnectionLimits{o.maxConnections, o.maxConnectionsPerIp});
  if (auto e = p.listener->open({address, static_cast<unsigned short>(o.port)}); !e) return e;
  if (o.publicHost.empty()) o.publicHost = "localhost:" + std::to_string(port());
  auto pageOrigins = mixingPageOrigins(o, address, port());
  if (!pageOrigins) return pageOrigins.error();
  auto proxyOptionsRead = proxyOptionsOf(o);
  if (!proxyOptionsRead) return proxyOptionsRead.error();
  WhipWhepProxy::Options proxyOptions = proxyOptionsRead.value();

  MixerNodes::Options mixerOptions;
  mixerOptions.runDir = o.runDir;
  mixerOptions.browser = o.mixerBrowser;
  mixerOptions.warmNodes = o.noMixers ? 0 : o.warmMixers;
  // The console's own page, so a mixing page of this stack is the same document (README "Mixer nodes").
  mixerOptions.warmPage = "https://" + o.publicHost + "/index.html#/standby";
  p.mixerNodes = std::make_unique<MixerNodes>(io_, mixerOptions);
  MixerLauncher& launcher = o.noMixers ? static_cast<MixerLauncher&>(p.nullLauncher) : *p.mixerNodes;
  p.compositions = std::make_unique<Compositions>(
      launcher, CompositionSettings{{o.region}, o.publicHost, *pageOrigins, o.maxCompositions, o.maxMixersPerComposition});
  p.conference = std::make_unique<ConferenceApi>(
      ConferenceSettings{o.openHost, o.hostToken, {o.region}, o.webhookSecret, o.webhookToken, o.maxSocketsPerRoom, o.maxStreamsPerScope,
                         o.maxStreams},
      *p.compositions, p.streams);
  p.streamManager = std::make_unique<StreamManagerApi>(StreamManagerSettings{o.smToken, o.region, o.publicHost},
                                                       *p.compositions, p.streams, *p.conference);
  p.credentials = std::make_unique<CredentialValidator>(CredentialSettings{o.authUser, o.authPassword, o.authToken, o.smToken});
  p.staticFiles = std::make_unique<StaticFiles>(o.webRoot);

  // Standard WHEP (client offer → 201 + answer) needs a media element between the viewer and Janus.
  if (!o.noWhepBridge) {
    p.whepBridge = std::make_unique<GstWhepBridge>(
        io_, GstWhepBridge::Options{o.whepBridge, (std::filesystem::path(o.runDir) / "whep-bridge.log").string()});
    if (p.whepBridge->available()) proxyOptions.bridge = p.whepBridge.get();
    else logWarn("server", "standard WHEP is off (viewers get 406 + offer): " + p.whepBridge->unavailableReason());
  }
  p.janus = JanusClient::create(io_);
  p.proxy = std::make_unique<WhipWhepProxy>(io_, p.janus, *p.conference, proxyOptions);
  p.compositions->setSessionEnder([proxy = p.proxy.get()](const std::string& path, const std::string& streamName) {
    proxy->endSessionsOf(path, streamName, "its mixer was destroyed");
  });

  Router& router = p.router;
  router.setWebSocketEndpoint(p.conference.get());
  router.addExact("/webhook", [c = p.conference.get()](HttpRequest r, Respond respond) { c->handleWebhook(r, respond); });
  router.addExact("/validateCredentials",
                  [v = p.credentials.get()](HttpRequest r, Respond respond) { v->handleValidate(r, respond); });
  router.addExact("/invalidateCredentials",
                  [v = p.credentials.get()](HttpRequest r, Respond respond) { v->handleInvalidate(r, respond); });
  router.addExact("/cluster/api", [s = p.streamManager.get()](HttpRequest r, Respond respond) { s->handleCluster(r, respond); });
  router.addPrefix("/streammanager/", [s = p.streamManager.get()](HttpRequest r, Respond respond) { s->handle(r, respond); });
  // The proxy paths, in both spellings ("/live/room1/whep/endpoint/<stream>" too).
  router.addMatching(isProxyPath, [proxy = p.proxy.get()](HttpRequest r, Respond respond) { proxy->handle(r, respond); });
  router.setStaticFiles(p.staticFiles.get());

  p.janusProcess = std::make_unique<JanusProcess>(
      io_, JanusProcess::Options{o.runDir, o.mediaInterface, static_cast<unsigned short>(o.janusWsPort)}, p.janus);
  if (o.noJanus) {
    p.janus->setUnavailableReason("the origin media server is not running (the server was started with --no-janus)");
  } else {
    p.janusProcess->start([](const Status& started) {
      if (!started) logError("janus", "the origin is not available: " + started.error().message());
    });
  }
  p.listener->run();
  return {};
}

void Stack::stop() {
  if (stopping_ || !parts_->listener) return;
  stopping_ = true;
  Parts& p = *parts_;
  p.listener->stop();
  p.compositions->killAll();
  p.mixerNodes->killAll();
  p.janusProcess->stop();
  if (p.whepBridge) p.whepBridge->stopAll();
  // Done when the last session has closed, or at the backstop.
  p.connections.setOnEmpty([this] { asio::post(io_, [this] { io_.stop(); }); });
  if (p.connections.size() == 0) asio::post(io_, [this] { io_.stop(); });
  p.connections.shutdownAll();
  backstop_.expires_after(kCloseBackstop);
  backstop_.async_wait([this](boost::system::error_code e) {
    if (!e) io_.stop();
  });
}

void Stack::drain() {
  Parts& p = *parts_;
  backstop_.cancel();
  p.connections.setOnEmpty(nullptr);
  p.connections.abortAll();
  io_.restart();
  const auto deadline = std::chrono::steady_clock::now() + kDrainDeadline;
  while (p.connections.size() > 0 && io_.run_one_until(deadline) > 0) {
  }
}

}  // namespace confhost
