#pragma once
// Every live HTTP and WebSocket session, so a shutdown can close them all (WebSockets with a proper
// close frame) instead of leaving the io_context waiting on idle keep-alive reads. It also counts them
// per client address, for the Listener's connection quotas (--max-connections,
// --max-connections-per-ip).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace confhost {

struct Closable {
  virtual ~Closable() = default;
  virtual void shutdown() = 0;  // polite: WebSockets send a close frame
  virtual void abort() = 0;     // now: the TCP connection is closed, pending operations fail
};

class ConnectionSet {
 public:
  // `peer` is the client as "address:port" (or just the address); "" when unknown.
  void add(const std::shared_ptr<Closable>& c, std::string_view peer = {});
  void remove(Closable* c);
  // Called when the last session goes away (shutdown waits for this).
  void setOnEmpty(std::function<void()> f) { onEmpty_ = std::move(f); }
  std::size_t size() const { return live_.size(); }
  // Live sessions from that client address ("127.0.0.1", "::1").
  std::size_t countFrom(const std::string& address) const;
  void shutdownAll();
  void abortAll();

  // "127.0.0.1:5555" → "127.0.0.1", "::1:5555" → "::1" (what Asio's to_string + ":" + port gives).
  static std::string addressOf(std::string_view peer);

 private:
  struct Entry {
    std::weak_ptr<Closable> session;
    std::string address;
  };
  std::unordered_map<Closable*, Entry> live_;
  std::unordered_map<std::string, std::size_t> perAddress_;
  std::function<void()> onEmpty_;
};

}  // namespace confhost
