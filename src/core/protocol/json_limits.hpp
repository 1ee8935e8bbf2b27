#pragma once
// Bounds on untrusted JSON and text, in one place for every parser in the project (HTTP bodies,
// Conference API frames, settings): a hostile input may be refused, never crash the process.
//  - Nesting is limited before the text reaches nlohmann: its values copy, compare and dump
//    recursively, so half a million '[' would exhaust the stack long after the parse succeeded.
//  - nlohmann throws type_error 316 when it dumps a string that is not UTF-8: text that came from a
//    user (a path, a query value) is checked with isValidUtf8 or dumped with dumpJson (replaces).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"

namespace confhost {

inline constexpr int kMaxJsonDepth = 64;

// True when arrays/objects in `text` nest deeper than `maxDepth` (brackets inside strings do not
// count). A linear scan, no recursion; the text need not be valid JSON.
bool jsonNestingExceeds(std::string_view text, int maxDepth = kMaxJsonDepth);

// The parsed value, or Error{"", "malformed JSON: <where and why>"} / "... nested deeper than 64
// levels". Never throws.
Expected<nlohmann::json> parseJsonBounded(std::string_view text, int maxDepth = kMaxJsonDepth);

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// Compact JSON text; invalid UTF-8 in strings becomes U+FFFD instead of an exception.
std::string dumpJson(const nlohmann::json& value);

// `text` safe to embed in a message: invalid UTF-8 bytes become U+FFFD, and it is cut (on a character
// boundary, with "…") after `maxBytes`.
std::string printableText(std::string_view text, std::size_t maxBytes = 200);

}  // namespace confhost
