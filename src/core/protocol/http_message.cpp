#include "core/protocol/http_message.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace confhost {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits at `sep` outside <...> and "..." (Link values may carry commas inside quotes and URLs).
std::vector<std::string_view> splitOutsideQuotes(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  bool angled = false;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (angled) {
      if (c == '>') angled = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '<') {
      angled = true;
    } else if (c == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return std::string(v);
}

// One link-value: `<uri>; rel="ice-server"; username="u"; credential="c"`.
std::optional<IceServer> parseIceServerLink(std::string_view link) {
  link = trim(link);
  if (link.empty() || link.front() != '<') return std::nullopt;
  const size_t close = link.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  IceServer server;
  server.urls = std::string(trim(link.substr(1, close - 1)));
  bool isIceServer = false;
  for (auto param : splitOutsideQuotes(link.substr(close + 1), ';')) {
    param = trim(param);
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(param.substr(0, eq));
    const std::string value = unquote(param.substr(eq + 1));
    if (equalsIgnoreCase(name, "rel")) {
      // rel may list several relation types separated by spaces
      for (auto rel : splitOutsideQuotes(value, ' '))
        if (equalsIgnoreCase(trim(rel), "ice-server")) isIceServer = true;
    } else if (equalsIgnoreCase(name, "username")) {
      server.username = value;
    } else if (equalsIgnoreCase(name, "credential")) {
      server.credential = value;
    }
  }
  if (!isIceServer || server.urls.empty()) return std::nullopt;
  return server;
}

struct UrlParts {
  std::string_view scheme;     // "https" (no colon); empty when the URL has none
  std::string_view authority;  // "host:port"
  std::string_view path;       // "/a/b" (may be empty)
};

UrlParts splitUrl(std::string_view url) {
  UrlParts parts;
  const size_t colon = url.find(':');
  const size_t slash = url.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    parts.scheme = url.substr(0, colon);
    url.remove_prefix(colon + 1);
  }
  if (url.substr(0, 2) == "//") {
    url.remove_prefix(2);
    const size_t end = url.find_first_of("/?#");
    parts.authority = url.substr(0, end);
    url = end == std::string_view::npos ? std::string_view{} : url.substr(end);
  }
  const size_t q = url.find_first_of("?#");
  parts.path = url.substr(0, q);
  return parts;
}

// RFC 3986 5.2.4: removes "." and ".." segments.
std::string removeDotSegments(std::string_view path) {
  std::vector<std::string> out;
  const bool absolute = !path.empty() && path.front() == '/';
  size_t start = absolute ? 1 : 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    const bool last = end == path.size();
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      if (last) out.emplace_back();
    } else if (seg == ".") {
      if (last) out.emplace_back();
    } else {
      out.emplace_back(seg);
    }
    start = end + 1;
  }
  std::string result = absolute ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) result += '/';
    result += out[i];
  }
  return result;
}

}  // namespace

std::optional<std::string> findHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& h : headers)
    if (equalsIgnoreCase(h.name, name)) return h.value;
  return std::nullopt;
}

std::vector<std::string> findHeaders(const HttpHeaders& headers, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& h : headers)
    if (equalsIgnoreCase(h.name, name)) values.push_back(h.value);
  return values;
}

std::vector<IceServer> parseIceServerLinks(const HttpHeaders& headers) {
  std::vector<IceServer> servers;
  for (const auto& value : findHeaders(headers, "link"))
    for (auto link : splitOutsideQuotes(value, ','))
      if (auto server = parseIceServerLink(link)) servers.push_back(std::move(*server));
  return servers;
}

std::string resolveUrl(std::string_view base, std::string_view reference) {
  reference = trim(reference);
  const UrlParts ref = splitUrl(reference);
  if (!ref.scheme.empty()) return std::string(reference);  // absolute
  const UrlParts b = splitUrl(base);
  const std::string origin = std::string(b.scheme) + "://" + std::string(b.authority);
  if (reference.substr(0, 2) == "//") return std::string(b.scheme) + ":" + std::string(reference);
  if (reference.empty()) return std::string(base);
  // keep the reference's query/fragment as written
  const size_t q = reference.find_first_of("?#");
  const std::string_view refPath = reference.substr(0, q);
  const std::string_view refTail = q == std::string_view::npos ? std::string_view{} : reference.substr(q);
  std::string path;
  if (!refPath.empty() && refPath.front() == '/') {
    path = removeDotSegments(refPath);
  } else {
    std::string_view dir = b.path;
    const size_t lastSlash = dir.rfind('/');
    dir = lastSlash == std::string_view::npos ? std::string_view{"/"} : dir.substr(0, lastSlash + 1);
    path = removeDotSegments(std::string(dir) + std::string(refPath));
    if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  }
  return origin + path + std::string(refTail);
}

std::string_view httpReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string httpErrorReason(const HttpResponseMessage& response) {
  if (response.status == 0)
    return "network error: " + (response.networkError.empty() ? std::string("no response")
                                                               : response.networkError);
  std::string line = std::to_string(response.status);
  const auto phrase = httpReasonPhrase(response.status);
  if (!phrase.empty()) line += " " + std::string(phrase);

  std::string detail;
  const std::string_view body = trim(response.body);
  if (!body.empty() && (body.front() == '{' || body.front() == '"')) {
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
      for (const char* key : {"errorMessage", "error", "message", "reason"}) {
        auto it = json.find(key);
        if (it != json.end() && it->is_string()) {
          detail = it->get<std::string>();
          break;
        }
      }
    } else if (json.is_string()) {
      detail = json.get<std::string>();
    }
  }
  // A plain-text reason; an HTML error page or an SDP is not a reason worth showing.
  if (detail.empty() && !body.empty() && body.front() != '<' && body.front() != '{' &&
      body.substr(0, 2) != "v=" && body.size() <= 300)
    detail = std::string(body);
  return detail.empty() ? line : line + ": " + detail;
}

}  // namespace confhost
