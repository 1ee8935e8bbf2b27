#include "core/protocol/json_limits.hpp"

namespace confhost {

using json = nlohmann::json;

bool jsonNestingExceeds(std::string_view text, int maxDepth) {
  int depth = 0;
  bool inString = false, escaped = false;
  for (const char c : text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;  // an unbalanced close is the parser's to report
    }
  }
  return false;
}

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] "; the tag means nothing to a user.
std::string withoutExceptionTag(const std::string& what) {
  if (!what.empty() && what[0] == '[') {
    const auto close = what.find("] ");
    if (close != std::string::npos) return what.substr(close + 2);
  }
  return what;
}

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not well formed.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;        // overlong
    else if (b0 == 0xED) hi = 0x9F;   // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;        // overlong
    else if (b0 == 0xF4) hi = 0x8F;   // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return len;
}

}  // namespace

Expected<json> parseJsonBounded(std::string_view text, int maxDepth) {
  if (jsonNestingExceeds(text, maxDepth))
    return Error{"", "malformed JSON: nested deeper than " + std::to_string(maxDepth) + " levels"};
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  // Parse again with exceptions only to obtain the detail (position and what was expected).
  try {
    const json again = json::parse(text.begin(), text.end());
    (void)again;
  } catch (const json::exception& e) {
    return Error{"", "malformed JSON: " + withoutExceptionTag(e.what())};
  }
  return Error{"", "malformed JSON: unparseable text"};
}

bool isValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8SequenceLength(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string dumpJson(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string printableText(std::string_view text, std::size_t maxBytes) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 3);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8SequenceLength(text, i);
    const std::size_t width = len == 0 ? 3 : len;  // U+FFFD is three bytes
    if (out.size() + width > maxBytes) return out + "\xE2\x80\xA6";
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace confhost
