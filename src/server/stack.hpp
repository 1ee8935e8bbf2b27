#pragma once
// The dev stack on one io_context: the HTTPS listener, the router and every feature behind it (static
// files, Conference API, Stream Manager API, credentials, the WHIP/WHEP proxy with its Janus origin and
// WHEP bridge, mixer nodes). main() gives it its options and TLS context, starts it, and stops it on
// a signal; the stack wires the features and owns their order of shutdown.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost {

struct StackOptions {
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
  int warmMixers = 1;
  int wsSendBudgetMb = 64;
};

class Stack {
 public:
  Stack(boost::asio::io_context& io, boost::asio::ssl::context& tls, StackOptions options);
  ~Stack();

  // Opens the port, wires the features and starts the origin; the error names what is wrong
  // (a taken port, a bad --bind, --ice-server or --mixing-page-origin).
  Status start();
  // No new clients, then mixers, then the media side, then the open sockets (close frames). The
  // io_context runs out when their handlers have run (or a backstop stops it).
  void stop();
  // After the io_context returned: whatever did not finish its close handshake is cut, and its
  // handlers run to completion, so no session outlives the features it points to.
  void drain();

  unsigned short port() const;
  // "https://<public host>/", and the root the static files come from.
  std::string publicUrl() const;
  std::string webRoot() const;

 private:
  struct Parts;
  boost::asio::io_context& io_;
  boost::asio::ssl::context& tls_;
  StackOptions options_;
  std::unique_ptr<Parts> parts_;
  boost::asio::steady_timer backstop_;
  bool stopping_ = false;
};

}  // namespace confhost
