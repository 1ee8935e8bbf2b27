#include "connection_set.hpp"

#include <vector>

namespace confhost {

namespace {
// Copied first: a session's shutdown may remove it from the set.
std::vector<std::shared_ptr<Closable>> liveOnes(const std::unordered_map<Closable*, std::weak_ptr<Closable>>& live) {
  std::vector<std::shared_ptr<Closable>> all;
  for (auto& [raw, weak] : live)
    if (auto strong = weak.lock()) all.push_back(std::move(strong));
  return all;
}
}  // namespace

void ConnectionSet::shutdownAll() {
  for (auto& c : liveOnes(live_)) c->shutdown();
}

void ConnectionSet::abortAll() {
  for (auto& c : liveOnes(live_)) c->abort();
}

}  // namespace confhost
