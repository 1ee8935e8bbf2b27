#pragma once
// The bytes waiting in every WebSocket send queue of the process, against one budget
// (--ws-send-budget-mb). A room's broadcast is one buffer shared by all its sockets, so a buffer is
// counted once however many queues hold it: the total is the memory really held, not a multiple.
// When a send takes the total over the budget, the queues that hold the most (the slowest readers)
// are asked to give up, largest first, until the total fits again.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace confhost {

class SendBudget {
 public:
  struct Queue {  // one WebSocket's send queue, as the budget sees it
    virtual ~Queue() = default;
    virtual std::size_t queuedBytes() const = 0;
    // Drop everything not yet being written (releasing it here) and close; the queue leaves the
    // budget's candidates.
    virtual void evictForBudget() = 0;
  };

  explicit SendBudget(std::size_t limitBytes) : limit_(limitBytes) {}
  void setLimit(std::size_t limitBytes) { limit_ = limitBytes; }
  std::size_t limit() const { return limit_; }
  std::size_t total() const { return total_; }

  void join(Queue* queue) { queues_.insert(queue); }
  void leave(Queue* queue) { queues_.erase(queue); }

  // `buffer` was queued on one more socket / left one socket's queue.
  void hold(const std::string* buffer);
  void release(const std::string* buffer);

  // Evicts the largest queues while the total is over the limit. Returns how many were evicted.
  std::size_t enforce();

 private:
  std::size_t limit_;
  std::size_t total_ = 0;
  std::unordered_map<const std::string*, std::size_t> holders_;
  std::unordered_set<Queue*> queues_;
};

// The process's budget (one io_context thread: no locking). main sets the limit from the flag.
SendBudget& webSocketSendBudget();

}  // namespace confhost
