#pragma once
// MediaSessionClient: one WHIP publish or WHEP play session through the stack's proxy, sans-I/O.
//
// Rules of this file:
// - The client does no I/O. The adapter feeds it events (commands, RTC callbacks, HTTP responses, clock
//   ticks) and performs the effects it returns, in order. Everything that decides a transition is here.
// - One peer connection at a time, named by peerId. Every CreatePeer carries a new peerId; RTC events
//   carrying another peerId (late callbacks of a closed peer) are ignored. HTTP responses whose
//   requestId is not the one awaited are ignored the same way.
// - A WHEP Start with serverOfferFirst POSTs no body first: "send me your offer" (Red5 Pro and the local
//   stack answer 201 + offer; Janus subscribers can only offer, so no media element has to stand in
//   between). A server that refuses the empty POST as such (400, 405, 406 or 2xx without an offer, 411,
//   415, 422, 500, 501) gets our own offer at once, and so does every later attempt of this Start.
// - Otherwise we POST our own offer (standard WHEP). Two signalling flows, chosen by the response:
//     standard:     2xx + an SDP answer                          → SetRemoteDescription(answer)
//     server offer: 2xx + an SDP offer (Red5 Pro, older WHEP drafts), or 406 Not Acceptable + an SDP
//                   offer (our own older servers) → close our offering peer, create an answering peer,
//                   SetRemoteDescription(offer), CreateAnswer, PATCH <resource> with the answer → 2xx
//   A 2xx body is an offer when it says a=setup:actpass (RFC 8842: an answer is active or passive).
//   Location (relative or absolute) names the resource; its ETag goes back as If-Match; ICE servers in
//   Link headers are applied with UpdateIceServers and kept for later attempts.
// - Local candidates are trickled by PATCH application/trickle-ice-sdpfrag, batched, one PATCH in flight,
//   only once the server has our description (after 201, or after the answer PATCH's 204). A failed
//   trickle is not fatal (many servers do not support it; the SDP already carries the candidates).
// - Every HTTP error, every RTC failure and every timeout becomes Failed with a readable reason.
//   With a retry policy (previews) Failed schedules a restart after a backoff (0.5 s doubling to 8 s by
//   default), performed on the first Tick at or after that time. Connected resets the backoff.
// - Stop sends DELETE <resource> if a resource exists (also when it only becomes known by a late POST
//   answer) and ends in Stopped when DELETE completes, fails or times out.
//
// States:
//   Idle ──Start──▶ Offering ──2xx+answer─────────────────────────▶ Connected
//                      │ ──empty POST refused──▶ Offering (our own offer, no failure counted)
//                      │ ──2xx/406+offer──▶ Answering ──PATCH 2xx──▶ Connected
//   any active ──error/timeout/RTC failed──▶ Failed ──(retry due)──▶ Offering
//   any active ──Stop──▶ Stopping ──DELETE done──▶ Stopped;  Idle/Failed ──Stop──▶ Stopped
//   Idle/Stopped/Failed/Stopping ──Start──▶ Offering (a fresh session; a DELETE in flight is not awaited)
// "Connected" means signalling is complete; rtcConnected() tells whether media flows. A peer that does
// not reach RTC connected within connectTimeoutMs, or stays disconnected longer than
// disconnectGraceMs, fails the session.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/http_message.hpp"

