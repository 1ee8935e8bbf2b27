#include "server/net/connection_set.hpp"

#include <vector>

namespace confhost {

namespace {
// Copied first: a session's shutdown may remove it from the set.
template <class Map>
std::vector<std::shared_ptr<Closable>> liveOnes(const Map& live) {
  std::vector<std::shared_ptr<Closable>> all;
  for (auto& [raw, entry] : live)
    if (auto strong = entry.session.lock()) all.push_back(std::move(strong));
  return all;
}
}  // namespace

std::string ConnectionSet::addressOf(std::string_view peer) {
  const auto colon = peer.rfind(':');
  // A bare IPv4 address has no colon; a bare IPv6 one is not what sessions pass (they add the port).
  if (colon == std::string_view::npos) return std::string(peer);
  return std::string(peer.substr(0, colon));
}

void ConnectionSet::add(const std::shared_ptr<Closable>& c, std::string_view peer) {
  std::string address = peer.empty() ? std::string() : addressOf(peer);
  auto [it, inserted] = live_.try_emplace(c.get(), Entry{c, address});
  if (!inserted) return;
  if (!address.empty()) ++perAddress_[address];
}

void ConnectionSet::remove(Closable* c) {
  const auto it = live_.find(c);
  if (it == live_.end()) return;
  if (!it->second.address.empty()) {
    const auto count = perAddress_.find(it->second.address);
    if (count != perAddress_.end() && --count->second == 0) perAddress_.erase(count);
  }
  live_.erase(it);
  if (live_.empty() && onEmpty_) onEmpty_();
}

std::size_t ConnectionSet::countFrom(const std::string& address) const {
  const auto it = perAddress_.find(address);
  return it == perAddress_.end() ? 0 : it->second;
}

void ConnectionSet::shutdownAll() {
  for (auto& c : liveOnes(live_)) c->shutdown();
}

void ConnectionSet::abortAll() {
  for (auto& c : liveOnes(live_)) c->abort();
}

}  // namespace confhost
