#include "server/conference/conference_api.hpp"

#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "server/logging/log.hpp"
#include "core/protocol/names.hpp"
#include "core/protocol/query_string.hpp"
#include "server/security/random_token.hpp"
#include "server/net/router.hpp"
#include "server/conference/webhook_credential.hpp"
#include "server/conference/webhook_notice.hpp"

namespace confhost {

namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

std::shared_ptr<const std::string> frame(const ServerMessage& message) {
  return std::make_shared<const std::string>(serialize(message));
}

bool isTrue(const std::optional<std::string>& v) { return v && (*v == "true" || *v == "1"); }

std::string describe(const std::string& room, bool host, bool mixer, const std::string& peer) {
  return std::string(mixer ? "mixer" : host ? "host" : "participant") + " socket " + peer + " room=" + room;
}

}  // namespace

ConferenceApi::ConferenceApi(ConferenceSettings settings, Compositions& compositions, StreamRegistry& streams)
    : settings_(std::move(settings)), compositions_(compositions), streams_(streams) {
  compositions_.setListener([this](const std::set<std::string>& scopes) {
    for (const auto& scope : scopes) pushCompositions(scope);
  });
}

// ---- sockets ------------------------------------------------------------------------------------

void ConferenceApi::opened(const std::shared_ptr<WsConnection>& connection, const HttpRequest& request) {
  const QueryParams params = parseQueryParams(targetQuery(request.target()));
  Socket socket;
  socket.connection = connection;
  socket.host = isTrue(params.get("host"));
  socket.mixer = isTrue(params.get("mixer"));
  socket.mixerId = params.get("mixerId").value_or("");
  socket.room = params.get("room").value_or("");
  // Being a composition's mixer moves its state: only the page launched with that mixer's secret may.
  std::string mixerRefusal;
  if (socket.mixer && !socket.mixerId.empty() && compositions_.isKnownMixer(socket.mixerId) &&
      !compositions_.mixerSecretMatches(socket.mixerId, params.get("mixerSecret").value_or(""))) {
    mixerRefusal = "mixerSecret: missing or wrong for mixer '" + socket.mixerId +
                   "'; this socket is a plain listener, not that mixer";
    socket.mixer = false;
    socket.mixerId.clear();
  }
  // A mixer page may omit the room: its composition knows where it mixes.
  if (socket.room.empty() && !socket.mixerId.empty())
    if (auto path = compositions_.mixerPath(socket.mixerId)) socket.room = *path;

  if (auto problem = validateName("room", socket.room); !problem) {
    const std::string text = problem.error().message();
    logInfo("conference", "refused socket " + connection->peer() + ": " + text);
    connection->send(frame(ErrorReply{text}));
    connection->close(websocket::close_code::policy_error, text);
    return;
  }
  socket.scope = conferenceScopeOf(socket.room);
  if (const auto it = byScope_.find(socket.scope);
      it != byScope_.end() && it->second.size() >= settings_.maxSocketsPerRoom) {
    const std::string text = "room: conference " + socket.scope + " already has " +
                             std::to_string(it->second.size()) + " sockets, the limit (--max-sockets-per-room)";
    logWarn("conference", "refused socket " + connection->peer() + ": " + text);
    connection->send(frame(ErrorReply{text}));
    connection->close(websocket::close_code::try_again_later, text);
    return;
  }

  const auto token = params.get("hostToken");
  socket.authorized = settings_.openHost || (token && tokensEqual(*token, settings_.hostToken));
  logInfo("conference", describe(socket.room, socket.host, socket.mixer, connection->peer()) + " opened" +
                            (socket.authorized ? " (host credential ok)" : ""));

  WsConnection* key = connection.get();
  auto& inserted = sockets_[key] = std::move(socket);
  byScope_[inserted.scope].push_back(key);
  Socket& s = inserted;
  ConferenceRoom& room = roomOf(s.scope);

  if (token && !s.authorized)
    replyError(s, "hostToken: not valid for this server; this socket may listen but not change the room");
  if (!mixerRefusal.empty()) {
    logWarn("conference", "socket " + key->peer() + ": " + mixerRefusal);
    replyError(s, mixerRefusal);
  }
  reply(s, MixerRegions{settings_.regions});
  reply(s, room.activeMessage(s.room));
  reply(s, room.conferenceMessage());
  reply(s, room.excludedMessage());  // a participant that reconnects must learn it was excluded
  if (s.host || s.mixer) reply(s, compositionsMessage(s.room, s.scope));
  if (s.host && s.room == s.scope) reply(s, room.talkingMessage());
  if (s.mixer && !s.mixerId.empty()) {
    if (compositions_.isKnownMixer(s.mixerId))
      compositions_.mixerSocketOpened(s.mixerId);
    else
      logWarn("conference", "mixer socket " + key->peer() + " names unknown mixerId '" + s.mixerId + "'");
  }
}

