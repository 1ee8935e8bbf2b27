#include "listener.hpp"

#include <boost/asio/strand.hpp>

#include "http_session.hpp"
#include "log.hpp"

namespace confhost {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& ioc, asio::ssl::context& tls, const Router& router, ConnectionSet& connections)
    : ioc_(ioc), tls_(tls), router_(router), connections_(connections), acceptor_(ioc) {}

std::optional<Error> Listener::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  const std::string where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{"--port", "cannot listen on " + where + ": " + ec.message()};
  return std::nullopt;
}

unsigned short Listener::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Listener::run() { accept(); }

void Listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void Listener::accept() {
  acceptor_.async_accept(ioc_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      // EMFILE and friends: log and keep accepting; one bad accept must not stop the server.
      logWarn("listener", "accept failed: " + ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      startHttpSession(std::move(socket), self->tls_, self->router_, self->connections_);
    }
    self->accept();
  });
}

}  // namespace confhost
