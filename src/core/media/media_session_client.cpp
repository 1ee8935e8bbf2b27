#include "core/media/media_session_client.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/media/sdp.hpp"
#include "core/protocol/names.hpp"
#include "core/protocol/query_string.hpp"

namespace confhost {
namespace media {

std::string_view toString(VideoSend v) {
  switch (v) {
    case VideoSend::Full: return "full";
    case VideoSend::Standby: return "standby";
  }
  return "";
}

std::string_view toString(Kind k) { return k == Kind::Whip ? "whip" : "whep"; }

std::string_view toString(Direction d) {
  switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
  }
  return "";
}

std::string_view toString(SdpType t) { return t == SdpType::Offer ? "offer" : "answer"; }

std::string_view toString(RtcState s) {
  switch (s) {
    case RtcState::Connected: return "connected";
    case RtcState::Disconnected: return "disconnected";
    case RtcState::Failed: return "failed";
    case RtcState::Closed: return "closed";
  }
  return "";
}

std::string_view toString(State s) {
  switch (s) {
    case State::Idle: return "idle";
    case State::Offering: return "offering";
    case State::Answering: return "answering";
    case State::Connected: return "connected";
    case State::Stopping: return "stopping";
    case State::Stopped: return "stopped";
    case State::Failed: return "failed";
  }
  return "";
}

namespace {

bool isSuccess(int status) { return status >= 200 && status < 300; }

bool hasSdpContentType(const HttpHeaders& headers) {
  const auto type = findHeader(headers, "content-type");
  if (!type) return false;
  std::string lower;
  for (char c : *type) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.rfind("application/sdp", 0) == 0;
}

std::string seconds(int ms) {
  std::ostringstream s;
  s << ms / 1000.0 << " s";
  return s.str();
}

}  // namespace

MediaSessionClient::MediaSessionClient(Config config) : config_(config) {}

bool MediaSessionClient::active() const {
  return state_ == State::Offering || state_ == State::Answering || state_ == State::Connected ||
         state_ == State::Stopping;
}

std::vector<Effect> MediaSessionClient::handle(const Event& event) {
  refusal_.clear();
  return std::visit(
      [this](const auto& e) -> std::vector<Effect> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Start>) return onStart(e);
        else if constexpr (std::is_same_v<T, LocalOfferReady>) return onLocalOffer(e);
        else if constexpr (std::is_same_v<T, LocalAnswerReady>) return onLocalAnswer(e);
        else if constexpr (std::is_same_v<T, HttpResponse>) return onHttp(e);
        else if constexpr (std::is_same_v<T, IceCandidate>) return onCandidate(e);
        else if constexpr (std::is_same_v<T, IceGatheringDone>) return onGatheringDone(e);
        else if constexpr (std::is_same_v<T, RtcStateChanged>) return onRtcState(e);
        else if constexpr (std::is_same_v<T, RtcError>) return onRtcError(e);
        else if constexpr (std::is_same_v<T, Tick>) return onTick(e);
        else if constexpr (std::is_same_v<T, SetVideoSend>) return onSetVideoSend(e);
        else return onStop();
      },
      event);
}

// ---- commands -----------------------------------------------------------------------------------

std::vector<Effect> MediaSessionClient::onSetVideoSend(const SetVideoSend& s) {
  if (s.mode == videoSend_) return {};
  videoSend_ = s.mode;
  // A later peer (a retry) starts in this mode from its CreatePeer; the current one changes in place.
  if (peerId_ == 0) return {};
  return {ApplyVideoSend{peerId_, videoSend_}};
}

std::vector<Effect> MediaSessionClient::onStart(const Start& s) {
  if (state_ == State::Offering || state_ == State::Answering || state_ == State::Connected) {
    refusal_ = "Start while " + std::string(toString(state_));
    return {};
  }
  if (!isHttpUrl(s.endpoint)) {
    refusal_ = s.endpoint.empty() ? "endpoint: missing"
                                  : "endpoint: must be an absolute http(s) URL, got \"" + s.endpoint + "\"";
    return {};
  }
  if (!s.tracks.audio && !s.tracks.video) {
    refusal_ = "tracks: need audio or video";
    return {};
  }
  start_ = s;
  reason_.clear();
  failures_ = 0;
  failedAt_ = -1;
  linkIceServers_.clear();
  emptyPostRefused_ = false;
  std::vector<Effect> out;
  begin(out);
  return out;
}

