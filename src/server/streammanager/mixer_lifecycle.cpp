#include "server/streammanager/mixer_lifecycle.hpp"

namespace confhost {

std::string_view toString(MixerEvent e) {
  switch (e) {
    case MixerEvent::SocketOpened: return "socket opened";
    case MixerEvent::SocketClosed: return "socket closed";
    case MixerEvent::CompositeStarted: return "composite started";
    case MixerEvent::CompositeStopped: return "composite stopped";
    case MixerEvent::ProcessExited: return "process exited";
    case MixerEvent::Destroy: return "destroy";
  }
  return "?";
}

MixerState nextMixerState(MixerState state, MixerEvent event, bool socketConnected) {
  using S = MixerState;
  using E = MixerEvent;
  if (state == S::Terminating) return state;
  if (event == E::Destroy) return S::Terminating;
  if (state == S::Failed) return state;
  if (event == E::ProcessExited) return S::Failed;
  switch (state) {
    case S::Pending:
      if (event == E::SocketOpened) return S::InService;
      return state;  // CompositeStarted: not in service yet, so not its composite (see the header)
    case S::InService:
      if (event == E::SocketClosed) return S::Pending;
      if (event == E::CompositeStarted) return S::Composing;
      return state;
    case S::Composing:
      if (event == E::CompositeStopped) return socketConnected ? S::InService : S::Pending;
      return state;
    default:
      return state;
  }
}

}  // namespace confhost
