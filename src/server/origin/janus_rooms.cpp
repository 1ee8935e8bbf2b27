#include "server/origin/janus_rooms.hpp"

#include <algorithm>

#include "server/logging/log.hpp"

namespace confhost {

JanusRooms::JanusRooms(boost::asio::io_context& io, std::shared_ptr<JanusClient> janus, Options options,
                       std::function<bool(const std::string&)> inUse)
    : io_(io), janus_(std::move(janus)), options_(options), inUse_(std::move(inUse)) {}

JanusRooms::~JanusRooms() { *alive_ = false; }

bool JanusRooms::admits(const std::string& scope) const {
  return scopes_.count(scope) > 0 || scopes_.size() < options_.maxScopes;
}

void JanusRooms::enter(const std::string& scope, const std::string& plugin, std::function<void()> then) {
  Scope& s = scopes_[scope];
  if (s.idleTimer) s.idleTimer->cancel();
  if (std::find(s.plugins.begin(), s.plugins.end(), plugin) == s.plugins.end()) s.plugins.push_back(plugin);
  if (s.destroying) return s.waiting.push_back(std::move(then));
  then();
}

void JanusRooms::idle(const std::string& scope) {
  auto it = scopes_.find(scope);
  if (it == scopes_.end() || it->second.destroying) return;
  Scope& s = it->second;
  if (!s.idleTimer) s.idleTimer = std::make_unique<boost::asio::steady_timer>(io_);
  s.idleTimer->expires_after(options_.idleTimeout);
  std::weak_ptr<bool> alive = alive_;
  s.idleTimer->async_wait([this, alive, scope](boost::system::error_code ec) {
    if (ec || !alive.lock()) return;
    if (!inUse_(scope)) destroy(scope);
  });
}

void JanusRooms::destroy(const std::string& scope) {
  auto it = scopes_.find(scope);
  if (it == scopes_.end()) return;
  it->second.destroying = true;
  logInfo("proxy", "destroying the idle origin rooms of " + scope);
  destroyNext(scope, it->second.plugins);
}

// One plugin at a time: attach a handle, ask for the room's destruction, detach.
void JanusRooms::destroyNext(const std::string& scope, std::vector<std::string> plugins) {
  if (plugins.empty() || !janus_->connected()) return destroyed(scope);
  const std::string plugin = plugins.back();
  plugins.pop_back();
  std::weak_ptr<bool> alive = alive_;
  janus_->attach(
      plugin, [](const nlohmann::json&) {},
      [this, alive, scope, plugin, plugins](Expected<JanusClient::HandleId> h) {
        if (!alive.lock()) return;
        if (!h) return destroyed(scope);
        const auto handle = h.value();
        janus_->message(handle, nlohmann::json{{"request", "destroy"}, {"room", scope}}, std::nullopt,
                        [this, alive, scope, plugin, plugins, handle](Expected<nlohmann::json> r) {
                          if (!alive.lock()) return;
                          janus_->detach(handle);
                          // No such room: it was never created, or Janus restarted.
                          const int code = r ? 0 : r.error().janusCode;
                          if (!r && code != janus::kVideoRoomNoSuchRoom && code != janus::kAudioBridgeNoSuchRoom)
                            logWarn("proxy", "destroying room " + scope + " (" + plugin + "): " + r.error().message());
                          destroyNext(scope, plugins);
                        });
      });
}

void JanusRooms::destroyed(const std::string& scope) {
  auto it = scopes_.find(scope);
  if (it == scopes_.end()) return;
  auto waiting = std::move(it->second.waiting);
  it->second.waiting.clear();
  it->second.destroying = false;
  // Sessions that arrived meanwhile create the rooms again (the scope stays counted for them).
  if (waiting.empty()) scopes_.erase(it);
  for (auto& then : waiting) then();
}

void JanusRooms::forgetAll() {
  std::vector<std::string> names;
  for (const auto& [name, s] : scopes_) names.push_back(name);
  for (const auto& name : names) destroyed(name);
}

nlohmann::json JanusRooms::debugJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, s] : scopes_) list.push_back({{"scope", name}, {"plugins", s.plugins}, {"destroying", s.destroying}});
  return nlohmann::json{{"count", scopes_.size()}, {"max", options_.maxScopes}, {"list", list}};
}

}  // namespace confhost
