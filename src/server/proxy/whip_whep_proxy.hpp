#pragma once
// The WHIP/WHEP proxy: the browser only talks HTTPS to the secure front; this relays
// signalling to the plain origin (Janus) over its private WebSocket API.
//
// Routes (under kProxyPrefix, and the same under Red5 origin paths, see core/media/proxy_path.hpp):
//   POST   whip/<scope>/<stream>        application/sdp offer → VideoRoom publisher in room <scope> (created
//                                       on demand, string id) with id = display = <stream>;
//                                       201 Created + answer, Location, ETag, Link (ICE servers).
//   POST   whep/<scope>/<stream>        Janus 1.1.2 subscribers are server-offer only, so:
//          - empty body: server-offer mode → 201 Created + Janus's OFFER (a=setup:actpass), Location,
//            ETag, Link; the client PATCHes its answer (application/sdp) → 204 (Red5 Pro's WHEPClient,
//            older WHEP drafts);
//          - an SDP offer and a WhepBridge available → the bridge answers it: 201 Created + answer
//            (the WHEP draft); Janus's offer is answered by the bridge;
//          - an SDP offer, no bridge → 406 Not Acceptable + Janus's offer, answered by PATCH (the
//            convention of the public janus-whep-server; the console's client accepts all three).
//          A stream not published (yet) → 409 Conflict + Retry-After (the WHEP draft). A play of a
//          publish answered but not yet up waits for its webrtcup.
//   POST   conference/<scope>/<stream>  sendrecv audio offer → AudioBridge room <scope>: 201 + answer; the
//          [?muted=true]                participant hears everyone but itself (mix-minus). A mixer joins
//                                       with `muted=true`: it sends nothing into the mix and hears it all.
//                                       The room detects speech: who talks goes to StreamEvents
//                                       (talkingChanged), a muted join never counts (talking_streams.hpp).
//   PATCH  resource/<id>                application/trickle-ice-sdpfrag → Janus trickle → 204; with new
//                                       a=ice-ufrag/a=ice-pwd it is an ICE restart (needs If-Match, 428
//                                       without) → 200 + Janus's new ICE fragment and a new ETag;
//                                       application/sdp → the WHEP client's answer to a server offer → 204.
//                                       If-Match other than the current ETag or "*" → 412.
//   DELETE resource/<id>                → the Janus handle is detached (and the bridge closed) → 200.
//   OPTIONS any of them                 → 204 with CORS, Accept-Post / Accept-Patch and the Link headers.
//   GET    debug                        (Stream Manager token: ?accessToken= or Authorization: Bearer; else
//                                       401) JSON: Janus connection, handle count, rooms, live resources
//                                       without their ids (ids are capabilities: they allow DELETE).
//   Other methods → 405 with Allow (RFC 9725 4.2 reserves GET, HEAD, PUT for future versions).
// Errors carry a plain-text reason: 400 bad/missing SDP or name, 403 banned stream name, 404 unknown
// resource, 409 stream already publishing (or not publishing, for WHEP), 412 ETag mismatch, 413 SDP too
// large, 415 wrong Content-Type, 422 an ICE restart Janus refused (the session goes on), 428 restart
// without If-Match, 503 the origin is down or a quota is full (with Retry-After), 502 other refusals.
//
// Quotas, so no client can exhaust the origin: `maxSessions` resources in all, `maxViewersPerStream` WHEP viewers per stream, and
// JanusRooms' cap on scopes with live rooms (idle rooms are destroyed).
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
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/media/proxy_path.hpp"
#include "core/media/sdp.hpp"
#include "server/conference/stream_events.hpp"
#include "server/net/http_types.hpp"
#include "server/origin/janus_client.hpp"
#include "server/origin/janus_rooms.hpp"
#include "server/proxy/bridge/whep_bridge.hpp"
#include "server/proxy/ice_servers.hpp"
#include "server/proxy/resource_phase.hpp"
#include "server/proxy/talking_streams.hpp"

