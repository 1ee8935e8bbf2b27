#include "bridge/forwarding_bridge.hpp"

#include <gst/webrtc/webrtc.h>

#include <cstring>

#include "core/media/sdp.hpp"

namespace confhost::bridge {

namespace {

// Runs `f` on the default main context, later (never re-entrantly): GStreamer calls us from its
// streaming threads.
void onMain(std::function<void()> f) {
  g_idle_add_full(
      G_PRIORITY_DEFAULT,
      [](gpointer p) -> gboolean {
        (*static_cast<std::function<void()>*>(p))();
        return G_SOURCE_REMOVE;
      },
      new std::function<void()>(std::move(f)), [](gpointer p) { delete static_cast<std::function<void()>*>(p); });
}

// A promise whose reply (a copy, possibly null) is handed to `done` on the main context.
using PromiseDone = std::function<void(const GstStructure* reply)>;
GstPromise* promiseOnMain(PromiseDone done) {
  return gst_promise_new_with_change_func(
      [](GstPromise* promise, gpointer data) {
        const GstStructure* reply = gst_promise_get_reply(promise);
        GstStructure* copy = reply ? gst_structure_copy(reply) : nullptr;
        PromiseDone d = *static_cast<PromiseDone*>(data);
        onMain([d, copy]() {
          d(copy);
          if (copy) gst_structure_free(copy);
        });
      },
      new PromiseDone(std::move(done)), [](gpointer p) { delete static_cast<PromiseDone*>(p); });
}

std::string errorOf(const GstStructure* reply, const char* what) {
  // set-*-description reply with no structure at all on success.
  if (!reply || !gst_structure_has_field(reply, "error")) return "";
  GError* err = nullptr;
  gst_structure_get(reply, "error", G_TYPE_ERROR, &err, nullptr);
  std::string msg = std::string(what) + ": " + (err && err->message ? err->message : "failed");
  if (err) g_error_free(err);
  return msg;
}

std::string sdpText(const GstSDPMessage* sdp) {
  gchar* text = gst_sdp_message_as_text(sdp);
  std::string s = text ? text : "";
  g_free(text);
  return s;
}

// The caps the viewer gets for a route: the viewer's own description of that payload type (with its
// rtcp-fb, so PLI/NACK are negotiated), minus feedback the bridge does not implement.
GstCaps* viewerCapsOf(const GstSDPMedia* media, int payload) {
  GstCaps* caps = gst_sdp_media_get_caps_from_media(media, payload);
  if (!caps) return nullptr;
  caps = gst_caps_make_writable(caps);
  GstStructure* s = gst_caps_get_structure(caps, 0);
  gst_structure_set_name(s, "application/x-rtp");
  gst_structure_remove_fields(s, "rtcp-fb-transport-cc", "rtcp-fb-goog-remb", nullptr);
  return caps;
}

}  // namespace

ForwardingBridge::ForwardingBridge(Settings settings, Emit emit) : settings_(settings), emit_(std::move(emit)) {
  origin_.name = "origin";
  viewer_.name = "viewer";
}

ForwardingBridge::~ForwardingBridge() {
  if (gatherTimer_) g_source_remove(gatherTimer_);
  if (connectTimer_) g_source_remove(connectTimer_);
  if (keyframeTimer_) g_source_remove(keyframeTimer_);
  if (pipeline_) {
    gst_element_set_state(pipeline_, GST_STATE_NULL);
    gst_object_unref(pipeline_);
  }
}

void ForwardingBridge::end(const std::string& reason) {
  if (phase_ == Phase::Ended) return;
  const bool wasOpening = phase_ == Phase::Opening;
  phase_ = Phase::Ended;
  if (wasOpening) emit_(OpenFailed{reason});
  emit_(Ended{reason});
}

bool ForwardingBridge::buildPipeline() {
  pipeline_ = gst_pipeline_new("whep-bridge");
  origin_.webrtc = gst_element_factory_make("webrtcbin", "origin");
  viewer_.webrtc = gst_element_factory_make("webrtcbin", "viewer");
  if (!origin_.webrtc || !viewer_.webrtc) return false;
  for (Side* side : {&origin_, &viewer_}) {
    g_object_set(side->webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency",
                 settings_.jitterLatencyMs, nullptr);
    gst_bin_add(GST_BIN(pipeline_), side->webrtc);
    g_signal_connect(side->webrtc, "on-ice-candidate",
                     G_CALLBACK(+[](GstElement*, guint mline, gchar* candidate, gpointer data) {
                       auto* side = static_cast<Side*>(data);
                       std::string c = candidate;
                       onMain([side, mline, c]() { side->candidates.emplace_back(mline, c); });
                     }),
                     side);
    g_signal_connect(side->webrtc, "notify::ice-gathering-state",
                     G_CALLBACK(+[](GstElement* webrtc, GParamSpec*, gpointer self) {
                       auto* b = static_cast<ForwardingBridge*>(self);
                       onMain([b, webrtc]() { b->onGatheringChanged(webrtc == b->origin_.webrtc ? b->origin_ : b->viewer_); });
                     }),
                     this);
    g_signal_connect(side->webrtc, "notify::connection-state",
                     G_CALLBACK(+[](GstElement* webrtc, GParamSpec*, gpointer self) {
                       auto* b = static_cast<ForwardingBridge*>(self);
                       onMain([b, webrtc]() { b->onConnectionState(webrtc == b->origin_.webrtc ? b->origin_ : b->viewer_); });
                     }),
                     this);
  }
  // Linked right here, in the streaming thread, before the first buffer is pushed into the pad.
  g_signal_connect(origin_.webrtc, "pad-added", G_CALLBACK(+[](GstElement*, GstPad* pad, gpointer self) {
                     static_cast<ForwardingBridge*>(self)->onOriginPad(pad);
                   }),
                   this);
  GstBus* bus = gst_element_get_bus(pipeline_);
  gst_bus_add_watch(
      bus,
      [](GstBus*, GstMessage* msg, gpointer self) -> gboolean {
        if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
          GError* err = nullptr;
          gchar* debug = nullptr;
          gst_message_parse_error(msg, &err, &debug);
          g_printerr("bridge: pipeline error from %s: %s (%s)\n", GST_OBJECT_NAME(msg->src), err->message,
                     debug ? debug : "");
          static_cast<ForwardingBridge*>(self)->end(std::string("pipeline error: ") + err->message);
          g_error_free(err);
          g_free(debug);
        }
        return G_SOURCE_CONTINUE;
      },
      this);
  gst_object_unref(bus);
  return gst_element_set_state(pipeline_, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
}

void ForwardingBridge::open(const Open& command) {
  if (phase_ != Phase::Idle) return emit_(Refused{"open: this bridge is already open"});
  phase_ = Phase::Opening;  // from here every failure is an openFailed, then ended
  openUs_ = g_get_monotonic_time();
  auto origin = parseSdp(command.originOffer, "originOffer");
  if (!origin) return end(origin.error().message());
  auto viewer = parseSdp(command.viewerOffer, "viewerOffer");
  if (!viewer) {
    gst_sdp_message_free(*origin);
    return end(viewer.error().message());
  }
  auto plan = planForwarding(**origin, **viewer);
  if (!plan) {
    gst_sdp_message_free(*origin);
    gst_sdp_message_free(*viewer);
    return end(plan.error().message());
  }
  plan_ = *plan;
  for (guint i = 0; i < gst_sdp_message_medias_len(*viewer); ++i) {
    const char* mid = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(*viewer, i), "mid");
    if (mid) viewerMlineOfMid_[mid] = i;
  }
  if (!buildPipeline()) {
    gst_sdp_message_free(*origin);
    gst_sdp_message_free(*viewer);
    return end("GStreamer's webrtcbin is missing or would not start (gstreamer1.0-plugins-bad, gstreamer1.0-nice)");
  }
  GstSDPMessage* viewerCopy = nullptr;
  gst_sdp_message_copy(*viewer, &viewerCopy);
  negotiate(origin_, *origin, [this]() { configureOriginReceive(); },
            [this](const std::string& error) {
              if (!error.empty()) return end(error);
              originAnsweredUs_ = g_get_monotonic_time();
              finishOpenIfReady();
            });
  const bool linked = configureViewerSend(*viewerCopy);
  gst_sdp_message_free(viewerCopy);
  if (!linked) {
    gst_sdp_message_free(*viewer);
    return end("could not link the forwarding chain to the viewer");
  }
  negotiate(viewer_, *viewer, [this]() { configureViewerUnused(); },
            [this](const std::string& error) {
              if (!error.empty()) return end(error);
              viewerAnsweredUs_ = g_get_monotonic_time();
              finishOpenIfReady();
            });
  gatherTimer_ = g_timeout_add(settings_.gatherTimeoutMs, [](gpointer self) -> gboolean {
    auto* b = static_cast<ForwardingBridge*>(self);
    b->gatherTimer_ = 0;
    g_printerr("bridge: ICE gathering not complete after the timeout; answering with what was gathered\n");
    b->finishOpenIfReady();
    return G_SOURCE_REMOVE;
  }, this);
  connectTimer_ = g_timeout_add_seconds(settings_.connectTimeoutS, [](gpointer self) -> gboolean {
    auto* b = static_cast<ForwardingBridge*>(self);
    b->connectTimer_ = 0;
    if (!b->viewerConnected_)
      b->end("the viewer did not connect within " + std::to_string(b->settings_.connectTimeoutS) + " s");
    return G_SOURCE_REMOVE;
  }, this);
}