void ConferenceApi::closed(WsConnection& connection) {
  const auto it = sockets_.find(&connection);
  if (it == sockets_.end()) return;
  Socket socket = std::move(it->second);
  sockets_.erase(it);
  auto& list = byScope_[socket.scope];
  list.erase(std::remove(list.begin(), list.end(), &connection), list.end());
  if (list.empty()) byScope_.erase(socket.scope);
  logInfo("conference", describe(socket.room, socket.host, socket.mixer, connection.peer()) + " closed");
  if (socket.mixer && !socket.mixerId.empty()) compositions_.mixerSocketClosed(socket.mixerId);
  forgetRoomIfIdle(socket.scope);
}

void ConferenceApi::message(WsConnection& connection, std::string_view data, bool binary) {
  const auto it = sockets_.find(&connection);
  if (it == sockets_.end()) return;
  Socket& socket = it->second;
  if (binary) return replyError(socket, "frame: binary frames are not supported; send JSON text");
  if (data.size() > kMaxConferenceFrame)
    return replyError(socket, "frame: " + std::to_string(data.size()) + " bytes is over the 64 KiB limit");
  const Expected<ClientMessage> parsed = parseClientMessage(data);
  if (!parsed) {
    logDebug("conference", "refused a message from " + connection.peer() + ": " + parsed.error().message());
    return replyError(socket, parsed.error().message());
  }
  handle(socket, *parsed);
}

// ---- messages -----------------------------------------------------------------------------------

bool ConferenceApi::checkRoomCommand(Socket& socket, std::string_view type, const std::string& room) {
  if (!socket.authorized) {
    replyError(socket, "host credential required: " + std::string(type) +
                           " needs a socket opened with a valid hostToken");
    return false;
  }
  if (conferenceScopeOf(room) != socket.scope) {
    replyError(socket, "room: '" + room + "' is not the conference of this socket ('" + socket.scope + "')");
    return false;
  }
  return true;
}

void ConferenceApi::handle(Socket& socket, const ClientMessage& message) {
  const std::string type(typeName(message));
  const auto apply = [&](const std::string& room, const std::string& streamName, auto&& operation) {
    if (!checkRoomCommand(socket, type, room)) return;
    ConferenceRoom& model = roomOf(socket.scope);
    const Expected<RoomChange> change = operation(model);
    if (!change) return replyError(socket, type + " refused: " + change.error().message());
    logInfo("conference", socket.scope + ": " + type + " " + streamName + " by " + socket.connection->peer());
    push(socket.scope, *change);
  };

  if (const auto* m = std::get_if<Promote>(&message)) {
    apply(m->room, m->streamName, [&](ConferenceRoom& r) { return r.promote(m->streamName); });
  } else if (const auto* m = std::get_if<Demote>(&message)) {
    apply(m->room, m->streamName, [&](ConferenceRoom& r) { return r.demote(m->streamName); });
  } else if (const auto* m = std::get_if<Presenter>(&message)) {
    apply(m->room, m->streamName, [&](ConferenceRoom& r) { return r.setPresenter(m->streamName); });
  } else if (const auto* m = std::get_if<Order>(&message)) {
    apply(m->room, m->streamName, [&](ConferenceRoom& r) { return r.order(m->streamName, m->order); });
  } else if (const auto* m = std::get_if<Exclude>(&message)) {
    apply(m->room, m->streamName, [&](ConferenceRoom& r) { return r.exclude(m->streamName); });
  } else if (const auto* m = std::get_if<CreateComposition>(&message)) {
    if (!socket.authorized)
      return replyError(socket, "host credential required: createComposition needs a socket opened with a valid hostToken");
    const auto created = compositions_.create(m->request, socket.scope);
    if (!created) return replyError(socket, "createComposition refused: " + created.error().message());
  } else if (const auto* m = std::get_if<DestroyComposition>(&message)) {
    if (!socket.authorized)
      return replyError(socket, "host credential required: destroyComposition needs a socket opened with a valid hostToken");
    const auto visible = compositions_.visibleTo(socket.scope);
    const bool known = std::any_of(visible.begin(), visible.end(), [&](const Composition& c) { return c.event == m->event; });
    if (!known)
      return replyError(socket, "destroyComposition refused: event: no composition named '" + m->event +
                                    "' in conference '" + socket.scope + "'");
    const auto destroyed = compositions_.destroy(m->event);
    if (!destroyed) return replyError(socket, "destroyComposition refused: " + destroyed.error().message());
  } else if (std::holds_alternative<GetActiveCompositions>(message)) {
    reply(socket, compositionsMessage(socket.room, socket.scope));
  } else if (std::holds_alternative<GetActiveStreams>(message)) {
    reply(socket, ActiveStreams{socket.room, streams_.namesIn(socket.room)});
  }
}

