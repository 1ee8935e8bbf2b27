#include "whip_whep_proxy.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <sstream>

#include <random>

#include "core/names.hpp"
#include "log.hpp"
#include "log_text.hpp"

namespace confhost {

namespace http = boost::beast::http;
using Json = nlohmann::json;

namespace {

constexpr const char* kVideoRoom = "janus.plugin.videoroom";
constexpr const char* kAudioBridge = "janus.plugin.audiobridge";
constexpr int kRoomPublishers = 64;  // the VideoRoom default (3) is far too few for a conference

std::string randomHex(std::size_t n) {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[rng() % 16];
  return s;
}

long long msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

HttpResponse proxyResponse(const HttpRequest& req, http::status status, std::string body = "",
                          const std::string& contentType = "text/plain; charset=utf-8") {
  HttpResponse res{status, req.version()};
  res.set(http::field::server, "confhost");
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, "Location, ETag, Link, Accept-Patch");
  res.set(http::field::cache_control, "no-store");
  if (!body.empty()) {
    if (contentType.rfind("text/", 0) == 0 && body.back() != '\n') body += '\n';
    res.set(http::field::content_type, contentType);
  }
  res.body() = std::move(body);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

HttpResponse errorResponse(const HttpRequest& req, http::status status, const std::string& reason) {
  return proxyResponse(req, status, reason);
}

// "application/sdp; charset=x" → "application/sdp"
std::string mediaTypeOf(const HttpRequest& req) {
  std::string ct(req[http::field::content_type]);
  if (auto semi = ct.find(';'); semi != std::string::npos) ct.resize(semi);
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ct;
}

// A cheap structural check: enough to refuse garbage with a clear reason before Janus sees it.
std::optional<std::string> sdpProblem(const std::string& sdp) {
  if (sdp.empty()) return "the request has no body: an SDP offer (application/sdp) is required";
  if (sdp.rfind("v=0", 0) != 0) return "the body is not SDP: it must start with \"v=0\"";
  if (sdp.find("\nm=") == std::string::npos) return "the SDP has no media section (m=)";
  if (sdp.find("a=ice-ufrag:") == std::string::npos) return "the SDP has no ICE credentials (a=ice-ufrag)";
  if (sdp.find("a=fingerprint:") == std::string::npos) return "the SDP has no DTLS fingerprint (a=fingerprint)";
  return std::nullopt;
}

// mid → m-line index, so trickled candidates can name both (Janus accepts either).
std::map<std::string, int> mlinesOf(const std::string& sdp) {
  std::map<std::string, int> out;
  std::istringstream in(sdp);
  std::string line;
  int index = -1;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) ++index;
    else if (line.rfind("a=mid:", 0) == 0 && index >= 0) out[line.substr(6)] = index;
  }
  return out;
}

// Janus error codes → what the client should be told. Code "" is a transport failure (Janus down).
http::status statusFor(const Error& e) {
  static const std::map<std::string, http::status> byCode = {
      {"", http::status::service_unavailable},    {"458", http::status::service_unavailable},
      {"459", http::status::service_unavailable}, {"464", http::status::bad_request},
      {"465", http::status::bad_request},         {"431", http::status::bad_request},
      {"437", http::status::bad_request},         {"492", http::status::bad_request},
      {"425", http::status::conflict},            {"434", http::status::conflict},
      {"436", http::status::conflict},            {"491", http::status::conflict},
      {"426", http::status::not_found},           {"428", http::status::not_found},
      {"485", http::status::not_found},           {"432", http::status::service_unavailable},
  };
  auto it = byCode.find(e.field);
  return it == byCode.end() ? http::status::bad_gateway : it->second;
}

std::string originError(const Error& e) {
  if (e.field.empty()) return e.reason;
  return "the origin media server refused: " + e.reason + " (Janus error " + e.field + ")";
}

const char* kindName(int k) {
  static const char* names[] = {"whip", "whep", "conference"};
  return names[k];
}

}  // namespace

WhipWhepProxy::WhipWhepProxy(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, StreamEvents& events,
                             Options options)
    : io_(io), janus_(std::move(janus)), events_(events), options_(options) {
  std::weak_ptr<bool> alive = alive_;
  janus_->onDown([this, alive](const std::string& reason) {
    if (alive.lock()) janusDown(reason);
  });
}

