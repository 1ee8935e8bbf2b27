#pragma once
// The subset of the Red5 Pro Stream Manager 4.0 HTTP API the product uses, answered by the
// local stack. Paths (under /streammanager/api/4.0/):
//   GET  event/list?accessToken=T                    → [{scope, name, type, serverAddress, region}]
//   GET  event/<scope>/<stream>?action=broadcast     → {serverAddress, scope, name, region}
//   GET  event/<scope>/<stream>?action=subscribe     → same, or 404 {errorMessage} when not publishing
//   GET  event/<scope>/join                          → the origin for a conference participant
//   GET  admin/nodegroup?accessToken=T               → [{name, regions[]}]
//   POST admin/event/meta/<scope>/<stream>?accessToken=T   (any JSON; stored)
//   POST composition?accessToken=T                   → the composition {event, mixers[] with id, state}
//   GET  composition?accessToken=T                   → every composition
//   GET / DELETE composition/<event>?accessToken=T
// and POST /cluster/api?action=provision.create&accessToken=T (stored).
// event/list, admin, composition and cluster calls need the access token (query `accessToken` or
// `Authorization: Bearer`); otherwise 401 {errorMessage}. Stored provisions are capped (count, bytes
// each, bytes in all): over that, 429 {errorMessage}; so is a composition over a quota. Every other
// failure is {errorMessage} with a 4xx status naming the problem.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "server/streammanager/compositions.hpp"
#include "server/net/http_types.hpp"
#include "server/conference/stream_events.hpp"
#include "server/conference/stream_registry.hpp"

namespace confhost {

struct StreamManagerSettings {
  std::string accessToken;       // --sm-token
  std::string region = "local";  // --region
  std::string serverAddress;     // the origin address clients are told to use (the public host)
  // Provisions and event metadata are kept until restart: bounded, so nobody can park megabytes here.
  std::size_t maxProvisions = 1000;
  std::size_t maxProvisionBytes = 16 * 1024;           // one provision, as JSON
  std::size_t maxProvisionStoreBytes = 2 * 1024 * 1024;  // all of them together
};

class StreamManagerApi {
 public:
  StreamManagerApi(StreamManagerSettings settings, Compositions& compositions, const StreamRegistry& streams,
                   const StreamEvents& events);

  void handle(const HttpRequest& request, const Respond& respond);         // /streammanager/...
  void handleCluster(const HttpRequest& request, const Respond& respond);  // /cluster/api

  const nlohmann::json& provisions() const { return provisions_; }

 private:
  void handleEvent(const HttpRequest& request, const Respond& respond, const std::string& rest);
  void handleComposition(const HttpRequest& request, const Respond& respond, const std::string& rest);
  bool authorized(const HttpRequest& request) const;
  nlohmann::json origin(const std::string& scope, const std::string& name) const;
  // Stores or replaces one provision within the caps; otherwise the reason, and nothing changes.
  Status storeProvision(const std::string& guid, nlohmann::json value);

  StreamManagerSettings settings_;
  Compositions& compositions_;
  const StreamRegistry& streams_;
  const StreamEvents& events_;
  nlohmann::json provisions_ = nlohmann::json::object();  // guid → provision / metadata
  std::map<std::string, std::size_t> provisionBytes_;       // guid → its size as JSON
  std::size_t storedBytes_ = 0;
};

}  // namespace confhost
