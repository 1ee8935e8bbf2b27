#include "core/media/sdp.hpp"

#include <algorithm>
#include <optional>

#include "core/protocol/json_limits.hpp"

namespace confhost::sdp {

namespace {

constexpr std::string_view kUfrag = "a=ice-ufrag:";
constexpr std::string_view kPwd = "a=ice-pwd:";
constexpr std::string_view kMid = "a=mid:";
constexpr std::string_view kCandidate = "a=candidate:";
constexpr std::string_view kEnd = "a=end-of-candidates";
constexpr std::string_view kLite = "a=ice-lite";
// The m= line of a section made up for candidates whose mid a description does not name.
constexpr std::string_view kStandInMline = "m=audio 9 UDP/TLS/RTP/SAVPF 0";

std::vector<std::string_view> linesOf(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::optional<std::string> valueOf(std::string_view line, std::string_view attribute) {
  if (!startsWith(line, attribute)) return std::nullopt;
  return std::string(line.substr(attribute.size()));
}

void keepFirst(std::string& slot, const std::optional<std::string>& value) {
  if (value && slot.empty()) slot = *value;
}

// "o=- 4611 2 IN IP4 127.0.0.1" → the same with the session version (third field) plus one.
std::string bumpedOrigin(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  while (at < line.size()) {
    const auto space = line.find(' ', at);
    const auto end = space == std::string_view::npos ? line.size() : space;
    if (end > at) fields.emplace_back(line.substr(at, end - at));
    at = end + 1;
  }
  if (fields.size() < 3 || fields[2].empty() || fields[2].size() > 18 ||
      fields[2].find_first_not_of("0123456789") != std::string::npos)
    return std::string(line);  // not a number: leave it, the other side only compares
  fields[2] = std::to_string(std::stoull(fields[2]) + 1);
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : " ") + f;
  return out;
}

}  // namespace

IceDescription parseIce(std::string_view text) {
  IceDescription d;
  for (std::string_view line : linesOf(text)) {
    MediaSection* section = d.sections.empty() ? nullptr : &d.sections.back();
    if (startsWith(line, "m=")) {
      d.sections.push_back(MediaSection{std::string(line), "", "", "", {}, false});
    } else if (line == kLite) {
      d.lite = true;
    } else if (auto mid = valueOf(line, kMid)) {
      // A fragment may name its mids without m= lines (a=mid, then its candidates): each a=mid opens a
      // section of its own then.
      if (!section || (section->mline.empty() && !section->mid.empty())) {
        d.sections.emplace_back();
        section = &d.sections.back();
      }
      keepFirst(section->mid, mid);
    } else if (auto ufrag = valueOf(line, kUfrag)) {
      keepFirst(section ? section->ufrag : d.ufrag, ufrag);
    } else if (auto pwd = valueOf(line, kPwd)) {
      keepFirst(section ? section->pwd : d.pwd, pwd);
    } else if (startsWith(line, kCandidate)) {
      (section ? section->candidates : d.sessionCandidates).emplace_back(line.substr(2));
    } else if (line == kEnd && section) {
      section->endOfCandidates = true;
    }
  }
  return d;
}

std::string writeFragment(const IceDescription& d) {
  std::string out;
  auto attribute = [&out](std::string_view name, const std::string& value) {
    if (!value.empty()) out.append(name).append(value).append("\r\n");
  };
  if (d.lite) out.append(kLite).append("\r\n");
  attribute(kUfrag, d.ufrag);
  attribute(kPwd, d.pwd);
  for (const MediaSection& s : d.sections) {
    if (!s.mline.empty()) out += s.mline + "\r\n";
    attribute(kMid, s.mid);
    attribute(kUfrag, s.ufrag);
    attribute(kPwd, s.pwd);
    for (const auto& c : s.candidates) out += "a=" + c + "\r\n";
    if (s.endOfCandidates) out.append(kEnd).append("\r\n");
  }
  return out;
}

Status checkSdp(const std::string& body) {
  const auto refuse = [](const char* reason) { return Error{"", reason}; };
  if (body.empty()) return refuse("the request has no body: an SDP (application/sdp) is required");
  if (!isValidUtf8(body)) return refuse("the SDP is not valid UTF-8 text");
  if (!startsWith(body, "v=0")) return refuse("the body is not SDP: it must start with \"v=0\"");
  if (body.find("\nm=") == std::string::npos) return refuse("the SDP has no media section (m=)");
  if (body.find(kUfrag) == std::string::npos) return refuse("the SDP has no ICE credentials (a=ice-ufrag)");
  if (body.find("a=fingerprint:") == std::string::npos) return refuse("the SDP has no DTLS fingerprint (a=fingerprint)");
  return {};
}

bool isOffer(std::string_view sdp) {
  for (std::string_view line : linesOf(sdp))
    if (startsWith(line, "a=setup:actpass")) return true;
  return false;
}

bool hasMedia(std::string_view sdp, std::string_view media) {
  for (std::string_view line : linesOf(sdp))
    if (startsWith(line, "m=") && startsWith(line.substr(2), media) && line.substr(2 + media.size(), 1) == " ")
      return true;
  return false;
}

std::map<std::string, int> mlinesOf(std::string_view sdp) {
  std::map<std::string, int> out;
  const IceDescription d = parseIce(sdp);
  for (std::size_t i = 0; i < d.sections.size(); ++i)
    if (!d.sections[i].mid.empty()) out.emplace(d.sections[i].mid, static_cast<int>(i));
  return out;
}

std::string iceUfragOf(std::string_view sdp) {
  const IceDescription d = parseIce(sdp);
  if (!d.ufrag.empty()) return d.ufrag;
  for (const auto& s : d.sections)
    if (!s.ufrag.empty()) return s.ufrag;
  return "";
}

std::string icePwdOf(std::string_view sdp) {
  const IceDescription d = parseIce(sdp);
  if (!d.pwd.empty()) return d.pwd;
  for (const auto& s : d.sections)
    if (!s.pwd.empty()) return s.pwd;
  return "";
}

IceFragment parseIceFragment(std::string_view body) {
  const IceDescription d = parseIce(body);
  IceFragment frag;
  frag.ufrag = iceUfragOf(body);
  frag.pwd = icePwdOf(body);
  for (const auto& c : d.sessionCandidates) frag.candidates.push_back(Candidate{"", 0, c});
  for (std::size_t i = 0; i < d.sections.size(); ++i) {
    const MediaSection& s = d.sections[i];
    for (const auto& c : s.candidates) frag.candidates.push_back(Candidate{s.mid, static_cast<int>(i), c});
  }
  // Browsers trickle a bare a=end-of-candidates, outside any m-section: it counts wherever it stands.
  for (std::string_view line : linesOf(body)) frag.completed = frag.completed || line == kEnd;
  return frag;
}

std::string iceFragmentOf(std::string_view sdp) {
  const IceDescription full = parseIce(sdp);
  IceDescription frag;
  frag.lite = full.lite;
  frag.ufrag = iceUfragOf(sdp);
  frag.pwd = icePwdOf(sdp);
  bool ended = false;
  for (const MediaSection& s : full.sections) {
    ended = ended || s.endOfCandidates;
    if (s.candidates.empty()) continue;
    frag.sections.push_back(MediaSection{s.mline, s.mid, "", "", s.candidates, ended});
  }
  return writeFragment(frag);
}

std::string trickleFragment(std::string_view localSdp, const std::vector<LocalCandidate>& candidates, bool end) {
  const IceDescription local = parseIce(localSdp);
  IceDescription frag;
  frag.ufrag = local.ufrag;
  frag.pwd = local.pwd;
  std::vector<MediaSection> sections = local.sections;
  if (sections.empty()) sections.push_back(MediaSection{std::string(kStandInMline), "0", "", "", {}, false});
  for (auto& s : sections) {
    s.candidates.clear();
    s.endOfCandidates = false;
  }
  std::map<std::string, std::vector<std::string>> orphans;  // by mid, in mid order
  for (const auto& c : candidates) {
    const std::string mid = c.mid.empty() ? sections.front().mid : c.mid;
    const std::string line = startsWith(c.line, "a=") ? c.line.substr(2) : c.line;
    auto owner = std::find_if(sections.begin(), sections.end(), [&](const MediaSection& s) { return s.mid == mid; });
    if (owner != sections.end()) owner->candidates.push_back(line);
    else orphans[mid].push_back(line);
  }
  bool endWritten = false;
  for (auto& s : sections) {
    const bool writeEnd = end && !endWritten;
    if (s.candidates.empty() && !writeEnd) continue;
    s.endOfCandidates = writeEnd;
    endWritten = endWritten || writeEnd;
    frag.sections.push_back(std::move(s));
  }
  for (auto& [mid, lines] : orphans)
    frag.sections.push_back(MediaSection{std::string(kStandInMline), mid, "", "", std::move(lines), false});
  return writeFragment(frag);
}

std::string withIceCredentials(std::string_view sdp, const std::string& ufrag, const std::string& pwd,
                               const std::vector<Candidate>& candidates) {
  const auto mlines = mlinesOf(sdp);
  std::map<int, std::vector<const Candidate*>> byMline;
  for (const auto& c : candidates) {
    auto known = mlines.find(c.mid);
    byMline[known != mlines.end() ? known->second : c.mline].push_back(&c);
  }
  std::string out;
  int index = -1;
  auto closeSection = [&] {
    if (index < 0) return;
    for (const Candidate* c : byMline[index]) out += "a=" + c->line + "\r\n";
  };
  for (std::string_view line : linesOf(sdp)) {
    if (line.empty()) continue;
    if (startsWith(line, "m=")) {
      closeSection();
      ++index;
      out.append(line).append("\r\n");
    } else if (startsWith(line, "o=")) {
      out += bumpedOrigin(line) + "\r\n";
    } else if (startsWith(line, kUfrag)) {
      out.append(kUfrag).append(ufrag).append("\r\n");
    } else if (startsWith(line, kPwd)) {
      out.append(kPwd).append(pwd).append("\r\n");
    } else if (startsWith(line, kCandidate) || line == kEnd) {
      continue;  // the old ICE session's; the new ones go at the end of their section
    } else {
      out.append(line).append("\r\n");
    }
  }
  closeSection();
  return out;
}

}  // namespace confhost::sdp
