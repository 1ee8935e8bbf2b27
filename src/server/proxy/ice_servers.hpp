#pragma once
// STUN/TURN servers the WHIP/WHEP endpoints hand to clients in `Link` headers (RFC 9725 4.6):
//   Link: <stun:stun.example.net>; rel="ice-server"
//   Link: <turn:turn.example.net?transport=udp>; rel="ice-server"; username="user"; credential="pw";
//         credential-type="password"
// Configured with the repeatable server flag `--ice-server '<url>[,<username>,<credential>]'`.
#include <string>

#include "core/protocol/expected.hpp"

namespace confhost {

struct IceServer {
  std::string url;  // stun:, stuns:, turn: or turns: URI (RFC 7064 / 7065)
  std::string username, credential;
};

// "stun:host:3478" or "turn:host:3478?transport=udp,user,pass" → IceServer, or why not.
Expected<IceServer> parseIceServer(const std::string& spec);

// The value of one Link header for `server`.
std::string linkHeaderOf(const IceServer& server);

}  // namespace confhost