// remote offer → (beforeAnswer) → create-answer → (rewriteAnswer) → local description. `offer` is
// taken over.
void ForwardingBridge::negotiate(Side& side, GstSDPMessage* offer, std::function<void()> beforeAnswer,
                                 std::function<void(std::string error)> answered,
                                 std::function<void(GstSDPMessage* answer)> rewriteAnswer) {
  GstWebRTCSessionDescription* desc = gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, offer);
  Side* s = &side;
  GstPromise* setRemote = promiseOnMain([this, s, beforeAnswer, answered, rewriteAnswer](const GstStructure* reply) {
    if (phase_ == Phase::Ended) return;
    if (auto e = errorOf(reply, (std::string(s->name) + " offer").c_str()); !e.empty()) return answered(e);
    if (beforeAnswer) beforeAnswer();
    if (phase_ == Phase::Ended) return;
    GstPromise* create = promiseOnMain([this, s, answered, rewriteAnswer](const GstStructure* reply) {
      if (phase_ == Phase::Ended) return;
      if (auto e = errorOf(reply, (std::string(s->name) + " answer").c_str()); !e.empty()) return answered(e);
      GstWebRTCSessionDescription* answer = nullptr;
      if (reply) gst_structure_get(reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, nullptr);
      if (!answer) return answered(std::string(s->name) + " answer: webrtcbin made none");
      if (rewriteAnswer) rewriteAnswer(answer->sdp);
      GstPromise* setLocal = promiseOnMain([this, s, answered](const GstStructure* reply) {
        if (phase_ == Phase::Ended) return;
        if (auto e = errorOf(reply, (std::string(s->name) + " local description").c_str()); !e.empty())
          return answered(e);
        s->answered = true;
        answered("");
      });
      g_signal_emit_by_name(s->webrtc, "set-local-description", answer, setLocal);
      gst_promise_unref(setLocal);
      gst_webrtc_session_description_free(answer);
    });
    g_signal_emit_by_name(s->webrtc, "create-answer", nullptr, create);
    gst_promise_unref(create);
  });
  g_signal_emit_by_name(side.webrtc, "set-remote-description", desc, setRemote);
  gst_promise_unref(setRemote);
  gst_webrtc_session_description_free(desc);
}

