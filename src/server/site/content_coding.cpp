#include "server/site/content_coding.hpp"

#include <cctype>
#include <string>

namespace confhost {

namespace {

// Quality in thousandths (RFC 9110 12.4.2: at most three decimals).
using Quality = int;
constexpr Quality kUnlisted = -1;
// Identity that the header neither names nor excludes: acceptable, but after any listed coding.
constexpr Quality kIdentityByDefault = 0;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool isTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::optional<Quality> parseQValue(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  Quality q = (v[0] - '0') * 1000;
  if (v.size() == 1) return q;
  if (v[1] != '.' || v.size() > 5) return std::nullopt;
  Quality scale = 100;
  for (char c : v.substr(2)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  if (q > 1000) return std::nullopt;
  return q;
}

struct Entry {
  std::string coding;  // lower case; "gzip" for "x-gzip"
  Quality quality;
};

// One list element ("gzip", "br;q=0.8"), or nullopt when it does not parse.
std::optional<Entry> parseElement(std::string_view element) {
  const auto semicolon = element.find(';');
  const std::string_view name = trim(element.substr(0, semicolon));
  if (name.empty()) return std::nullopt;
  Entry entry{std::string(), 1000};
  for (char c : name) {
    if (!isTokenChar(c)) return std::nullopt;
    entry.coding.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (entry.coding == "x-gzip") entry.coding = "gzip";
  if (semicolon == std::string_view::npos) return entry;
  const std::string_view param = trim(element.substr(semicolon + 1));
  if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return std::nullopt;
  const auto q = parseQValue(param.substr(2));
  if (!q) return std::nullopt;
  entry.quality = *q;
  return entry;
}

}  // namespace

std::string_view contentCodingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Gzip: return "gzip";
    case ContentCoding::Brotli: return "br";
    case ContentCoding::Identity: break;
  }
  return "identity";
}

std::string_view contentCodingSuffix(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::Gzip: return ".gz";
    case ContentCoding::Brotli: return ".br";
    case ContentCoding::Identity: break;
  }
  return "";
}

ContentCoding chooseContentCoding(std::optional<std::string_view> acceptEncoding,
                                  const std::vector<ContentCoding>& available) {
  if (!acceptEncoding) return ContentCoding::Identity;
  std::vector<Entry> entries;
  std::string_view rest = *acceptEncoding;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view element = trim(rest.substr(0, comma));
    if (!element.empty())
      if (auto entry = parseElement(element)) entries.push_back(std::move(*entry));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // A coding named twice counts with its best quality.
  const auto listed = [&](std::string_view coding) {
    Quality best = kUnlisted;
    for (const auto& e : entries)
      if (e.coding == coding && e.quality > best) best = e.quality;
    return best;
  };
  const auto qualityOf = [&](ContentCoding coding) -> Quality {
    const Quality named = listed(contentCodingName(coding));
    if (named != kUnlisted) return named;
    const Quality any = listed("*");
    if (any != kUnlisted) return any;
    return coding == ContentCoding::Identity ? kIdentityByDefault : kUnlisted;
  };

  ContentCoding best = ContentCoding::Identity;
  Quality bestQuality = qualityOf(ContentCoding::Identity);
  // Smallest first, so a tie keeps the smaller variant.
  for (ContentCoding coding : {ContentCoding::Brotli, ContentCoding::Gzip}) {
    bool have = false;
    for (ContentCoding a : available) have = have || a == coding;
    const Quality q = qualityOf(coding);
    if (!have || q <= 0) continue;
    if (q > bestQuality || (best == ContentCoding::Identity && q == bestQuality)) {
      best = coding;
      bestQuality = q;
    }
  }
  return best;
}

}  // namespace confhost
