// The SDP the WHIP/WHEP proxy reads itself (src/core/media/sdp): offers, trickle fragments and ICE
// restarts from any client bytes — no crash, and a fragment we produce parses back.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/media/sdp.hpp"

using namespace confhost;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)sdp::checkSdp(body);
  (void)sdp::mlinesOf(body);
  const sdp::IceFragment fragment = sdp::parseIceFragment(body);
  (void)sdp::iceUfragOf(body);
  (void)sdp::icePwdOf(body);
  const std::string restarted = sdp::withIceCredentials(body, fragment.ufrag, fragment.pwd, fragment.candidates);
  (void)sdp::checkSdp(restarted);
  const std::string iceOnly = sdp::iceFragmentOf(body);
  (void)sdp::parseIceFragment(iceOnly);
  return 0;
}
