// WhipWhepProxy's POSTs, one named step per origin round trip (the shape of Beast's do_x/on_x):
//   publish, conference join   enterRoom → attach → create room → join → offer → answered (201)
//   play (server offer)        attach → join as subscriber → Janus's offer (201, or 406 to an offer)
//   play (bridged)             attach → join as subscriber → bridge opened → start → 201
// A step that fails calls fail(): the resource ends and the client gets the origin's reason.
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "core/protocol/names.hpp"
#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"
#include "server/net/router.hpp"
#include "server/proxy/proxy_http.hpp"
#include "server/proxy/whip_whep_proxy.hpp"

namespace confhost {

namespace http = boost::beast::http;
using Json = nlohmann::json;
using namespace proxyhttp;

namespace {

constexpr const char* kVideoRoom = JanusRooms::kVideoRoom;
constexpr const char* kAudioBridge = JanusRooms::kAudioBridge;
constexpr int kRoomPublishers = 64;  // the VideoRoom default (3) is far too few for a conference
constexpr int kMixSamplingRate = 48000;
// Speech detection in the AudioBridge room and the waiting room's VideoRoom (Janus reads the browsers' ssrc-audio-level RTP extension,
// in -dBov: 0 loud, 127 silent). Janus averages the level over a window of this many packets and
// reports a change at the window's end; at 20 ms per Opus packet, 8 packets is a 160 ms window, so
// speech shows 160-320 ms after it starts (the host wants it within ~300 ms: a window half filled with
// speech averages too quiet, so the worst case is two windows; Janus's default, 100 packets, is 2-4 s).
// Each window is judged on its own, so a pause of a window or more between words turns the ring off.
constexpr int kTalkWindowPackets = 8;
// Talking when the window's average is louder than -40 dBov: speech into a browser microphone sits at
// about -20 to -35 dBov, a quiet room with the browser's noise suppression well below -50 (Janus's
// default, -25, misses soft voices).
constexpr int kTalkLevelDbov = 40;
constexpr std::chrono::seconds kQuotaRetryAfter{10};

// "&layer=low&" in a request's query: the viewer's tile is small.
bool queryHas(const std::string& query, const std::string& name, const std::string& value) {
  return ("&" + query + "&").find("&" + name + "=" + value + "&") != std::string::npos;
}

const char* attemptName(Endpoint e) {
  switch (e) {
    case Endpoint::Whip: return "publish";
    case Endpoint::Whep: return "play";
    case Endpoint::Conference: return "conference join";
  }
  return "";
}

// Checks the Content-Type and the SDP of a POST: the refusal, or nothing.
std::optional<HttpResponse> sdpRefusal(const HttpRequest& req) {
  const std::string type = mediaTypeOf(req);
  if (type != "application/sdp")
    return error(req, http::status::unsupported_media_type, "Content-Type must be application/sdp (got \"" + type + "\")");
  if (req.body().size() > WhipWhepProxy::kMaxSdpBytes)
    return error(req, http::status::payload_too_large,
                 "the SDP is larger than " + std::to_string(WhipWhepProxy::kMaxSdpBytes / 1024) + " KiB");
  if (auto sdp = sdp::checkSdp(req.body()); !sdp) return error(req, http::status::bad_request, sdp.error().message());
  return std::nullopt;
}

std::string jsepSdpOf(const Json& message) { return message.contains("jsep") ? message["jsep"].value("sdp", "") : ""; }

}  // namespace

template <class Result>
std::function<void(Expected<Result>)> WhipWhepProxy::next(const PostPtr& p,
                                                          void (WhipWhepProxy::*step)(const PostPtr&, Expected<Result>)) {
  return [this, alive = std::weak_ptr<bool>(alive_), p, step](Expected<Result> result) {
    if (alive.lock()) (this->*step)(p, std::move(result));
  };
}

// ---- checks -------------------------------------------------------------------------------------

void WhipWhepProxy::publish(const HttpRequest& req, Respond respond, const ProxyPath& path) {
  if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
  const std::string& scope = path.scope;
  const std::string& stream = path.stream;
  if (events_.isBanned(scope, stream))
    return respond(error(req, http::status::forbidden, "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  if (!publisherResourceOf(scope, stream).empty())
    return respond(error(req, http::status::conflict, "stream " + stream + " is already publishing in " + scope));
  if (auto quota = events_.checkPublishQuota(scope, stream); !quota)  // --max-streams-per-scope, --max-streams
    return respond(retryLater(req, http::status::too_many_requests, quota.error().message(), kQuotaRetryAfter));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Endpoint::Whip, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));

  PostPtr p = startPost(req, std::move(respond), path, Mode::ClientOffer);
  p->plan = OfferPlan{kVideoRoom,
                      Json{{"request", "create"}, {"room", scope}, {"publishers", kRoomPublishers}, {"audiocodec", "opus"},
                           {"videocodec", "vp8,h264,vp9"}, {"notify_joining", false},
                           // The host sees who speaks in the waiting room too (a conference scope's
                           // speech comes from its AudioBridge).
                           {"audiolevel_event", isWaitingRoom(scope)}, {"audio_active_packets", kTalkWindowPackets},
                           {"audio_level_average", kTalkLevelDbov}},
                      janus::kVideoRoomExists,
                      Json{{"request", "join"}, {"ptype", "publisher"}, {"room", scope}, {"id", stream}, {"display", stream}},
                      janus::kVideoRoomIdExists,
                      "stream " + stream + " is already publishing in " + scope,
                      Json{{"request", "publish"}, {"audio", true}, {"video", true}}};
  enterRoom(p, kVideoRoom);
}

void WhipWhepProxy::joinConference(const HttpRequest& req, Respond respond, const ProxyPath& path, bool muted) {
  if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
  const std::string& scope = path.scope;
  const std::string& stream = path.stream;
  if (!sdp::hasMedia(req.body(), "audio"))
    return respond(error(req, http::status::bad_request, "a conference join needs an audio offer (m=audio)"));
  if (events_.isBanned(scope, stream))
    return respond(error(req, http::status::forbidden, "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  for (const auto& [rid, r] : resources_)
    if (r->endpoint == Endpoint::Conference && r->scope == scope && r->stream == stream)
      return respond(error(req, http::status::conflict, stream + " has already joined the audio of " + scope));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Endpoint::Conference, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));

  PostPtr p = startPost(req, std::move(respond), path, Mode::ClientOffer);
  p->plan = OfferPlan{kAudioBridge,
                      Json{{"request", "create"}, {"room", scope}, {"sampling_rate", kMixSamplingRate},
                           {"audiolevel_event", true}, {"audio_active_packets", kTalkWindowPackets},
                           {"audio_level_average", kTalkLevelDbov}},
                      janus::kAudioBridgeRoomExists,
                      Json{{"request", "join"}, {"room", scope}, {"display", stream}, {"muted", muted}},
                      0,
                      "",
                      Json{{"request", "configure"}, {"muted", muted}}};
  enterRoom(p, kAudioBridge);
}

void WhipWhepProxy::play(const HttpRequest& req, Respond respond, const ProxyPath& path) {
  // An empty POST asks for the server's offer; a body must be an SDP offer.
  Mode mode = Mode::ServerOffer;
  if (!req.body().empty()) {
    if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
    mode = options_.bridge && options_.bridge->available() ? Mode::Bridged : Mode::ClientOffer;
    // A Red5 Pro origin's WHEP endpoint answers every POST with its own offer, and Red5's WHEPClient
    // sets any 2xx body as the remote offer even when it POSTed one: on that spelling, do the same.
    if (path.originSpelling) mode = Mode::ServerOffer;
  }
  const std::string publisher = publisherResourceOf(path.scope, path.stream);
  if (publisher.empty() || find(publisher)->phase == ResourcePhase::Negotiating)
    return respond(retryLater(req, http::status::conflict,
                              "no stream " + path.stream + " is publishing in " + path.scope + " (yet)", options_.retryAfter));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Endpoint::Whep, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));
  if (Resource* pub = find(publisher); pub->phase != ResourcePhase::Up) {
    // Answered but not yet connected: Janus would say "no such feed". Wait for its webrtcup (bounded by
    // the publish's connect timeout, which ends it) instead of telling the viewer it does not exist.
    pub->waitingPlays.push_back([this, req, respond, path, mode](bool up) {
      if (!up)
        return respond(retryLater(req, http::status::conflict,
                                  "no stream " + path.stream + " is publishing in " + path.scope + " (its publisher left)",
                                  options_.retryAfter));
      subscribe(req, respond, path, mode);
    });
    return;
  }
  subscribe(req, std::move(respond), path, mode);
}

