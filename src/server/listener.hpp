#pragma once
// Accepts TCP connections on the public port and hands each to a TLS HTTP session (TLS only: the
// public port never speaks plain HTTP).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>

#include "connection_set.hpp"
#include "expected.hpp"
#include "router.hpp"

namespace confhost {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, boost::asio::ssl::context& tls, const Router& router,
           ConnectionSet& connections);

  // Binds and listens; the error names the address when the port is taken.
  std::optional<Error> open(const boost::asio::ip::tcp::endpoint& endpoint);
  void run();
  void stop();
  unsigned short port() const;

 private:
  void accept();

  boost::asio::io_context& ioc_;
  boost::asio::ssl::context& tls_;
  const Router& router_;
  ConnectionSet& connections_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace confhost
