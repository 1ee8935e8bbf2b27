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

const char* modeName(int mode) {
  static const char* names[] = {"client-offer", "server-offer", "bridged"};
  return names[mode];
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
  const ProxyPath path = parseProxyPath(targetPath(target));
  const auto method = req.method();
  using Kind = ProxyPath::Kind;

  if (method == http::verb::options) {  // CORS preflight; some clients read the ICE servers here (RFC 9725 4.6)
    auto res = response(req, http::status::no_content);
    res.set(http::field::access_control_allow_methods, "POST, PATCH, DELETE, GET, OPTIONS");
    res.set(http::field::access_control_allow_headers, "Content-Type, If-Match, Authorization, ETag");
    res.set(http::field::access_control_max_age, "600");
    if (path.kind == Kind::Endpoint) {
      res.set("Accept-Post", "application/sdp");
      setIceServerLinks(res);
    }
    if (path.kind == Kind::Resource) res.set("Accept-Patch", "application/sdp, application/trickle-ice-sdpfrag");
    return respond(std::move(res));
  }
  switch (path.kind) {
    case Kind::Invalid:
      return respond(error(req, path.status == 400 ? http::status::bad_request : http::status::not_found, path.problem));
    case Kind::Debug:
      if (method != http::verb::get) return respond(methodNotAllowed(req, "debug accepts GET", "GET, OPTIONS"));
      if (!carriesAccessToken(req, options_.accessToken)) {
        auto res = error(req, http::status::unauthorized,
                         "the proxy's debug state needs the Stream Manager token (?accessToken= or Authorization: Bearer)");
        res.set(http::field::www_authenticate, "Bearer");
        return respond(std::move(res));
      }
      return respond(response(req, http::status::ok, debugJson().dump(), "application/json"));
    case Kind::Resource:
      if (method == http::verb::patch) return patch(req, std::move(respond), path.id);
      if (method == http::verb::delete_) return remove(req, std::move(respond), path.id);
      // RFC 9725 4.2: a session answers 405 to anything but PATCH and DELETE (reserved for later versions).
      return respond(methodNotAllowed(req, "a WHIP/WHEP session accepts PATCH and DELETE", "PATCH, DELETE, OPTIONS"));
    case Kind::Endpoint:
      // RFC 9725 4.2: an endpoint answers 405 to anything but OPTIONS and POST.
      if (method != http::verb::post)
        return respond(methodNotAllowed(req, "a WHIP/WHEP endpoint accepts POST (and OPTIONS)", "POST, OPTIONS"));
      switch (path.endpoint) {
        case Endpoint::Whip: return publish(req, std::move(respond), path);
        case Endpoint::Whep: return play(req, std::move(respond), path);
        case Endpoint::Conference:
          return joinConference(req, std::move(respond), path, queryFlag(targetQuery(target), "muted"));
      }
  }
}