void ForwardingBridge::configureOriginReceive() {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(origin_.webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers && i < transceivers->len; ++i)
    g_object_set(g_array_index(transceivers, GstWebRTCRTPTransceiver*, i), "direction",
                 GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, nullptr);
  if (transceivers) g_array_unref(transceivers);
}

bool ForwardingBridge::configureViewerSend(const GstSDPMessage& viewerOffer) {
  // Requested before the offer is applied: a pad named sink_<m-line> creates a transceiver locked to
  // that m-line, which the offer's m-line then joins (webrtcbin 1.22 makes none for recvonly m-lines).
  bool ok = true;
  for (const Route& r : plan_.routes) {
    const Route* route = &r;
    const unsigned mline = r.viewerMline;
    GstCaps* caps = viewerCapsOf(gst_sdp_message_get_media(&viewerOffer, mline), route->viewerPayload);
    const Repacketizer rp = repacketizerOf(route->codec);
    Chain chain;
    chain.media = route->media;
    chain.depay = gst_element_factory_make(rp.depay, nullptr);
    chain.pay = gst_element_factory_make(rp.pay, nullptr);
    if (!chain.depay || !chain.pay) {
      g_printerr("bridge: %s or %s is missing\n", rp.depay, rp.pay);
      ok = false;
      if (caps) gst_caps_unref(caps);
      continue;
    }
    g_object_set(chain.pay, "pt", static_cast<guint>(route->viewerPayload), nullptr);
    if (route->codec == "VP8" || route->codec == "VP9") {
      // A picture lost upstream makes the depayloader ask for a keyframe (PLI to the origin) instead
      // of passing the viewer a broken reference chain.
      g_object_set(chain.depay, "request-keyframe", TRUE, "wait-for-keyframe", TRUE, nullptr);
      g_object_set(chain.pay, "picture-id-mode", 2, nullptr);  // 15-bit picture ids, as browsers send
    }
    if (route->codec == "H264") g_object_set(chain.pay, "config-interval", -1, "aggregate-mode", 1, nullptr);
    gst_bin_add_many(GST_BIN(pipeline_), chain.depay, chain.pay, nullptr);
    GstPadTemplate* templ = gst_element_class_get_pad_template(GST_ELEMENT_GET_CLASS(viewer_.webrtc), "sink_%u");
    const std::string padName = "sink_" + std::to_string(mline);
    GstPad* sink = gst_element_request_pad(viewer_.webrtc, templ, padName.c_str(), caps);
    GstPad* paySrc = gst_element_get_static_pad(chain.pay, "src");
    if (sink) {
      GstWebRTCRTPTransceiver* trans = nullptr;
      g_object_get(sink, "transceiver", &trans, nullptr);
      if (trans) {
        g_object_set(trans, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, "codec-preferences", caps, nullptr);
        gst_object_unref(trans);
      }
    }
    if (!sink || !gst_element_link(chain.depay, chain.pay) || gst_pad_link(paySrc, sink) != GST_PAD_LINK_OK) {
      g_printerr("bridge: could not link %s → viewer %s\n", rp.pay, padName.c_str());
      ok = false;
    }
    // Progress for the server log: the first packet that reaches the viewer's side.
    gst_pad_add_probe(paySrc, GST_PAD_PROBE_TYPE_BUFFER, [](GstPad*, GstPadProbeInfo*, gpointer self) -> GstPadProbeReturn {
      auto* b = static_cast<ForwardingBridge*>(self);
      onMain([b]() {
        if (b->firstPacketSeen_) return;
        b->firstPacketSeen_ = true;
        b->emit_(State{"first packet forwarded to the viewer"});
      });
      return GST_PAD_PROBE_REMOVE;
    }, this, nullptr);
    if (route->media == "video") {
      // wait-for-keyframe: the first frame out of the depayloader is a keyframe.
      GstPad* depaySrc = gst_element_get_static_pad(chain.depay, "src");
      gst_pad_add_probe(depaySrc, GST_PAD_PROBE_TYPE_BUFFER, [](GstPad*, GstPadProbeInfo*, gpointer self) -> GstPadProbeReturn {
        auto* b = static_cast<ForwardingBridge*>(self);
        onMain([b]() {
          if (b->firstFrameOut_) return;
          b->firstFrameOut_ = true;
          b->emit_(State{"first keyframe forwarded to the viewer"});
        });
        return GST_PAD_PROBE_REMOVE;
      }, this, nullptr);
      gst_object_unref(depaySrc);
    }
    // Keyframe requests crossing the chain towards the origin (the viewer's PLI/FIR, or the depayloader's).
    GstPad* depaySink = gst_element_get_static_pad(chain.depay, "sink");
    gst_pad_add_probe(depaySink, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, [](GstPad*, GstPadProbeInfo* info, gpointer self) -> GstPadProbeReturn {
      GstEvent* ev = GST_PAD_PROBE_INFO_EVENT(info);
      if (GST_EVENT_TYPE(ev) == GST_EVENT_CUSTOM_UPSTREAM && gst_event_has_name(ev, "GstForceKeyUnit")) {
        auto* b = static_cast<ForwardingBridge*>(self);
        onMain([b]() {
          if (b->keyframeRequestsLogged_ < 5)
            b->emit_(State{"keyframe request passed upstream to the origin"});
          else if (b->keyframeRequestsLogged_ == 5)
            b->emit_(State{"keyframe request passed upstream (further ones not logged)"});
          b->keyframeRequestsLogged_++;
        });
      }
      return GST_PAD_PROBE_OK;
    }, this, nullptr);
    gst_object_unref(depaySink);
    gst_object_unref(paySrc);
    if (sink) gst_object_unref(sink);
    if (caps) gst_caps_unref(caps);
    gst_element_sync_state_with_parent(chain.depay);
    gst_element_sync_state_with_parent(chain.pay);
    chainOfOriginMline_[route->originMline] = chain;
  }
  return ok && !chainOfOriginMline_.empty();
}

