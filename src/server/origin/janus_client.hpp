#pragma once
// Client of the origin's control API: Janus's WebSocket API ("janus-protocol" subprotocol), plain ws
// to a private address (the origin is never exposed: clients reach it only through the proxy). One connection, one Janus session, many
// plugin handles.
//
// Request/answer matching is on `transaction` only. Janus answers a plugin message with an `ack`
// followed by an `event`, but the ack may arrive AFTER the event (verified on 1.1.2), so a request
// completes on its `success`/`error`/`event`; only requests that Janus answers with nothing but an ack
// (keepalive, trickle) complete on the ack. Messages without a pending transaction (webrtcup, hangup,
// media, detached, asynchronous plugin events) go to the handler registered for their handle.
//
// Everything runs on the server's one io_context. The session is kept alive with a keepalive every
// 25 s (Janus's session timeout is 60 s). When the connection drops (Janus died or restarts) every
// pending request fails with the reason, every handle is forgotten and the `onDown` observer is told,
// so the proxy can drop its resources; connect() is then called again by JanusProcess.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/protocol/expected.hpp"

namespace confhost {

// The Janus error codes the stack acts on, by their names in Janus 1.1.2 (apierror.h,
// plugins/janus_videoroom.c, plugins/janus_audiobridge.c). An Error with janusCode 0 is not from
// Janus: the transport failed (Janus is down).
namespace janus {
inline constexpr int kTransportFailed = 0;
inline constexpr int kSessionNotFound = 458;
inline constexpr int kHandleNotFound = 459;
inline constexpr int kJsepUnknownType = 464;
inline constexpr int kJsepInvalidSdp = 465;
inline constexpr int kVideoRoomAlreadyJoined = 425;
inline constexpr int kVideoRoomNoSuchRoom = 426;
inline constexpr int kVideoRoomExists = 427;
inline constexpr int kVideoRoomNoSuchFeed = 428;
inline constexpr int kVideoRoomInvalidSdpType = 431;
inline constexpr int kVideoRoomPublishersFull = 432;
inline constexpr int kVideoRoomAlreadyPublished = 434;
inline constexpr int kVideoRoomIdExists = 436;
inline constexpr int kVideoRoomInvalidSdp = 437;
inline constexpr int kAudioBridgeNoSuchRoom = 485;
inline constexpr int kAudioBridgeRoomExists = 486;
inline constexpr int kAudioBridgeAlreadyJoined = 491;
inline constexpr int kAudioBridgeNoSuchUser = 492;
}  // namespace janus

class JanusClient : public std::enable_shared_from_this<JanusClient> {
 public:
  using Json = nlohmann::json;
  using HandleId = std::uint64_t;
  // Plugin answers: the whole Janus message ({janus:"event"|"success", plugindata:{data}, jsep?}).
  // Errors: Error{"", reason, janusCode} where janusCode is one of janus::k... (0 for transport
  // problems), so callers can map codes to HTTP statuses.
  using Callback = std::function<void(Expected<Json>)>;
  using EventHandler = std::function<void(const Json& message)>;

  static std::shared_ptr<JanusClient> create(boost::asio::io_context& io);

  // Connects to ws://host:port and checks the API answers (`info`); retries every 50 ms for up to
  // `retryFor`. `done` gets ok or the last error.
  void connect(const std::string& host, unsigned short port, std::chrono::milliseconds retryFor,
               std::function<void(Status)> done);
  // Closes the connection (destroying the session first when possible). Pending requests fail.
  void close(const std::string& reason = "closed by the server");
  bool connected() const { return state_ == State::Connected; }
  // Why requests cannot be served right now ("Janus is restarting after it exited ...").
  const std::string& unavailableReason() const { return unavailableReason_; }
  void setUnavailableReason(std::string reason) { unavailableReason_ = std::move(reason); }
  // Called once per lost connection, with the reason.
  void onDown(std::function<void(const std::string& reason)> observer) { onDown_ = std::move(observer); }

  // Attach a plugin handle ("janus.plugin.videoroom"); creates the session on first use.
  void attach(const std::string& plugin, EventHandler onEvent, std::function<void(Expected<HandleId>)> done);
  // A plugin request; completes on the plugin's answer. Plugin-level errors ({error_code, error} in
  // plugindata.data) are turned into errors too.
  void message(HandleId handle, Json body, std::optional<Json> jsep, Callback done);
  // Trickle candidates (array of {candidate, sdpMid, sdpMLineIndex}) or {completed:true}.
  void trickle(HandleId handle, Json candidatesOrCompleted, Callback done);
  // Detach (Janus hangs up the PeerConnection and the plugin leaves the room). Fire and forget.
  void detach(HandleId handle);

  std::size_t handleCount() const { return handles_.size(); }
  bool hasSession() const { return sessionId_.has_value(); }

 private:
  enum class State { Idle, Connecting, Connected };
  struct Pending {
    Callback done;
    bool completeOnAck;
    std::shared_ptr<boost::asio::steady_timer> timeout;
  };
  using Ws = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;

  explicit JanusClient(boost::asio::io_context& io);
  void tryConnect();
  void connectFailed(const std::string& error);
  void startReading();
  void onText(const std::string& text);
  void send(Json request, bool completeOnAck, Callback done);
  void flushWrites();
  void failSoon(Callback done);
  void lost(const std::string& reason);
  void withSession(std::function<void(Expected<std::uint64_t>)> then);
  void scheduleKeepalive();
  void complete(const std::string& transaction, Expected<Json> result);

  boost::asio::io_context& io_;
  State state_ = State::Idle;
  std::unique_ptr<Ws> ws_;
  unsigned generation_ = 0;  // bumps per connection: completions of an older one are ignored
  boost::beast::flat_buffer readBuffer_;
  std::deque<std::string> writeQueue_;
  bool writing_ = false;

  std::string host_;
  unsigned short port_ = 0;
  std::chrono::steady_clock::time_point connectDeadline_;
  std::function<void(Status)> connectDone_;
  boost::asio::steady_timer retryTimer_;
  boost::asio::steady_timer keepaliveTimer_;

  std::uint64_t nextTransaction_ = 1;
  std::map<std::string, Pending> pending_;
  std::optional<std::uint64_t> sessionId_;
  bool creatingSession_ = false;
  std::vector<std::function<void(Expected<std::uint64_t>)>> sessionWaiters_;
  std::map<HandleId, EventHandler> handles_;
  std::string unavailableReason_ = "the origin media server (Janus) is not running";
  std::function<void(const std::string&)> onDown_;
};

}  // namespace confhost