Status WhipWhepProxy::checkQuota(Endpoint endpoint, const ProxyPath& path) const {
  if (resources_.size() >= options_.maxSessions)
    return Error{"", "the proxy already holds " + std::to_string(resources_.size()) +
                         " media sessions, its limit (--max-proxy-sessions); try again later"};
  if (endpoint == Endpoint::Whep) {
    std::size_t viewers = 0;
    for (const auto& [id, r] : resources_)
      if (r->endpoint == Endpoint::Whep && r->scope == path.scope && r->stream == path.stream) ++viewers;
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

WhipWhepProxy::Resource& WhipWhepProxy::newResource(Endpoint endpoint, const ProxyPath& path) {
  auto r = std::make_unique<Resource>();
  r->id = randomToken(16);  // the id is a capability (it allows PATCH and DELETE): CSPRNG
  r->endpoint = endpoint;
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
    if (Resource* res = find(id); res && res->phase != ResourcePhase::Up)
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
    if (r->endpoint == Endpoint::Whip && r->scope == scope && r->stream == stream) return id;
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

void WhipWhepProxy::remove(const HttpRequest& req, Respond respond, const std::string& id) {
  if (!find(id)) return respond(error(req, http::status::not_found, "no such resource (it ended, or never existed)"));
  teardown(id, "DELETE by the client", true);
  respond(response(req, http::status::ok));
}

void WhipWhepProxy::onJanusEvent(const std::string& id, const Json& msg) {
  using Hook = void (WhipWhepProxy::*)(const std::string&, const Json&);
  static const std::map<std::string, Hook> hooks = {{"webrtcup", &WhipWhepProxy::onWebrtcUp},
                                                    {"media", &WhipWhepProxy::onMedia},
                                                    {"event", &WhipWhepProxy::onPluginEvent},
                                                    {"hangup", &WhipWhepProxy::onHangup},
                                                    {"detached", &WhipWhepProxy::onDetached}};
  auto hook = hooks.find(msg.value("janus", ""));
  if (hook != hooks.end() && find(id)) (this->*hook->second)(id, msg);
}

void WhipWhepProxy::onWebrtcUp(const std::string& id, const Json&) {
  Resource* r = find(id);
  const bool announce = r->endpoint == Endpoint::Whip && r->phase != ResourcePhase::Up;
  r->phase = nextPhase(r->phase, ResourceEvent::WebrtcUp);
  r->connectTimer->cancel();
  logInfo("proxy", std::string(LogText() << toString(r->endpoint) << " " << r->scope << "/" << r->stream << " webrtcup "
                                         << r->ageMs() << " ms after the POST"));
  if (announce) events_.streamStarted(r->scope, r->stream);
  if (Resource* still = find(id)) {
    auto waiting = std::move(still->waitingPlays);
    still->waitingPlays.clear();
    for (auto& play : waiting) play(true);
  }
}

void WhipWhepProxy::onMedia(const std::string& id, const Json& msg) {
  Resource* r = find(id);
  if (r->endpoint == Endpoint::Whep) return;  // a viewer sends nothing
  const std::string key = msg.contains("mid") ? msg.value("mid", "") : msg.value("type", "");
  r->receiving[key] = msg.value("receiving", false);
  bool any = false;
  for (const auto& [k, on] : r->receiving) any = any || on;
  if (any) return (void)r->silenceTimer->cancel();
  // Every medium went quiet: the peer is probably gone. Give it a moment (a network blip) first.
  r->silenceTimer->expires_after(options_.silenceTimeout);
  std::weak_ptr<bool> alive = alive_;
  r->silenceTimer->async_wait([this, alive, id](boost::system::error_code ec) {
    if (ec || !alive.lock()) return;
    teardown(id, "no media from the peer for " + std::to_string(1 + options_.silenceTimeout.count() / 1000) +
                     " s (its page or network is gone)",
             true);
  });
}

// Asynchronous plugin events; of these only speech detection (AudioBridge, waiting-room VideoRoom)
// matters here.
void WhipWhepProxy::onPluginEvent(const std::string&, const Json& msg) {
  const auto plugindata = msg.find("plugindata");
  if (plugindata == msg.end() || !plugindata->is_object()) return;
  const std::string plugin = plugindata->value("plugin", "");
  if (plugin != JanusRooms::kAudioBridge && plugin != JanusRooms::kVideoRoom) return;
  if (const auto data = plugindata->find("data"); data != plugindata->end()) reportTalking(talking_.onEvent(*data));
}

void WhipWhepProxy::reportTalking(const std::optional<TalkingStreams::Change>& change) {
  if (change) events_.talkingChanged(change->scope, change->streams);
}

void WhipWhepProxy::onHangup(const std::string& id, const Json& msg) {
  // An ICE restart renegotiates without a hangup; a hangup during one still ends the session.
  teardown(id, "Janus hung up (" + msg.value("reason", std::string("no reason")) + ")", true);
}

void WhipWhepProxy::onDetached(const std::string& id, const Json&) { teardown(id, "Janus detached the handle", false); }

void WhipWhepProxy::teardown(const std::string& id, const std::string& reason, bool detach) {
  auto it = resources_.find(id);
  if (it == resources_.end()) return;
  std::unique_ptr<Resource> r = std::move(it->second);
  resources_.erase(it);
  r->connectTimer->cancel();
  r->silenceTimer->cancel();
  logInfo("proxy", std::string(LogText() << toString(r->endpoint) << " " << r->scope << "/" << r->stream << " ended: " << reason));
  if (detach && r->handle) janus_->detach(r->handle);
  if (r->mode == Mode::Bridged && options_.bridge) options_.bridge->close(id);
  for (auto& play : r->waitingPlays) play(false);
  if (r->endpoint == Endpoint::Whip) {
    // Its viewers go with it. Janus keeps a subscriber whose feed left (it only renegotiates the stream
    // away), so the viewer would sit "connected" on the last frame and never retry, missing the next
    // publisher of the same name. Detaching its handle ends its PeerConnection (the client sees it
    // close or fail and its retry policy starts) and a later PATCH/DELETE of its resource gets 404.
    std::vector<std::string> viewers;
    for (const auto& [vid, v] : resources_)
      if (v->endpoint == Endpoint::Whep && v->scope == r->scope && v->stream == r->stream) viewers.push_back(vid);
    for (const auto& vid : viewers) teardown(vid, "its publisher left (" + reason + ")", detach);
  }
  if (r->endpoint == Endpoint::Whip && r->phase == ResourcePhase::Up) events_.streamStopped(r->scope, r->stream);
  reportTalking(talking_.left(id));  // a join that ends stops talking at once
  if (!scopeInUse(r->scope)) rooms_.idle(r->scope);
}

void WhipWhepProxy::endSessionsOf(const std::string& scope, const std::string& stream, const std::string& reason) {
  std::vector<std::string> ids;
  for (const auto& [id, r] : resources_)
    if (r->endpoint != Endpoint::Whep && r->scope == scope && r->stream == stream) ids.push_back(id);
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
    list.push_back({{"kind", toString(r->endpoint)}, {"scope", r->scope}, {"stream", r->stream},
                    {"up", r->phase == ResourcePhase::Up}, {"negotiated", r->phase != ResourcePhase::Negotiating},
                    {"mode", modeName(static_cast<int>(r->mode))}});
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
