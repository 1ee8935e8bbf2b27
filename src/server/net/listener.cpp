#include "server/net/listener.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "server/net/http_session.hpp"
#include "server/logging/log.hpp"

namespace confhost {

namespace asio = boost::asio;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxRefusalsInFlight = 32;
constexpr auto kRefusalDeadline = std::chrono::seconds(5);

// One over-quota connection: TLS handshake, read the request head, answer `status` with the reason,
// close. Holds nothing but its own socket, so it may outlive the Listener safely.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket socket, asio::ssl::context& tls, unsigned status, std::string reason,
          std::shared_ptr<std::size_t> inFlight)
      : stream_(std::move(socket), tls), status_(status), reason_(std::move(reason)), inFlight_(std::move(inFlight)) {
    ++*inFlight_;
  }
  ~Refusal() { --*inFlight_; }

  void run() {
    beast::get_lowest_layer(stream_).expires_after(kRefusalDeadline);
    stream_.async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      http::async_read_header(self->stream_, self->buffer_, self->parser_,
                              [self](boost::system::error_code, std::size_t) { self->answer(); });
    });
  }

 private:
  void answer() {
    response_.result(static_cast<http::status>(status_));
    response_.version(11);
    response_.set(http::field::server, "confhost-server");
    response_.set(http::field::content_type, "application/json");
    response_.set(http::field::retry_after, "5");
    response_.keep_alive(false);
    response_.body() = nlohmann::json{{"error", reason_}}.dump();
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](boost::system::error_code, std::size_t) {
      self->stream_.async_shutdown([self](boost::system::error_code) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(self->stream_).socket().close(ignored);
      });
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
  unsigned status_;
  std::string reason_;
  std::shared_ptr<std::size_t> inFlight_;
};

}  // namespace

Listener::Listener(asio::io_context& ioc, asio::ssl::context& tls, const Router& router, ConnectionSet& connections,
                   ConnectionLimits limits)
    : ioc_(ioc), tls_(tls), router_(router), connections_(connections), limits_(limits), acceptor_(ioc) {}

Status Listener::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  const std::string where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{"--port", "cannot listen on " + where + ": " + ec.message()};
  return {};
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

Status Listener::checkRoom(const std::string& address, unsigned& status) const {
  if (connections_.size() >= limits_.maxConnections) {
    status = 503;
    return Error{"", "the server already holds " + std::to_string(connections_.size()) +
                         " connections, the limit (--max-connections); try again later"};
  }
  if (const std::size_t mine = connections_.countFrom(address); mine >= limits_.maxPerAddress) {
    status = 429;
    return Error{"", "this client (" + address + ") already holds " + std::to_string(mine) +
                         " connections, the limit per address (--max-connections-per-ip)"};
  }
  return {};
}

void Listener::accept() {
  acceptor_.async_accept(ioc_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      // EMFILE and friends: log and keep accepting; one bad accept must not stop the server.
      logWarn("listener", "accept failed: " + ec.message());
      return self->accept();
    }
    const auto remote = socket.remote_endpoint(ec);
    const std::string address = ec ? std::string() : remote.address().to_string();
    unsigned status = 0;
    if (auto room = self->checkRoom(address, status); !room) {
      const std::string reason = room.error().message();
      logWarn("listener", "refused a connection from " + address + ": " + reason);
      if (*self->refusing_ < kMaxRefusalsInFlight) {
        std::make_shared<Refusal>(std::move(socket), self->tls_, status, reason, self->refusing_)->run();
      } else {
        socket.close(ec);  // already answering enough refusals: this one is just closed
      }
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      startHttpSession(std::move(socket), self->tls_, self->router_, self->connections_);
    }
    self->accept();
  });
}

}  // namespace confhost