std::vector<Effect> MediaSessionClient::onStop() {
  std::vector<Effect> out;
  switch (state_) {
    case State::Stopped:
    case State::Stopping:
      return out;
    case State::Idle:
    case State::Failed:
      failures_ = 0;
      enter(out, State::Stopped);
      return out;
    case State::Offering:
    case State::Answering:
    case State::Connected:
      break;
  }
  closePeer(out);
  tricklePatchId_ = 0;
  stoppingSince_ = stamp();
  if (!resource_.empty()) {
    sendDelete(out);
    enter(out, State::Stopping);
  } else if (pending_ == Pending::Post) {
    // The server may still create the resource: wait for the POST's answer and DELETE it then.
    enter(out, State::Stopping);
  } else {
    pending_ = Pending::None;
    enter(out, State::Stopped);
  }
  return out;
}

// ---- RTC callbacks --------------------------------------------------------------------------------

std::vector<Effect> MediaSessionClient::onLocalOffer(const LocalOfferReady& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_ || state_ != State::Offering || pending_ != Pending::None || !localSdp_.empty())
    return out;
  if (e.sdp.empty()) {
    fail(out, "WebRTC: the local offer is empty");
    return out;
  }
  localSdp_ = e.sdp;
  HttpHeaders headers{{"Content-Type", "application/sdp"}, {"Accept", "application/sdp"}};
  for (auto& h : authHeaders()) headers.push_back(h);
  pendingRequestId_ = sendRequest(out, "POST", endpointWithAuth(), std::move(headers), e.sdp);
  pending_ = Pending::Post;
  return out;
}

std::vector<Effect> MediaSessionClient::onLocalAnswer(const LocalAnswerReady& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_ || state_ != State::Answering || pending_ != Pending::None || !localSdp_.empty())
    return out;
  if (e.sdp.empty()) {
    fail(out, "WebRTC: the local answer is empty");
    return out;
  }
  localSdp_ = e.sdp;
  HttpHeaders headers{{"Content-Type", "application/sdp"}};
  if (!etag_.empty()) headers.push_back({"If-Match", etag_});
  for (auto& h : authHeaders()) headers.push_back(h);
  pendingRequestId_ = sendRequest(out, "PATCH", resource_, std::move(headers), e.sdp);
  pending_ = Pending::AnswerPatch;
  return out;
}

std::vector<Effect> MediaSessionClient::onCandidate(const IceCandidate& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_ || !trickleSupported_ || e.candidate.empty()) return out;
  if (state_ != State::Offering && state_ != State::Answering && state_ != State::Connected) return out;
  trickleQueue_.push_back(e);
  flushTrickle(out);
  return out;
}

std::vector<Effect> MediaSessionClient::onGatheringDone(const IceGatheringDone& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_ || !trickleSupported_) return out;
  if (state_ != State::Offering && state_ != State::Answering && state_ != State::Connected) return out;
  endOfCandidatesPending_ = true;
  flushTrickle(out);
  return out;
}

std::vector<Effect> MediaSessionClient::onRtcState(const RtcStateChanged& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_) return out;
  if (state_ != State::Offering && state_ != State::Answering && state_ != State::Connected) return out;
  switch (e.state) {
    case RtcState::Connected:
      rtcConnected_ = true;
      everConnected_ = true;
      disconnected_ = false;
      if (state_ == State::Connected) failures_ = 0;  // a session that got media resets the backoff
      break;
    case RtcState::Disconnected:
      rtcConnected_ = false;
      disconnected_ = true;
      disconnectedSince_ = stamp();
      break;
    case RtcState::Failed:
      fail(out, "WebRTC: ICE connection failed");
      break;
    case RtcState::Closed:
      fail(out, "WebRTC: peer connection closed");
      break;
  }
  return out;
}

std::vector<Effect> MediaSessionClient::onRtcError(const RtcError& e) {
  std::vector<Effect> out;
  if (e.peerId != peerId_) return out;
  if (state_ != State::Offering && state_ != State::Answering && state_ != State::Connected) return out;
  fail(out, "WebRTC: " + (e.reason.empty() ? std::string("peer connection error") : e.reason));
  return out;
}

// ---- HTTP responses -------------------------------------------------------------------------------

std::vector<Effect> MediaSessionClient::onHttp(const HttpResponse& r) {
  if (tricklePatchId_ != 0 && r.requestId == tricklePatchId_) return onTrickleResponse(r);
  if (pending_ == Pending::None || r.requestId != pendingRequestId_) return {};
  const Pending which = pending_;
  pending_ = Pending::None;
  switch (which) {
    case Pending::Post: return onPostResponse(r);
    case Pending::AnswerPatch: return onAnswerPatchResponse(r);
    case Pending::Delete: {
      std::vector<Effect> out;
      resource_.clear();
      if (state_ == State::Stopping) enter(out, State::Stopped);
      return out;
    }
    case Pending::None: break;
  }
  return {};
}

