#pragma once
// Which streams are publishing right now, by scope, in the order they started. Fed by StreamEvents
// (the proxy and /webhook) through ConferenceApi; read by the Stream Manager API's event list and
// subscribe lookups.
#include <string>
#include <utility>
#include <vector>

namespace confhost {

struct PublishedStream {
  std::string scope;
  std::string name;
};

class StreamRegistry {
 public:
  bool add(const std::string& scope, const std::string& name);     // false when already there
  bool remove(const std::string& scope, const std::string& name);  // false when unknown
  bool contains(const std::string& scope, const std::string& name) const;
  const std::vector<PublishedStream>& all() const { return streams_; }
  std::vector<std::string> namesIn(const std::string& scope) const;
  std::size_t countIn(const std::string& scope) const;
  std::size_t size() const { return streams_.size(); }

 private:
  std::vector<PublishedStream> streams_;
};

}  // namespace confhost
