#include "server/server_options.hpp"

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <ostream>

#include "server/logging/log.hpp"
#include "server/net/send_budget.hpp"
#include "server/security/random_token.hpp"
#include "server/security/self_signed_certificate.hpp"

namespace confhost {

namespace {

LogLevel logLevelNamed(const std::string& name) {
  return name == "debug"  ? LogLevel::Debug
         : name == "warn"  ? LogLevel::Warn
         : name == "error" ? LogLevel::Error
                           : LogLevel::Info;
}

// Every conference socket is a descriptor: take the hard limit, not the 1024 default.
void raiseDescriptorLimit() {
  if (rlimit lim{}; getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// A generated secret when none was given; says whether it was.
bool generateIfEmpty(std::string& secret) {
  if (!secret.empty()) return false;
  secret = randomToken(16);
  return true;
}

}  // namespace

void addServerOptions(CLI::App& app, StackOptions& o) {
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
  app.add_option("--warm-mixers", o.warmMixers,
                 "mixer browsers kept started ahead on the standby page, so a new composition skips the browser's "
                 "start (0: none)")
      ->check(CLI::Range(0, 4));
}

GeneratedCredentials generateMissingCredentials(StackOptions& o) {
  GeneratedCredentials g;
  g.hostToken = generateIfEmpty(o.hostToken);
  g.smToken = generateIfEmpty(o.smToken);
  g.webhookSecret = generateIfEmpty(o.webhookSecret);
  g.webhookToken = generateIfEmpty(o.webhookToken);
  return g;
}

Status resolveCertificate(StackOptions& o) {
  if (o.cert.empty() != o.key.empty()) return Error{"", "--cert and --key go together: give both or neither"};
  if (!o.cert.empty()) return {};
  const auto files = ensureSelfSignedCertificate((std::filesystem::path(o.runDir) / "tls").string());
  if (!files) return Error{"TLS", files.error().message()};
  o.cert = files->certPath;
  o.key = files->keyPath;
  if (files->generated) logInfo("server", "generated a self-signed certificate for localhost: " + o.cert);
  return {};
}

void applyToProcess(const StackOptions& o) {
  setLogLevel(logLevelNamed(o.logLevel));
  webSocketSendBudget().setLimit(static_cast<std::size_t>(o.wsSendBudgetMb) * 1024 * 1024);
  // A peer that vanishes mid-write must cost an EPIPE error on that socket, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  raiseDescriptorLimit();
}

void printAccess(std::ostream& out, const std::string& publicUrl, const StackOptions& o,
                 const GeneratedCredentials& g) {
  out << "Testbed menu: " << publicUrl << "\n"
      << "Host console: " << publicUrl << "#/host?hostToken=" << o.hostToken << "&smToken=" << o.smToken << "\n"
      << "Stream Manager token: " << o.smToken << (g.smToken ? " (generated)" : "") << "\n"
      << "Webhook secret: " << o.webhookSecret << (g.webhookSecret ? " (generated)" : "") << "\n"
      << "Webhook URL: " << publicUrl << "webhook?token=" << o.webhookToken
      << (g.webhookToken ? " (token generated)" : "") << "\n"
      << "Host token: " << o.hostToken << (g.hostToken ? " (generated)" : "") << std::endl;
}

}  // namespace confhost
