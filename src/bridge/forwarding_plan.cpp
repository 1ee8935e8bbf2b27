#include "bridge/forwarding_plan.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace confhost::bridge {

namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct Codec {
  std::string name;  // upper case
  int payload = -1;
  int clockRate = 0;
  std::string fmtp;
};

// The codecs of one m-line in the order offered (rtpmap lines; static payload types are not used
// by WebRTC and are skipped).
std::vector<Codec> codecsOf(const GstSDPMedia* media) {
  std::vector<Codec> out;
  for (guint i = 0; i < gst_sdp_media_formats_len(media); ++i) {
    const int pt = std::atoi(gst_sdp_media_get_format(media, i));
    const std::string prefix = std::to_string(pt) + " ";
    for (guint a = 0; a < gst_sdp_media_attributes_len(media); ++a) {
      const GstSDPAttribute* attr = gst_sdp_media_get_attribute(media, a);
      if (!attr->value || std::strcmp(attr->key, "rtpmap") != 0) continue;
      std::string v = attr->value;
      if (v.rfind(prefix, 0) != 0) continue;
      std::string enc = v.substr(prefix.size());
      const auto slash = enc.find('/');
      Codec c;
      c.name = upper(enc.substr(0, slash));
      c.payload = pt;
      c.clockRate = slash == std::string::npos ? 0 : std::atoi(enc.c_str() + slash + 1);
      for (guint f = 0; f < gst_sdp_media_attributes_len(media); ++f) {
        const GstSDPAttribute* fa = gst_sdp_media_get_attribute(media, f);
        if (fa->value && std::strcmp(fa->key, "fmtp") == 0 && std::string(fa->value).rfind(prefix, 0) == 0)
          c.fmtp = std::string(fa->value).substr(prefix.size());
      }
      out.push_back(c);
    }
  }
  return out;
}

bool isMedia(const GstSDPMedia* m) {
  const char* kind = gst_sdp_media_get_media(m);
  return kind && (std::strcmp(kind, "audio") == 0 || std::strcmp(kind, "video") == 0);
}

bool hasAttribute(const GstSDPMedia* m, const char* key) { return gst_sdp_media_get_attribute_val(m, key) != nullptr; }

// The H264 parameter that must agree for a stream to be decodable as sent (the profile is the
// sender's business: browsers decode every constrained-baseline/main/high stream they offer).
std::string packetizationMode(const std::string& fmtp) {
  const auto at = fmtp.find("packetization-mode=");
  return at == std::string::npos ? "0" : fmtp.substr(at + 19, 1);
}

std::string describe(const std::vector<std::pair<std::string, Codec>>& list) {
  std::string s;
  std::vector<std::string> seen;
  for (const auto& [media, c] : list) {
    const std::string one = media + " " + c.name + "/" + std::to_string(c.clockRate);
    if (std::find(seen.begin(), seen.end(), one) != seen.end()) continue;
    seen.push_back(one);
    if (!s.empty()) s += ", ";
    s += one;
  }
  return s.empty() ? "nothing" : s;
}

}  // namespace

Repacketizer repacketizerOf(const std::string& codec) {
  if (codec == "VP8") return {"rtpvp8depay", "rtpvp8pay"};
  if (codec == "VP9") return {"rtpvp9depay", "rtpvp9pay"};
  if (codec == "H264") return {"rtph264depay", "rtph264pay"};
  if (codec == "OPUS") return {"rtpopusdepay", "rtpopuspay"};
  return {};
}

Expected<GstSDPMessage*> parseSdp(const std::string& text, const char* what) {
  if (text.rfind("v=0", 0) != 0) return Error{what, "not an SDP (it does not start with v=0)"};
  GstSDPMessage* msg = nullptr;
  gst_sdp_message_new_from_text(text.c_str(), &msg);
  if (!msg) return Error{what, "unreadable SDP"};
  if (gst_sdp_message_medias_len(msg) == 0) {
    gst_sdp_message_free(msg);
    return Error{what, "the SDP has no m-line"};
  }
  return msg;
}

Expected<ForwardingPlan> planForwarding(const GstSDPMessage& origin, const GstSDPMessage& viewer) {
  // What the origin sends: the first forwardable codec of each audio/video m-line it sends on.
  struct Sent {
    std::string media;
    Codec codec;
    unsigned mline;
  };
  std::vector<Sent> sent;
  std::vector<std::pair<std::string, Codec>> sentList, offeredList;
  for (guint i = 0; i < gst_sdp_message_medias_len(&origin); ++i) {
    const GstSDPMedia* m = gst_sdp_message_get_media(&origin, i);
    if (!isMedia(m) || gst_sdp_media_get_port(m) == 0 || hasAttribute(m, "recvonly") || hasAttribute(m, "inactive"))
      continue;
    for (const Codec& c : codecsOf(m)) {
      if (!repacketizerOf(c.name).pay) continue;
      sent.push_back({gst_sdp_media_get_media(m), c, i});
      sentList.emplace_back(gst_sdp_media_get_media(m), c);
      break;
    }
  }
  if (sent.empty()) return Error{"originOffer", "the origin sends no audio or video the bridge can forward"};

  ForwardingPlan plan;
  for (guint i = 0; i < gst_sdp_message_medias_len(&viewer); ++i) {
    const GstSDPMedia* m = gst_sdp_message_get_media(&viewer, i);
    if (!isMedia(m)) {
      plan.unusedViewerMlines.push_back(i);
      continue;
    }
    const std::string media = gst_sdp_media_get_media(m);
    const auto offered = codecsOf(m);
    for (const Codec& c : offered) {
      if (upper(c.name) != "RTX" && upper(c.name) != "RED" && upper(c.name) != "ULPFEC")
        offeredList.emplace_back(media, c);
    }
    const bool receives = gst_sdp_media_get_port(m) != 0 && !hasAttribute(m, "sendonly") && !hasAttribute(m, "inactive");
    const bool kindTaken = std::any_of(plan.routes.begin(), plan.routes.end(), [&](const Route& r) { return r.media == media; });
    const Route* chosen = nullptr;
    Route route;
    if (receives && !kindTaken) {
      for (const Sent& s : sent) {
        if (s.media != media) continue;
        for (const Codec& c : offered) {
          if (c.name != s.codec.name || c.clockRate != s.codec.clockRate) continue;
          if (c.name == "H264" && packetizationMode(c.fmtp) != packetizationMode(s.codec.fmtp)) continue;
          route = Route{media, c.name, s.mline, i, c.payload, c.clockRate};
          chosen = &route;
          break;
        }
        if (chosen) break;
      }
    }
    if (chosen) plan.routes.push_back(route);
    else plan.unusedViewerMlines.push_back(i);
  }
  if (plan.routes.empty())
    return Error{"viewerOffer", "the viewer offers none of the codecs the stream carries (" + describe(sentList) +
                                    "); it offers " + describe(offeredList)};
  return plan;
}

}  // namespace confhost::bridge
