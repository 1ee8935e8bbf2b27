#pragma once
// Serves the web build from --web-root: GET and HEAD only, index.html for directories, the right MIME
// type (application/wasm for streaming compilation), no directory listings, and nothing outside the
// root — `..` segments (raw or percent-encoded), encoded slashes, NUL bytes and symlinks that lead out
// are all refused.
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace confhost {

class StaticFiles {
 public:
  explicit StaticFiles(std::string webRoot);

  void handle(const HttpRequest& request, const Respond& respond) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;  // canonical absolute path, no trailing slash
};

// "application/wasm" for "x.wasm", ...; "application/octet-stream" when unknown.
std::string_view mimeTypeOf(std::string_view path);

}  // namespace confhost
