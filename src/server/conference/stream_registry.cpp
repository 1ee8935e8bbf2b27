#include "server/conference/stream_registry.hpp"

#include <algorithm>

namespace confhost {

bool StreamRegistry::add(const std::string& scope, const std::string& name) {
  if (contains(scope, name)) return false;
  streams_.push_back({scope, name});
  return true;
}

bool StreamRegistry::remove(const std::string& scope, const std::string& name) {
  const auto it = std::find_if(streams_.begin(), streams_.end(),
                               [&](const PublishedStream& s) { return s.scope == scope && s.name == name; });
  if (it == streams_.end()) return false;
  streams_.erase(it);
  return true;
}

bool StreamRegistry::contains(const std::string& scope, const std::string& name) const {
  return std::any_of(streams_.begin(), streams_.end(),
                     [&](const PublishedStream& s) { return s.scope == scope && s.name == name; });
}

std::vector<std::string> StreamRegistry::namesIn(const std::string& scope) const {
  std::vector<std::string> out;
  for (const auto& s : streams_)
    if (s.scope == scope) out.push_back(s.name);
  return out;
}

std::size_t StreamRegistry::countIn(const std::string& scope) const {
  return static_cast<std::size_t>(
      std::count_if(streams_.begin(), streams_.end(), [&](const PublishedStream& s) { return s.scope == scope; }));
}

}  // namespace confhost
