#pragma once
// Strong entity tags of static files and the If-None-Match check (RFC 9110 8.8.3, 13.1.2).
// If-None-Match compares weakly: W/"x" matches "x". A header that does not parse as "*" or a list of
// quoted tags (a missing quote, a bare word, a control character) is Malformed; the caller then
// ignores it and answers in full, which is always a correct answer to a GET.
#include <optional>
#include <string>
#include <string_view>

namespace confhost {

// `"<32 hex digits>"`: the first 128 bits of the content's SHA-256, quotes included.
std::string strongEntityTag(std::string_view sha256Hex);

enum class TagMatch { Matches, DoesNotMatch, Malformed };

// `ifNoneMatch` is the header's value (several headers joined with ","); `etag` includes its quotes.
TagMatch matchIfNoneMatch(std::string_view ifNoneMatch, std::string_view etag);

}  // namespace confhost
