#pragma once
// Serves the web build from --web-root: GET and HEAD only, index.html for directories, the right MIME
// type (application/wasm for streaming compilation), no directory listings, and nothing outside the
// root — `..` segments (raw or percent-encoded), encoded slashes, NUL bytes and symlinks that lead out
// are all refused. Files are streamed from disk (Beast's file_body), never read whole into memory, so a
// large asset costs a buffer per connection, not its size.
//
// Beside each file the build may have written "x.gz" and "x.br": the answer is the variant the
// request's Accept-Encoding prefers (content_coding.hpp), with Content-Encoding, Vary:
// Accept-Encoding and the variant's exact length; a variant older than its file, or one that leads out
// of the root, is never used. Every answer carries a strong ETag of the bytes it sends, and
// If-None-Match answers 304 without a body. A name carrying its content's hash ("confhost.<first 16
// hex digits of its SHA-256>.wasm", checked against the content) is cached for a year as immutable;
// everything else is "no-cache" (revalidated on each use, so a new index.html is seen at once).
// Range requests are answered with the whole file (Accept-Ranges: none); "x.wasm.gz" asked for by
// name is an ordinary file (application/gzip, no Content-Encoding).
#include <boost/beast/http/file_body.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "server/net/http_types.hpp"
#include "server/site/file_digests.hpp"

namespace confhost {

using FileResponse = beast::http::response<beast::http::file_body>;
using RespondFile = std::function<void(FileResponse)>;

class StaticFiles {
 public:
  // Hashes the files of the root once, so the first visit does not wait for it.
  explicit StaticFiles(std::string webRoot);

  // A found file goes to `respondFile` (streamed); errors, redirects and HEAD go to `respond`. Without
  // `respondFile` the file is answered from memory (in-process callers, fuzzing).
  void handle(const HttpRequest& request, const Respond& respond, const RespondFile& respondFile = nullptr) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;  // canonical absolute path, no trailing slash
  FileDigests digests_;
};

// "application/wasm" for "x.wasm", ...; "application/octet-stream" when unknown.
std::string_view mimeTypeOf(std::string_view path);

}  // namespace confhost
