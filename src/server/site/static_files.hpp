#pragma once
// Serves the web build from --web-root: GET and HEAD only, index.html for directories, the right MIME
// type (application/wasm for streaming compilation), no directory listings, and nothing outside the
// root — `..` segments (raw or percent-encoded), encoded slashes, NUL bytes and symlinks that lead out
// are all refused. Files are streamed from disk (Beast's file_body), never read whole into memory, so a
// large asset costs a buffer per connection, not its size.
#include <boost/beast/http/file_body.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "server/net/http_types.hpp"

namespace confhost {

using FileResponse = beast::http::response<beast::http::file_body>;
using RespondFile = std::function<void(FileResponse)>;

class StaticFiles {
 public:
  explicit StaticFiles(std::string webRoot);

  // A found file goes to `respondFile` (streamed); errors, redirects and HEAD go to `respond`. Without
  // `respondFile` the file is answered from memory (in-process callers, fuzzing).
  void handle(const HttpRequest& request, const Respond& respond, const RespondFile& respondFile = nullptr) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;  // canonical absolute path, no trailing slash
};

// "application/wasm" for "x.wasm", ...; "application/octet-stream" when unknown.
std::string_view mimeTypeOf(std::string_view path);

}  // namespace confhost
