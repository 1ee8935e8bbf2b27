#include "server/proxy/sdp_text.hpp"

#include <sstream>

#include "core/protocol/json_limits.hpp"

namespace confhost::sdp {

namespace {

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string firstValue(const std::string& sdp, const char* attribute) {
  for (const auto& line : linesOf(sdp))
    if (startsWith(line, attribute)) return line.substr(std::string(attribute).size());
  return "";
}

// "o=- 4611 2 IN IP4 127.0.0.1" → the same with the session version (third field) plus one.
std::string bumpedOrigin(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  std::string f;
  while (in >> f) fields.push_back(f);
  if (fields.size() < 3) return line;
  try {
    fields[2] = std::to_string(std::stoull(fields[2]) + 1);
  } catch (...) {
    return line;  // not a number: leave it, the other side only compares
  }
  std::string out;
  for (const auto& x : fields) out += (out.empty() ? "" : " ") + x;
  return out;
}

}  // namespace

Status checkSdp(const std::string& body) {
  const auto refuse = [](const char* reason) { return Error{"", reason}; };
  if (body.empty()) return refuse("the request has no body: an SDP (application/sdp) is required");
  if (!isValidUtf8(body)) return refuse("the SDP is not valid UTF-8 text");
  if (body.rfind("v=0", 0) != 0) return refuse("the body is not SDP: it must start with \"v=0\"");
  if (body.find("\nm=") == std::string::npos) return refuse("the SDP has no media section (m=)");
  if (body.find("a=ice-ufrag:") == std::string::npos) return refuse("the SDP has no ICE credentials (a=ice-ufrag)");
  if (body.find("a=fingerprint:") == std::string::npos) return refuse("the SDP has no DTLS fingerprint (a=fingerprint)");
  return {};
}

std::map<std::string, int> mlinesOf(const std::string& sdp) {
  std::map<std::string, int> out;
  int index = -1;
  for (const auto& line : linesOf(sdp)) {
    if (startsWith(line, "m=")) ++index;
    else if (startsWith(line, "a=mid:") && index >= 0) out[line.substr(6)] = index;
  }
  return out;
}

IceFragment parseIceFragment(const std::string& body) {
  IceFragment frag;
  std::string mid;
  int mline = -1;
  for (const auto& line : linesOf(body)) {
    if (startsWith(line, "m=")) {
      ++mline;
      mid.clear();
    } else if (startsWith(line, "a=mid:")) {
      mid = line.substr(6);
    } else if (startsWith(line, "a=ice-ufrag:")) {
      if (frag.ufrag.empty()) frag.ufrag = line.substr(12);
    } else if (startsWith(line, "a=ice-pwd:")) {
      if (frag.pwd.empty()) frag.pwd = line.substr(10);
    } else if (startsWith(line, "a=candidate:")) {
      frag.candidates.push_back(Candidate{mid, std::max(mline, 0), line.substr(2)});
    } else if (line == "a=end-of-candidates") {
      frag.completed = true;
    }
  }
  return frag;
}

std::string iceUfragOf(const std::string& sdp) { return firstValue(sdp, "a=ice-ufrag:"); }
std::string icePwdOf(const std::string& sdp) { return firstValue(sdp, "a=ice-pwd:"); }

std::string withIceCredentials(const std::string& sdp, const std::string& ufrag, const std::string& pwd,
                               const std::vector<Candidate>& candidates) {
  const auto mlines = mlinesOf(sdp);
  std::map<int, std::vector<const Candidate*>> byMline;
  for (const auto& c : candidates) {
    auto known = mlines.find(c.mid);
    byMline[known != mlines.end() ? known->second : c.mline].push_back(&c);
  }
  std::vector<std::string> out;
  int index = -1;
  auto closeSection = [&] {
    if (index < 0) return;
    for (const Candidate* c : byMline[index]) out.push_back("a=" + c->line);
  };
  for (const auto& line : linesOf(sdp)) {
    if (line.empty()) continue;
    if (startsWith(line, "m=")) {
      closeSection();
      ++index;
      out.push_back(line);
    } else if (startsWith(line, "o=")) {
      out.push_back(bumpedOrigin(line));
    } else if (startsWith(line, "a=ice-ufrag:")) {
      out.push_back("a=ice-ufrag:" + ufrag);
    } else if (startsWith(line, "a=ice-pwd:")) {
      out.push_back("a=ice-pwd:" + pwd);
    } else if (startsWith(line, "a=candidate:") || line == "a=end-of-candidates") {
      continue;  // the old ICE session's; the new ones go at the end of their section
    } else {
      out.push_back(line);
    }
  }
  closeSection();
  std::string text;
  for (const auto& l : out) text += l + "\r\n";
  return text;
}

std::string iceFragmentOf(const std::string& sdp) {
  std::string head, sections;
  bool lite = false, ended = false;
  std::string mline, mid, candidates;
  auto flush = [&] {
    if (!candidates.empty()) {
      sections += mline + "\r\n";
      if (!mid.empty()) sections += "a=mid:" + mid + "\r\n";
      sections += candidates;
      if (ended) sections += "a=end-of-candidates\r\n";
    }
    mline.clear();
    mid.clear();
    candidates.clear();
  };
  for (const auto& line : linesOf(sdp)) {
    if (line == "a=ice-lite") lite = true;
    if (startsWith(line, "m=")) {
      flush();
      mline = line;
    } else if (startsWith(line, "a=mid:")) {
      mid = line.substr(6);
    } else if (startsWith(line, "a=candidate:") && !mline.empty()) {
      candidates += line + "\r\n";
    } else if (line == "a=end-of-candidates") {
      ended = true;
    }
  }
  flush();
  if (lite) head += "a=ice-lite\r\n";
  head += "a=ice-ufrag:" + iceUfragOf(sdp) + "\r\n";
  head += "a=ice-pwd:" + icePwdOf(sdp) + "\r\n";
  return head + sections;
}

}  // namespace confhost::sdp
