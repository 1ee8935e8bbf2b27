#pragma once
// Query strings of hash routes ("#/host?hostToken=abc&scope=live/room1") and of URLs we build.
// Lenient on input (a malformed escape such as "%zz" is kept literally, never an error: a link typed by
// hand must not break the page) and conservative on output (percentEncode escapes everything but the
// characters that are safe in a query value).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace confhost {

struct QueryParams {
  // In order of appearance; a key may repeat (get() returns the first).
  std::vector<std::pair<std::string, std::string>> items;

  std::optional<std::string> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
};

// Accepts a whole hash ("#/host?a=1&b=2"), a URL ("https://h/x?a=1#frag" — the fragment is dropped),
// "?a=1" or a bare "a=1&b". Keys and values are percent-decoded ('+' is a space); a key without '='
// has the value "". Empty pieces ("a=1&&b=2") are skipped.
QueryParams parseQueryParams(std::string_view text);

// The route of a hash: "#/host?x=1" → "/host", "" or "#" → "/".
std::string routeOf(std::string_view hash);

// "%41" → "A"; '+' → ' ' when plusIsSpace; a malformed escape is kept as is.
std::string percentDecode(std::string_view text, bool plusIsSpace = true);

// Escapes every byte except A-Z a-z 0-9 - _ . ~ and the characters in `keep` (default "/:", so scopes
// and host:port stay readable in the mixing-page URL, as the reference pages write them).
std::string percentEncode(std::string_view text, std::string_view keep = "/:");

}  // namespace confhost
