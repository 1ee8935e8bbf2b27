#include "server/proxy/whip_whep_proxy.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "server/security/access_token.hpp"
#include "core/protocol/names.hpp"
#include "server/logging/log.hpp"
#include "server/logging/log_text.hpp"
#include "server/proxy/proxy_http.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"

namespace confhost {

namespace http = boost::beast::http;
using Json = nlohmann::json;
using namespace proxyhttp;

namespace {

constexpr const char* kVideoRoom = JanusRooms::kVideoRoom;
constexpr const char* kAudioBridge = JanusRooms::kAudioBridge;
constexpr int kRoomPublishers = 64;  // the VideoRoom default (3) is far too few for a conference
constexpr std::chrono::seconds kQuotaRetryAfter{10};

long long msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

const char* kindName(int k) {
  static const char* names[] = {"whip", "whep", "conference"};
  return names[k];
}

// Checks the Content-Type and the SDP of a POST (or answer PATCH): the refusal, or nothing.
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

bool queryFlag(const std::string& query, const std::string& name) {
  return ("&" + query + "&").find("&" + name + "=true&") != std::string::npos;
}

}  // namespace

WhipWhepProxy::WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events,
                             Options options)
    : io_(io),
      janus_(std::move(janus)),
      events_(events),
      options_(std::move(options)),
      rooms_(io, janus_, options_.rooms, [this](const std::string& scope) { return scopeInUse(scope); }) {
  std::weak_ptr<bool> alive = alive_;
  janus_->onDown([this, alive](const std::string& reason) {
    if (alive.lock()) janusDown(reason);
  });
  setWhepBridge(options_.bridge);
}

WhipWhepProxy::~WhipWhepProxy() {
  janus_->onDown(nullptr);
  if (options_.bridge) options_.bridge->setOnEnded(nullptr);
}

void WhipWhepProxy::setWhepBridge(WhepBridge* bridge) {
  options_.bridge = bridge;
  if (!bridge) return;
  std::weak_ptr<bool> alive = alive_;
  bridge->setOnEnded([this, alive](const std::string& id, const std::string& reason) {
    if (alive.lock()) teardown(id, "the WHEP bridge ended: " + reason, true);
  });
}

void WhipWhepProxy::handle(const HttpRequest& req, Respond respond) {
  const std::string target(req.target());
  const std::string query = targetQuery(target);
  const ProxyPath path = parseProxyPath(targetPath(target));
  const auto method = req.method();
  const bool isEndpoint = path.kind == ProxyPath::Kind::Whip || path.kind == ProxyPath::Kind::Whep ||
                          path.kind == ProxyPath::Kind::Conference;

  if (method == http::verb::options) {  // CORS preflight; some clients read the ICE servers here (RFC 9725 4.6)
    auto res = response(req, http::status::no_content);
    res.set(http::field::access_control_allow_methods, "POST, PATCH, DELETE, GET, OPTIONS");
    res.set(http::field::access_control_allow_headers, "Content-Type, If-Match, Authorization, ETag");
    res.set(http::field::access_control_max_age, "600");
    if (isEndpoint) {
      res.set("Accept-Post", "application/sdp");
      setIceServerLinks(res);
    }
    if (path.kind == ProxyPath::Kind::Resource) res.set("Accept-Patch", "application/sdp, application/trickle-ice-sdpfrag");
    return respond(std::move(res));
  }
  if (path.kind == ProxyPath::Kind::Invalid) {
    return respond(error(req, path.status == 400 ? http::status::bad_request : http::status::not_found, path.problem));
  }
  if (path.kind == ProxyPath::Kind::Debug) {
    if (method != http::verb::get) {
      auto res = error(req, http::status::method_not_allowed, "debug accepts GET");
      res.set(http::field::allow, "GET, OPTIONS");
      return respond(std::move(res));
    }
    if (!carriesAccessToken(req, options_.accessToken)) {
      auto res = error(req, http::status::unauthorized,
                       "the proxy's debug state needs the Stream Manager token (?accessToken= or Authorization: Bearer)");
      res.set(http::field::www_authenticate, "Bearer");
      return respond(std::move(res));
    }
    return respond(response(req, http::status::ok, debugJson().dump(), "application/json"));
  }
  if (path.kind == ProxyPath::Kind::Resource) {
    if (method == http::verb::patch) return patch(req, std::move(respond), path.id);
    if (method == http::verb::delete_) return remove(req, std::move(respond), path.id);
    // RFC 9725 4.2: a session answers 405 to anything but PATCH and DELETE (reserved for later versions).
    auto res = error(req, http::status::method_not_allowed, "a WHIP/WHEP session accepts PATCH and DELETE");
    res.set(http::field::allow, "PATCH, DELETE, OPTIONS");
    return respond(std::move(res));
  }
  if (method != http::verb::post) {
    // RFC 9725 4.2: an endpoint answers 405 to anything but OPTIONS and POST.
    auto res = error(req, http::status::method_not_allowed, "a WHIP/WHEP endpoint accepts POST (and OPTIONS)");
    res.set(http::field::allow, "POST, OPTIONS");
    return respond(std::move(res));
  }
  if (path.kind == ProxyPath::Kind::Whip) return publish(req, std::move(respond), path);
  if (path.kind == ProxyPath::Kind::Whep) return play(req, std::move(respond), path);
  return joinConference(req, std::move(respond), path, queryFlag(query, "muted"));
}

