#pragma once
// SHA-256 of the files the static server sends, computed once per file content: a file is hashed on
// first use (or when StaticFiles primes the web root at start) and again only when its size or
// modification time changed, so a rebuild while the server runs gets new entity tags at once.
// Safe to call from several threads.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace confhost {

class FileDigests {
 public:
  // Lower-case hex, or nullopt when the file cannot be read.
  std::optional<std::string> sha256Hex(const std::filesystem::path& file) const;

 private:
  struct Entry {
    std::uintmax_t size;
    std::filesystem::file_time_type modified;
    std::string hex;
  };
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry> entries_;  // by canonical path; bounded by the files served
};

}  // namespace confhost
