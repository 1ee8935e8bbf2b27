#include "server/origin/janus_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream_base.hpp>

#include <utility>

#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"

namespace confhost {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using Json = nlohmann::json;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr auto kKeepaliveEvery = std::chrono::seconds(25);
constexpr auto kRetryEvery = std::chrono::milliseconds(50);

// Janus core errors: {janus:"error", error:{code, reason}}; plugin errors: plugindata.data.{error_code, error}.
Status errorOf(const Json& msg) {
  if (msg.value("janus", "") == "error") {
    const auto& e = msg.value("error", Json::object());
    return Error{"", e.value("reason", std::string("unknown Janus error")), e.value("code", 0)};
  }
  if (msg.contains("plugindata") && msg["plugindata"].contains("data")) {
    const auto& d = msg["plugindata"]["data"];
    if (d.is_object() && d.contains("error_code"))
      return Error{"", d.value("error", std::string("unknown plugin error")), d.value("error_code", 0)};
  }
  return {};
}

}  // namespace

std::shared_ptr<JanusClient> JanusClient::create(asio::io_context& io) {
  return std::shared_ptr<JanusClient>(new JanusClient(io));
}

JanusClient::JanusClient(asio::io_context& io) : io_(io), retryTimer_(io), keepaliveTimer_(io) {}

void JanusClient::connect(const std::string& host, unsigned short port, std::chrono::milliseconds retryFor,
                          std::function<void(Status)> done) {
  if (state_ != State::Idle) close();
  host_ = host;
  port_ = port;
  connectDeadline_ = std::chrono::steady_clock::now() + retryFor;
  connectDone_ = std::move(done);
  state_ = State::Connecting;
  tryConnect();
}

void JanusClient::tryConnect() {
  const unsigned gen = ++generation_;
  ws_ = std::make_unique<Ws>(io_);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host_, ec);
  if (ec) return connectFailed("bad Janus address " + host_);
  auto self = shared_from_this();
  ws_->next_layer().async_connect(asio::ip::tcp::endpoint(address, port_), [this, self, gen](boost::system::error_code ec) {
    if (gen != generation_ || state_ != State::Connecting) return;
    if (ec) return connectFailed("cannot connect to Janus at " + host_ + ":" + std::to_string(port_) + ": " + ec.message());
    ws_->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(boost::beast::http::field::sec_websocket_protocol, "janus-protocol");
    }));
    ws_->async_handshake(host_ + ":" + std::to_string(port_), "/", [this, self, gen](boost::system::error_code ec) {
      if (gen != generation_ || state_ != State::Connecting) return;
      if (ec) return connectFailed("Janus WebSocket handshake failed: " + ec.message());
      ws_->text(true);
      startReading();
      // The transport being up is not enough: wait until the core answers.
      send(Json{{"janus", "info"}}, false, [this, self, gen](Expected<Json> r) {
        if (gen != generation_ || state_ != State::Connecting) return;
        if (!r) return connectFailed("Janus did not answer info: " + r.error().reason);
        state_ = State::Connected;
        unavailableReason_.clear();
        logInfo("janus", std::string(LogText() << "API answers at ws://" << host_ << ":" << port_ << " (Janus "
                  << r.value().value("version_string", std::string("?")) << ")"));
        if (auto done = std::move(connectDone_)) done(Status{});
      });
    });
  });
}

void JanusClient::connectFailed(const std::string& error) {
  logDebug("janus", "connect attempt failed: " + error);
  // Drop whatever the failed attempt left (a pending info request, a half-open socket).
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [t, p] : pending)
    if (p.timeout) p.timeout->cancel();
  ws_.reset();
  writeQueue_.clear();
  writing_ = false;
  if (std::chrono::steady_clock::now() >= connectDeadline_) {
    state_ = State::Idle;
    unavailableReason_ = "the origin media server (Janus) is unreachable: " + error;
    if (auto done = std::move(connectDone_)) done(Error{"", error});
    return;
  }
  retryTimer_.expires_after(kRetryEvery);
  auto self = shared_from_this();
  retryTimer_.async_wait([this, self](boost::system::error_code ec) {
    if (!ec && state_ == State::Connecting) tryConnect();
  });
}

void JanusClient::startReading() {
  auto self = shared_from_this();
  const unsigned gen = generation_;
  ws_->async_read(readBuffer_, [this, self, gen](boost::system::error_code ec, std::size_t) {
    if (gen != generation_) return;
    if (ec) return lost("connection to Janus lost: " + ec.message());
    std::string text = boost::beast::buffers_to_string(readBuffer_.data());
    readBuffer_.consume(readBuffer_.size());
    onText(text);
    if (gen == generation_ && ws_) startReading();
  });
}