Status WhipWhepProxy::checkQuota(Kind kind, const ProxyPath& path) const {
  if (resources_.size() >= options_.maxSessions)
    return Error{"", "the proxy already holds " + std::to_string(resources_.size()) +
                         " media sessions, its limit (--max-proxy-sessions); try again later"};
  if (kind == Kind::Whep) {
    std::size_t viewers = 0;
    for (const auto& [id, r] : resources_)
      if (r->kind == Kind::Whep && r->scope == path.scope && r->stream == path.stream) ++viewers;
    if (viewers >= options_.maxViewersPerStream)
      return Error{"", path.stream + " in " + path.scope + " already has " + std::to_string(viewers) +
                           " viewers, its limit (--max-viewers-per-stream); try again later"};
  } else if (!rooms_.admits(path.scope)) {
    return Error{"", std::to_string(rooms_.scopeCount()) + " scopes already have live origin rooms, the limit "
                     "(--max-proxy-rooms); try again when some are idle"};
  }
  return {};
}

void WhipWhepProxy::setIceServerLinks(HttpResponse& res) const {
  for (const auto& server : options_.iceServers) res.insert(http::field::link, linkHeaderOf(server));
}

void WhipWhepProxy::setResourceHeaders(HttpResponse& res, const Resource& r, const char* acceptPatch) const {
  res.set(http::field::location, r.resourceBase + r.id);
  res.set(http::field::etag, r.etag);
  res.set("Accept-Patch", acceptPatch);
  setIceServerLinks(res);
}

WhipWhepProxy::Resource& WhipWhepProxy::newResource(Kind kind, const ProxyPath& path) {
  auto r = std::make_unique<Resource>();
  r->id = randomToken(16);  // the id is a capability (it allows PATCH and DELETE): CSPRNG
  r->kind = kind;
  r->scope = path.scope;
  r->stream = path.stream;
  r->resourceBase = path.resourceBase;
  r->etag = "\"" + randomToken(12) + "\"";
  r->created = std::chrono::steady_clock::now();
  r->connectTimer = std::make_unique<boost::asio::steady_timer>(io_, options_.connectTimeout);
  r->silenceTimer = std::make_unique<boost::asio::steady_timer>(io_);
  const std::string id = r->id;
  std::weak_ptr<bool> alive = alive_;
  r->connectTimer->async_wait([this, alive, id](boost::system::error_code ec) {
    if (ec || !alive.lock()) return;
    if (Resource* res = find(id); res && !res->up)
      teardown(id, "the peer did not connect within " + std::to_string(options_.connectTimeout.count() / 1000) + " s",
               true);
  });
  Resource& ref = *r;
  resources_[id] = std::move(r);
  return ref;
}

WhipWhepProxy::Resource* WhipWhepProxy::find(const std::string& id) {
  auto it = resources_.find(id);
  return it == resources_.end() ? nullptr : it->second.get();
}

bool WhipWhepProxy::scopeInUse(const std::string& scope) const {
  for (const auto& [id, r] : resources_)
    if (r->scope == scope) return true;
  return false;
}

std::string WhipWhepProxy::publisherResourceOf(const std::string& scope, const std::string& stream) const {
  for (const auto& [id, r] : resources_)
    if (r->kind == Kind::Whip && r->scope == scope && r->stream == stream) return id;
  return "";
}

