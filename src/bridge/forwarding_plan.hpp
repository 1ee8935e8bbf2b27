#pragma once
// Which RTP streams the bridge forwards, decided from the two offers before any pipeline exists:
// for each m-line of the viewer's offer, the codec the origin sends that the viewer can receive, and
// the payload type the viewer gave it. Only codecs with a depayloader/payloader pair in GStreamer are
// forwarded (repacketized, never transcoded).
#include <gst/sdp/sdp.h>

#include <string>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost::bridge {

struct Route {
  std::string media;        // "audio" or "video"
  std::string codec;        // upper-case encoding name: VP8, VP9, H264, OPUS
  unsigned originMline = 0;  // where the origin sends it
  unsigned viewerMline = 0;  // where the viewer receives it
  int viewerPayload = 0;     // the payload type the viewer's offer gave this codec
  int clockRate = 0;
};

struct ForwardingPlan {
  std::vector<Route> routes;            // at most one per media kind
  std::vector<unsigned> unusedViewerMlines;  // answered inactive
};

// The depayloader and payloader of a codec (empty when the bridge cannot forward it).
struct Repacketizer {
  const char* depay = nullptr;
  const char* pay = nullptr;
};
Repacketizer repacketizerOf(const std::string& upperCaseCodec);

// Errors name both sides' codecs, e.g. "the viewer offers none of the codecs the stream carries
// (video VP8/90000, audio OPUS/48000); it offers video H264/90000".
Expected<ForwardingPlan> planForwarding(const GstSDPMessage& originOffer, const GstSDPMessage& viewerOffer);

// Parses SDP text; the error names the problem.
Expected<GstSDPMessage*> parseSdp(const std::string& text, const char* what);

}  // namespace confhost::bridge