void JanusClient::onText(const std::string& text) {
  Json msg = Json::parse(text, nullptr, false);
  if (msg.is_discarded() || !msg.is_object()) {
    logWarn("janus", "unparseable message ignored");
    return;
  }
  const std::string kind = msg.value("janus", "");
  const std::string transaction = msg.value("transaction", "");
  if (kind == "timeout") {  // our session expired (keepalives stopped?): everything on it is gone
    logWarn("janus", "session timed out");
    sessionId_.reset();
    auto handles = std::move(handles_);
    handles_.clear();
    for (auto& [id, handler] : handles)
      if (handler) handler(Json{{"janus", "detached"}, {"sender", id}});
    return;
  }
  if (!transaction.empty()) {
    auto it = pending_.find(transaction);
    if (it != pending_.end()) {
      if (kind == "ack") {
        if (it->second.completeOnAck) complete(transaction, msg);
        return;
      }
      if (kind == "success" || kind == "error" || kind == "event" || kind == "server_info") {
        if (auto err = errorOf(msg); !err) complete(transaction, err.error());
        else complete(transaction, msg);
        return;
      }
    }
    if (kind == "ack") return;  // a late ack of a request that already completed on its event
  }
  if (msg.contains("sender")) {
    const HandleId sender = msg["sender"].get<HandleId>();
    auto it = handles_.find(sender);
    if (it == handles_.end()) return;
    EventHandler handler = it->second;  // copy: the handler may detach (and erase) itself
    if (kind == "detached") handles_.erase(it);
    if (handler) handler(msg);
  }
}

void JanusClient::complete(const std::string& transaction, Expected<Json> result) {
  auto it = pending_.find(transaction);
  if (it == pending_.end()) return;
  Pending p = std::move(it->second);
  pending_.erase(it);
  if (p.timeout) p.timeout->cancel();
  if (p.done) p.done(std::move(result));
}

void JanusClient::failSoon(Callback done) {
  // Always asynchronous, so callers never see their callback run inside their own call.
  std::string reason = unavailableReason_.empty() ? "no Janus session (it was restarted)" : unavailableReason_;
  if (done) asio::post(io_, [done = std::move(done), reason]() { done(Error{"", reason}); });
}