void ConferenceApi::reply(Socket& socket, const ServerMessage& message) { socket.connection->send(frame(message)); }

void ConferenceApi::replyError(Socket& socket, const std::string& error) { reply(socket, ErrorReply{error}); }

// ---- rooms and pushes ---------------------------------------------------------------------------

ConferenceRoom& ConferenceApi::roomOf(const std::string& scope) {
  auto it = rooms_.find(scope);
  if (it == rooms_.end()) it = rooms_.emplace(scope, ConferenceRoom(scope)).first;
  return it->second;
}

void ConferenceApi::forgetRoomIfIdle(const std::string& scope) {
  // Bans persist for the room's lifetime: a room with a ban is never forgotten.
  const auto it = rooms_.find(scope);
  if (it == rooms_.end() || byScope_.count(scope)) return;
  const ConferenceRoom& r = it->second;
  if (r.waiting().empty() && r.scopeActive().empty() && r.conference().empty() && r.excluded().empty())
    rooms_.erase(it);
}

void ConferenceApi::push(const std::string& scope, const RoomChange& change) {
  if (!change.any()) return;
  ConferenceRoom& room = roomOf(scope);
  if (change.waiting) pushActive(scope, room.waitingRoom());
  if (change.scopeActive) pushActive(scope, scope);
  if (change.conference) pushToAll(scope, room.conferenceMessage());
  if (change.excluded) pushToAll(scope, room.excludedMessage());
  if (change.talking) pushTalking(scope);
}

// Only hosts show who is talking; their conference socket carries it (one copy per console).
void ConferenceApi::pushTalking(const std::string& scope) {
  const auto it = byScope_.find(scope);
  if (it == byScope_.end()) return;
  const auto text = frame(roomOf(scope).talkingMessage());
  for (WsConnection* c : it->second) {
    const Socket& s = sockets_.at(c);
    if (s.host && s.room == scope) c->send(text);
  }
}

void ConferenceApi::pushActive(const std::string& scope, const std::string& room) {
  const auto it = byScope_.find(scope);
  if (it == byScope_.end()) return;
  const auto text = frame(roomOf(scope).activeMessage(room));
  for (WsConnection* c : it->second)
    if (sockets_.at(c).room == room) c->send(text);
}

void ConferenceApi::pushToAll(const std::string& scope, const ServerMessage& message) {
  const auto it = byScope_.find(scope);
  if (it == byScope_.end()) return;
  const auto text = frame(message);  // serialised once for the whole room
  for (WsConnection* c : it->second) c->send(text);
}

void ConferenceApi::pushCompositions(const std::string& scope) {
  const auto it = byScope_.find(scope);
  if (it == byScope_.end()) return;
  std::map<std::string, std::shared_ptr<const std::string>> byRoom;
  for (WsConnection* c : it->second) {
    const Socket& s = sockets_.at(c);
    if (!s.host && !s.mixer) continue;
    auto& text = byRoom[s.room];
    if (!text) text = frame(compositionsMessage(s.room, scope));
    c->send(text);
  }
}

ActiveCompositions ConferenceApi::compositionsMessage(const std::string& room, const std::string& scope) const {
  return ActiveCompositions{room, compositions_.visibleTo(scope)};
}

// ---- stream events ------------------------------------------------------------------------------

