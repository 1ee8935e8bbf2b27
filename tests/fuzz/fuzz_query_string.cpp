// Query strings and percent-coding (src/core/query_string): any text is parsed without a crash, and
// decoding what we encoded gives back the original bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/protocol/query_string.hpp"

using namespace confhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const QueryParams params = parseQueryParams(text);
  for (const auto& [key, value] : params.items)
    if (!params.get(key)) std::abort();  // every parsed key can be looked up
  (void)routeOf(text);
  (void)percentDecode(text, true);
  (void)percentDecode(text, false);
  if (percentDecode(percentEncode(text), false) != text) std::abort();
  if (percentDecode(percentEncode(text, ""), false) != text) std::abort();
  // A value we encode survives a round trip through a query.
  const auto round = parseQueryParams("k=" + percentEncode(text, ""));
  if (round.get("k").value_or("\x01missing") != text) std::abort();
  return 0;
}