namespace confhost {
namespace media {

enum class Kind { Whip, Whep };  // publish (we send) or play (we receive)
enum class Direction { SendRecv, SendOnly, RecvOnly };
enum class SdpType { Offer, Answer };
enum class RtcState { Connected, Disconnected, Failed, Closed };
enum class State { Idle, Offering, Answering, Connected, Stopping, Stopped, Failed };
// How a publish sends its video. Standby keeps the stream published (its viewers and the origin's
// no-media watch see it alive) at a thumbnail's cost: 1 fps at 1/8 size, for a publish whose picture
// nobody needs at the moment (a participant's waiting-room stream while it is in the conference).
enum class VideoSend { Full, Standby };

std::string_view toString(Kind);
std::string_view toString(VideoSend);
std::string_view toString(Direction);
std::string_view toString(SdpType);
std::string_view toString(RtcState);
std::string_view toString(State);  // "idle", "offering", "answering", "connected", "stopping", ...

struct Tracks {
  bool audio = true;
  bool video = true;
  bool operator==(const Tracks& o) const { return audio == o.audio && video == o.video; }
};

// Round-trip authentication (the stack may demand credentials): non-empty fields are appended to the endpoint's query string
// (username=, password=, token=) as Red5 Pro's WHIP/WHEP endpoints take them; bearerToken, if set,
// is sent as `Authorization: Bearer <token>` (RFC 9725 section 4.5).
struct Auth {
  std::string username;
  std::string password;
  std::string token;
  std::string bearerToken;
};

struct RetryPolicy {
  bool enabled = false;  // previews and participant sessions turn it on
  int initialDelayMs = 500;
  int maxDelayMs = 8000;
  double factor = 2.0;
};

struct Config {
  RetryPolicy retry;
  int requestTimeoutMs = 10000;   // an HTTP request unanswered this long fails the session
  int connectTimeoutMs = 20000;   // from Start until RTC connected
  int disconnectGraceMs = 5000;   // RTC "disconnected" may recover by itself this long
  int stopTimeoutMs = 3000;       // Stopping gives up waiting for DELETE after this long
};

// ---- events (adapter → client) ------------------------------------------------------------------

struct Start {
  Kind kind = Kind::Whep;
  std::string endpoint;  // absolute URL: https://host/as/v1/proxy/whep/live/room1/alice
  Auth auth;
  std::vector<IceServer> iceServers;  // from settings; Link headers add to these
  // Defaults by kind: Whip → SendOnly, Whep → RecvOnly; audio and video. The conference join (the
  // mix-minus audio: send your voice, hear everyone else) is Whip with SendRecv and audio only.
  std::optional<Direction> direction;
  Tracks tracks;
  // Opaque to the client, copied into CreatePeer: which local media the adapter attaches
  // ("camera", "canvas", ...) and the sending bitrate cap (0 = none).
  std::string source;
  int maxBitrateKbps = 0;
  // Whip video: 2 sends a second encoding at half the size (simulcast), which small tiles play.
  int simulcastLayers = 1;
  // Whep only: ask for the server's offer with an empty POST first. The default, because Red5 Pro and the
  // local stack offer straight from the origin, where an offer of ours needs a media element in between.
  bool serverOfferFirst = true;
};
struct LocalOfferReady { int peerId = 0; std::string sdp; };   // createOffer + setLocalDescription done
struct LocalAnswerReady { int peerId = 0; std::string sdp; };  // createAnswer + setLocalDescription done
using HttpResponse = HttpResponseMessage;
struct IceCandidate { int peerId = 0; std::string mid; std::string candidate; };  // "candidate:..." line
struct IceGatheringDone { int peerId = 0; };
struct RtcStateChanged { int peerId = 0; RtcState state = RtcState::Connected; };
struct RtcError { int peerId = 0; std::string reason; };  // a peer operation (create/set/...) failed
struct Tick { std::int64_t nowMs = 0; };  // monotonic milliseconds; feed at least a few times a second
struct Stop {};
struct SetVideoSend { VideoSend mode = VideoSend::Full; };  // kept across retries; no renegotiation

using Event = std::variant<Start, LocalOfferReady, LocalAnswerReady, HttpResponse, IceCandidate,
                           IceGatheringDone, RtcStateChanged, RtcError, Tick, Stop, SetVideoSend>;

// ---- effects (client → adapter), performed in order ---------------------------------------------

// Create peer connection peerId (closing none: a ClosePeer always comes first when one exists).
// offerer: add transceivers for `tracks` with `direction` (and attach local media for sending
// directions), then wait for CreateOffer. Not offerer: add nothing; the remote offer's m-lines decide,
// local media for sending directions is attached to the matching transceivers after the remote offer,
// and a kind not in `tracks` is answered inactive (e.g. the composite's audio, which would echo).
// Received audio is played only when tracks.audio and the direction receives; received video goes to
// the texture of (session, peerId). Sources used so far: "camera" (camera+mic as tracks say),
// "microphone", "silence" (a silent audio track), "canvas+mix" (the mixer's canvas capture + the audio
// received by its "mix" session), "composite"/"input" (receive only).
struct CreatePeer {
  int peerId = 0;
  std::vector<IceServer> iceServers;
  Direction direction = Direction::RecvOnly;
  Tracks tracks;
  bool offerer = true;
  std::string source;
  int maxBitrateKbps = 0;
  VideoSend videoSend = VideoSend::Full;
  int simulcastLayers = 1;
};
struct CreateOffer { int peerId = 0; };   // createOffer + setLocalDescription → LocalOfferReady
struct CreateAnswer { int peerId = 0; };  // createAnswer + setLocalDescription → LocalAnswerReady
struct SetRemoteDescription { int peerId = 0; SdpType type = SdpType::Answer; std::string sdp; };
struct UpdateIceServers { int peerId = 0; std::vector<IceServer> iceServers; };  // setConfiguration
struct ClosePeer { int peerId = 0; };
struct ApplyVideoSend { int peerId = 0; VideoSend mode = VideoSend::Full; };  // sender parameters only
using HttpRequest = HttpRequestMessage;
struct StateChanged { State state = State::Idle; std::string reason; };

using Effect = std::variant<CreatePeer, CreateOffer, CreateAnswer, SetRemoteDescription,
                            UpdateIceServers, ClosePeer, ApplyVideoSend, HttpRequest, StateChanged>;

// A composite state machine (ParticipantSession, MixerSession) owns several clients and names each by
// a session id; the adapter keys its peers and requests by (session, peerId/requestId) and routes the
// resulting events back with the same id.
struct SessionEvent {
  std::string session;
  Event event;
};
struct SessionEffect {
  std::string session;
  Effect effect;
};

// ---- the client ---------------------------------------------------------------------------------

class MediaSessionClient {
 public:
  explicit MediaSessionClient(Config config = {});

