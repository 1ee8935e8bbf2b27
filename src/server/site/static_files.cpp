#include "server/site/static_files.hpp"

#include <boost/beast/http.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "core/protocol/json_limits.hpp"
#include "core/protocol/query_string.hpp"
#include "server/net/router.hpp"
#include "server/site/content_coding.hpp"
#include "server/site/entity_tag.hpp"

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

bool insideRoot(const std::string& real, const std::string& root) {
  return real.compare(0, root.size(), root) == 0 && (real.size() == root.size() || real[root.size()] == '/');
}

// The canonical path of a regular file inside the root, or nullopt.
std::optional<fs::path> fileInsideRoot(const fs::path& file, const std::string& root) {
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec) || !insideRoot(real.string(), root)) return std::nullopt;
  return real;
}

struct Representation {
  ContentCoding coding = ContentCoding::Identity;
  fs::path file;  // canonical
};

// The build-time variants of `requested` (whose real file is `plain`) that may stand for it.
std::vector<Representation> variantsOf(const fs::path& requested, const fs::path& plain, const std::string& root) {
  std::vector<Representation> found;
  std::error_code ec;
  const auto plainTime = fs::last_write_time(plain, ec);
  if (ec) return found;
  for (ContentCoding coding : {ContentCoding::Brotli, ContentCoding::Gzip}) {
    fs::path candidate = requested;
    candidate += std::string(contentCodingSuffix(coding));
    const auto real = fileInsideRoot(candidate, root);
    if (!real) continue;
    // A variant older than its file was left behind by an earlier build: it would send old bytes.
    const auto time = fs::last_write_time(*real, ec);
    if (ec || time < plainTime) continue;
    found.push_back({coding, *real});
  }
  return found;
}

// The values of every `field` header joined with ",", or nullopt when there is none.
std::optional<std::string> joinedHeader(const HttpRequest& request, http::field field) {
  std::optional<std::string> joined;
  for (auto [it, end] = request.equal_range(field); it != end; ++it) {
    if (joined) joined->push_back(',');
    else joined.emplace();
    joined->append(it->value().data(), it->value().size());
  }
  return joined;
}

bool isHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// "name.<16 hex>.ext" whose hex is the start of the content's hash: safe to cache forever.
bool isFingerprinted(const std::string& fileName, const std::string& sha256Hex) {
  constexpr std::size_t kDigits = 16;
  const auto lastDot = fileName.rfind('.');
  if (lastDot == std::string::npos || lastDot < kDigits + 1) return false;
  const std::size_t start = lastDot - kDigits;
  if (fileName[start - 1] != '.') return false;
  for (std::size_t i = start; i < lastDot; ++i)
    if (!isHexDigit(fileName[i])) return false;
  return sha256Hex.compare(0, kDigits, fileName, start, kDigits) == 0;
}

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// Each use revalidates: cheap with an ETag, and a new build is seen at once.
constexpr std::string_view kRevalidate = "no-cache";
constexpr std::size_t kPrimedFilesLimit = 1000;

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
      {".gz", "application/gzip"},
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
  std::size_t primed = 0;
  for (fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end && primed < kPrimedFilesLimit; it.increment(ec)) {
    if (const auto real = fileInsideRoot(it->path(), root_)) {
      digests_.sha256Hex(*real);
      ++primed;
    }
  }
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
  if (!insideRoot(real.string(), root_))
    return respond(jsonError(request, http::status::forbidden, "path: resolves outside the web root"));

  const auto variants = variantsOf(file, real, root_);
  std::vector<ContentCoding> codings;
  for (const auto& v : variants) codings.push_back(v.coding);
  const auto acceptEncoding = joinedHeader(request, http::field::accept_encoding);
  Representation chosen{ContentCoding::Identity, real};
  const ContentCoding coding =
      chooseContentCoding(acceptEncoding ? std::optional<std::string_view>(*acceptEncoding) : std::nullopt, codings);
  for (const auto& v : variants)
    if (v.coding == coding) chosen = v;

  const auto plainHash = digests_.sha256Hex(real);
  const auto chosenHash = chosen.file == real ? plainHash : digests_.sha256Hex(chosen.file);
  if (!plainHash || !chosenHash) return notFound();
  const std::string etag = strongEntityTag(*chosenHash);
  const bool immutable = isFingerprinted(real.filename().string(), *plainHash);

  // The headers a 200 and a 304 share (RFC 9110 15.4.5: ETag, Cache-Control and Vary on both).
  const auto setCacheHeaders = [&](auto& res) {
    res.set(http::field::server, "confhost-server");
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, immutable ? kImmutable : kRevalidate);
    if (!variants.empty()) res.set(http::field::vary, "Accept-Encoding");
    res.keep_alive(request.keep_alive());
  };
  const auto setHeaders = [&](auto& res) {
    setCacheHeaders(res);
    res.set(http::field::content_type, mimeTypeOf(real.string()));
    if (chosen.coding != ContentCoding::Identity) res.set(http::field::content_encoding, contentCodingName(chosen.coding));
    res.set(http::field::accept_ranges, "none");
    res.set("X-Content-Type-Options", "nosniff");
  };

  // A malformed If-None-Match is ignored: the full answer is always correct.
  if (const auto ifNoneMatch = joinedHeader(request, http::field::if_none_match);
      ifNoneMatch && matchIfNoneMatch(*ifNoneMatch, etag) == TagMatch::Matches) {
    HttpResponse res{http::status::not_modified, request.version()};
    setCacheHeaders(res);
    // The length a 200 would have had (a 304 may not claim any other, and Beast would say 0).
    res.content_length(fs::file_size(chosen.file, ec));
    return respond(std::move(res));
  }

  const std::string chosenStr = chosen.file.string();
  if (respondFile && !head) {
    FileResponse res{http::status::ok, request.version()};
    beast::error_code openError;
    res.body().open(chosenStr.c_str(), beast::file_mode::scan, openError);
    if (openError) return notFound();
    setHeaders(res);
    res.prepare_payload();
    return respondFile(std::move(res));
  }

  std::ifstream in(chosen.file, std::ios::binary);
  if (!in) return notFound();
  HttpResponse res{http::status::ok, request.version()};
  setHeaders(res);
  if (head) {
    res.content_length(fs::file_size(chosen.file, ec));
  } else {
    std::ostringstream content;
    content << in.rdbuf();
    res.body() = std::move(content).str();
    res.prepare_payload();
  }
  respond(std::move(res));
}

}  // namespace confhost
