#pragma once
// The state machine of one mixer of a composition, as a table in one function:
//
//   state \ event  | SocketOpened | SocketClosed | CompositeStarted | CompositeStopped     | ProcessExited | Destroy
//   Pending        | InService    | -            | - (**)           | -                    | Failed        | Terminating
//   InService      | -            | Pending      | Composing        | -                    | Failed        | Terminating
//   Composing      | -            | - (*)        | -                | InService or Pending | Failed        | Terminating
//   Failed         | -            | -            | -                | -                    | -             | Terminating
//   Terminating    | -            | -            | -                | -                    | -             | -
//
// "-" keeps the state. (*) A composite that is still publishing is still composing even if the page's
// control socket dropped; when the composite stops, the mixer falls back to InService if its socket is
// connected, else Pending. Failed is final until destroyed: a dead process cannot recover by itself.
// (**) A composite publishing while the mixer is not in service is not this mixer's: its page has not
// even connected yet, so it is the stream of a previous mixer (destroyed, its publish not yet gone).
// Compositions re-sends CompositeStarted when the page connects if the stream started after the launch.
#include <string_view>

#include "core/protocol/messages.hpp"

namespace confhost {

enum class MixerEvent { SocketOpened, SocketClosed, CompositeStarted, CompositeStopped, ProcessExited, Destroy };

std::string_view toString(MixerEvent);

// The next state; `socketConnected` is the mixer page's socket state *after* the event.
MixerState nextMixerState(MixerState state, MixerEvent event, bool socketConnected);

}  // namespace confhost
