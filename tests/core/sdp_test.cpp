// The one SDP module: the ICE model of descriptions and RFC 8840 fragments, read and written back,
// on descriptions shaped like Chromium's offers and Janus 1.1.2's answers and offers.
#include <doctest/doctest.h>

#include "core/media/sdp.hpp"

using namespace confhost;

namespace {

// A Chromium WHIP offer (BUNDLE, media-level credentials repeated in each section, one host
// candidate gathered before the POST).
const std::string kBrowserOffer =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "a=extmap-allow-mixed\r\na=msid-semantic: WMS 3b1a\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=candidate:3046443812 1 udp 2122260223 10.77.0.2 51443 typ host generation 0 network-id 1\r\n"
    "a=ice-ufrag:Qz4w\r\na=ice-pwd:lk3BxqU4jJ1b2v0Y5Pz8sHkR\r\na=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 5B:1E:0C:3A:9F:77:21:4D:AB:12:6E:90:C4:38:F1:2D:7A:55:0B:E3:94:C8:61:2F:3D:8A:A0:17:5C:E6:B9:04\r\n"
    "a=setup:actpass\r\na=mid:0\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=sendonly\r\n"
    "a=msid:3b1a 7c2d\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\na=ssrc:1001 cname:abc\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Qz4w\r\na=ice-pwd:lk3BxqU4jJ1b2v0Y5Pz8sHkR\r\na=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 5B:1E:0C:3A:9F:77:21:4D:AB:12:6E:90:C4:38:F1:2D:7A:55:0B:E3:94:C8:61:2F:3D:8A:A0:17:5C:E6:B9:04\r\n"
    "a=setup:actpass\r\na=mid:1\r\na=sendonly\r\na=msid:3b1a 9e4f\r\na=rtcp-mux\r\na=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\n"
    "a=fmtp:97 apt=96\r\na=ssrc-group:FID 2001 2002\r\n";

// Janus 1.1.2's answer to it: ice-lite off, session-level fingerprint, candidates and
// end-of-candidates in the first (bundled) section only.
const std::string kJanusAnswer =
    "v=0\r\no=- 4611731400430051336 2 IN IP4 10.77.0.1\r\ns=VideoRoom live/room1\r\nt=0 0\r\n"
    "a=group:BUNDLE 0 1\r\na=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 D2:B9:31:8F:DF:24:D8:0E:ED:D2:EF:25:9E:AF:6F:B8:34:AE:53:9C:E6:F3:8F:F2:64:15:FA:E8:7F:53:2D:38\r\n"
    "a=extmap-allow-mixed\r\na=msid-semantic: WMS *\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 10.77.0.1\r\na=recvonly\r\na=mid:0\r\na=rtcp-mux\r\n"
    "a=ice-ufrag:8Xq1\r\na=ice-pwd:Vb0yRkUu3fZ2tLzE9oGq7w\r\na=ice-options:trickle\r\na=setup:active\r\n"
    "a=rtpmap:111 opus/48000/2\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=candidate:1 1 udp 2015363327 10.77.0.1 20012 typ host\r\na=end-of-candidates\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 10.77.0.1\r\na=recvonly\r\na=mid:1\r\na=rtcp-mux\r\n"
    "a=ice-ufrag:8Xq1\r\na=ice-pwd:Vb0yRkUu3fZ2tLzE9oGq7w\r\na=ice-options:trickle\r\na=setup:active\r\n"
    "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n"
    "a=rtcp-fb:96 goog-remb\r\n";

// A Janus subscriber's offer (server-offer WHEP): actpass, its own ICE, LF-only lines as some
// transports hand them over.
const std::string kJanusOfferLf =
    "v=0\no=- 1733580000123456 1 IN IP4 10.77.0.1\ns=VideoRoom live/room1\nt=0 0\na=group:BUNDLE 0 1\n"
    "a=fingerprint:sha-256 D2:B9:31:8F\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 10.77.0.1\na=sendonly\na=mid:0\na=ice-ufrag:Jn7e\n"
    "a=ice-pwd:Rr2kP0aQ8tWmXy4Zc6Vb1n\na=setup:actpass\na=rtpmap:111 opus/48000/2\n"
    "a=candidate:1 1 udp 2015363327 10.77.0.1 20040 typ host\na=end-of-candidates\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\nc=IN IP4 10.77.0.1\na=sendonly\na=mid:1\na=ice-ufrag:Jn7e\n"
    "a=ice-pwd:Rr2kP0aQ8tWmXy4Zc6Vb1n\na=setup:actpass\na=rtpmap:96 VP8/90000\n";

}  // namespace

