#pragma once
// One TLS connection: handshake, then HTTP/1.1 requests one at a time (keep-alive), each handed to the
// Router; an upgrade request at a WebSocket path becomes a WebSocketSession. The Beast types live in
// the .cpp so only two translation units pay for them.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "server/net/connection_set.hpp"
#include "server/net/router.hpp"

namespace confhost {

void startHttpSession(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls, const Router& router,
                      ConnectionSet& connections);

}  // namespace confhost