void WhipWhepProxy::attachFor(const std::string& id, const std::string& plugin,
                              std::function<void(Expected<JanusClient::HandleId>)> then) {
  std::weak_ptr<bool> alive = alive_;
  janus_->attach(
      plugin,
      [this, alive, id](const Json& msg) {
        if (alive.lock()) onJanusEvent(id, msg);
      },
      [this, alive, id, then = std::move(then)](Expected<JanusClient::HandleId> h) {
        if (!alive.lock()) return;
        Resource* r = find(id);
        if (h && !r) {  // the resource died while attaching: do not leak the handle
          janus_->detach(h.value());
          return then(Error{"", "the session ended during negotiation"});
        }
        if (h) r->handle = h.value();
        then(std::move(h));
      });
}

void WhipWhepProxy::publish(const HttpRequest& req, Respond respond, const ProxyPath& path) {
  if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
  const std::string scope = path.scope, stream = path.stream;
  if (events_.isBanned(scope, stream))
    return respond(error(req, http::status::forbidden, "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  if (!publisherResourceOf(scope, stream).empty())
    return respond(error(req, http::status::conflict, "stream " + stream + " is already publishing in " + scope));
  if (auto quota = events_.checkPublishQuota(scope, stream); !quota)  // --max-streams-per-scope, --max-streams
    return respond(retryLater(req, http::status::too_many_requests, quota.error().message(), kQuotaRetryAfter));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Kind::Whip, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));

  Resource& res = newResource(Kind::Whip, path);
  res.mlineOfMid = sdp::mlinesOf(req.body());
  res.clientSdp = req.body();
  const std::string id = res.id;
  const Json offer{{"type", "offer"}, {"sdp", req.body()}};
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "publish failed: " + e.message(), true);
    respond(error(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  auto start = [=]() {
    attachFor(id, kVideoRoom, [=](Expected<JanusClient::HandleId> h) {
      if (!alive.lock()) return;
      if (!h) return fail(h.error());
      const auto handle = h.value();
      const Json create{{"request", "create"}, {"room", scope}, {"publishers", kRoomPublishers},
                        {"audiocodec", "opus"}, {"videocodec", "vp8,h264,vp9"}, {"notify_joining", false}};
      janus_->message(handle, create, std::nullopt, [=](Expected<Json> c) {
        if (!alive.lock()) return;
        if (!c && c.error().janusCode != 427) return fail(c.error());  // 427: the room exists already
        const Json join{{"request", "join"}, {"ptype", "publisher"}, {"room", scope}, {"id", stream}, {"display", stream}};
        janus_->message(handle, join, std::nullopt, [=](Expected<Json> j) {
          if (!alive.lock()) return;
          if (!j) {
            if (j.error().janusCode == 436) return fail(Error{"", "stream " + stream + " is already publishing in " + scope, 436});
            return fail(j.error());
          }
          janus_->message(handle, Json{{"request", "publish"}, {"audio", true}, {"video", true}}, offer,
                          [=](Expected<Json> p) {
                            if (!alive.lock()) return;
                            if (!p) return fail(p.error());
                            Resource* r = find(id);
                            if (!r) return fail(Error{"", "the session ended during negotiation"});
                            if (!p.value().contains("jsep")) return fail(Error{"", "Janus sent no answer to the offer"});
                            r->negotiated = true;
                            auto out = response(req, http::status::created, p.value()["jsep"].value("sdp", ""),
                                                "application/sdp");
                            setResourceHeaders(out, *r, "application/trickle-ice-sdpfrag");
                            logInfo("proxy", std::string(LogText() << "whip " << scope << "/" << stream << " answered in "
                                      << msSince(r->created) << " ms (resource " << id.substr(0, 6) << "…)"));
                            respond(std::move(out));
                          });
        });
      });
    });
  };
  rooms_.enter(scope, kVideoRoom, [=]() {
    if (alive.lock() && find(id)) start();
  });
}

void WhipWhepProxy::play(const HttpRequest& req, Respond respond, const ProxyPath& path) {
  // An empty POST asks for the server's offer; a body must be an SDP offer.
  const bool hasOffer = !req.body().empty();
  Mode mode = Mode::ServerOffer;
  if (hasOffer) {
    if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
    mode = options_.bridge && options_.bridge->available() ? Mode::Bridged : Mode::ClientOffer;
    // A Red5 Pro origin's WHEP endpoint answers every POST with its own offer, and Red5's WHEPClient
    // sets any 2xx body as the remote offer even when it POSTed one: on that spelling, do the same.
    if (path.resourceBase.rfind(kProxyPrefix, 0) != 0) mode = Mode::ServerOffer;
  }
  const std::string scope = path.scope, stream = path.stream;
  const std::string publisher = publisherResourceOf(scope, stream);
  if (publisher.empty() || !find(publisher)->negotiated)
    return respond(retryLater(req, http::status::conflict, "no stream " + stream + " is publishing in " + scope + " (yet)",
                              options_.retryAfter));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Kind::Whep, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));
  if (Resource* pub = find(publisher); !pub->up) {
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
  const std::string scope = path.scope, stream = path.stream;
  Resource& res = newResource(Kind::Whep, path);
  res.mode = mode;
  if (mode == Mode::Bridged) res.clientSdp = req.body();
  const std::string id = res.id;
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "play failed: " + e.message(), true);
    respond(error(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  rooms_.enter(scope, kVideoRoom, [] {});  // a viewer keeps the room from being reaped as idle
  attachFor(id, kVideoRoom, [=](Expected<JanusClient::HandleId> h) {
    if (!alive.lock()) return;
    if (!h) return fail(h.error());
    const Json join{{"request", "join"}, {"ptype", "subscriber"}, {"room", scope},
                    {"streams", Json::array({Json{{"feed", stream}}})}};
    janus_->message(h.value(), join, std::nullopt, [=](Expected<Json> j) {
      if (!alive.lock()) return;
      if (!j) {
        if (j.error().janusCode == 428 || j.error().janusCode == 426)
          return fail(Error{"", "no stream " + stream + " is publishing in " + scope, 428});
        return fail(j.error());
      }
      Resource* r = find(id);
      if (!r) return fail(Error{"", "the session ended during negotiation"});
      if (!j.value().contains("jsep")) return fail(Error{"", "Janus sent no offer for the subscription"});
      const std::string janusOffer = j.value()["jsep"].value("sdp", "");
      r->mlineOfMid = sdp::mlinesOf(janusOffer);
      if (mode != Mode::Bridged) {
        // Server offer: 201 for an empty POST, 406 for a client offer Janus cannot take.
        auto out = response(req, mode == Mode::ServerOffer ? http::status::created : http::status::not_acceptable,
                            janusOffer, "application/sdp");
        setResourceHeaders(out, *r, "application/sdp, application/trickle-ice-sdpfrag");
        logInfo("proxy", std::string(LogText() << "whep " << scope << "/" << stream << " offered in " << msSince(r->created)
                  << " ms (" << (mode == Mode::ServerOffer ? "201" : "406") << ")"));
        return respond(std::move(out));
      }
      // Bridged: the bridge answers Janus's offer and the viewer's offer; Janus starts with its answer.
      const auto handle = h.value();
      options_.bridge->open(id, janusOffer, req.body(), [=](Expected<WhepBridge::Answers> a) {
        if (!alive.lock()) return;
        if (!a) return fail(Error{"", "the WHEP bridge could not start: " + a.error().message()});
        const Json answer{{"type", "answer"}, {"sdp", a->forOrigin}};
        janus_->message(handle, Json{{"request", "start"}}, answer, [=](Expected<Json> s) {
          if (!alive.lock()) return;
          if (!s) return fail(s.error());
          Resource* br = find(id);
          if (!br) return fail(Error{"", "the session ended during negotiation"});
          br->negotiated = true;
          br->mlineOfMid = sdp::mlinesOf(br->clientSdp);  // the viewer trickles against its own offer
          auto out = response(req, http::status::created, a->forViewer, "application/sdp");
          setResourceHeaders(out, *br, "application/trickle-ice-sdpfrag");
          logInfo("proxy", std::string(LogText() << "whep " << scope << "/" << stream << " answered by the bridge in "
                    << msSince(br->created) << " ms"));
          respond(std::move(out));
        });
      });
    });
  });
}

void WhipWhepProxy::joinConference(const HttpRequest& req, Respond respond, const ProxyPath& path, bool muted) {
  if (auto refusal = sdpRefusal(req)) return respond(std::move(*refusal));
  const std::string scope = path.scope, stream = path.stream;
  if (!sdp::hasMedia(req.body(), "audio"))
    return respond(error(req, http::status::bad_request, "a conference join needs an audio offer (m=audio)"));
  if (events_.isBanned(scope, stream))
    return respond(error(req, http::status::forbidden, "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  for (const auto& [rid, r] : resources_)
    if (r->kind == Kind::Conference && r->scope == scope && r->stream == stream)
      return respond(error(req, http::status::conflict, stream + " has already joined the audio of " + scope));
  if (!janus_->connected()) return respond(error(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (auto quota = checkQuota(Kind::Conference, path); !quota)
    return respond(retryLater(req, http::status::service_unavailable, quota.error().message(), kQuotaRetryAfter));

  Resource& res = newResource(Kind::Conference, path);
  res.mlineOfMid = sdp::mlinesOf(req.body());
  res.clientSdp = req.body();
  const std::string id = res.id;
  const Json offer{{"type", "offer"}, {"sdp", req.body()}};
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "conference join failed: " + e.message(), true);
    respond(error(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  auto start = [=]() {
    attachFor(id, kAudioBridge, [=](Expected<JanusClient::HandleId> h) {
      if (!alive.lock()) return;
      if (!h) return fail(h.error());
      const auto handle = h.value();
      const Json create{{"request", "create"}, {"room", scope}, {"sampling_rate", 48000}, {"audiolevel_event", false}};
      janus_->message(handle, create, std::nullopt, [=](Expected<Json> c) {
        if (!alive.lock()) return;
        if (!c && c.error().janusCode != 486) return fail(c.error());  // 486: the room exists already
        const Json join{{"request", "join"}, {"room", scope}, {"display", stream}, {"muted", muted}};
        janus_->message(handle, join, std::nullopt, [=](Expected<Json> j) {
          if (!alive.lock()) return;
          if (!j) return fail(j.error());
          janus_->message(handle, Json{{"request", "configure"}, {"muted", muted}}, offer, [=](Expected<Json> p) {
            if (!alive.lock()) return;
            if (!p) return fail(p.error());
            Resource* r = find(id);
            if (!r) return fail(Error{"", "the session ended during negotiation"});
            if (!p.value().contains("jsep")) return fail(Error{"", "Janus sent no answer to the offer"});
            r->negotiated = true;
            auto out = response(req, http::status::created, p.value()["jsep"].value("sdp", ""), "application/sdp");
            setResourceHeaders(out, *r, "application/trickle-ice-sdpfrag");
            logInfo("proxy", std::string(LogText() << "conference " << scope << " joined by " << stream << (muted ? " (muted)" : "")
                      << " in " << msSince(r->created) << " ms"));
            respond(std::move(out));
          });
        });
      });
    });
  };
  rooms_.enter(scope, kAudioBridge, [=]() {
    if (alive.lock() && find(id)) start();
  });
}

void WhipWhepProxy::remove(const HttpRequest& req, Respond respond, const std::string& id) {
  if (!find(id)) return respond(error(req, http::status::not_found, "no such resource (it ended, or never existed)"));
  teardown(id, "DELETE by the client", true);
  respond(response(req, http::status::ok));
}

void WhipWhepProxy::onJanusEvent(const std::string& id, const Json& msg) {
  Resource* r = find(id);
  if (!r) return;
  const std::string kind = msg.value("janus", "");
  if (kind == "webrtcup") {
    r->up = true;
    r->connectTimer->cancel();
    logInfo("proxy", std::string(LogText() << kindName(static_cast<int>(r->kind)) << " " << r->scope << "/" << r->stream
              << " webrtcup " << msSince(r->created) << " ms after the POST"));
    if (r->kind == Kind::Whip && !r->announced) {
      r->announced = true;
      events_.streamStarted(r->scope, r->stream);
    }
    if (Resource* still = find(id)) {
      auto waiting = std::move(still->waitingPlays);
      still->waitingPlays.clear();
      for (auto& play : waiting) play(true);
    }
  } else if (kind == "media" && r->kind != Kind::Whep) {
    const std::string key = msg.contains("mid") ? msg.value("mid", "") : msg.value("type", "");
    r->receiving[key] = msg.value("receiving", false);
    bool any = false;
    for (const auto& [k, on] : r->receiving) any = any || on;
    if (any) {
      r->silenceTimer->cancel();
    } else {
      // Every medium went quiet: the peer is probably gone. Give it a moment (a network blip) first.
      r->silenceTimer->expires_after(options_.silenceTimeout);
      std::weak_ptr<bool> alive = alive_;
      r->silenceTimer->async_wait([this, alive, id](boost::system::error_code ec) {
        if (ec || !alive.lock()) return;
        teardown(id, "no media from the peer for " +
                         std::to_string(1 + options_.silenceTimeout.count() / 1000) + " s (its page or network is gone)",
                 true);
      });
    }
  } else if (kind == "hangup") {
    // An ICE restart renegotiates without a hangup; a hangup during one still ends the session.
    teardown(id, "Janus hung up (" + msg.value("reason", std::string("no reason")) + ")", true);
  } else if (kind == "detached") {
    teardown(id, "Janus detached the handle", false);
  }
}

void WhipWhepProxy::teardown(const std::string& id, const std::string& reason, bool detach) {
  auto it = resources_.find(id);
  if (it == resources_.end()) return;
  std::unique_ptr<Resource> r = std::move(it->second);
  resources_.erase(it);
  r->connectTimer->cancel();
  r->silenceTimer->cancel();
  logInfo("proxy", std::string(LogText() << kindName(static_cast<int>(r->kind)) << " " << r->scope << "/" << r->stream
            << " ended: " << reason));
  if (detach && r->handle) janus_->detach(r->handle);
  if (r->mode == Mode::Bridged && options_.bridge) options_.bridge->close(id);
  for (auto& play : r->waitingPlays) play(false);
  if (r->kind == Kind::Whip) {
    // Its viewers go with it. Janus keeps a subscriber whose feed left (it only renegotiates the stream
    // away), so the viewer would sit "connected" on the last frame and never retry, missing the next
    // publisher of the same name. Detaching its handle ends its PeerConnection (the client sees it
    // close or fail and its retry policy starts) and a later PATCH/DELETE of its resource gets 404.
    std::vector<std::string> viewers;
    for (const auto& [vid, v] : resources_)
      if (v->kind == Kind::Whep && v->scope == r->scope && v->stream == r->stream) viewers.push_back(vid);
    for (const auto& vid : viewers) teardown(vid, "its publisher left (" + reason + ")", detach);
  }
  if (r->announced) events_.streamStopped(r->scope, r->stream);
  if (!scopeInUse(r->scope)) rooms_.idle(r->scope);
}

void WhipWhepProxy::endSessionsOf(const std::string& scope, const std::string& stream, const std::string& reason) {
  std::vector<std::string> ids;
  for (const auto& [id, r] : resources_)
    if (r->kind != Kind::Whep && r->scope == scope && r->stream == stream) ids.push_back(id);
  for (const auto& id : ids) teardown(id, reason, true);  // a publish takes its viewers along
}

void WhipWhepProxy::janusDown(const std::string& reason) {
  // Janus's handles died with it (or with our session): forget them all without detaching.
  std::vector<std::string> ids;
  for (const auto& [id, r] : resources_) ids.push_back(id);
  for (const auto& id : ids) teardown(id, "origin lost: " + reason, false);
  rooms_.forgetAll();  // and its rooms
}

Json WhipWhepProxy::debugJson() const {
  Json list = Json::array();
  for (const auto& [id, r] : resources_) {
    static const char* modes[] = {"client-offer", "server-offer", "bridged"};
    list.push_back({{"kind", kindName(static_cast<int>(r->kind))}, {"scope", r->scope}, {"stream", r->stream},
                    {"up", r->up}, {"negotiated", r->negotiated}, {"mode", modes[static_cast<int>(r->mode)]}});
  }
  return Json{{"janus", {{"connected", janus_->connected()}, {"session", janus_->hasSession()},
                         {"handles", janus_->handleCount()}, {"unavailableReason", janus_->unavailableReason()}}},
              {"rooms", rooms_.debugJson()},
              {"limits", {{"sessions", options_.maxSessions}, {"viewersPerStream", options_.maxViewersPerStream}}},
              {"bridge", options_.bridge ? Json{{"available", options_.bridge->available()},
                                                {"unavailableReason", options_.bridge->available() ? "" : options_.bridge->unavailableReason()}}
                                         : Json(nullptr)},
              {"resources", list}};
}

}  // namespace confhost
