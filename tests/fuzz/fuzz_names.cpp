// Names and scopes (src/core/names): validation of any bytes, and the derived names of a valid one.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/protocol/names.hpp"

using namespace confhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name(reinterpret_cast<const char*>(data), size);
  const bool valid = isValidName(name);
  if (valid != validateName("name", name).ok()) std::abort();  // the two checks agree
  (void)isWaitingRoom(name);
  (void)conferenceScopeOf(name);
  (void)roomNameOf(name);
  (void)appNameOf(name);
  (void)compositeStreamOf(name);
  (void)guidOf(name, name);
  if (valid && !isWaitingRoom(name)) {  // waitingRoomOf keeps a waiting room as it is
    const std::string wr = waitingRoomOf(name);
    if (!isWaitingRoom(wr) || conferenceScopeOf(wr) != name) std::abort();
  }
  return 0;
}