  // Feeds one event; returns what to do, in order. Start while Offering, Answering or Connected returns
  // no effects and sets lastRefusal(); other unexpected events (late callbacks) are ignored.
  std::vector<Effect> handle(const Event& event);

  State state() const { return state_; }
  // Why the session is Failed (or stopped by failure): "409 Conflict: stream name already publishing".
  const std::string& reason() const { return reason_; }
  // "Start while offering": set when the last event was refused, cleared by the next accepted one.
  const std::string& lastRefusal() const { return refusal_; }
  bool rtcConnected() const { return rtcConnected_; }
  VideoSend videoSend() const { return videoSend_; }
  int peerId() const { return peerId_; }  // current peer, 0 when none
  const std::string& resourceUrl() const { return resource_; }  // absolute, "" until known
  const std::string& etag() const { return etag_; }
  const std::vector<IceServer>& linkIceServers() const { return linkIceServers_; }
  bool usedServerOffer() const { return serverOffer_; }  // this attempt answered the server's offer
  int failures() const { return failures_; }              // consecutive failures (backoff exponent)
  // When Failed with retry enabled: the Tick time at which the next attempt starts.
  std::optional<std::int64_t> retryAtMs() const;
  // Non-fatal problem of this attempt ("trickle ICE refused: 405 Method Not Allowed"), "" when none.
  const std::string& trickleWarning() const { return trickleWarning_; }
  std::int64_t nowMs() const { return now_; }
  const Config& config() const { return config_; }

