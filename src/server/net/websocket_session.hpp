#pragma once
// A WebSocket over TLS, after the HTTP upgrade. Frames go to a WsEndpoint; sends are queued and
// written one at a time (Beast allows one outstanding write); a slow reader that lets the queue grow
// past a bound is disconnected rather than allowed to exhaust memory.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/net/connection_set.hpp"
#include "server/net/http_types.hpp"
#include "server/net/ws_connection.hpp"

namespace confhost {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Largest frame the transport reads at all; the Conference API refuses anything above its own,
// smaller limit with an `error` reply (and Beast closes with 1009 above this one).
inline constexpr std::size_t kWebSocketTransportLimit = 1024 * 1024;

void startWebSocketSession(TlsStream stream, HttpRequest upgrade, WsEndpoint& endpoint, ConnectionSet& connections,
                           std::string peer);

}  // namespace confhost
