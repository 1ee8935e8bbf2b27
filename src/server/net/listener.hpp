#pragma once
// Accepts TCP connections on the public port and hands each to a TLS HTTP session (TLS only: the
// public port never speaks plain HTTP).
//
// Connection quotas: at most `maxConnections` live sessions in all and `maxPerAddress` from one client
// address. A connection over either limit is answered, not silently dropped: after the TLS handshake
// it gets one HTTP response (503 for the total, 429 for the address) whose JSON body names the limit
// and its flag, then it is closed. Those answers are cheap and themselves bounded (a few in flight,
// a short deadline); beyond that a connection is closed at once.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "server/net/connection_set.hpp"
#include "core/protocol/expected.hpp"
#include "server/net/router.hpp"

namespace confhost {

struct ConnectionLimits {
  std::size_t maxConnections = 1000;  // --max-connections
  std::size_t maxPerAddress = 100;    // --max-connections-per-ip
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, boost::asio::ssl::context& tls, const Router& router,
           ConnectionSet& connections, ConnectionLimits limits = {});

  // Binds and listens; the error names the address when the port is taken.
  Status open(const boost::asio::ip::tcp::endpoint& endpoint);
  void run();
  void stop();
  unsigned short port() const;

 private:
  void accept();
  // Ok, or why this client may not have another connection now; `status` is set for the answer.
  Status checkRoom(const std::string& address, unsigned& status) const;

  boost::asio::io_context& ioc_;
  boost::asio::ssl::context& tls_;
  const Router& router_;
  ConnectionSet& connections_;
  ConnectionLimits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<std::size_t> refusing_ = std::make_shared<std::size_t>(0);  // refusals in flight
};

}  // namespace confhost
