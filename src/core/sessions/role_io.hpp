#pragma once
// What every role session (host, participant, mixer) takes and gives besides its own events and effects:
// stop, its sockets' events and effects (socket_io), the clock, its media sessions' results and effects,
// and an error to show. Each role's namespace takes these in with `using namespace role_io`, so that
// `participant::Tick` and `mixer::Tick` name the one definition.
#include <cstdint>
#include <string>

#include "core/media/media_session_set.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"

namespace confhost::role_io {

// events
struct Stop {};
using SocketOpened = socket_io::Opened;
using SocketClosed = socket_io::Closed;
using SocketMessage = socket_io::Message;
struct Tick { std::int64_t nowMs = 0; };  // every frame (the session's only clock); forwarded to its media sessions
using Media = media::SessionEvent;        // a result for one of the role's media sessions

// effects
using OpenSocket = socket_io::Open;
using CloseSocket = socket_io::Close;
using MediaEffect = media::SessionEffect;
struct ShowError { std::string text; };

}  // namespace confhost::role_io
