#pragma once
// Where a proxy resource is in its life, as the origin reports it. The whole machine:
//
//   Negotiating ──SdpExchanged──▶ Negotiated ──WebrtcUp──▶ Up
//   Negotiating ──WebrtcUp──────▶ Up            (the origin may report up before our answer is sent)
//   any other (phase, event)     stays where it is (a repeated webrtcup, a late answer)
//
// Negotiating: the POST (and for a server-offer WHEP the answer PATCH) is not complete. Negotiated:
// both sides have each other's SDP. Up: Janus said `webrtcup`. A resource leaves the machine by being
// torn down (DELETE, hang-up, detached, timeouts), never by a phase.
#include <string_view>

namespace confhost {

enum class ResourcePhase { Negotiating, Negotiated, Up };
enum class ResourceEvent { SdpExchanged, WebrtcUp };

constexpr ResourcePhase nextPhase(ResourcePhase phase, ResourceEvent event) {
  if (event == ResourceEvent::WebrtcUp) return ResourcePhase::Up;
  return phase == ResourcePhase::Negotiating ? ResourcePhase::Negotiated : phase;
}

constexpr std::string_view toString(ResourcePhase phase) {
  switch (phase) {
    case ResourcePhase::Negotiating: return "negotiating";
    case ResourcePhase::Negotiated: return "negotiated";
    case ResourcePhase::Up: return "up";
  }
  return "";
}

}  // namespace confhost
