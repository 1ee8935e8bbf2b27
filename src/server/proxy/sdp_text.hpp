#pragma once
// The little SDP the WHIP/WHEP proxy has to read and write itself (everything else goes to the origin
// untouched): a structural check of offers, the m-line of each mid, the ICE part of a trickle
// `application/trickle-ice-sdpfrag` body (RFC 8840), and what an ICE restart by PATCH needs (RFC 9725
// 4.3.2): a full SDP re-issued with new ICE credentials and candidates, and the ICE fragment of an
// answer to send back in the 200.
#include <map>
#include <string>
#include <vector>

#include "core/protocol/expected.hpp"

namespace confhost::sdp {

// Ok when `body` looks like an SDP offer or answer; else why not (empty, not UTF-8, no v=0, no m=, no
// ICE, no DTLS).
Status checkSdp(const std::string& body);

// mid → m-line index, so trickled candidates can name both (Janus accepts either).
std::map<std::string, int> mlinesOf(const std::string& sdp);

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

IceFragment parseIceFragment(const std::string& body);

// The first a=ice-ufrag / a=ice-pwd of an SDP ("" when none).
std::string iceUfragOf(const std::string& sdp);
std::string icePwdOf(const std::string& sdp);

// `sdp` with every a=ice-ufrag/a=ice-pwd replaced, its candidates (and end-of-candidates) replaced by
// `candidates` (each under the m-section of its mid, else under the m-line index it came with), and
// the o= session version increased, as a new offer or answer for the same session would be.
std::string withIceCredentials(const std::string& sdp, const std::string& ufrag, const std::string& pwd,
                               const std::vector<Candidate>& candidates);

// The ICE part of `sdp` as an application/trickle-ice-sdpfrag body (CRLF lines): a=ice-lite if
// present, a=ice-ufrag, a=ice-pwd, then every m-section that has candidates (its m= line, a=mid and
// a=candidate lines, a=end-of-candidates when the SDP said so).
std::string iceFragmentOf(const std::string& sdp);

}  // namespace confhost::sdp