bool MediaSessionClient::takeResourceHeaders(const HttpResponse& r) {
  if (auto location = findHeader(r.headers, "location"); location && !location->empty())
    resource_ = resolveUrl(start_.endpoint, *location);
  if (auto etag = findHeader(r.headers, "etag")) etag_ = *etag;
  bool added = false;
  for (auto& server : parseIceServerLinks(r.headers)) {
    if (std::find(linkIceServers_.begin(), linkIceServers_.end(), server) == linkIceServers_.end()) {
      linkIceServers_.push_back(server);
      added = true;
    }
  }
  return added;
}

std::vector<Effect> MediaSessionClient::onPostResponse(const HttpResponse& r) {
  std::vector<Effect> out;
  if (state_ == State::Stopping) {
    // Stopped while the POST was in flight: remove what the server created.
    if ((isSuccess(r.status) || r.status == 406) && findHeader(r.headers, "location")) {
      resource_ = resolveUrl(start_.endpoint, *findHeader(r.headers, "location"));
      sendDelete(out);
    } else {
      enter(out, State::Stopped);
    }
    return out;
  }
  if (state_ != State::Offering) return out;
  if (emptyPost_ && refusedEmptyPost(r)) {
    // Not a failure of the session: this server only takes client offers (standard WHEP).
    emptyPostRefused_ = true;
    if (isSuccess(r.status) && findHeader(r.headers, "location")) {
      resource_ = resolveUrl(start_.endpoint, *findHeader(r.headers, "location"));
      sendRequest(out, "DELETE", resource_, authHeaders(), "");
    }
    begin(out);
    return out;
  }

  const std::string status = std::to_string(r.status) + " " + std::string(httpReasonPhrase(r.status));
  if (isSuccess(r.status)) {
    if (r.body.empty()) {
      fail(out, status + ": the server sent no SDP answer");
      return out;
    }
    // Red5 Pro and older WHEP drafts answer with their own offer in a 2xx; only an offer says actpass.
    if (sdp::isOffer(r.body)) return answerServerOffer(r, status);
    // standard flow: 201 Created + answer
    if (takeResourceHeaders(r)) out.push_back(UpdateIceServers{peerId_, iceServers()});
    out.push_back(SetRemoteDescription{peerId_, SdpType::Answer, r.body});
    remoteHasOurSdp_ = true;
    flushTrickle(out);
    enter(out, State::Connected);
    return out;
  }

  // Janus-backed servers (subscribers are server-offer only): 406 Not Acceptable + the origin's offer.
  if (r.status == 406 && hasSdpContentType(r.headers) && !r.body.empty()) return answerServerOffer(r, status);

  fail(out, httpErrorReason(r));
  return out;
}

// Server-offer flow: the server only offers; answer it on a fresh, answering peer and PATCH the answer.
std::vector<Effect> MediaSessionClient::answerServerOffer(const HttpResponse& r, const std::string& status) {
  std::vector<Effect> out;
  if (!findHeader(r.headers, "location")) {
    fail(out, status + ": the server's offer came without a Location to answer to");
    return out;
  }
  takeResourceHeaders(r);  // the answering peer below starts with the Link ICE servers
  serverOffer_ = true;
  closePeer(out);
  localSdp_.clear();
  trickleQueue_.clear();
  endOfCandidatesPending_ = false;
  peerId_ = nextPeerId_++;
  out.push_back(CreatePeer{peerId_, iceServers(), direction(), start_.tracks, false, start_.source,
                           start_.maxBitrateKbps, videoSend_, start_.simulcastLayers});
  out.push_back(SetRemoteDescription{peerId_, SdpType::Offer, r.body});
  out.push_back(CreateAnswer{peerId_});
  enter(out, State::Answering);
  return out;
}

std::vector<Effect> MediaSessionClient::onAnswerPatchResponse(const HttpResponse& r) {
  std::vector<Effect> out;
  if (state_ != State::Answering) return out;
  if (!isSuccess(r.status)) {
    fail(out, httpErrorReason(r));
    return out;
  }
  if (auto etag = findHeader(r.headers, "etag")) etag_ = *etag;
  remoteHasOurSdp_ = true;
  flushTrickle(out);
  enter(out, State::Connected);
  return out;
}