void WhipWhepProxy::subscribe(const HttpRequest& req, Respond respond, const ProxyPath& path, Mode mode) {
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  PostPtr p = startPost(req, std::move(respond), path, mode);
  if (mode == Mode::Bridged) find(p->id)->clientSdp = req.body();
  rooms_.enter(path.scope, kVideoRoom, [] {});  // a viewer keeps the room from being reaped as idle
  attachFor(p->id, kVideoRoom, next(p, &WhipWhepProxy::onAttached));
}

// ---- steps --------------------------------------------------------------------------------------

WhipWhepProxy::PostPtr WhipWhepProxy::startPost(const HttpRequest& req, Respond respond, const ProxyPath& path, Mode mode) {
  Resource& r = newResource(path.endpoint, path);
  r.mode = mode;
  if (path.endpoint != Endpoint::Whep) {
    r.mlineOfMid = sdp::mlinesOf(req.body());
    r.clientSdp = req.body();
  }
  auto p = std::make_shared<Post>();
  p->id = r.id;
  p->req = req;
  p->respond = std::move(respond);
  p->path = path;
  p->mode = mode;
  return p;
}

void WhipWhepProxy::enterRoom(const PostPtr& p, const char* plugin) {
  std::weak_ptr<bool> alive = alive_;
  rooms_.enter(p->path.scope, plugin, [this, alive, p] {
    if (alive.lock() && find(p->id)) onRoomReady(p);
  });
}

