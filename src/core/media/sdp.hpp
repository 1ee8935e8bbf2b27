#pragma once
// The one place that reads and writes SDP lines: the client, the proxy and the bridge go through it.
// It knows only what signalling needs, everything else passes through as text:
// - the ICE model of a description or an RFC 8840 `application/trickle-ice-sdpfrag` body: session
//   credentials, and per m-section its m= line, mid, credentials, candidates and end-of-candidates;
// - writing that model back as a fragment (CRLF lines), for trickle PATCH bodies and their answers;
// - a structural check of offers and answers, and whether a description is an offer (RFC 8842);
// - what an ICE restart by PATCH needs (RFC 9725 4.3.2): a full SDP re-issued with new credentials.
// Nothing here throws; unreadable text gives an empty model.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost::sdp {

// One m-section, as far as ICE is concerned. Candidate lines are kept without their "a=".
struct MediaSection {
  std::string mline;  // "m=audio 9 UDP/TLS/RTP/SAVPF 111"
  std::string mid;
  std::string ufrag, pwd;  // media-level credentials ("" when the section has none)
  std::vector<std::string> candidates;
  bool endOfCandidates = false;
};

struct IceDescription {
  bool lite = false;
  std::string ufrag, pwd;  // session-level credentials
  std::vector<std::string> sessionCandidates;  // candidates before any m= line (some clients send them)
  std::vector<MediaSection> sections;
};

// Reads a full SDP or an sdpfrag body (CRLF or LF lines).
IceDescription parseIce(std::string_view text);
// The RFC 8840 body of `d`: a=ice-lite, session credentials, then each section's m= line, a=mid,
// credentials, a=candidate lines and a=end-of-candidates; empty values are left out.
std::string writeFragment(const IceDescription& d);

// Ok when `body` looks like an SDP offer or answer; else why not (empty, not UTF-8, no v=0, no m=, no
// ICE, no DTLS).
Status checkSdp(const std::string& body);
// An offer's DTLS role is a=setup:actpass (RFC 8842 5.2); an answer never says actpass.
bool isOffer(std::string_view sdp);
// Whether the description has an m-section of `media` ("audio", "video").
bool hasMedia(std::string_view sdp, std::string_view media);

// mid → m-line index, so trickled candidates can name both (Janus accepts either).
std::map<std::string, int> mlinesOf(std::string_view sdp);

// The first a=ice-ufrag / a=ice-pwd of an SDP, session or media level ("" when none).
std::string iceUfragOf(std::string_view sdp);
std::string icePwdOf(std::string_view sdp);

// A trickled candidate as the proxy relays it.
struct Candidate {
  std::string mid;   // "" when the fragment named none
  int mline = 0;     // index of the m= line it was under in the fragment (0 when none)
  std::string line;  // "candidate:..." (without the "a=")
};

struct IceFragment {
  std::string ufrag, pwd;  // empty when the fragment carries none
  std::vector<Candidate> candidates;
  bool completed = false;  // a=end-of-candidates
};

// The fragment of a trickle PATCH, flattened for relaying.
IceFragment parseIceFragment(std::string_view body);

// The ICE part of `sdp` as a fragment: a=ice-lite if present, its first credentials, then every
// m-section that has candidates (end-of-candidates once the SDP has said so).
std::string iceFragmentOf(std::string_view sdp);

// A trickle PATCH body from our local description (its credentials and m-sections) and new
// candidates ("candidate:..." lines by mid; "" means the first section). `end` adds one
// a=end-of-candidates, in the first section written (with BUNDLE one is enough). Candidates of a mid
// the description does not name still go, in a section of their own.
struct LocalCandidate {
  std::string mid;
  std::string line;
};
std::string trickleFragment(std::string_view localSdp, const std::vector<LocalCandidate>& candidates, bool end);

// `sdp` with every a=ice-ufrag/a=ice-pwd replaced, its candidates (and end-of-candidates) replaced by
// `candidates` (each under the m-section of its mid, else under the m-line index it came with), and
// the o= session version increased, as a new offer or answer for the same session would be.
std::string withIceCredentials(std::string_view sdp, const std::string& ufrag, const std::string& pwd,
                               const std::vector<Candidate>& candidates);

}  // namespace confhost::sdp
