// WhipWhepProxy's PATCH: the WHEP client's answer to a server offer, trickle ICE, and ICE restarts
// (RFC 9725 4.3). A PATCH is a restart when its fragment carries an a=ice-ufrag other than the one of
// the client's current ICE session (clients repeat the current one on every trickle).
//
// A restart renegotiates with the origin, re-issuing the client's side of the session with the new
// credentials and candidates:
//   WHIP, conference       the client's offer → Janus `configure` with it → Janus's new answer;
//   WHEP, Janus offering   Janus `configure` + `restart: true` → Janus's new offer, then `start` with
//                          the client's answer carrying the new credentials;
//   WHEP, bridged          refused with 422 (see restartIce).
// The 200 carries the ICE fragment (ufrag, pwd, candidates) of the origin's new SDP and a new ETag.
// A restart that cannot be done (the session is not negotiated yet, the origin refused) is 422 and
// leaves the session as it was (RFC 9725: the session MUST NOT be terminated).
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "core/protocol/json_limits.hpp"
#include "server/logging/log.hpp"
#include "server/proxy/proxy_http.hpp"
#include "server/security/random_token.hpp"
#include "server/proxy/whip_whep_proxy.hpp"

namespace confhost {

namespace http = boost::beast::http;
using Json = nlohmann::json;
using namespace proxyhttp;

void WhipWhepProxy::patch(const HttpRequest& req, Respond respond, const std::string& id) {
  Resource* r = find(id);
  if (!r) return respond(error(req, http::status::not_found, "no such resource (it ended, or never existed)"));
  const std::string ifMatch(req[http::field::if_match]);
  if (!ifMatch.empty() && ifMatch != "*" && ifMatch != r->etag)
    return respond(error(req, http::status::precondition_failed,
                         "If-Match " + printableText(ifMatch, 64) + " does not match the session's ETag " + r->etag));
  if (!r->handle) return respond(error(req, http::status::conflict, "the session is still being negotiated"));
  const std::string type = mediaTypeOf(req);
  if (type == "application/sdp") return acceptAnswer(req, std::move(respond), id);
  if (type != "application/trickle-ice-sdpfrag")
    return respond(error(req, http::status::unsupported_media_type,
                         "PATCH takes application/trickle-ice-sdpfrag (or application/sdp for a WHEP answer), got \"" +
                             type + "\""));
  if (req.body().size() > kMaxSdpBytes)
    return respond(error(req, http::status::payload_too_large, "the ICE fragment is larger than 128 KiB"));
  if (!isValidUtf8(req.body())) return respond(error(req, http::status::bad_request, "the ICE fragment is not valid UTF-8 text"));

  const sdp::IceFragment frag = sdp::parseIceFragment(req.body());
  const std::string current = sdp::iceUfragOf(r->clientSdp);
  if (!frag.ufrag.empty() && !current.empty() && frag.ufrag != current) {
    if (ifMatch.empty())
      return respond(error(req, http::status::precondition_required,
                           "an ICE restart must carry If-Match: \"*\" (or the session's current ETag)"));
    if (frag.pwd.empty())
      return respond(error(req, http::status::bad_request, "an ICE restart needs the new a=ice-pwd with the new a=ice-ufrag"));
    return restartIce(req, std::move(respond), id, frag);
  }
  trickle(req, std::move(respond), id, frag);
}

void WhipWhepProxy::acceptAnswer(const HttpRequest& req, Respond respond, const std::string& id) {
  Resource* r = find(id);
  if (r->endpoint != Endpoint::Whep || r->mode == Mode::Bridged || r->phase != ResourcePhase::Negotiating)
    return respond(error(req, http::status::bad_request,
                         "an SDP answer is only accepted once, by a WHEP session that got the server's offer"));
  if (req.body().size() > kMaxSdpBytes)
    return respond(error(req, http::status::payload_too_large, "the SDP is larger than 128 KiB"));
  if (auto sdp = sdp::checkSdp(req.body()); !sdp)
    return respond(error(req, http::status::bad_request, sdp.error().message()));
  const Json answer{{"type", "answer"}, {"sdp", req.body()}};
  std::weak_ptr<bool> alive = alive_;
  janus_->message(r->handle, Json{{"request", "start"}}, answer, [=](Expected<Json> s) {
    if (!alive.lock()) return;
    if (!s) {
      teardown(id, "start failed: " + s.error().message(), true);
      return respond(error(req, statusFor(s.error()), originError(s.error())));
    }
    if (Resource* res = find(id)) {
      res->phase = nextPhase(res->phase, ResourceEvent::SdpExchanged);
      res->clientSdp = req.body();
    }
    respond(response(req, http::status::no_content));
  });
}

void WhipWhepProxy::trickle(const HttpRequest& req, Respond respond, const std::string& id, const sdp::IceFragment& frag) {
  Resource* r = find(id);
  if (frag.candidates.empty() && !frag.completed)
    return respond(error(req, http::status::bad_request, "the ICE fragment has no a=candidate or a=end-of-candidates line"));
  if (r->mode == Mode::Bridged) {  // the viewer's candidates are for the bridge, not for Janus
    options_.bridge->addViewerCandidates(id, req.body());
    return respond(response(req, http::status::no_content));
  }
  Json candidates = Json::array();
  for (const auto& c : frag.candidates) {
    Json j{{"candidate", c.line}};
    if (!c.mid.empty()) j["sdpMid"] = c.mid;
    auto known = r->mlineOfMid.find(c.mid);
    j["sdpMLineIndex"] = known != r->mlineOfMid.end() ? known->second : c.mline;
    candidates.push_back(std::move(j));
  }
  const auto handle = r->handle;
  const bool completed = frag.completed;
  std::weak_ptr<bool> alive = alive_;
  auto finish = [=]() {
    if (!completed) return respond(response(req, http::status::no_content));
    janus_->trickle(handle, Json{{"completed", true}}, [=](Expected<Json>) {
      if (alive.lock()) respond(response(req, http::status::no_content));
    });
  };
  if (candidates.empty()) return finish();
  janus_->trickle(handle, candidates, [=](Expected<Json> t) {
    if (!alive.lock()) return;
    if (!t) return respond(error(req, statusFor(t.error()), originError(t.error())));
    finish();
  });
}

void WhipWhepProxy::restartIce(const HttpRequest& req, Respond respond, const std::string& id,
                               const sdp::IceFragment& frag) {
  Resource* r = find(id);
  if (r->phase == ResourcePhase::Negotiating)
    return respond(error(req, http::status::unprocessable_entity,
                         "the session has no ICE session to restart yet (its SDP exchange is not complete)"));
  if (r->restarting) return respond(error(req, http::status::conflict, "an ICE restart of this session is in progress"));
  r->restarting = true;
  const std::string clientSdp = sdp::withIceCredentials(r->clientSdp, frag.ufrag, frag.pwd, frag.candidates);
  const auto handle = r->handle;
  std::weak_ptr<bool> alive = alive_;

  // The origin's new SDP is in: the session now uses the new credentials (and a new ETag).
  auto done = [=](const std::string& originSdp) {
    Resource* res = find(id);
    if (!res) return respond(error(req, http::status::not_found, "the session ended during the ICE restart"));
    res->restarting = false;
    res->clientSdp = clientSdp;
    res->etag = "\"" + randomToken(12) + "\"";
    auto out = response(req, http::status::ok, sdp::iceFragmentOf(originSdp), "application/trickle-ice-sdpfrag");
    out.set(http::field::etag, res->etag);
    logInfo("proxy", "ICE restart of " + res->scope + "/" + res->stream + " done");
    respond(std::move(out));
  };
  auto refused = [=](const std::string& why) {
    if (Resource* res = find(id)) res->restarting = false;
    respond(error(req, http::status::unprocessable_entity, "the ICE restart was refused: " + why +
                                                               " (the session goes on with its previous ICE session)"));
  };
  auto jsepSdp = [](const Expected<Json>& m) { return m.value().contains("jsep") ? m.value()["jsep"].value("sdp", "") : ""; };

  // GStreamer 1.22's webrtcbin answers a renegotiation with its previous ICE credentials, and forcing
  // fresh ones into its answer left the viewer's ICE failed (libnice 0.1.21 keeps the old check list).
  // RFC 9725 4.3.2 allows refusing: the viewer keeps its media, and a new POST moves it to a new network.
  if (r->mode == Mode::Bridged)
    return refused("an ICE restart of a bridged WHEP session is not supported (GStreamer 1.22 webrtcbin keeps "
                   "its ICE credentials); the session goes on, a new POST makes a new one");
  if (r->endpoint != Endpoint::Whep) {  // the client offers: Janus answers the re-issued offer
    const Json offer{{"type", "offer"}, {"sdp", clientSdp}};
    return janus_->message(handle, Json{{"request", "configure"}}, offer, [=](Expected<Json> c) {
      if (!alive.lock()) return;
      if (!c) return refused(originError(c.error()));
      const std::string answer = jsepSdp(c);
      if (answer.empty()) return refused("Janus sent no new answer");
      done(answer);
    });
  }
  // Janus offers: it restarts its side first, then takes the client's answer with the new credentials.
  janus_->message(handle, Json{{"request", "configure"}, {"restart", true}}, std::nullopt, [=](Expected<Json> c) {
    if (!alive.lock()) return;
    if (!c) return refused(originError(c.error()));
    const std::string offer = jsepSdp(c);
    if (offer.empty()) return refused("Janus sent no new offer");
    const Json answer{{"type", "answer"}, {"sdp", clientSdp}};
    janus_->message(handle, Json{{"request", "start"}}, answer, [=](Expected<Json> s) {
      if (!alive.lock()) return;
      if (!s) return refused(originError(s.error()));
      done(offer);
    });
  });
}

}  // namespace confhost
