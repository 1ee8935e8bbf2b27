#pragma once
// Which content coding a static response gets, from the request's Accept-Encoding (RFC 9110 12.5.3).
// The coding with the highest q-value among those the server has wins; on a tie the smaller one (br
// before gzip before identity). "*" stands for every coding the header does not name, "x-gzip" is
// gzip, names are case-insensitive. Identity is acceptable unless "identity;q=0", or "*;q=0" without
// an identity entry, excludes it; a listed coding with q > 0 is preferred to an identity that is only
// acceptable by default. When nothing is acceptable the answer is identity, never a refusal: the
// RFC lets a server send an uncoded response then, and a browser can always read it.
// A list element that does not parse (a bad q-value, an unknown parameter, a non-token name) is
// ignored; the rest of the header still counts. No header at all means identity.
#include <optional>
#include <string_view>
#include <vector>

namespace confhost {

enum class ContentCoding { Identity, Gzip, Brotli };

// "identity", "gzip", "br": the Content-Encoding token.
std::string_view contentCodingName(ContentCoding coding);
// The file name suffix of a build-time variant: "", ".gz", ".br".
std::string_view contentCodingSuffix(ContentCoding coding);

// `acceptEncoding` is the header's value (several headers joined with ","), nullopt when absent;
// `available` are the compressed variants the server has for this file (identity is implied).
ContentCoding chooseContentCoding(std::optional<std::string_view> acceptEncoding,
                                  const std::vector<ContentCoding>& available);

}  // namespace confhost