WhipWhepProxy::~WhipWhepProxy() { janus_->onDown(nullptr); }

void WhipWhepProxy::handle(const HttpRequest& req, Respond respond) {
  std::string target(req.target());
  std::string query;
  if (auto q = target.find('?'); q != std::string::npos) {
    query = target.substr(q + 1);
    target.resize(q);
  }
  const std::string path = target.substr(std::min(target.size(), kPrefix.size()));
  const auto method = req.method();

  if (method == http::verb::options) {  // CORS preflight, so a console on another origin can publish here
    auto res = proxyResponse(req, http::status::no_content);
    res.set(http::field::access_control_allow_methods, "POST, PATCH, DELETE, OPTIONS");
    res.set(http::field::access_control_allow_headers, "Content-Type, If-Match, Authorization");
    res.set("Accept-Post", "application/sdp");
    return respond(std::move(res));
  }
  if (path == "debug" && method == http::verb::get) {
    auto res = proxyResponse(req, http::status::ok, debugJson().dump(), "application/json");
    return respond(std::move(res));
  }
  if (path.rfind("resource/", 0) == 0) {
    const std::string id = path.substr(9);
    if (method == http::verb::patch) return patch(req, std::move(respond), id);
    if (method == http::verb::delete_) return remove(req, std::move(respond), id);
    return respond(errorResponse(req, http::status::method_not_allowed, "a resource accepts PATCH and DELETE"));
  }

  const auto slash = path.find('/');
  const std::string kind = path.substr(0, slash);
  if (kind != "whip" && kind != "whep" && kind != "conference")
    return respond(errorResponse(req, http::status::not_found,
                                 "unknown proxy path " + target + " (expected whip/, whep/, conference/ or resource/)"));
  if (method != http::verb::post)
    return respond(errorResponse(req, http::status::method_not_allowed, kind + " endpoints accept POST"));
  const std::string guid = slash == std::string::npos ? "" : path.substr(slash + 1);
  const auto last = guid.rfind('/');
  if (last == std::string::npos || last == 0 || last + 1 == guid.size())
    return respond(errorResponse(req, http::status::bad_request,
                                 "the path must be " + std::string(kPrefix) + kind + "/<app>/<room>/<stream>"));
  std::string scope = guid.substr(0, last), stream = guid.substr(last + 1);
  if (auto e = validateName("scope", scope)) return respond(errorResponse(req, http::status::bad_request, e->message()));
  if (auto e = validateName("stream", stream)) return respond(errorResponse(req, http::status::bad_request, e->message()));

  if (kind == "whip") return publish(req, std::move(respond), scope, stream);
  if (kind == "whep") return play(req, std::move(respond), scope, stream);
  const bool muted = ("&" + query + "&").find("&muted=true&") != std::string::npos;
  return joinConference(req, std::move(respond), scope, stream, muted);
}