namespace confhost {

class WhipWhepProxy {
 public:
  static constexpr std::size_t kMaxSdpBytes = 128 * 1024;  // a browser offer is 3-10 KiB
  struct Options {
    std::chrono::milliseconds connectTimeout{20000};  // POST → webrtcup, else the resource is reaped
    // A publisher or conference participant from which Janus receives no media at all for this long
    // is gone (tab closed, machine asleep): browsers send RTP continuously, even for a muted track.
    std::chrono::milliseconds silenceTimeout{4000};
    std::string accessToken;               // the Stream Manager token: GET debug needs it
    std::vector<IceServer> iceServers;     // sent as Link headers on POST 201s and OPTIONS
    std::size_t maxSessions = 200;         // media resources in all
    std::size_t maxViewersPerStream = 100;
    std::chrono::seconds retryAfter{2};    // Retry-After of a WHEP for a stream not published yet
    JanusRooms::Options rooms{};
    WhepBridge* bridge = nullptr;          // answers WHEP client offers; null: 406 + server offer
  };

  WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events, Options options);
  WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events)
      : WhipWhepProxy(io, std::move(janus), events, Options{}) {}
  ~WhipWhepProxy();

  // Answers through `respond` exactly once, usually after a Janus round trip.
  void handle(const HttpRequest& request, Respond respond);

  // The bridge may be created after the proxy (it may be null: no bridge).
  void setWhepBridge(WhepBridge* bridge);

  // Ends, as a DELETE would, the publish (with its viewers) and the conference join of `stream` in
  // `scope`: for a mixer that was killed, whose peer connections would otherwise linger until
  // `silenceTimeout`. Unknown names are no-ops.
  void endSessionsOf(const std::string& scope, const std::string& stream, const std::string& reason);

  nlohmann::json debugJson() const;

 private:
  using Json = nlohmann::json;
  // How a WHEP resource was negotiated (WHIP and conference resources are always ClientOffer).
  enum class Mode { ClientOffer, ServerOffer, Bridged };
  struct Resource {
    std::string id;
    Endpoint endpoint = Endpoint::Whip;
    Mode mode = Mode::ClientOffer;
    std::string scope, stream;
    std::string resourceBase;               // Location prefix: the spelling the client used
    JanusClient::HandleId handle = 0;
    std::string etag;
    // The client's side of the session as Janus (or the bridge) knows it: its offer (WHIP, conference,
    // bridged WHEP) or its answer (server-offer WHEP). An ICE restart re-issues it with new credentials.
    std::string clientSdp;
    std::map<std::string, int> mlineOfMid;  // from the SDP both sides share, for trickle candidates
    ResourcePhase phase = ResourcePhase::Negotiating;
    bool restarting = false;  // an ICE restart PATCH is in flight (an operation; the phase stays)
    std::chrono::steady_clock::time_point created;
    std::unique_ptr<boost::asio::steady_timer> connectTimer;
    std::map<std::string, bool> receiving;  // per mid (or media type): is Janus getting media from the peer
    std::unique_ptr<boost::asio::steady_timer> silenceTimer;
    // WHEP plays that arrived between this publish's answer and its webrtcup: Janus has no feed to
    // subscribe to until then. Called with true at webrtcup, with false when the publish ends first.
    std::vector<std::function<void(bool up)>> waitingPlays;
    long long ageMs() const {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - created).count();
    }
  };

  // The round trips a client offer takes to Janus's answer (a publish, a conference join): the
  // same steps with the plugin's own bodies.
  struct OfferPlan {
    const char* plugin;
    Json create;           // the room, created on demand
    int roomExists;        // the plugin's "room exists" code: not a failure
    Json join;
    int idTaken;           // the plugin's "id taken" code (0: none), refused with `idTakenReason`
    std::string idTakenReason;
    Json offerRequest;     // carries the client's offer
  };
  // One POST being negotiated with the origin: what its steps need, and where its answer goes.
  struct Post {
    std::string id;  // its resource
    HttpRequest req;
    Respond respond;
    ProxyPath path;
    Mode mode = Mode::ClientOffer;
    OfferPlan plan{};             // WHIP, conference
    JanusClient::HandleId handle = 0;
    WhepBridge::Answers bridged;  // bridged WHEP
  };
  using PostPtr = std::shared_ptr<Post>;

  // POST (whip_whep_post.cpp): checks, then one named step per origin round trip; every failure
  // goes to fail(), which ends the resource and answers the client.
  void publish(const HttpRequest& req, Respond respond, const ProxyPath& path);
  void play(const HttpRequest& req, Respond respond, const ProxyPath& path);
  void subscribe(const HttpRequest& req, Respond respond, const ProxyPath& path, Mode mode);
  void joinConference(const HttpRequest& req, Respond respond, const ProxyPath& path, bool muted);
  PostPtr startPost(const HttpRequest& req, Respond respond, const ProxyPath& path, Mode mode);
  void enterRoom(const PostPtr& p, const char* plugin);
  void onRoomReady(const PostPtr& p);
  void onAttached(const PostPtr& p, Expected<JanusClient::HandleId> handle);
  void onRoomCreated(const PostPtr& p, Expected<Json> created);
  void onJoined(const PostPtr& p, Expected<Json> joined);
  void onAnswered(const PostPtr& p, Expected<Json> answered);
  void onViewerJoined(const PostPtr& p, Expected<Json> joined);
  void onBridgeOpened(const PostPtr& p, Expected<WhepBridge::Answers> answers);
  void onBridgeStarted(const PostPtr& p, Expected<Json> started);
  void fail(const PostPtr& p, const Error& e);
  Resource* stillNegotiating(const PostPtr& p);  // its resource, or nullptr after fail()
  void created(const PostPtr& p, Resource& r, std::string sdp, const char* acceptPatch, beast::http::status status);
  template <class Result>
  std::function<void(Expected<Result>)> next(const PostPtr& p, void (WhipWhepProxy::*step)(const PostPtr&, Expected<Result>));

  void remove(const HttpRequest& req, Respond respond, const std::string& id);
  // PATCH (whip_whep_ice.cpp): the WHEP answer, trickle ICE, ICE restarts.
  void patch(const HttpRequest& req, Respond respond, const std::string& id);
  void acceptAnswer(const HttpRequest& req, Respond respond, const std::string& id);
  void trickle(const HttpRequest& req, Respond respond, const std::string& id, const sdp::IceFragment& frag);
  void restartIce(const HttpRequest& req, Respond respond, const std::string& id, const sdp::IceFragment& frag);

  // Quotas shared by every POST: ok, or the reason to refuse with 503.
  Status checkQuota(Endpoint endpoint, const ProxyPath& path) const;
  // The headers of a successful POST (Location, ETag, Accept-Patch, Link).
  void setResourceHeaders(HttpResponse& res, const Resource& r, const char* acceptPatch) const;
  void setIceServerLinks(HttpResponse& res) const;

  Resource& newResource(Endpoint endpoint, const ProxyPath& path);
  Resource* find(const std::string& id);
  bool scopeInUse(const std::string& scope) const;
  // Attaches a handle for `r` (events routed to onJanusEvent) then runs `then`.
  void attachFor(const std::string& id, const std::string& plugin, std::function<void(Expected<JanusClient::HandleId>)> then);

  // Janus's events for a resource's handle: one named hook each.
  void onJanusEvent(const std::string& id, const Json& msg);
  void onWebrtcUp(const std::string& id, const Json& msg);
  void onMedia(const std::string& id, const Json& msg);
  void onPluginEvent(const std::string& id, const Json& msg);
  void reportTalking(const std::optional<TalkingStreams::Change>& change);
  void onHangup(const std::string& id, const Json& msg);
  void onDetached(const std::string& id, const Json& msg);

  void teardown(const std::string& id, const std::string& reason, bool detach);
  void janusDown(const std::string& reason);
  std::string publisherResourceOf(const std::string& scope, const std::string& stream) const;

  boost::asio::io_context& io_;
  std::shared_ptr<JanusClient> janus_;
  StreamEvents& events_;
  Options options_;
  JanusRooms rooms_;
  std::map<std::string, std::unique_ptr<Resource>> resources_;
  TalkingStreams talking_;  // the conference joins' AudioBridge ids and who of them speaks
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // Janus callbacks may outlive us
};

}  // namespace confhost
