#include "app/platform/fetch_http_client.hpp"

#include <nlohmann/json.hpp>

extern "C" void confhost_http_request(int requestId, const char* method, const char* url,
                                      const char* headersJson, const char* body);

namespace confhost {

int FetchHttpClient::send(const HttpRequestMessage& request, Callback done) {
  const int ticket = nextTicket_++;
  pending_[ticket] = Pending{request.requestId, std::move(done)};
  nlohmann::json headers = nlohmann::json::array();
  for (const HttpHeader& h : request.headers) headers.push_back({h.name, h.value});
  confhost_http_request(ticket, request.method.c_str(), request.url.c_str(), headers.dump().c_str(),
                        request.body.c_str());
  return ticket;
}

void FetchHttpClient::cancel(int ticket) { pending_.erase(ticket); }

void FetchHttpClient::deliver(const std::string& json) {
  const nlohmann::json answer = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object() || !answer.contains("requestId")) return;
  auto it = pending_.find(answer.value("requestId", 0));
  if (it == pending_.end()) return;
  Pending pending = std::move(it->second);
  pending_.erase(it);

  HttpResponseMessage response;
  response.requestId = pending.callerRequestId;
  response.status = answer.value("status", 0);
  response.body = answer.value("body", "");
  response.networkError = answer.value("networkError", "");
  if (auto headers = answer.find("headers"); headers != answer.end() && headers->is_array()) {
    for (const auto& pair : *headers) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
        response.headers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  }
  if (pending.done) pending.done(std::move(response));
}

}  // namespace confhost