TEST_SUITE("sdp") {

TEST_CASE("a description's ICE model names each section's m-line, mid, credentials and candidates") {
  const sdp::IceDescription d = sdp::parseIce(kBrowserOffer);
  REQUIRE(d.sections.size() == 2);
  CHECK(d.sections[0].mline == "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126");
  CHECK(d.sections[0].mid == "0");
  CHECK(d.sections[0].ufrag == "Qz4w");
  CHECK(d.sections[1].pwd == "lk3BxqU4jJ1b2v0Y5Pz8sHkR");
  REQUIRE(d.sections[0].candidates.size() == 1);
  CHECK(d.sections[0].candidates[0] ==
        "candidate:3046443812 1 udp 2122260223 10.77.0.2 51443 typ host generation 0 network-id 1");
  CHECK(d.sections[1].candidates.empty());
  CHECK(!d.lite);
}

TEST_CASE("a fragment written from a description reads back as the same ICE model") {
  for (const std::string* sample : {&kBrowserOffer, &kJanusAnswer, &kJanusOfferLf}) {
    const sdp::IceDescription d = sdp::parseIce(*sample);
    const sdp::IceDescription back = sdp::parseIce(sdp::writeFragment(d));
    REQUIRE(back.sections.size() == d.sections.size());
    for (std::size_t i = 0; i < d.sections.size(); ++i) {
      CHECK(back.sections[i].mline == d.sections[i].mline);
      CHECK(back.sections[i].mid == d.sections[i].mid);
      CHECK(back.sections[i].ufrag == d.sections[i].ufrag);
      CHECK(back.sections[i].pwd == d.sections[i].pwd);
      CHECK(back.sections[i].candidates == d.sections[i].candidates);
      CHECK(back.sections[i].endOfCandidates == d.sections[i].endOfCandidates);
    }
  }
}

TEST_CASE("the ICE fragment of Janus's answer has its credentials and the sections with candidates") {
  CHECK(sdp::iceFragmentOf(kJanusAnswer) ==
        "a=ice-ufrag:8Xq1\r\na=ice-pwd:Vb0yRkUu3fZ2tLzE9oGq7w\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
        "a=candidate:1 1 udp 2015363327 10.77.0.1 20012 typ host\r\na=end-of-candidates\r\n");
}

TEST_CASE("a trickle PATCH body carries our credentials and candidates under the m-line of their mid") {
  const std::string frag = sdp::trickleFragment(
      kBrowserOffer, {{"1", "candidate:2 1 udp 1686052607 1.2.3.4 50001 typ srflx"}}, false);
  CHECK(frag == "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:1\r\na=ice-ufrag:Qz4w\r\n"
                "a=ice-pwd:lk3BxqU4jJ1b2v0Y5Pz8sHkR\r\na=candidate:2 1 udp 1686052607 1.2.3.4 50001 typ srflx\r\n");
  // What the proxy reads of it is what the browser meant.
  const sdp::IceFragment read = sdp::parseIceFragment(frag);
  CHECK(read.ufrag == "Qz4w");
  REQUIRE(read.candidates.size() == 1);
  CHECK(read.candidates[0].mid == "1");
  CHECK(read.candidates[0].line == "candidate:2 1 udp 1686052607 1.2.3.4 50001 typ srflx");
  CHECK(!read.completed);
}

TEST_CASE("end-of-candidates is written once, in the first section, and a candidate without a mid goes there") {
  const std::string frag = sdp::trickleFragment(kBrowserOffer, {{"", "a=candidate:9 1 udp 1 10.0.0.9 9 typ host"}}, true);
  CHECK(frag == "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\na=mid:0\r\na=ice-ufrag:Qz4w\r\n"
                "a=ice-pwd:lk3BxqU4jJ1b2v0Y5Pz8sHkR\r\na=candidate:9 1 udp 1 10.0.0.9 9 typ host\r\n"
                "a=end-of-candidates\r\n");
  CHECK(sdp::parseIceFragment(frag).completed);
}

TEST_CASE("a fragment that names mids without m= lines gives each candidate its mid") {
  const sdp::IceFragment f = sdp::parseIceFragment(
      "a=mid:0\r\na=candidate:1 1 udp 1 10.0.0.1 5 typ host\r\na=mid:1\r\na=candidate:2 1 udp 1 10.0.0.1 6 typ host\r\n");
  REQUIRE(f.candidates.size() == 2);
  CHECK(f.candidates[0].mid == "0");
  CHECK(f.candidates[1].mid == "1");
  CHECK(f.candidates[1].line == "candidate:2 1 udp 1 10.0.0.1 6 typ host");
}

TEST_CASE("a bare end-of-candidates, outside any m-section, completes the trickle") {
  CHECK(sdp::parseIceFragment("a=ice-ufrag:Qz4w\r\na=ice-pwd:lk3B\r\na=end-of-candidates\r\n").completed);
  CHECK(sdp::parseIceFragment("a=end-of-candidates").completed);
}

TEST_CASE("a candidate of a mid the description does not name still goes, in a section of its own") {
  const std::string frag = sdp::trickleFragment(kBrowserOffer, {{"7", "candidate:1 1 udp 1 10.0.0.2 5 typ host"}}, false);
  CHECK(frag == "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:7\r\na=candidate:1 1 udp 1 10.0.0.2 5 typ host\r\n");
}

TEST_CASE("an ICE restart re-issues the SDP with the new credentials, only the new candidates and a newer version") {
  const std::vector<sdp::Candidate> fresh = {{"1", 0, "candidate:2 1 udp 2 10.0.0.2 6000 typ host"}};
  const std::string out = sdp::withIceCredentials(kBrowserOffer, "new2", "newpassword2", fresh);
  CHECK(out.find("o=- 4611731400430051336 3 IN IP4 127.0.0.1\r\n") != std::string::npos);
  CHECK(out.find("Qz4w") == std::string::npos);
  CHECK(out.find("a=ice-ufrag:new2\r\n") != std::string::npos);
  CHECK(out.find("10.77.0.2") == std::string::npos);
  CHECK(out.find("a=candidate:2 1 udp 2 10.0.0.2 6000 typ host") > out.find("m=video"));  // mid 1's section
  CHECK(sdp::iceUfragOf(out) == "new2");
  CHECK(sdp::icePwdOf(out) == "newpassword2");
  CHECK(sdp::checkSdp(out).ok());
  // Everything ICE does not own is untouched.
  CHECK(out.find("a=fmtp:97 apt=96\r\n") != std::string::npos);
}

TEST_CASE("an offer says actpass, an answer does not") {
  CHECK(sdp::isOffer(kBrowserOffer));
  CHECK(sdp::isOffer(kJanusOfferLf));
  CHECK(!sdp::isOffer(kJanusAnswer));
}

TEST_CASE("the m-line of each mid, and which media a description has") {
  CHECK(sdp::mlinesOf(kJanusOfferLf) == std::map<std::string, int>{{"0", 0}, {"1", 1}});
  CHECK(sdp::hasMedia(kBrowserOffer, "audio"));
  CHECK(sdp::hasMedia(kBrowserOffer, "video"));
  CHECK(!sdp::hasMedia("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "audio"));
  CHECK(!sdp::hasMedia("v=0\r\nm=audiox 9 RTP/AVP 0\r\n", "audio"));
}

TEST_CASE("SDP checks name the problem") {
  CHECK(sdp::checkSdp("").error().message().find("no body") != std::string::npos);
  CHECK(sdp::checkSdp("hello").error().message().find("v=0") != std::string::npos);
  CHECK(sdp::checkSdp("v=0\r\n\xff").error().message().find("UTF-8") != std::string::npos);
  CHECK(sdp::checkSdp("v=0\r\nm=audio 9 RTP/AVP 0\r\n").error().message().find("ice-ufrag") != std::string::npos);
  CHECK(sdp::checkSdp(kBrowserOffer).ok());
  CHECK(sdp::checkSdp(kJanusAnswer).ok());
}

TEST_CASE("text that is not SDP gives an empty model, never a crash") {
  for (const char* junk : {"", "\r\n\r\n", "a=candidate:", "m=", "o=- x", "\xff\xfe"}) {
    const sdp::IceDescription d = sdp::parseIce(junk);
    (void)sdp::writeFragment(d);
    (void)sdp::withIceCredentials(junk, "u", "p", {});
    (void)sdp::iceFragmentOf(junk);
  }
  CHECK(sdp::parseIce("hello").sections.empty());
  CHECK(sdp::withIceCredentials("o=- 1 99999999999999999999999 IN IP4 x\r\n", "u", "p", {}) ==
        "o=- 1 99999999999999999999999 IN IP4 x\r\n");
}

}  // TEST_SUITE
