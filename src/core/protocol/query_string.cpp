#include "core/protocol/query_string.hpp"

namespace confhost {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

std::optional<std::string> QueryParams::get(std::string_view key) const {
  for (const auto& [k, v] : items) {
    if (k == key) return v;
  }
  return std::nullopt;
}

QueryParams parseQueryParams(std::string_view text) {
  // A hash route keeps its query after the fragment's '?'; a full URL's query ends at its '#'.
  if (!text.empty() && text.front() == '#') {
    text.remove_prefix(1);
    auto q = text.find('?');
    text = q == std::string_view::npos ? std::string_view{} : text.substr(q + 1);
  } else {
    auto q = text.find('?');
    if (q != std::string_view::npos) {
      text = text.substr(q + 1);
    } else if (text.find("://") != std::string_view::npos) {
      text = {};  // a URL without a query
    }
    auto hash = text.find('#');
    if (hash != std::string_view::npos) text = text.substr(0, hash);
  }

  QueryParams params;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    std::string key = percentDecode(piece.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string{} : percentDecode(piece.substr(eq + 1));
    if (key.empty()) continue;
    params.items.emplace_back(std::move(key), std::move(value));
  }
  return params;
}

std::string routeOf(std::string_view hash) {
  if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
  hash = hash.substr(0, hash.find('?'));
  if (hash.empty()) return "/";
  if (hash.front() != '/') return "/" + std::string(hash);
  return std::string(hash);
}

std::string percentDecode(std::string_view text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hexValue(text[i + 1]);
      int lo = hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plusIsSpace && c == '+' ? ' ' : c);
  }
  return out;
}

std::string percentEncode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (isUnreserved(c) || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace confhost