void ConferenceApi::streamStarted(const std::string& scope, const std::string& name) {
  if (!isValidName(scope) || !isValidName(name)) {
    logWarn("conference", "ignored a publish with an invalid name: " + scope + "/" + name);
    return;
  }
  if (isBanned(scope, name)) {
    logWarn("conference", "ignored a publish of excluded stream " + scope + "/" + name);
    return;
  }
  if (auto quota = checkPublishQuota(scope, name); !quota) {
    logWarn("conference", "not listing " + scope + "/" + name + ": " + quota.error().message());
    return;
  }
  if (!streams_.add(scope, name)) return;
  const std::string conference = conferenceScopeOf(scope);
  const Expected<RoomChange> change = roomOf(conference).publish(scope, name);
  if (change) {
    logInfo("conference", "stream started: " + scope + "/" + name);
    push(conference, *change);
  } else {
    logWarn("conference", "stream " + scope + "/" + name + " not listed: " + change.error().message());
  }
  compositions_.streamStarted(scope, name);
}

void ConferenceApi::streamStopped(const std::string& scope, const std::string& name) {
  if (!streams_.remove(scope, name)) return;
  const std::string conference = conferenceScopeOf(scope);
  const Expected<RoomChange> change = roomOf(conference).unpublish(scope, name);
  logInfo("conference", "stream stopped: " + scope + "/" + name);
  if (change) push(conference, *change);
  compositions_.streamStopped(scope, name);
  forgetRoomIfIdle(conference);
}

void ConferenceApi::talkingChanged(const std::string& scope, const std::vector<std::string>& streams) {
  const std::string conference = conferenceScopeOf(scope);
  // A room not listed has no conference members, so nobody in it can count as talking.
  const auto it = rooms_.find(conference);
  if (it == rooms_.end()) return;
  push(conference, it->second.setTalking(scope, streams));
}

bool ConferenceApi::isBanned(const std::string& scope, const std::string& name) const {
  const auto it = rooms_.find(conferenceScopeOf(scope));
  return it != rooms_.end() && it->second.isExcluded(name);
}

Status ConferenceApi::checkPublishQuota(const std::string& scope, const std::string& name) const {
  if (streams_.contains(scope, name)) return {};  // already listed: nothing new to store
  if (streams_.countIn(scope) >= settings_.maxStreamsPerScope)
    return Error{"", "scope " + scope + " already has " + std::to_string(streams_.countIn(scope)) +
                         " publishing streams, the limit (--max-streams-per-scope)"};
  if (streams_.size() >= settings_.maxStreams)
    return Error{"", "the stack already lists " + std::to_string(streams_.size()) +
                         " publishing streams, the limit (--max-streams)"};
  return {};
}

// ---- POST /webhook ------------------------------------------------------------------------------

void ConferenceApi::handleWebhook(const HttpRequest& request, const Respond& respond) {
  if (request.method() != http::verb::post) {
    return respond(jsonError(request, http::status::method_not_allowed,
                             "method: use POST with {event, guid} or {type, scope, name}"));
  }
  if (auto credential = checkWebhookCredential(request, {settings_.webhookSecret, settings_.webhookToken}); !credential) {
    logWarn("conference", "refused a webhook: " + credential.error().message());
    return respond(jsonError(request, http::status::unauthorized, credential.error().message()));
  }
  const auto notice = parseWebhookNotice(request.body());
  if (!notice) return respond(jsonError(request, http::status::bad_request, notice.error().message()));
  const std::string& scope = notice->scope;
  const std::string& name = notice->name;
  if (notice->published && isBanned(scope, name))
    return respond(jsonError(request, http::status::forbidden,
                             notice->nameField + ": '" + name + "' is excluded from " + conferenceScopeOf(scope)));
  if (notice->published) {
    if (auto quota = checkPublishQuota(scope, name); !quota)
      return respond(jsonError(request, http::status::too_many_requests, notice->nameField + ": " + quota.error().message()));
    streamStarted(scope, name);
  } else {
    streamStopped(scope, name);
  }
  respond(makeResponse(request, http::status::ok,
                       nlohmann::json{{"result", "ok"}, {"event", notice->published ? "publish" : "unpublish"},
                                      {"scope", scope}, {"name", name}}
                           .dump()));
}

}  // namespace confhost
