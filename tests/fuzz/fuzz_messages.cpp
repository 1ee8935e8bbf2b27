// The Conference API parser (src/core/messages) with any frame a client or a server could send: never
// a crash, and whatever parses serialises to text that parses to the same message again.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/protocol/messages.hpp"

using namespace confhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = parseClientMessage(text)) {
    const std::string once = serialize(*m);
    const auto again = parseClientMessage(once);
    if (!again || serialize(*again) != once) std::abort();  // what we send, we must read back
  }
  if (auto m = parseServerMessage(text)) {
    const std::string once = serialize(*m);
    const auto again = parseServerMessage(once);
    if (!again || serialize(*again) != once) std::abort();
  }
  return 0;
}
