#include "server/streammanager/page_origin.hpp"

#include <cctype>

namespace confhost {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Expected<std::string> urlOrigin(std::string_view url) {
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f || c == '\\')
      return Error{"origin", "the URL contains a space, a control character or a backslash"};
  const auto colon = url.find("://");
  if (colon == std::string_view::npos) return Error{"origin", "not an absolute http(s) URL"};
  const std::string scheme = lower(url.substr(0, colon));
  if (scheme != "https" && scheme != "http") return Error{"origin", "scheme '" + scheme + "' is not http(s)"};
  const std::string_view rest = url.substr(colon + 3);
  const std::string authority = lower(rest.substr(0, rest.find_first_of("/?#")));
  if (authority.find('@') != std::string::npos) return Error{"origin", "user info (user@host) is not allowed"};
  if (authority.empty() || authority.front() == ':') return Error{"origin", "the host is missing"};
  // Port: after the last ':' unless that colon is inside an IPv6 literal "[...]".
  std::string host = authority, port;
  const auto lastColon = authority.rfind(':');
  if (lastColon != std::string::npos && authority.find(']', lastColon) == std::string::npos) {
    host = authority.substr(0, lastColon);
    port = authority.substr(lastColon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
      return Error{"origin", "port '" + port + "' is not a number"};
    port = std::to_string(std::stoi(port));  // "08443" and "8443" are one port
  }
  if (host.empty()) return Error{"origin", "the host is missing"};
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port.clear();
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

}  // namespace confhost