// The viewer's m-lines the bridge has nothing for (a second video, a data channel) are answered inactive.
void ForwardingBridge::configureViewerUnused() {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(viewer_.webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers && i < transceivers->len; ++i) {
    auto* trans = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    guint mline = 0;
    g_object_get(trans, "mlineindex", &mline, nullptr);
    bool routed = false;
    for (const Route& r : plan_.routes) routed = routed || r.viewerMline == mline;
    if (!routed) g_object_set(trans, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE, nullptr);
  }
  if (transceivers) g_array_unref(transceivers);
}

// Streaming thread. The chains are complete before the origin can send (its answer leaves only after
// both sides are configured), so reading the map here is safe.
void ForwardingBridge::onOriginPad(GstPad* pad) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  GstWebRTCRTPTransceiver* trans = nullptr;
  g_object_get(pad, "transceiver", &trans, nullptr);
  guint mline = G_MAXUINT;
  if (trans) {
    g_object_get(trans, "mlineindex", &mline, nullptr);
    gst_object_unref(trans);
  }
  auto it = chainOfOriginMline_.find(mline);
  GstElement* target = nullptr;
  if (it != chainOfOriginMline_.end()) {
    target = it->second.depay;
  } else {
    // A stream the viewer does not take still has to flow somewhere (an unlinked pad is an error).
    target = gst_element_factory_make("fakesink", nullptr);
    g_object_set(target, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add(GST_BIN(pipeline_), target);
    gst_element_sync_state_with_parent(target);
  }
  GstPad* sink = gst_element_get_static_pad(target, "sink");
  const bool linked = gst_pad_link(pad, sink) == GST_PAD_LINK_OK;
  gst_object_unref(sink);
  std::string what = std::string(linked ? "forwarding" : "could not link") + " the origin's m-line " + std::to_string(mline);
  onMain([this, what]() { emit_(State{what}); });
}

