#include "server/net/send_budget.hpp"

namespace confhost {

void SendBudget::hold(const std::string* buffer) {
  if (holders_[buffer]++ == 0) total_ += buffer->size();
}

void SendBudget::release(const std::string* buffer) {
  const auto it = holders_.find(buffer);
  if (it == holders_.end()) return;
  if (--it->second == 0) {
    total_ -= buffer->size();
    holders_.erase(it);
  }
}

std::size_t SendBudget::enforce() {
  std::size_t evicted = 0;
  while (total_ > limit_ && !queues_.empty()) {
    Queue* largest = nullptr;
    for (Queue* q : queues_)
      if (!largest || q->queuedBytes() > largest->queuedBytes()) largest = q;
    if (largest->queuedBytes() == 0) break;  // what remains is being written: nothing left to drop
    queues_.erase(largest);
    largest->evictForBudget();
    ++evicted;
  }
  return evicted;
}

SendBudget& webSocketSendBudget() {
  static SendBudget budget(64u * 1024 * 1024);
  return budget;
}

}  // namespace confhost