std::vector<Effect> MediaSessionClient::onTrickleResponse(const HttpResponse& r) {
  std::vector<Effect> out;
  tricklePatchId_ = 0;
  if (isSuccess(r.status)) {
    if (auto etag = findHeader(r.headers, "etag")) etag_ = *etag;
    flushTrickle(out);
  } else {
    // Not fatal: the descriptions already carry the candidates gathered so far. Stop trickling.
    trickleSupported_ = false;
    trickleQueue_.clear();
    endOfCandidatesPending_ = false;
    trickleWarning_ = "trickle ICE refused: " + httpErrorReason(r);
  }
  return out;
}

// ---- time -----------------------------------------------------------------------------------------

std::vector<Effect> MediaSessionClient::onTick(const Tick& t) {
  std::vector<Effect> out;
  now_ = t.nowMs;
  if (!clockKnown_) {
    // Events before the first tick could not be timed: start their clocks now.
    clockKnown_ = true;
    for (auto* ts : {&attemptStartedAt_, &pendingSince_, &stoppingSince_, &disconnectedSince_, &failedAt_})
      if (*ts < 0) *ts = now_;
  }
  switch (state_) {
    case State::Failed:
      if (config_.retry.enabled && failedAt_ >= 0 && now_ >= failedAt_ + retryDelayMs()) begin(out);
      break;
    case State::Stopping:
      if (now_ - stoppingSince_ >= config_.stopTimeoutMs) {
        pending_ = Pending::None;
        enter(out, State::Stopped);
      }
      break;
    case State::Offering:
    case State::Answering:
    case State::Connected:
      if (pending_ != Pending::None && now_ - pendingSince_ >= config_.requestTimeoutMs) {
        fail(out, std::string(pending_ == Pending::Post ? "POST" : "PATCH") + " " +
                      (pending_ == Pending::Post ? start_.endpoint : resource_) + ": no answer within " +
                      seconds(config_.requestTimeoutMs));
      } else if (!everConnected_ && now_ - attemptStartedAt_ >= config_.connectTimeoutMs) {
        fail(out, "WebRTC: media did not connect within " + seconds(config_.connectTimeoutMs));
      } else if (disconnected_ && now_ - disconnectedSince_ >= config_.disconnectGraceMs) {
        fail(out, "WebRTC: media disconnected for " + seconds(config_.disconnectGraceMs));
      }
      break;
    case State::Idle:
    case State::Stopped:
      break;
  }
  return out;
}

std::optional<std::int64_t> MediaSessionClient::retryAtMs() const {
  if (state_ != State::Failed || !config_.retry.enabled || failedAt_ < 0) return std::nullopt;
  return failedAt_ + retryDelayMs();
}

int MediaSessionClient::retryDelayMs() const {
  const auto& p = config_.retry;
  double delay = p.initialDelayMs * std::pow(p.factor, std::max(0, failures_ - 1));
  return static_cast<int>(std::min<double>(delay, p.maxDelayMs));
}

// ---- helpers --------------------------------------------------------------------------------------

void MediaSessionClient::begin(std::vector<Effect>& out) {
  resetAttempt();
  attemptStartedAt_ = stamp();
  const std::string why = failures_ > 0 ? "retry " + std::to_string(failures_) : std::string();
  if (start_.kind == Kind::Whep && start_.serverOfferFirst && !emptyPostRefused_) {
    emptyPost_ = true;
    HttpHeaders headers{{"Accept", "application/sdp"}};
    for (auto& h : authHeaders()) headers.push_back(h);
    pendingRequestId_ = sendRequest(out, "POST", endpointWithAuth(), std::move(headers), "");
    pending_ = Pending::Post;
    enter(out, State::Offering, why);
    return;
  }
  peerId_ = nextPeerId_++;
  out.push_back(CreatePeer{peerId_, iceServers(), direction(), start_.tracks, true, start_.source,
                           start_.maxBitrateKbps, videoSend_, start_.simulcastLayers});
  out.push_back(CreateOffer{peerId_});
  enter(out, State::Offering, why);
}

bool MediaSessionClient::refusedEmptyPost(const HttpResponse& r) const {
  if (isSuccess(r.status)) return r.body.empty() || !sdp::isOffer(r.body);
  if (r.status == 406) return r.body.empty() || !hasSdpContentType(r.headers);  // older servers' offer
  for (int status : {400, 405, 411, 415, 422, 500, 501})  // 500: a server that choked on no body
    if (r.status == status) return true;
  return false;
}

