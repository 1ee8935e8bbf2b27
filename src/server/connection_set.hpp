#pragma once
// Every live HTTP and WebSocket session, so a shutdown can close them all (WebSockets with a proper
// close frame) instead of leaving the io_context waiting on idle keep-alive reads.
#include <functional>
#include <memory>
#include <unordered_map>

namespace confhost {

struct Closable {
  virtual ~Closable() = default;
  virtual void shutdown() = 0;  // polite: WebSockets send a close frame
  virtual void abort() = 0;     // now: the TCP connection is closed, pending operations fail
};

class ConnectionSet {
 public:
  void add(const std::shared_ptr<Closable>& c) { live_[c.get()] = c; }
  void remove(Closable* c) {
    if (live_.erase(c) && live_.empty() && onEmpty_) onEmpty_();
  }
  // Called when the last session goes away (shutdown waits for this).
  void setOnEmpty(std::function<void()> f) { onEmpty_ = std::move(f); }
  std::size_t size() const { return live_.size(); }
  void shutdownAll();
  void abortAll();

 private:
  std::unordered_map<Closable*, std::weak_ptr<Closable>> live_;
  std::function<void()> onEmpty_;
};

}  // namespace confhost
