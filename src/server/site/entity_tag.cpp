#include "server/site/entity_tag.hpp"

namespace confhost {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// etagc = %x21 / %x23-7E / obs-text (so a tag may hold a comma: the list is scanned, not split).
bool isTagChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u != 0x7F);
}

bool isSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string strongEntityTag(std::string_view sha256Hex) {
  return "\"" + std::string(sha256Hex.substr(0, 32)) + "\"";
}

TagMatch matchIfNoneMatch(std::string_view ifNoneMatch, std::string_view etag) {
  const std::string_view value = trim(ifNoneMatch);
  if (value == "*") return TagMatch::Matches;
  // Weak comparison: only the quoted opaque parts count.
  std::string_view ours = etag;
  if (ours.size() >= 2 && ours[0] == 'W' && ours[1] == '/') ours.remove_prefix(2);
  bool matched = false;
  bool any = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (isSpace(value[i]) || value[i] == ',') {
      ++i;
      continue;
    }
    if (value.compare(i, 2, "W/") == 0) i += 2;
    if (i >= value.size() || value[i] != '"') return TagMatch::Malformed;
    const std::size_t open = i++;
    while (i < value.size() && isTagChar(value[i])) ++i;
    if (i >= value.size() || value[i] != '"') return TagMatch::Malformed;
    ++i;
    const std::string_view tag = value.substr(open, i - open);
    any = true;
    matched = matched || tag == ours;
    // Between tags only whitespace and a comma.
    while (i < value.size() && isSpace(value[i])) ++i;
    if (i < value.size() && value[i] != ',') return TagMatch::Malformed;
  }
  if (!any) return TagMatch::Malformed;
  return matched ? TagMatch::Matches : TagMatch::DoesNotMatch;
}

}  // namespace confhost
