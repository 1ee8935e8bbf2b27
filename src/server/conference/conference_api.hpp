#pragma once
// The Conference API (the WebSocket messages of src/core/messages.hpp): WebSocket clients of each conference, the ConferenceRoom models, and
// the pushes that keep every socket in sync. Sockets connect at
//   /?testbed=conference&room=<scope or scope_wr>&host=true|false&mixer=true|false[&hostToken=T]
//     [&mixerId=ID&mixerSecret=S]
// and are grouped by their conference scope (room minus "_wr"). What each socket receives:
//   - `active` for its own room (the waiting room or the conference scope), on connect and on change;
//   - `conference` and `excluded` for its conference, on connect and on change (participants need the
//     list to know they were admitted, and the ban to know they were excluded, also after a reconnect);
//   - `mixerRegions` on connect; host and mixer sockets also get `activeCompositions` on connect and on
//     every composition change.
// A socket that says mixer=true&mixerId=ID must also carry mixerSecret=<the secret that mixer was
// launched with>; otherwise it is a plain listener and the mixer's state does not move. A conference
// takes at most maxSocketsPerRoom sockets: one more gets an `error` and a close (1013) naming the limit.
// Room-changing messages need a socket opened with the host token (or --open-host). Every refused or
// malformed message gets an `error` naming the field and the reason, changes nothing, and leaves the
// connection open. It is also the StreamEvents sink (proxy / webhook) and owns POST /webhook.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/streammanager/compositions.hpp"
#include "core/conference/conference_room.hpp"
#include "server/net/http_types.hpp"
#include "server/conference/stream_events.hpp"
#include "server/conference/stream_registry.hpp"
#include "server/net/ws_connection.hpp"

namespace confhost {

inline constexpr std::size_t kMaxConferenceFrame = 64 * 1024;

struct ConferenceSettings {
  bool openHost = false;           // --open-host: trust every socket, as the reference server does
  std::string hostToken;           // --host-token (or generated)
  std::vector<std::string> regions{"local"};
  std::string webhookSecret;               // --webhook-secret (or generated): POST /webhook may be signed with it
  std::string webhookToken;                // --webhook-token (or generated): or carry it as /webhook?token=
  std::size_t maxSocketsPerRoom = 200;     // --max-sockets-per-room: per conference (scope and waiting room)
  std::size_t maxStreamsPerScope = 100;    // --max-streams-per-scope
  std::size_t maxStreams = 2000;           // --max-streams: publishing streams in all scopes together
};

class ConferenceApi : public WsEndpoint, public StreamEvents {
 public:
  ConferenceApi(ConferenceSettings settings, Compositions& compositions, StreamRegistry& streams);

  // WsEndpoint
  void opened(const std::shared_ptr<WsConnection>& connection, const HttpRequest& request) override;
  void message(WsConnection& connection, std::string_view data, bool binary) override;
  void closed(WsConnection& connection) override;

  // StreamEvents
  void streamStarted(const std::string& scope, const std::string& name) override;
  void streamStopped(const std::string& scope, const std::string& name) override;
  bool isBanned(const std::string& scope, const std::string& name) const override;
  Status checkPublishQuota(const std::string& scope, const std::string& name) const override;
  void talkingChanged(const std::string& scope, const std::vector<std::string>& streams) override;

  // POST /webhook, either body shape (webhook_notice.hpp) with either credential (webhook_credential.hpp):
  // 401 naming the credential, 400 naming the field, 403 for an excluded stream, 429 over a stream quota.
  void handleWebhook(const HttpRequest& request, const Respond& respond);


 private:
  struct Socket {
    std::shared_ptr<WsConnection> connection;
    std::string room;   // as connected: "<scope>" or "<scope>_wr"
    std::string scope;  // its conference scope
    bool host = false;
    bool mixer = false;
    bool authorized = false;  // may change the room
    std::string mixerId;
  };

  void handle(Socket& socket, const ClientMessage& message);
  void reply(Socket& socket, const ServerMessage& message);
  void replyError(Socket& socket, const std::string& error);
  bool checkRoomCommand(Socket& socket, std::string_view type, const std::string& room);

  ConferenceRoom& roomOf(const std::string& scope);
  void forgetRoomIfIdle(const std::string& scope);
  void push(const std::string& scope, const RoomChange& change);
  void pushActive(const std::string& scope, const std::string& room);
  void pushToAll(const std::string& scope, const ServerMessage& message);
  void pushTalking(const std::string& scope);
  void pushCompositions(const std::string& scope);
  ActiveCompositions compositionsMessage(const std::string& room, const std::string& scope) const;

  ConferenceSettings settings_;
  Compositions& compositions_;
  StreamRegistry& streams_;
  std::unordered_map<WsConnection*, Socket> sockets_;
  std::unordered_map<std::string, std::vector<WsConnection*>> byScope_;  // conference scope → sockets
  std::map<std::string, ConferenceRoom> rooms_;                          // conference scope → model
};

}  // namespace confhost
