#include "server/streammanager/stream_manager_api.hpp"

#include <boost/beast/http.hpp>

#include "server/security/access_token.hpp"
#include "server/logging/log.hpp"
#include "core/protocol/names.hpp"
#include "core/protocol/query_string.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"

namespace confhost {

namespace http = beast::http;
using json = nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "/streammanager/api/4.0/";

void answer(const HttpRequest& request, const Respond& respond, http::status status, const json& body) {
  respond(makeResponse(request, status, body.dump()));
}

void fail(const HttpRequest& request, const Respond& respond, http::status status, const std::string& reason) {
  respond(jsonError(request, status, reason, "errorMessage"));
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

StreamManagerApi::StreamManagerApi(StreamManagerSettings settings, Compositions& compositions,
                                   const StreamRegistry& streams, const StreamEvents& events)
    : settings_(std::move(settings)), compositions_(compositions), streams_(streams), events_(events) {}

bool StreamManagerApi::authorized(const HttpRequest& request) const {
  return carriesAccessToken(request, settings_.accessToken);
}

Status StreamManagerApi::storeProvision(const std::string& guid, json value) {
  const std::size_t size = value.dump().size();
  if (size > settings_.maxProvisionBytes)
    return Error{guid, std::to_string(size) + " bytes is over the " + std::to_string(settings_.maxProvisionBytes) +
                           "-byte limit of one provision"};
  const auto old = provisionBytes_.find(guid);
  const std::size_t replaced = old == provisionBytes_.end() ? 0 : old->second;
  if (old == provisionBytes_.end() && provisionBytes_.size() >= settings_.maxProvisions)
    return Error{"", "the stack already stores " + std::to_string(provisionBytes_.size()) + " provisions, the limit"};
  if (storedBytes_ - replaced + size > settings_.maxProvisionStoreBytes)
    return Error{"", "the provision store is full (" + std::to_string(storedBytes_) + " of " +
                         std::to_string(settings_.maxProvisionStoreBytes) + " bytes)"};
  storedBytes_ = storedBytes_ - replaced + size;
  provisionBytes_[guid] = size;
  provisions_[guid] = std::move(value);
  return {};
}

json StreamManagerApi::origin(const std::string& scope, const std::string& name) const {
  return json{{"serverAddress", settings_.serverAddress}, {"scope", scope}, {"name", name}, {"region", settings_.region}};
}

void StreamManagerApi::handle(const HttpRequest& request, const Respond& respond) {
  const std::string path = targetPath(request.target());
  if (!startsWith(path, kPrefix))
    return fail(request, respond, http::status::not_found, "path: only /streammanager/api/4.0/ is served here");
  const std::string rest = percentDecode(path.substr(kPrefix.size()), /*plusIsSpace=*/false);
  const bool get = request.method() == http::verb::get;
  const bool post = request.method() == http::verb::post;

  if (rest == "event/list") {
    if (!get) return fail(request, respond, http::status::method_not_allowed, "method: use GET");
    if (!authorized(request))
      return fail(request, respond, http::status::unauthorized, "accessToken: missing or wrong");
    json list = json::array();
    for (const auto& s : streams_.all()) {
      json entry = origin(s.scope, s.name);
      entry["type"] = "origin";
      list.push_back(std::move(entry));
    }
    return answer(request, respond, http::status::ok, list);
  }
  if (startsWith(rest, "event/")) return handleEvent(request, respond, rest.substr(6));

  if (rest == "composition" || startsWith(rest, "composition/")) {
    if (!authorized(request))
      return fail(request, respond, http::status::unauthorized, "accessToken: missing or wrong");
    return handleComposition(request, respond, rest == "composition" ? "" : rest.substr(12));
  }

  if (startsWith(rest, "admin/")) {
    if (!authorized(request))
      return fail(request, respond, http::status::unauthorized, "accessToken: missing or wrong");
    if (rest == "admin/nodegroup") {
      if (!get) return fail(request, respond, http::status::method_not_allowed, "method: use GET");
      return answer(request, respond, http::status::ok,
                    json::array({json{{"name", settings_.region + "-nodegroup"}, {"regions", {settings_.region}}}}));
    }
    if (startsWith(rest, "admin/event/meta/")) {
      const std::string guid = rest.substr(17);
      if (auto e = validateName("guid", guid); !e) return fail(request, respond, http::status::bad_request, e.error().message());
      if (get) {
        if (!provisions_.contains(guid))
          return fail(request, respond, http::status::not_found, "no metadata for " + guid);
        return answer(request, respond, http::status::ok, provisions_[guid]);
      }
      if (!post) return fail(request, respond, http::status::method_not_allowed, "method: use POST or GET");
      json body = json::parse(request.body(), nullptr, false);
      if (body.is_discarded()) return fail(request, respond, http::status::bad_request, "body: malformed JSON");
      if (body.dump().size() > settings_.maxProvisionBytes)
        return fail(request, respond, http::status::payload_too_large,
                    "body: over the " + std::to_string(settings_.maxProvisionBytes) + "-byte limit of one provision");
      if (auto stored = storeProvision(guid, body); !stored)
        return fail(request, respond, http::status::too_many_requests, stored.error().message());
      logInfo("streammanager", "stored metadata for " + guid);
      return answer(request, respond, http::status::ok, json{{"guid", guid}, {"meta", body}});
    }
  }
  fail(request, respond, http::status::not_found, "no such Stream Manager resource: " + rest);
}

void StreamManagerApi::handleEvent(const HttpRequest& request, const Respond& respond, const std::string& rest) {
  if (request.method() != http::verb::get) return fail(request, respond, http::status::method_not_allowed, "method: use GET");
  const auto slash = rest.rfind('/');
  if (slash == std::string::npos || slash == 0)
    return fail(request, respond, http::status::bad_request, "path: expected event/<scope>/<stream>");
  const std::string scope = rest.substr(0, slash);
  const std::string name = rest.substr(slash + 1);
  if (auto e = validateName("scope", scope); !e) return fail(request, respond, http::status::bad_request, e.error().message());
  if (name == "join") return answer(request, respond, http::status::ok, origin(scope, "join"));
  if (auto e = validateName("stream", name); !e) return fail(request, respond, http::status::bad_request, e.error().message());

  const QueryParams params = parseQueryParams(targetQuery(request.target()));
  const std::string action = params.get("action").value_or("");
  if (action == "broadcast") {
    if (events_.isBanned(scope, name))
      return fail(request, respond, http::status::forbidden,
                  "stream: '" + name + "' is excluded from " + conferenceScopeOf(scope));
    return answer(request, respond, http::status::ok, origin(scope, name));
  }
  if (action == "subscribe") {
    if (!streams_.contains(scope, name))
      return fail(request, respond, http::status::not_found, "stream " + scope + "/" + name + " is not publishing");
    return answer(request, respond, http::status::ok, origin(scope, name));
  }
  fail(request, respond, http::status::bad_request,
       action.empty() ? "action: missing (broadcast or subscribe)" : "action: unknown '" + action + "' (broadcast or subscribe)");
}

void StreamManagerApi::handleComposition(const HttpRequest& request, const Respond& respond, const std::string& event) {
  const auto method = request.method();
  if (event.empty()) {
    if (method == http::verb::get) {
      json list = json::array();
      for (const auto& c : compositions_.all()) list.push_back(toJson(c));
      return answer(request, respond, http::status::ok, list);
    }
    if (method != http::verb::post)
      return fail(request, respond, http::status::method_not_allowed, "method: use POST to create, GET to list");
    const json body = json::parse(request.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return fail(request, respond, http::status::bad_request, "body: must be a JSON object (a composition request)");
    const auto parsed = compositionRequestFromJson(body);
    if (!parsed) return fail(request, respond, http::status::bad_request, parsed.error().message());
    if (auto quota = compositions_.quotaRefusal(*parsed); !quota)
      return fail(request, respond, http::status::too_many_requests, quota.error().message());
    if (compositions_.find(parsed->event))
      return fail(request, respond, http::status::conflict, "event: a composition named '" + parsed->event + "' already exists");
    const auto created = compositions_.create(*parsed, "");
    if (!created) return fail(request, respond, http::status::bad_request, created.error().message());
    return answer(request, respond, http::status::ok, toJson(*created));
  }
  if (method == http::verb::get) {
    const auto found = compositions_.find(event);
    if (!found) return fail(request, respond, http::status::not_found, "no composition named '" + event + "'");
    return answer(request, respond, http::status::ok, toJson(*found));
  }
  if (method == http::verb::delete_) {
    const auto destroyed = compositions_.destroy(event);
    if (!destroyed) return fail(request, respond, http::status::not_found, "no composition named '" + event + "'");
    return answer(request, respond, http::status::ok, toJson(*destroyed));
  }
  fail(request, respond, http::status::method_not_allowed, "method: use GET or DELETE on composition/<event>");
}

void StreamManagerApi::handleCluster(const HttpRequest& request, const Respond& respond) {
  if (!authorized(request)) return fail(request, respond, http::status::unauthorized, "accessToken: missing or wrong");
  const QueryParams params = parseQueryParams(targetQuery(request.target()));
  const std::string action = params.get("action").value_or("");
  if (action != "provision.create")
    return fail(request, respond, http::status::bad_request,
                action.empty() ? "action: missing (provision.create)" : "action: unknown '" + action + "'");
  if (request.method() != http::verb::post) return fail(request, respond, http::status::method_not_allowed, "method: use POST");
  const json body = json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !(body.is_object() || body.is_array()))
    return fail(request, respond, http::status::bad_request, "body: must be a provision object or an array of them");
  const json list = body.is_array() ? body : json::array({body});
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& p = list[i];
    if (!p.is_object() || !p.contains("guid") || !p["guid"].is_string())
      return fail(request, respond, http::status::bad_request, "[" + std::to_string(i) + "].guid: missing or not a string");
  }
  // All or nothing: a list that does not fit is refused before any of it is stored.
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::size_t size = list[i].dump().size();
    if (size > settings_.maxProvisionBytes)
      return fail(request, respond, http::status::payload_too_large,
                  "[" + std::to_string(i) + "]: " + std::to_string(size) + " bytes is over the " +
                      std::to_string(settings_.maxProvisionBytes) + "-byte limit of one provision");
    bytes += size;
  }
  if (list.size() > settings_.maxProvisions || bytes > settings_.maxProvisionStoreBytes - storedBytes_ ||
      provisionBytes_.size() + list.size() > settings_.maxProvisions)
    return fail(request, respond, http::status::too_many_requests,
                "the provision store is full: " + std::to_string(provisionBytes_.size()) + " of " +
                    std::to_string(settings_.maxProvisions) + " provisions, " + std::to_string(storedBytes_) + " of " +
                    std::to_string(settings_.maxProvisionStoreBytes) + " bytes");
  for (const json& p : list)
    if (auto stored = storeProvision(p["guid"].get<std::string>(), p); !stored)
      return fail(request, respond, http::status::too_many_requests, stored.error().message());
  logInfo("streammanager", "stored " + std::to_string(list.size()) + " provision(s)");
  answer(request, respond, http::status::ok, list);
}

}  // namespace confhost