void JanusClient::send(Json request, bool completeOnAck, Callback done) {
  if (!ws_ || (state_ != State::Connected && request.value("janus", "") != "info")) {
    return failSoon(std::move(done));
  }
  const std::string transaction = "t" + std::to_string(nextTransaction_++);
  request["transaction"] = transaction;
  // SDPs and candidates come from browsers and clients: bytes that are not UTF-8 cannot be sent as
  // JSON (nlohmann throws on them), and replacing them would hand Janus a silently different SDP.
  std::string text;
  try {
    text = request.dump();
  } catch (const Json::type_error&) {
    Error refused{"", "request: contains text that is not valid UTF-8 (SDP and candidates must be UTF-8)"};
    if (done) asio::post(io_, [done = std::move(done), refused]() { done(refused); });
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(io_, kRequestTimeout);
  const std::string what = request.value("janus", "");
  auto self = shared_from_this();
  timer->async_wait([this, self, transaction, what](boost::system::error_code ec) {
    if (!ec) complete(transaction, Error{"", "Janus did not answer '" + what + "' within 10 s"});
  });
  pending_[transaction] = Pending{std::move(done), completeOnAck, timer};
  writeQueue_.push_back(std::move(text));
  flushWrites();
}

void JanusClient::flushWrites() {
  if (writing_ || writeQueue_.empty() || !ws_) return;
  writing_ = true;
  auto self = shared_from_this();
  const unsigned gen = generation_;
  ws_->async_write(asio::buffer(writeQueue_.front()), [this, self, gen](boost::system::error_code ec, std::size_t) {
    if (gen != generation_) return;
    writing_ = false;
    if (ec) return lost("writing to Janus failed: " + ec.message());
    writeQueue_.pop_front();
    flushWrites();
  });
}

void JanusClient::lost(const std::string& reason) {
  if (state_ == State::Connecting) return connectFailed(reason);
  if (state_ == State::Idle) return;
  logWarn("janus", std::string(LogText() << reason));
  ++generation_;
  state_ = State::Idle;
  unavailableReason_ = "the origin media server (Janus) is unavailable: " + reason;
  ws_.reset();
  writeQueue_.clear();
  writing_ = false;
  keepaliveTimer_.cancel();
  sessionId_.reset();
  creatingSession_ = false;
  handles_.clear();
  for (auto& w : std::exchange(sessionWaiters_, {})) w(Error{"", unavailableReason_});
  for (auto& [t, p] : std::exchange(pending_, {})) {
    if (p.timeout) p.timeout->cancel();
    if (p.done) p.done(Error{"", unavailableReason_});
  }
  if (onDown_) onDown_(reason);
}

void JanusClient::close(const std::string& reason) {
  if (state_ == State::Idle) return;
  connectDeadline_ = std::chrono::steady_clock::now();  // a connect in progress gives up instead of retrying
  if (state_ == State::Connected && sessionId_ && ws_) {
    // Best effort: tell Janus to drop our session and its handles before the socket goes.
    boost::system::error_code ec;
    const std::string destroy = Json{{"janus", "destroy"}, {"session_id", *sessionId_}, {"transaction", "bye"}}.dump();
    ws_->write(asio::buffer(destroy), ec);
    ws_->close(websocket::close_code::normal, ec);
  }
  retryTimer_.cancel();
  lost(reason);
}

void JanusClient::withSession(std::function<void(Expected<std::uint64_t>)> then) {
  if (sessionId_) return then(*sessionId_);
  sessionWaiters_.push_back(std::move(then));
  if (creatingSession_) return;
  creatingSession_ = true;
  auto self = shared_from_this();
  send(Json{{"janus", "create"}}, false, [this, self](Expected<Json> r) {
    creatingSession_ = false;
    auto waiters = std::exchange(sessionWaiters_, {});
    if (r) {
      sessionId_ = r.value()["data"]["id"].get<std::uint64_t>();
      scheduleKeepalive();
    }
    for (auto& w : waiters) {
      if (r) w(*sessionId_);
      else w(r.error());
    }
  });
}

void JanusClient::scheduleKeepalive() {
  keepaliveTimer_.expires_after(kKeepaliveEvery);
  auto self = shared_from_this();
  keepaliveTimer_.async_wait([this, self](boost::system::error_code ec) {
    if (ec || !sessionId_ || state_ != State::Connected) return;
    send(Json{{"janus", "keepalive"}, {"session_id", *sessionId_}}, true, [](Expected<Json> r) {
      if (!r) logWarn("janus", std::string(LogText() << "keepalive failed: " << r.error().reason));
    });
    scheduleKeepalive();
  });
}

void JanusClient::attach(const std::string& plugin, EventHandler onEvent, std::function<void(Expected<HandleId>)> done) {
  auto self = shared_from_this();
  withSession([this, self, plugin, onEvent = std::move(onEvent), done = std::move(done)](Expected<std::uint64_t> s) mutable {
    if (!s) return done(s.error());
    send(Json{{"janus", "attach"}, {"session_id", s.value()}, {"plugin", plugin}}, false,
         [this, self, onEvent = std::move(onEvent), done = std::move(done)](Expected<Json> r) mutable {
           if (!r) return done(r.error());
           const HandleId id = r.value()["data"]["id"].get<HandleId>();
           handles_[id] = std::move(onEvent);
           done(id);
         });
  });
}

void JanusClient::message(HandleId handle, Json body, std::optional<Json> jsep, Callback done) {
  if (!sessionId_) return failSoon(std::move(done));
  Json request{{"janus", "message"}, {"session_id", *sessionId_}, {"handle_id", handle}, {"body", std::move(body)}};
  if (jsep) request["jsep"] = std::move(*jsep);
  send(std::move(request), false, std::move(done));
}

void JanusClient::trickle(HandleId handle, Json candidatesOrCompleted, Callback done) {
  if (!sessionId_) return failSoon(std::move(done));
  Json request{{"janus", "trickle"}, {"session_id", *sessionId_}, {"handle_id", handle}};
  if (candidatesOrCompleted.is_array()) request["candidates"] = std::move(candidatesOrCompleted);
  else request["candidate"] = std::move(candidatesOrCompleted);
  send(std::move(request), true, std::move(done));
}

void JanusClient::detach(HandleId handle) {
  if (handles_.erase(handle) == 0 || !sessionId_) return;
  send(Json{{"janus", "detach"}, {"session_id", *sessionId_}, {"handle_id", handle}}, false, [handle](Expected<Json> r) {
    if (!r) logWarn("janus", std::string(LogText() << "detach of handle " << handle << " failed: " << r.error().reason));
  });
}

}  // namespace confhost