bool ForwardingBridge::gatheringComplete(const Side& side) const {
  GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_object_get(side.webrtc, "ice-gathering-state", &state, nullptr);
  return state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
}

void ForwardingBridge::onGatheringChanged(Side&) { finishOpenIfReady(); }

// The answer webrtcbin holds, with every gathered candidate in it (non-trickle).
std::string ForwardingBridge::answerWithCandidates(Side& side) const {
  GstWebRTCSessionDescription* local = nullptr;
  g_object_get(side.webrtc, "local-description", &local, nullptr);
  if (!local) return "";
  GstSDPMessage* sdp = local->sdp;
  for (const auto& [mline, candidate] : side.candidates) {
    if (mline >= gst_sdp_message_medias_len(sdp)) continue;
    GstSDPMedia* media = const_cast<GstSDPMedia*>(gst_sdp_message_get_media(sdp, mline));
    const std::string value = candidate.rfind("candidate:", 0) == 0 ? candidate.substr(10) : candidate;
    bool present = false;
    for (guint a = 0; a < gst_sdp_media_attributes_len(media); ++a) {
      const GstSDPAttribute* attr = gst_sdp_media_get_attribute(media, a);
      if (std::strcmp(attr->key, "candidate") == 0 && attr->value && value == attr->value) present = true;
    }
    if (!present) gst_sdp_media_add_attribute(media, "candidate", value.c_str());
  }
  std::string text = sdpText(sdp);
  gst_webrtc_session_description_free(local);
  return text;
}