 private:
  std::vector<Effect> onStart(const Start&);
  std::vector<Effect> onStop();
  std::vector<Effect> onLocalOffer(const LocalOfferReady&);
  std::vector<Effect> onLocalAnswer(const LocalAnswerReady&);
  std::vector<Effect> onCandidate(const IceCandidate&);
  std::vector<Effect> onGatheringDone(const IceGatheringDone&);
  std::vector<Effect> onRtcState(const RtcStateChanged&);
  std::vector<Effect> onRtcError(const RtcError&);
  std::vector<Effect> onHttp(const HttpResponse&);
  std::vector<Effect> onPostResponse(const HttpResponse&);
  std::vector<Effect> answerServerOffer(const HttpResponse&, const std::string& status);
  std::vector<Effect> onAnswerPatchResponse(const HttpResponse&);
  std::vector<Effect> onTrickleResponse(const HttpResponse&);
  std::vector<Effect> onTick(const Tick&);
  std::vector<Effect> onSetVideoSend(const SetVideoSend&);

  void begin(std::vector<Effect>& out);                  // new attempt, state Offering
  bool refusedEmptyPost(const HttpResponse& r) const;    // the server wants our offer instead
  void fail(std::vector<Effect>& out, std::string why);  // close, free the resource, Failed
  void enter(std::vector<Effect>& out, State s, std::string why = {});
  bool takeResourceHeaders(const HttpResponse& r);  // Location, ETag, Link; true if new ICE servers
  void flushTrickle(std::vector<Effect>& out);
  int sendRequest(std::vector<Effect>& out, std::string method, std::string url, HttpHeaders headers,
                  std::string body);
  void sendDelete(std::vector<Effect>& out);
  void closePeer(std::vector<Effect>& out);
  void resetAttempt();
  std::int64_t stamp() const;  // now, or -1 before the first Tick (fixed up by that Tick)
  int retryDelayMs() const;
  Direction direction() const;
  std::vector<IceServer> iceServers() const;  // configured + learnt from Link headers
  std::string endpointWithAuth() const;
  HttpHeaders authHeaders() const;
  bool active() const;

  Config config_;
  Start start_;
  State state_ = State::Idle;
  std::string reason_;
  std::string refusal_;
  bool clockKnown_ = false;
  std::int64_t now_ = 0;

  int nextRequestId_ = 1;
  int nextPeerId_ = 1;
  int peerId_ = 0;
  VideoSend videoSend_ = VideoSend::Full;

  // the current attempt
  enum class Pending { None, Post, AnswerPatch, Delete };
  Pending pending_ = Pending::None;  // the one request the state machine waits for
  int pendingRequestId_ = 0;
  std::int64_t pendingSince_ = -1;
  std::int64_t attemptStartedAt_ = -1;
  std::string resource_;
  std::string etag_;
  std::vector<IceServer> linkIceServers_;
  bool serverOffer_ = false;
  bool emptyPost_ = false;          // this attempt's POST asked for the server's offer
  bool emptyPostRefused_ = false;   // kept across attempts of one Start
  bool remoteHasOurSdp_ = false;  // candidates may be trickled
  bool rtcConnected_ = false;
  bool everConnected_ = false;
  bool disconnected_ = false;
  std::int64_t disconnectedSince_ = -1;
  std::string localSdp_;  // our offer or answer: ufrag/pwd and m-lines for sdpfrags
  std::vector<IceCandidate> trickleQueue_;
  bool endOfCandidatesPending_ = false;
  bool trickleSupported_ = true;
  std::string trickleWarning_;
  int tricklePatchId_ = 0;  // in-flight trickle PATCH, 0 when none

  // failure and retry
  int failures_ = 0;
  std::int64_t failedAt_ = -1;
  std::int64_t stoppingSince_ = -1;
};

}  // namespace media
}  // namespace confhost