void WhipWhepProxy::onRoomReady(const PostPtr& p) { attachFor(p->id, p->plan.plugin, next(p, &WhipWhepProxy::onAttached)); }

void WhipWhepProxy::onAttached(const PostPtr& p, Expected<JanusClient::HandleId> handle) {
  if (!handle) return fail(p, handle.error());
  p->handle = handle.value();
  if (p->path.endpoint == Endpoint::Whep) {
    // A viewer whose tile is small asks for the publisher's lowest simulcast layer ("?layer=low");
    // without it Janus sends the highest. A publisher without simulcast has one layer either way.
    Json feed{{"feed", p->path.stream}};
    if (queryHas(targetQuery(std::string(p->req.target())), "layer", "low")) feed["substream"] = 0;
    const Json join{{"request", "join"}, {"ptype", "subscriber"}, {"room", p->path.scope},
                    {"streams", Json::array({feed})}};
    return janus_->message(p->handle, join, std::nullopt, next(p, &WhipWhepProxy::onViewerJoined));
  }
  janus_->message(p->handle, p->plan.create, std::nullopt, next(p, &WhipWhepProxy::onRoomCreated));
}

void WhipWhepProxy::onRoomCreated(const PostPtr& p, Expected<Json> created) {
  if (!created && created.error().janusCode != p->plan.roomExists) return fail(p, created.error());
  janus_->message(p->handle, p->plan.join, std::nullopt, next(p, &WhipWhepProxy::onJoined));
}

void WhipWhepProxy::onJoined(const PostPtr& p, Expected<Json> joined) {
  if (!joined) {
    if (p->plan.idTaken && joined.error().janusCode == p->plan.idTaken)
      return fail(p, Error{"", p->plan.idTakenReason, p->plan.idTaken});
    return fail(p, joined.error());
  }
  if (p->path.endpoint == Endpoint::Conference) {
    // Janus's speech events name the participant by the id it gave this join.
    const Json& answer = joined.value();
    const Json id = answer.contains("plugindata") ? answer["plugindata"]["data"].value("id", Json()) : Json();
    talking_.joined(p->id, p->path.scope, p->path.stream, id, p->plan.join.value("muted", false));
  } else if (isWaitingRoom(p->path.scope)) {
    talking_.published(p->id, p->path.scope, p->path.stream);
  }
  const Json offer{{"type", "offer"}, {"sdp", p->req.body()}};
  janus_->message(p->handle, p->plan.offerRequest, offer, next(p, &WhipWhepProxy::onAnswered));
}