void MediaSessionClient::fail(std::vector<Effect>& out, std::string why) {
  closePeer(out);
  // Best effort: free the server's resource (an ICE failure leaves it allocated). Nobody waits for it.
  if (!resource_.empty()) {
    HttpHeaders headers = authHeaders();
    sendRequest(out, "DELETE", resource_, std::move(headers), "");
    resource_.clear();
  }
  pending_ = Pending::None;
  tricklePatchId_ = 0;
  reason_ = std::move(why);
  ++failures_;
  failedAt_ = stamp();
  enter(out, State::Failed, reason_);
}

void MediaSessionClient::enter(std::vector<Effect>& out, State s, std::string why) {
  state_ = s;
  // ICE may connect before the answer PATCH's 204 (406 flow): a session with media resets the backoff.
  if (s == State::Connected && rtcConnected_) failures_ = 0;
  out.push_back(StateChanged{s, std::move(why)});
}

void MediaSessionClient::flushTrickle(std::vector<Effect>& out) {
  if (!trickleSupported_ || !remoteHasOurSdp_ || resource_.empty() || tricklePatchId_ != 0) return;
  if (trickleQueue_.empty() && !endOfCandidatesPending_) return;
  HttpHeaders headers{{"Content-Type", "application/trickle-ice-sdpfrag"},
                      {"If-Match", etag_.empty() ? std::string("*") : etag_}};
  for (auto& h : authHeaders()) headers.push_back(h);
  std::vector<sdp::LocalCandidate> candidates;
  for (const IceCandidate& c : trickleQueue_) candidates.push_back({c.mid, c.candidate});
  const std::string frag = sdp::trickleFragment(localSdp_, candidates, endOfCandidatesPending_);
  trickleQueue_.clear();
  endOfCandidatesPending_ = false;
  tricklePatchId_ = sendRequest(out, "PATCH", resource_, std::move(headers), frag);
}

int MediaSessionClient::sendRequest(std::vector<Effect>& out, std::string method, std::string url,
                                    HttpHeaders headers, std::string body) {
  const int id = nextRequestId_++;
  pendingSince_ = stamp();
  out.push_back(HttpRequest{id, std::move(method), std::move(url), std::move(headers), std::move(body)});
  return id;
}

void MediaSessionClient::sendDelete(std::vector<Effect>& out) {
  pendingRequestId_ = sendRequest(out, "DELETE", resource_, authHeaders(), "");
  pending_ = Pending::Delete;
}

void MediaSessionClient::closePeer(std::vector<Effect>& out) {
  if (peerId_ != 0) out.push_back(ClosePeer{peerId_});
  peerId_ = 0;
  rtcConnected_ = false;
}

void MediaSessionClient::resetAttempt() {
  pending_ = Pending::None;
  pendingRequestId_ = 0;
  resource_.clear();
  etag_.clear();
  serverOffer_ = false;
  emptyPost_ = false;
  remoteHasOurSdp_ = false;
  rtcConnected_ = false;
  everConnected_ = false;
  disconnected_ = false;
  disconnectedSince_ = -1;
  localSdp_.clear();
  trickleQueue_.clear();
  endOfCandidatesPending_ = false;
  trickleSupported_ = true;
  trickleWarning_.clear();
  tricklePatchId_ = 0;
}

std::int64_t MediaSessionClient::stamp() const { return clockKnown_ ? now_ : -1; }

Direction MediaSessionClient::direction() const {
  if (start_.direction) return *start_.direction;
  return start_.kind == Kind::Whip ? Direction::SendOnly : Direction::RecvOnly;
}

std::vector<IceServer> MediaSessionClient::iceServers() const {
  std::vector<IceServer> all = start_.iceServers;
  for (const auto& s : linkIceServers_)
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  return all;
}

std::string MediaSessionClient::endpointWithAuth() const {
  std::string url = start_.endpoint;
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  const std::pair<const char*, const std::string*> params[] = {
      {"username", &start_.auth.username}, {"password", &start_.auth.password}, {"token", &start_.auth.token}};
  for (const auto& [name, value] : params) {
    if (value->empty()) continue;
    url += sep;
    url += name;
    url += '=';
    url += percentEncode(*value, "");
    sep = '&';
  }
  return url;
}

HttpHeaders MediaSessionClient::authHeaders() const {
  if (start_.auth.bearerToken.empty()) return {};
  return {{"Authorization", "Bearer " + start_.auth.bearerToken}};
}

}  // namespace media
}  // namespace confhost
