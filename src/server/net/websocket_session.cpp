#include "server/net/websocket_session.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <exception>

#include "core/protocol/json_limits.hpp"
#include "server/logging/log.hpp"
#include "server/net/send_budget.hpp"

namespace confhost {
namespace {

namespace asio = boost::asio;
namespace websocket = beast::websocket;

// A reader this far behind is not going to catch up; dropping it protects everyone else's latency.
constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;
// A socket closed for the budget gets this long to take its close frame before the TCP connection is cut.
constexpr auto kEvictionGrace = std::chrono::seconds(5);

class WebSocketSession : public WsConnection,
                         public Closable,
                         public SendBudget::Queue,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(TlsStream stream, HttpRequest upgrade, WsEndpoint& endpoint, ConnectionSet& connections,
                   std::string peer)
      : ws_(std::move(stream)), upgrade_(std::move(upgrade)), endpoint_(endpoint), connections_(connections),
        peer_(std::move(peer)), evictionDeadline_(ws_.get_executor()) {}
  ~WebSocketSession() override {
    auto& budget = webSocketSendBudget();
    budget.leave(this);
    for (const auto& text : queue_) budget.release(text.get());
    connections_.remove(static_cast<Closable*>(this));
  }

  void run() {
    connections_.add(std::static_pointer_cast<Closable>(shared_from_this()), peer_);
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    // Consoles sit idle for long stretches: ping them instead of dropping them.
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(kWebSocketTransportLimit);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "confhost-server"); }));
    ws_.async_accept(upgrade_, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) {
        logDebug("websocket", self->peer_ + " upgrade failed: " + ec.message());
        return;
      }
      self->opened_ = true;
      webSocketSendBudget().join(self.get());
      // Even when the feature failed, keep reading: the read reports the closure, so closed() follows.
      self->guarded("opening the socket", [&] { self->endpoint_.opened(self, self->upgrade_); });
      self->read();
    });
  }

  void send(std::shared_ptr<const std::string> text) override {
    if (closing_ || !opened_) return;
    if (queuedBytes_ + text->size() > kMaxQueuedBytes) {
      // A close frame would wait behind the backlog; drop the TCP connection instead (the write in
      // flight still owns its buffer, so the queue is left alone until the handlers unwind).
      logWarn("websocket", peer_ + " is not reading its messages (8 MiB queued); disconnecting it");
      closing_ = true;
      boost::system::error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return;
    }
    queuedBytes_ += text->size();
    webSocketSendBudget().hold(text.get());
    queue_.push_back(std::move(text));
    if (!writing_) writeNext();
    webSocketSendBudget().enforce();
  }

  std::size_t queuedBytes() const override { return queuedBytes_; }

  void evictForBudget() override {
    if (closing_) return;
    auto& budget = webSocketSendBudget();
    logWarn("websocket", peer_ + " reads too slowly: " + std::to_string(queuedBytes_) +
                             " bytes queued while all sockets together are over the " +
                             std::to_string(budget.limit() / (1024 * 1024)) + " MiB send budget; closing it");
    // Everything but the frame being written goes now, so the close frame is next on the wire.
    const std::size_t keep = writing_ ? 1 : 0;
    while (queue_.size() > keep) {
      queuedBytes_ -= queue_.back()->size();
      budget.release(queue_.back().get());
      queue_.pop_back();
    }
    close(static_cast<std::uint16_t>(websocket::close_code::try_again_later),
          "send queue over the server's budget: this client reads too slowly");
    // A reader that takes nothing will not take the close frame either.
    evictionDeadline_.expires_after(kEvictionGrace);
    evictionDeadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (auto self = weak.lock(); self && !ec) self->abort();
    });
  }

  void close(std::uint16_t code, std::string reason) override {
    if (closing_ || !opened_) return;
    closing_ = true;
    // Beast limits the reason to 123 bytes (a control frame carries at most 125).
    if (reason.size() > 123) reason.resize(123);
    closeReason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    if (!writing_) sendClose();
  }

  const std::string& peer() const override { return peer_; }

  void abort() override {
    closing_ = true;
    boost::system::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  void shutdown() override {
    if (!opened_) {
      boost::system::error_code ec;
      beast::get_lowest_layer(ws_).socket().close(ec);
      return;
    }
    close(websocket::close_code::going_away, "server shutting down");
  }

 private:
  // Runs a feature callback; an exception closes this socket with 1011 and a reason instead of
  // unwinding into the io_context (which would end the server). False when it threw.
  // The caller goes on reading either way: the read reports the closure, so closed() still follows.
  template <class F>
  bool guarded(const char* what, F&& f) {
    std::string error;
    try {
      f();
      return true;
    } catch (const std::exception& e) {
      error = printableText(e.what(), 100);
    } catch (...) {
      error = "unknown exception";
    }
    logError("websocket", peer_ + ": failed " + what + ": " + error + "; closing the socket");
    close(static_cast<std::uint16_t>(websocket::close_code::internal_error), "internal error: " + error);
    return false;
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->reportClosed(ec);
      const bool binary = !self->ws_.got_text();
      const std::string data = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->guarded("handling a message", [&] { self->endpoint_.message(*self, data, binary); });
      self->read();
    });
  }

  void writeNext() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      self->writing_ = false;
      if (!self->queue_.empty()) {
        self->queuedBytes_ -= self->queue_.front()->size();
        webSocketSendBudget().release(self->queue_.front().get());
        self->queue_.pop_front();
      }
      if (ec) {
        // The read side reports the closure; make sure it notices.
        boost::system::error_code ignored;
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
        return;
      }
      if (!self->queue_.empty()) return self->writeNext();
      if (self->closing_) self->sendClose();
    });
  }

  void sendClose() {
    if (closeSent_) return;
    closeSent_ = true;
    ws_.async_close(closeReason_, [self = shared_from_this()](boost::system::error_code) {
      // The pending read completes with `closed` and reports it.
    });
  }

  void reportClosed(boost::system::error_code ec) {
    if (!opened_ || reported_) return;
    reported_ = true;
    closing_ = true;
    if (ec == websocket::error::message_too_big)
      logInfo("websocket", peer_ + " sent a frame over " + std::to_string(kWebSocketTransportLimit) +
                               " bytes; closed with 1009");
    guarded("closing the socket", [&] { endpoint_.closed(*this); });
  }

  websocket::stream<TlsStream> ws_;
  HttpRequest upgrade_;
  WsEndpoint& endpoint_;
  ConnectionSet& connections_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queuedBytes_ = 0;
  websocket::close_reason closeReason_;
  boost::asio::steady_timer evictionDeadline_;
  bool opened_ = false, writing_ = false, closing_ = false, closeSent_ = false, reported_ = false;
};

}  // namespace

void startWebSocketSession(TlsStream stream, HttpRequest upgrade, WsEndpoint& endpoint, ConnectionSet& connections,
                           std::string peer) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(upgrade), endpoint, connections, std::move(peer))
      ->run();
}

}  // namespace confhost