WhipWhepProxy::Resource& WhipWhepProxy::newResource(Kind kind, const std::string& scope, const std::string& stream) {
  auto r = std::make_unique<Resource>();
  r->id = randomHex(16);
  r->kind = kind;
  r->scope = scope;
  r->stream = stream;
  r->etag = "\"" + randomHex(12) + "\"";
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

void WhipWhepProxy::publish(const HttpRequest& req, Respond respond, std::string scope, std::string stream) {
  const std::string type = mediaTypeOf(req);
  if (type != "application/sdp")
    return respond(errorResponse(req, http::status::unsupported_media_type,
                                 "Content-Type must be application/sdp (got \"" + type + "\")"));
  if (auto problem = sdpProblem(req.body())) return respond(errorResponse(req, http::status::bad_request, *problem));
  if (events_.isBanned(scope, stream))
    return respond(errorResponse(req, http::status::forbidden,
                                 "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  if (!publisherResourceOf(scope, stream).empty())
    return respond(errorResponse(req, http::status::conflict,
                                 "stream " + stream + " is already publishing in " + scope));
  if (!janus_->connected()) return respond(errorResponse(req, http::status::service_unavailable, janus_->unavailableReason()));

  Resource& res = newResource(Kind::Whip, scope, stream);
  res.mlineOfMid = mlinesOf(req.body());
  const std::string id = res.id;
  const Json offer{{"type", "offer"}, {"sdp", req.body()}};
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "publish failed: " + e.message(), true);
    respond(errorResponse(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  attachFor(id, kVideoRoom, [=](Expected<JanusClient::HandleId> h) {
    if (!alive.lock()) return;
    if (!h) return fail(h.error());
    const auto handle = h.value();
    const Json create{{"request", "create"}, {"room", scope}, {"publishers", kRoomPublishers},
                      {"audiocodec", "opus"}, {"videocodec", "vp8,h264,vp9"}, {"notify_joining", false}};
    janus_->message(handle, create, std::nullopt, [=](Expected<Json> c) {
      if (!alive.lock()) return;
      if (!c && c.error().field != "427") return fail(c.error());  // 427: the room exists already
      const Json join{{"request", "join"}, {"ptype", "publisher"}, {"room", scope}, {"id", stream}, {"display", stream}};
      janus_->message(handle, join, std::nullopt, [=](Expected<Json> j) {
        if (!alive.lock()) return;
        if (!j) {
          if (j.error().field == "436")
            return fail(Error{"436", "stream " + stream + " is already publishing in " + scope});
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
                          auto out = proxyResponse(req, http::status::created, p.value()["jsep"].value("sdp", ""),
                                                  "application/sdp");
                          out.set(http::field::location, std::string(kPrefix) + "resource/" + id);
                          out.set(http::field::etag, r->etag);
                          out.set("Accept-Patch", "application/trickle-ice-sdpfrag");
                          logInfo("proxy", std::string(LogText() << "whip " << scope << "/" << stream << " answered in "
                                    << msSince(r->created) << " ms (resource " << id << ")"));
                          respond(std::move(out));
                        });
      });
    });
  });
}

void WhipWhepProxy::play(const HttpRequest& req, Respond respond, std::string scope, std::string stream) {
  if (!req.body().empty()) {
    const std::string type = mediaTypeOf(req);
    if (type != "application/sdp")
      return respond(errorResponse(req, http::status::unsupported_media_type,
                                   "Content-Type must be application/sdp (got \"" + type + "\")"));
    if (auto problem = sdpProblem(req.body())) return respond(errorResponse(req, http::status::bad_request, *problem));
  }
  const std::string publisher = publisherResourceOf(scope, stream);
  if (publisher.empty() || !find(publisher)->negotiated)
    return respond(errorResponse(req, http::status::not_found, "no stream " + stream + " is publishing in " + scope));
  if (!janus_->connected()) return respond(errorResponse(req, http::status::service_unavailable, janus_->unavailableReason()));
  if (Resource* pub = find(publisher); !pub->up) {
    // Answered but not yet connected: Janus would say "no such feed". Wait for its webrtcup (bounded by
    // the publish's connect timeout, which ends it) instead of telling the viewer it does not exist.
    pub->waitingPlays.push_back([this, req, respond, scope, stream](bool up) {
      if (!up)
        return respond(errorResponse(req, http::status::not_found, "no stream " + stream + " is publishing in " + scope));
      subscribe(req, respond, scope, stream);
    });
    return;
  }
  subscribe(req, std::move(respond), scope, stream);
}

void WhipWhepProxy::subscribe(const HttpRequest& req, Respond respond, const std::string& scope,
                              const std::string& stream) {
  if (!janus_->connected()) return respond(errorResponse(req, http::status::service_unavailable, janus_->unavailableReason()));
  Resource& res = newResource(Kind::Whep, scope, stream);
  const std::string id = res.id;
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "play failed: " + e.message(), true);
    respond(errorResponse(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  attachFor(id, kVideoRoom, [=](Expected<JanusClient::HandleId> h) {
    if (!alive.lock()) return;
    if (!h) return fail(h.error());
    const Json join{{"request", "join"}, {"ptype", "subscriber"}, {"room", scope},
                    {"streams", Json::array({Json{{"feed", stream}}})}};
    janus_->message(h.value(), join, std::nullopt, [=](Expected<Json> j) {
      if (!alive.lock()) return;
      if (!j) {
        if (j.error().field == "428" || j.error().field == "426")
          return fail(Error{"428", "no stream " + stream + " is publishing in " + scope});
        return fail(j.error());
      }
      Resource* r = find(id);
      if (!r) return fail(Error{"", "the session ended during negotiation"});
      if (!j.value().contains("jsep")) return fail(Error{"", "Janus sent no offer for the subscription"});
      const std::string sdp = j.value()["jsep"].value("sdp", "");
      r->mlineOfMid = mlinesOf(sdp);
      auto out = proxyResponse(req, http::status::not_acceptable, sdp, "application/sdp");
      out.set(http::field::location, std::string(kPrefix) + "resource/" + id);
      out.set(http::field::etag, r->etag);
      out.set("Accept-Patch", "application/sdp, application/trickle-ice-sdpfrag");
      logInfo("proxy", std::string(LogText() << "whep " << scope << "/" << stream << " offered in " << msSince(r->created)
                << " ms (resource " << id << ")"));
      respond(std::move(out));
    });
  });
}

void WhipWhepProxy::joinConference(const HttpRequest& req, Respond respond, std::string scope, std::string stream,
                                   bool muted) {
  const std::string type = mediaTypeOf(req);
  if (type != "application/sdp")
    return respond(errorResponse(req, http::status::unsupported_media_type,
                                 "Content-Type must be application/sdp (got \"" + type + "\")"));
  if (auto problem = sdpProblem(req.body())) return respond(errorResponse(req, http::status::bad_request, *problem));
  if (req.body().find("m=audio") == std::string::npos)
    return respond(errorResponse(req, http::status::bad_request, "a conference join needs an audio offer (m=audio)"));
  if (events_.isBanned(scope, stream))
    return respond(errorResponse(req, http::status::forbidden,
                                 "stream " + stream + " is banned from " + conferenceScopeOf(scope)));
  for (const auto& [rid, r] : resources_)
    if (r->kind == Kind::Conference && r->scope == scope && r->stream == stream)
      return respond(errorResponse(req, http::status::conflict, stream + " has already joined the audio of " + scope));
  if (!janus_->connected()) return respond(errorResponse(req, http::status::service_unavailable, janus_->unavailableReason()));

  Resource& res = newResource(Kind::Conference, scope, stream);
  res.mlineOfMid = mlinesOf(req.body());
  const std::string id = res.id;
  const Json offer{{"type", "offer"}, {"sdp", req.body()}};
  auto fail = [this, id, req, respond](const Error& e) {
    teardown(id, "conference join failed: " + e.message(), true);
    respond(errorResponse(req, statusFor(e), originError(e)));
  };
  std::weak_ptr<bool> alive = alive_;
  attachFor(id, kAudioBridge, [=](Expected<JanusClient::HandleId> h) {
    if (!alive.lock()) return;
    if (!h) return fail(h.error());
    const auto handle = h.value();
    const Json create{{"request", "create"}, {"room", scope}, {"sampling_rate", 48000}, {"audiolevel_event", false}};
    janus_->message(handle, create, std::nullopt, [=](Expected<Json> c) {
      if (!alive.lock()) return;
      if (!c && c.error().field != "486") return fail(c.error());  // 486: the room exists already
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
          auto out = proxyResponse(req, http::status::created, p.value()["jsep"].value("sdp", ""), "application/sdp");
          out.set(http::field::location, std::string(kPrefix) + "resource/" + id);
          out.set(http::field::etag, r->etag);
          out.set("Accept-Patch", "application/trickle-ice-sdpfrag");
          logInfo("proxy", std::string(LogText() << "conference " << scope << " joined by " << stream << (muted ? " (muted)" : "")
                    << " in " << msSince(r->created) << " ms (resource " << id << ")"));
          respond(std::move(out));
        });
      });
    });
  });
}

