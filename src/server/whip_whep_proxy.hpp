#pragma once
// The WHIP/WHEP proxy (SPEC 4.3-4.5): the browser only talks HTTPS to the secure front; this relays
// signalling to the plain origin (Janus) over its private WebSocket API.
//
// Routes (everything under /as/v1/proxy/):
//   POST   whip/<scope>/<stream>        application/sdp offer → VideoRoom publisher in room <scope> (created
//                                       on demand, string id) with id = display = <stream>;
//                                       201 Created + answer, Location, ETag.
//   POST   whep/<scope>/<stream>        (body: an offer, ignored, or empty) → VideoRoom subscriber of <stream>.
//                                       Janus 1.1.2 subscribers are server-offer only, so the answer is
//                                       406 Not Acceptable + Janus's OFFER (application/sdp), Location, ETag;
//                                       the client sends its answer with PATCH <Location> (application/sdp)
//                                       → 204 (the convention of the public janus-whep-server).
//                                       A play of a publish answered but not yet up waits for its webrtcup.
//   POST   conference/<scope>/<stream>  sendrecv audio offer → AudioBridge room <scope>: 201 + answer; the
//          [?muted=true]                participant hears everyone but itself (mix-minus). A mixer joins
//                                       with the query parameter `muted=true`: it sends nothing into the mix
//                                       and receives the full mix of the room.
//   PATCH  resource/<id>                application/trickle-ice-sdpfrag (If-Match: <ETag>, 412 when it does not
//                                       match) → Janus trickle → 204; application/sdp → the WHEP answer.
//   DELETE resource/<id>                → the Janus handle is detached → 200.
//   GET    debug                        JSON: Janus connection, handle count, live resources without their
//                                       ids (ids are capabilities: they allow DELETE) — tests use it
//                                       to prove a vanished client left no handle behind).
// Errors carry a plain-text reason: 400 bad/missing SDP or name, 403 banned stream name, 404 unknown
// stream (WHEP) or resource, 409 stream name already publishing in that scope, 412 ETag mismatch,
// 415 wrong Content-Type, 503 the origin is down (with why), 502 the origin refused for another reason.
//
// Lifecycle: a published stream is announced to StreamEvents when its PeerConnection is up (Janus
// `webrtcup`) and withdrawn on DELETE, on Janus `hangup`/`detached` for its handle, when the peer never
// connects within `connectTimeout` (a client that vanished mid-negotiation leaves no handle), when a
// sending peer (WHIP, conference) stops sending any media for `silenceTimeout` (Janus's `media`
// events; a closed tab sends no DTLS alert, so this is how its death shows within seconds), or when
// Janus goes away (its handles die with it; clients re-publish after the restart). A WHEP viewer sends
// no media; its vanishing is caught by ICE keepalive connectivity checks (Janus hangs up, ~50 s).
// When a publish ends, for whatever reason, the WHEP viewers of that stream are ended with it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.hpp"
#include "janus_client.hpp"
#include "stream_events.hpp"

namespace confhost {

class WhipWhepProxy {
 public:
  static constexpr std::string_view kPrefix = "/as/v1/proxy/";
  struct Options {
    std::chrono::milliseconds connectTimeout{20000};  // POST → webrtcup, else the resource is reaped
    // A publisher or conference participant from which Janus receives no media at all for this long
    // is gone (tab closed, machine asleep): browsers send RTP continuously, even for a muted track.
    std::chrono::milliseconds silenceTimeout{4000};
  };

  WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events, Options options);
  WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events)
      : WhipWhepProxy(io, std::move(janus), events, Options{}) {}
  ~WhipWhepProxy();

  static bool matches(std::string_view target) { return target.substr(0, kPrefix.size()) == kPrefix; }
  // Answers through `respond` exactly once, usually after a Janus round trip.
  void handle(const HttpRequest& request, Respond respond);

  // Ends, as a DELETE would, the publish (with its viewers) and the conference join of `stream` in
  // `scope`: for a mixer that was killed, whose peer connections would otherwise linger until
  // `silenceTimeout`. Unknown names are no-ops.
  void endSessionsOf(const std::string& scope, const std::string& stream, const std::string& reason);

  nlohmann::json debugJson() const;
  std::size_t resourceCount() const { return resources_.size(); }

 private:
  enum class Kind { Whip, Whep, Conference };
  struct Resource {
    std::string id;
    Kind kind;
    std::string scope, stream;
    JanusClient::HandleId handle = 0;
    std::string etag;
    std::map<std::string, int> mlineOfMid;  // from the SDP both sides share, for trickle candidates
    bool negotiated = false;                // the POST (and for WHEP the PATCH answer) completed
    bool up = false;                        // Janus said webrtcup
    bool announced = false;                 // StreamEvents::streamStarted was called
    std::chrono::steady_clock::time_point created;
    std::unique_ptr<boost::asio::steady_timer> connectTimer;
    std::map<std::string, bool> receiving;  // per mid (or media type): is Janus getting media from the peer
    std::unique_ptr<boost::asio::steady_timer> silenceTimer;
    // WHEP plays that arrived between this publish's answer and its webrtcup: Janus has no feed to
    // subscribe to until then. Called with true at webrtcup, with false when the publish ends first.
    std::vector<std::function<void(bool up)>> waitingPlays;
  };

  void publish(const HttpRequest& req, Respond respond, std::string scope, std::string stream);
  void play(const HttpRequest& req, Respond respond, std::string scope, std::string stream);
  void subscribe(const HttpRequest& req, Respond respond, const std::string& scope, const std::string& stream);
  void joinConference(const HttpRequest& req, Respond respond, std::string scope, std::string stream, bool muted);
  void patch(const HttpRequest& req, Respond respond, const std::string& id);
  void remove(const HttpRequest& req, Respond respond, const std::string& id);

  Resource& newResource(Kind kind, const std::string& scope, const std::string& stream);
  Resource* find(const std::string& id);
  // Attaches a handle for `r` (events routed to onJanusEvent) then runs `then`.
  void attachFor(const std::string& id, const std::string& plugin, std::function<void(Expected<JanusClient::HandleId>)> then);
  void onJanusEvent(const std::string& id, const nlohmann::json& msg);
  void teardown(const std::string& id, const std::string& reason, bool detach);
  void janusDown(const std::string& reason);
  std::string publisherResourceOf(const std::string& scope, const std::string& stream) const;

  boost::asio::io_context& io_;
  std::shared_ptr<JanusClient> janus_;
  StreamEvents& events_;
  Options options_;
  std::map<std::string, std::unique_ptr<Resource>> resources_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // Janus callbacks may outlive us
};

}  // namespace confhost
