#pragma once
// The two peer connections of one WHEP viewer, in one GStreamer pipeline:
//
//   origin webrtcbin (answers Janus's subscriber offer, receives)
//     └ src pad per m-line → <codec>depay → <codec>pay pt=<viewer's> → viewer webrtcbin sink_<m-line>
//   viewer webrtcbin (answers the viewer's offer, sends)
//
// No transcoding: the payloader only re-packetizes what the depayloader took apart, so the viewer gets
// its own payload types and a fresh SSRC/sequence. A viewer's PLI/FIR makes the viewer-side rtpsession
// push a GstForceKeyUnit event upstream; it crosses pay and depay and reaches the origin-side
// rtpsession, which sends a PLI to Janus, which asks the publisher for a keyframe.
//
// Runs on the default GMainContext: GStreamer's streaming-thread callbacks are re-posted there, so
// every member is touched by one thread. Answers are non-trickle (sent when ICE gathering completes).
#include <gst/gst.h>
#include <gst/sdp/sdp.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bridge/forwarding_plan.hpp"
#include "core/media/whep_bridge_protocol.hpp"

namespace confhost::bridge {

class ForwardingBridge {
 public:
  struct Settings {
    unsigned jitterLatencyMs = 20;   // origin-side jitterbuffer: only reorders, a LAN needs little
    unsigned connectTimeoutS = 30;   // the viewer must connect within this, else the bridge ends
    unsigned gatherTimeoutMs = 3000; // answers go out with whatever was gathered by then
  };
  using Emit = std::function<void(const Event&)>;  // ended → the caller stops the process

  ForwardingBridge(Settings settings, Emit emit);
  ~ForwardingBridge();
  ForwardingBridge(const ForwardingBridge&) = delete;
  ForwardingBridge& operator=(const ForwardingBridge&) = delete;

  void open(const Open& command);
  void addViewerCandidates(const std::string& sdpfrag);

 private:
  struct Side {
    const char* name = "";
    GstElement* webrtc = nullptr;
    std::vector<std::pair<unsigned, std::string>> candidates;  // gathered (m-line, "candidate:...")
    bool answered = false;                                     // local description set
    std::string answer;                                        // SDP text sent (with candidates)
  };
  struct Chain {
    GstElement* depay = nullptr;
    GstElement* pay = nullptr;
    std::string media;
  };

  bool buildPipeline();
  void negotiate(Side& side, GstSDPMessage* offer, std::function<void()> beforeAnswer,
                 std::function<void(std::string error)> answered,
                 std::function<void(GstSDPMessage* answer)> rewriteAnswer = nullptr);
  void configureOriginReceive();
  bool configureViewerSend(const GstSDPMessage& viewerOffer);
  void configureViewerUnused();
  void onGatheringChanged(Side& side);
  void finishOpenIfReady();
  void onOriginPad(GstPad* pad);
  void onConnectionState(Side& side);
  void requestKeyframe(const char* why);
  void end(const std::string& reason);
  std::string answerWithCandidates(Side& side) const;
  bool gatheringComplete(const Side& side) const;

  Settings settings_;
  Emit emit_;
  GstElement* pipeline_ = nullptr;
  Side origin_, viewer_;
  ForwardingPlan plan_;
  std::map<unsigned, Chain> chainOfOriginMline_;
  std::map<std::string, unsigned> viewerMlineOfMid_;
  enum class Phase { Idle, Opening, Open, Ended } phase_ = Phase::Idle;
  bool viewerConnected_ = false, originConnected_ = false;
  bool firstFrameOut_ = false;
  int keyframeRetries_ = 0;
  guint keyframeTimer_ = 0;
  bool firstPacketSeen_ = false;
  int keyframeRequestsLogged_ = 0;
  guint gatherTimer_ = 0, connectTimer_ = 0;
  // Where the time to the answers goes (logged once they are out): monotonic µs.
  gint64 createdUs_ = g_get_monotonic_time(), openUs_ = 0, originAnsweredUs_ = 0, viewerAnsweredUs_ = 0;
};

}  // namespace confhost::bridge
