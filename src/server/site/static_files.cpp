#include "server/site/static_files.hpp"

#include <boost/beast/http.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/protocol/json_limits.hpp"
#include "core/protocol/query_string.hpp"
#include "server/net/router.hpp"

namespace confhost {

namespace fs = std::filesystem;
namespace http = beast::http;

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Ok, or why the decoded path is unsafe.
Status checkSafePath(std::string_view rawPath, const std::string& decoded) {
  if (decoded.find('\0') != std::string::npos) return Error{"path", "contains a NUL byte"};
  if (decoded.find('\\') != std::string::npos) return Error{"path", "contains a backslash"};
  // An encoded slash would let a segment hide a "..": refuse it outright.
  std::string lower(rawPath);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("%2f") != std::string::npos || lower.find("%5c") != std::string::npos)
    return Error{"path", "contains an encoded slash"};
  std::string_view rest = decoded;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") return Error{"path", "contains a '..' segment"};
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return {};
}

}  // namespace

std::string_view mimeTypeOf(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wav", "audio/wav"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".data", "application/octet-stream"},
  };
  std::string lower(path);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [ext, type] : kTypes)
    if (endsWith(lower, ext)) return type;
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string webRoot) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(fs::absolute(webRoot, ec), ec);
  root_ = canonical.string();
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

void StaticFiles::handle(const HttpRequest& request, const Respond& respond, const RespondFile& respondFile) const {
  const bool head = request.method() == http::verb::head;
  if (request.method() != http::verb::get && !head) {
    auto res = jsonError(request, http::status::method_not_allowed,
                         "method: " + std::string(request.method_string()) + " is not allowed on static files");
    res.set(http::field::allow, "GET, HEAD");
    return respond(std::move(res));
  }
  const std::string rawPath = targetPath(request.target());
  const std::string decoded = percentDecode(rawPath, /*plusIsSpace=*/false);
  if (rawPath.empty() || rawPath[0] != '/')
    return respond(jsonError(request, http::status::bad_request, "path: must start with '/'"));
  // A scanner's "/%c0%ae%c0%ae/" (overlong dots) or "/%ff": refused before any file name is formed.
  if (!isValidUtf8(decoded))
    return respond(jsonError(request, http::status::bad_request, "path: not valid UTF-8 after percent-decoding"));
  if (auto safe = checkSafePath(rawPath, decoded); !safe)
    return respond(jsonError(request, http::status::forbidden, safe.error().message()));

  fs::path file = fs::path(root_) / fs::path(decoded).relative_path();
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    if (!endsWith(decoded, "/")) {
      // "/sub" → "/sub/" so relative URLs in its index.html resolve.
      auto res = makeResponse(request, http::status::moved_permanently, "", "text/plain");
      res.set(http::field::location, rawPath + "/");
      return respond(std::move(res));
    }
    file /= "index.html";
  }
  const auto notFound = [&] {
    respond(jsonError(request, http::status::not_found, "no such file: " + decoded));
  };
  // Symlinks may not lead out of the root.
  const fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec)) return notFound();
  const std::string realStr = real.string();
  if (realStr.compare(0, root_.size(), root_) != 0 || (realStr.size() > root_.size() && realStr[root_.size()] != '/'))
    return respond(jsonError(request, http::status::forbidden, "path: resolves outside the web root"));

  const auto setHeaders = [&](auto& res) {
    res.set(http::field::server, "confhost-server");
    res.set(http::field::content_type, mimeTypeOf(realStr));
    res.set("X-Content-Type-Options", "nosniff");
    // The page and its module change with every build and have fixed names: revalidate each time
    // (cheap, same-origin) rather than risk a stale wasm next to a fresh js.
    res.set(http::field::cache_control, "no-cache");
    res.keep_alive(request.keep_alive());
  };
  if (respondFile && !head) {
    FileResponse res{http::status::ok, request.version()};
    beast::error_code openError;
    res.body().open(realStr.c_str(), beast::file_mode::scan, openError);
    if (openError) return notFound();
    setHeaders(res);
    res.prepare_payload();
    return respondFile(std::move(res));
  }

  std::ifstream in(real, std::ios::binary);
  if (!in) return notFound();
  std::ostringstream content;
  if (!head) content << in.rdbuf();
  const auto size = fs::file_size(real, ec);
  HttpResponse res{http::status::ok, request.version()};
  setHeaders(res);
  if (head) {
    res.content_length(size);
  } else {
    res.body() = std::move(content).str();
    res.prepare_payload();
  }
  respond(std::move(res));
}

}  // namespace confhost