void ForwardingBridge::finishOpenIfReady() {
  const bool timedOut = gatherTimer_ == 0;
  if (phase_ != Phase::Opening || !origin_.answered || !viewer_.answered) return;
  if (!timedOut && !(gatheringComplete(origin_) && gatheringComplete(viewer_))) return;
  if (gatherTimer_) g_source_remove(gatherTimer_), gatherTimer_ = 0;
  phase_ = Phase::Open;
  origin_.answer = answerWithCandidates(origin_);
  viewer_.answer = answerWithCandidates(viewer_);
  const auto ms = [this](gint64 us) { return std::to_string((us - openUs_) / 1000); };
  emit_(State{"answers out " + ms(g_get_monotonic_time()) + " ms after open (origin answered at " +
              ms(originAnsweredUs_) + " ms, viewer at " + ms(viewerAnsweredUs_) + " ms, the rest is ICE gathering" +
              (timedOut ? ", cut by the gather timeout" : "") + "); the open came " +
              std::to_string((openUs_ - createdUs_) / 1000) + " ms after the bridge was ready"});
  emit_(Opened{origin_.answer, viewer_.answer});
}

void ForwardingBridge::onConnectionState(Side& side) {
  GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  g_object_get(side.webrtc, "connection-state", &state, nullptr);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED) {
    emit_(State{std::string(side.name) + " connected"});
    if (&side == &viewer_) viewerConnected_ = true;
    if (&side == &origin_) originConnected_ = true;
    // The viewer can decode only from a keyframe, and the depayloader passes nothing before one: ask
    // the origin as soon as both sides are up, and again until a first frame has gone through (a
    // request sent before the origin's SSRC is known is lost). A publisher that starts late still
    // gets asked, every 700 ms for the first 10 s and every 3.5 s after that, until a frame goes out.
    if (viewerConnected_ && originConnected_ && !keyframeTimer_ && !firstFrameOut_) {
      requestKeyframe("both sides connected");
      keyframeTimer_ = g_timeout_add(700, [](gpointer self) -> gboolean {
        auto* b = static_cast<ForwardingBridge*>(self);
        if (b->firstFrameOut_) {
          b->keyframeTimer_ = 0;
          return G_SOURCE_REMOVE;
        }
        if (++b->keyframeRetries_ % 5 == 0 || b->keyframeRetries_ < 15) b->requestKeyframe("no keyframe yet");
        return G_SOURCE_CONTINUE;
      }, this);
    }
  } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    end(&side == &viewer_ ? "the viewer's connection failed (ICE or DTLS)" : "the connection to the origin failed");
  }
}

void ForwardingBridge::requestKeyframe(const char* why) {
  for (auto& [mline, chain] : chainOfOriginMline_) {
    if (chain.media != "video") continue;
    GstPad* src = gst_element_get_static_pad(chain.pay, "src");
    GstStructure* s = gst_structure_new("GstForceKeyUnit", "all-headers", G_TYPE_BOOLEAN, TRUE, nullptr);
    gst_pad_send_event(src, gst_event_new_custom(GST_EVENT_CUSTOM_UPSTREAM, s));
    gst_object_unref(src);
  }
  g_printerr("bridge: keyframe requested (%s)\n", why);
}

void ForwardingBridge::addViewerCandidates(const std::string& sdpfrag) {
  if (phase_ != Phase::Open) return emit_(Refused{"candidates: the bridge is not open"});
  for (const sdp::Candidate& c : sdp::parseIceFragment(sdpfrag).candidates) {
    // mDNS host names (x.local) cannot be resolved here; the viewer's checks to our candidates make
    // the peer-reflexive path instead.
    if (c.line.find(".local ") != std::string::npos) continue;
    auto it = viewerMlineOfMid_.find(c.mid);
    const unsigned mline = it == viewerMlineOfMid_.end() ? 0 : it->second;
    g_signal_emit_by_name(viewer_.webrtc, "add-ice-candidate", mline, c.line.c_str());
  }
}

}  // namespace confhost::bridge
