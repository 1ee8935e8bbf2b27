#pragma once
// The HTTP port on the browser: web/confhost_glue.js runs fetch() and hands back every answer, 2xx or
// not, with its headers (Location, ETag, Link) and body, JSON-encoded. A transport failure comes back as
// status 0 with networkError. Answers for a cancelled request are dropped.
#include <functional>
#include <map>
#include <string>

#include "core/protocol/http_message.hpp"

namespace confhost {

class FetchHttpClient {
 public:
  using Callback = std::function<void(HttpResponseMessage)>;

  // Sends the request; `done` gets the response carrying the caller's request.requestId. Returns a
  // ticket for cancel().
  int send(const HttpRequestMessage& request, Callback done);
  void cancel(int ticket);
  // From the glue: {"requestId": ticket, "status", "headers": [[name, value]...], "body", "networkError"}.
  void deliver(const std::string& json);

 private:
  struct Pending {
    int callerRequestId = 0;
    Callback done;
  };
  std::map<int, Pending> pending_;
  int nextTicket_ = 1;
};

}  // namespace confhost
