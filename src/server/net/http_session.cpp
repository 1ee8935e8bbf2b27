#include "server/net/http_session.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <chrono>
#include <optional>

#include "server/logging/log.hpp"
#include "server/net/websocket_session.hpp"

namespace confhost {
namespace {

namespace asio = boost::asio;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kHandshakeTimeout = std::chrono::seconds(15);
constexpr auto kIdleTimeout = std::chrono::seconds(60);
// WHIP/WHEP SDP bodies and composition JSON are a few KiB; a megabyte leaves room and bounds memory.
constexpr std::uint64_t kBodyLimit = 1024 * 1024;

class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, asio::ssl::context& tls, const Router& router, ConnectionSet& connections)
      : stream_(std::move(socket), tls), router_(router), connections_(connections) {
    boost::system::error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  }
  ~HttpSession() override { connections_.remove(this); }

  void run() {
    connections_.add(shared_from_this(), peer_);
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = shared_from_this()](boost::system::error_code ec) {
                              if (ec) {
                                // Browsers probing a self-signed cert, plain-HTTP clients, port scans.
                                logDebug("http", self->peer_ + " TLS handshake failed: " + ec.message());
                                return;
                              }
                              self->read();
                            });
  }

  void abort() override { shutdown(); }
  void shutdown() override {
    shuttingDown_ = true;
    boost::system::error_code ec;
    beast::get_lowest_layer(stream_).socket().close(ec);
  }

 private:
  void read() {
    if (shuttingDown_) return;
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(boost::system::error_code ec) {
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::body_limit) {
      HttpRequest stub;
      stub.version(11);
      stub.keep_alive(false);
      return write(jsonError(stub, http::status::payload_too_large, "body: larger than the 1 MiB limit"));
    }
    if (ec) {
      if (ec != beast::error::timeout && ec != asio::error::operation_aborted)
        logDebug("http", peer_ + " read failed: " + ec.message());
      return;
    }
    HttpRequest request = parser_->release();
    if (beast::websocket::is_upgrade(request)) {
      WsEndpoint* endpoint = router_.webSocketEndpointFor(request);
      if (!endpoint) {
        return write(jsonError(request, http::status::not_found,
                               "no WebSocket endpoint at " + targetPath(request.target())));
      }
      beast::get_lowest_layer(stream_).expires_never();
      connections_.remove(this);
      startWebSocketSession(std::move(stream_), std::move(request), *endpoint, connections_, peer_);
      return;
    }
    const bool keepAlive = request.keep_alive();
    const unsigned version = request.version();
    // A feature may answer later (after an origin round trip); exactly one answer counts.
    auto answered = std::make_shared<bool>(false);
    const auto finish = [self = shared_from_this(), answered, keepAlive, version](auto res) {
      if (*answered) return;
      *answered = true;
      res.version(version);
      if (!keepAlive) res.keep_alive(false);
      self->write(std::move(res));
    };
    router_.handle(std::move(request), [finish](HttpResponse res) { finish(std::move(res)); },
                   [finish](FileResponse res) { finish(std::move(res)); });
  }

  // One response in flight at a time; it lives in response_ until written (a file body streams from
  // disk in Beast-sized pieces).
  template <class Body>
  void write(beast::http::response<Body> res) {
    if (shuttingDown_) return;
    if (!res.has_content_length() && !res.chunked()) res.prepare_payload();
    if (res.find(http::field::server) == res.end()) res.set(http::field::server, "confhost-server");
    auto response = std::make_shared<beast::http::response<Body>>(std::move(res));
    response_ = response;
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), keepAlive = response->keep_alive()](boost::system::error_code ec,
                                                                                        std::size_t) {
                        self->response_.reset();
                        if (ec) return;
                        if (!keepAlive) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](boost::system::error_code) {
      boost::system::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  TlsStream stream_;
  const Router& router_;
  ConnectionSet& connections_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  std::string peer_;
  bool shuttingDown_ = false;
};

}  // namespace

void startHttpSession(tcp::socket socket, asio::ssl::context& tls, const Router& router, ConnectionSet& connections) {
  std::make_shared<HttpSession>(std::move(socket), tls, router, connections)->run();
}

}  // namespace confhost
