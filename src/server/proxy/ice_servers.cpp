#include "server/proxy/ice_servers.hpp"

namespace confhost {

namespace {

// Characters that would break the header (or the quoted string they sit in).
bool safeForHeader(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e || c == '"' || c == '<' || c == '>' || c == ',' || c == ';' || c == '\\') return false;
  return true;
}

}  // namespace

Expected<IceServer> parseIceServer(const std::string& spec) {
  IceServer server;
  const auto comma = spec.find(',');
  server.url = spec.substr(0, comma);
  if (comma != std::string::npos) {
    const std::string rest = spec.substr(comma + 1);
    const auto second = rest.find(',');
    if (second == std::string::npos)
      return Error{"--ice-server", "'" + spec + "': give the username and the credential, or neither (url,user,pass)"};
    server.username = rest.substr(0, second);
    server.credential = rest.substr(second + 1);
    if (server.username.empty() || server.credential.empty())
      return Error{"--ice-server", "'" + spec + "': the username and the credential must not be empty"};
  }
  const bool stun = server.url.rfind("stun:", 0) == 0 || server.url.rfind("stuns:", 0) == 0;
  const bool turn = server.url.rfind("turn:", 0) == 0 || server.url.rfind("turns:", 0) == 0;
  if (!stun && !turn)
    return Error{"--ice-server", "'" + server.url + "' must be a stun:, stuns:, turn: or turns: URI"};
  if (server.url.find(':') + 1 == server.url.size())
    return Error{"--ice-server", "'" + server.url + "' has no host"};
  if (turn && server.username.empty())
    return Error{"--ice-server", "'" + server.url + "': a TURN server needs ',<username>,<credential>'"};
  if (!safeForHeader(server.url) || !safeForHeader(server.username) || !safeForHeader(server.credential))
    return Error{"--ice-server", "'" + spec + "' has spaces, quotes, commas, semicolons or non-ASCII characters"};
  return server;
}

std::string linkHeaderOf(const IceServer& server) {
  std::string value = "<" + server.url + ">; rel=\"ice-server\"";
  if (!server.username.empty())
    value += "; username=\"" + server.username + "\"; credential=\"" + server.credential +
             "\"; credential-type=\"password\"";
  return value;
}

}  // namespace confhost