void WhipWhepProxy::patch(const HttpRequest& req, Respond respond, const std::string& id) {
  Resource* r = find(id);
  if (!r) return respond(errorResponse(req, http::status::not_found, "no such resource " + id));
  const std::string ifMatch(req[http::field::if_match]);
  if (!ifMatch.empty() && ifMatch != "*" && ifMatch != r->etag)
    return respond(errorResponse(req, http::status::precondition_failed,
                                 "If-Match " + ifMatch + " does not match the resource's ETag " + r->etag));
  if (!r->handle) return respond(errorResponse(req, http::status::conflict, "the resource is still being negotiated"));
  const std::string type = mediaTypeOf(req);
  std::weak_ptr<bool> alive = alive_;

  if (type == "application/sdp") {  // the WHEP client's answer to Janus's offer
    if (r->kind != Kind::Whep || r->negotiated)
      return respond(errorResponse(req, http::status::bad_request,
                                   "an SDP answer is only accepted once, by a WHEP resource that got an offer"));
    if (req.body().rfind("v=0", 0) != 0)
      return respond(errorResponse(req, http::status::bad_request, "the body is not SDP: it must start with \"v=0\""));
    const Json answer{{"type", "answer"}, {"sdp", req.body()}};
    return janus_->message(r->handle, Json{{"request", "start"}}, answer, [=](Expected<Json> s) {
      if (!alive.lock()) return;
      if (!s) {
        teardown(id, "start failed: " + s.error().message(), true);
        return respond(errorResponse(req, statusFor(s.error()), originError(s.error())));
      }
      if (Resource* res = find(id)) res->negotiated = true;
      respond(proxyResponse(req, http::status::no_content));
    });
  }
  if (type != "application/trickle-ice-sdpfrag")
    return respond(errorResponse(req, http::status::unsupported_media_type,
                                 "PATCH takes application/trickle-ice-sdpfrag (or application/sdp for a WHEP answer)"));

  // sdpfrag: a=ice-ufrag/pwd, then per m-section a=mid and a=candidate lines, maybe a=end-of-candidates.
  Json candidates = Json::array();
  bool completed = false;
  std::istringstream in(req.body());
  std::string line, mid;
  int mline = -1;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) {
      ++mline;
      mid.clear();
    } else if (line.rfind("a=mid:", 0) == 0) {
      mid = line.substr(6);
    } else if (line.rfind("a=candidate:", 0) == 0) {
      Json c{{"candidate", line.substr(2)}};
      if (!mid.empty()) c["sdpMid"] = mid;
      auto known = r->mlineOfMid.find(mid);
      c["sdpMLineIndex"] = known != r->mlineOfMid.end() ? known->second : std::max(mline, 0);
      candidates.push_back(std::move(c));
    } else if (line == "a=end-of-candidates") {
      completed = true;
    }
  }
  if (candidates.empty() && !completed)
    return respond(errorResponse(req, http::status::bad_request, "the sdpfrag has no a=candidate or a=end-of-candidates line"));
  const auto handle = r->handle;
  auto finish = [=]() {
    if (!completed) return respond(proxyResponse(req, http::status::no_content));
    janus_->trickle(handle, Json{{"completed", true}}, [=](Expected<Json>) {
      if (alive.lock()) respond(proxyResponse(req, http::status::no_content));
    });
  };
  if (candidates.empty()) return finish();
  janus_->trickle(handle, candidates, [=](Expected<Json> t) {
    if (!alive.lock()) return;
    if (!t) return respond(errorResponse(req, statusFor(t.error()), originError(t.error())));
    finish();
  });
}

void WhipWhepProxy::remove(const HttpRequest& req, Respond respond, const std::string& id) {
  if (!find(id)) return respond(errorResponse(req, http::status::not_found, "no such resource " + id));
  teardown(id, "DELETE by the client", true);
  respond(proxyResponse(req, http::status::ok));
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
}

Json WhipWhepProxy::debugJson() const {
  Json list = Json::array();
  for (const auto& [id, r] : resources_)
    list.push_back({{"kind", kindName(static_cast<int>(r->kind))}, {"scope", r->scope},
                    {"stream", r->stream}, {"up", r->up}, {"negotiated", r->negotiated}});
  return Json{{"janus", {{"connected", janus_->connected()}, {"session", janus_->hasSession()},
                         {"handles", janus_->handleCount()}, {"unavailableReason", janus_->unavailableReason()}}},
              {"resources", list}};
}

}  // namespace confhost