void WhipWhepProxy::onAnswered(const PostPtr& p, Expected<Json> answered) {
  if (!answered) return fail(p, answered.error());
  Resource* r = stillNegotiating(p);
  if (!r) return;
  if (!answered.value().contains("jsep")) return fail(p, Error{"", "Janus sent no answer to the offer"});
  r->phase = nextPhase(r->phase, ResourceEvent::SdpExchanged);
  const std::string& scope = p->path.scope;
  const std::string& stream = p->path.stream;
  if (p->path.endpoint == Endpoint::Whip)
    logInfo("proxy", std::string(LogText() << "whip " << scope << "/" << stream << " answered in " << r->ageMs()
                                           << " ms (resource " << p->id.substr(0, 6) << "…)"));
  else
    logInfo("proxy", std::string(LogText() << "conference " << scope << " joined by " << stream
                                           << (p->plan.join.value("muted", false) ? " (muted)" : "") << " in "
                                           << r->ageMs() << " ms"));
  created(p, *r, jsepSdpOf(answered.value()), "application/trickle-ice-sdpfrag", http::status::created);
}

void WhipWhepProxy::onViewerJoined(const PostPtr& p, Expected<Json> joined) {
  if (!joined) {
    const int code = joined.error().janusCode;
    if (code == janus::kVideoRoomNoSuchFeed || code == janus::kVideoRoomNoSuchRoom)
      return fail(p, Error{"", "no stream " + p->path.stream + " is publishing in " + p->path.scope, janus::kVideoRoomNoSuchFeed});
    return fail(p, joined.error());
  }
  Resource* r = stillNegotiating(p);
  if (!r) return;
  if (!joined.value().contains("jsep")) return fail(p, Error{"", "Janus sent no offer for the subscription"});
  const std::string janusOffer = jsepSdpOf(joined.value());
  r->mlineOfMid = sdp::mlinesOf(janusOffer);
  if (p->mode != Mode::Bridged) {
    // Server offer: 201 for an empty POST, 406 for a client offer Janus cannot take.
    const bool asked = p->mode == Mode::ServerOffer;
    logInfo("proxy", std::string(LogText() << "whep " << p->path.scope << "/" << p->path.stream << " offered in "
                                           << r->ageMs() << " ms (" << (asked ? "201" : "406") << ")"));
    return created(p, *r, janusOffer, "application/sdp, application/trickle-ice-sdpfrag",
                   asked ? http::status::created : http::status::not_acceptable);
  }
  // Bridged: the bridge answers Janus's offer and the viewer's offer; Janus starts with its answer.
  options_.bridge->open(p->id, janusOffer, p->req.body(), next(p, &WhipWhepProxy::onBridgeOpened));
}

void WhipWhepProxy::onBridgeOpened(const PostPtr& p, Expected<WhepBridge::Answers> answers) {
  if (!answers) return fail(p, Error{"", "the WHEP bridge could not start: " + answers.error().message()});
  p->bridged = answers.value();
  const Json answer{{"type", "answer"}, {"sdp", p->bridged.forOrigin}};
  janus_->message(p->handle, Json{{"request", "start"}}, answer, next(p, &WhipWhepProxy::onBridgeStarted));
}

void WhipWhepProxy::onBridgeStarted(const PostPtr& p, Expected<Json> started) {
  if (!started) return fail(p, started.error());
  Resource* r = stillNegotiating(p);
  if (!r) return;
  r->phase = nextPhase(r->phase, ResourceEvent::SdpExchanged);
  r->mlineOfMid = sdp::mlinesOf(r->clientSdp);  // the viewer trickles against its own offer
  logInfo("proxy", std::string(LogText() << "whep " << p->path.scope << "/" << p->path.stream << " answered by the bridge in "
                                         << r->ageMs() << " ms"));
  created(p, *r, p->bridged.forViewer, "application/trickle-ice-sdpfrag", http::status::created);
}

void WhipWhepProxy::created(const PostPtr& p, Resource& r, std::string sdp, const char* acceptPatch, http::status status) {
  auto out = response(p->req, status, std::move(sdp), "application/sdp");
  setResourceHeaders(out, r, acceptPatch);
  p->respond(std::move(out));
}

WhipWhepProxy::Resource* WhipWhepProxy::stillNegotiating(const PostPtr& p) {
  Resource* r = find(p->id);
  if (!r) fail(p, Error{"", "the session ended during negotiation"});
  return r;
}

void WhipWhepProxy::fail(const PostPtr& p, const Error& e) {
  teardown(p->id, std::string(attemptName(p->path.endpoint)) + " failed: " + e.message(), true);
  p->respond(error(p->req, statusFor(e), originError(e)));
}

}  // namespace confhost
