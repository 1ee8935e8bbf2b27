#pragma once
// What a POST /webhook body says: a stream started or stopped publishing. Two shapes are read:
//   Red5 Pro's live app and the reference backend:  {"event": "stream-published" | "stream-unpublished",
//                                                    "guid": "<app>/<room>/<stream>", "clusterNodeType": ...}
//   ours and other senders:  {type|event: "publish"|"unpublish"|..., scope|room|context|app: "<scope>",
//                             name|streamName|stream: "<stream>"}
// A body gives either a guid or a scope and a name, never both (two answers to "which stream?" that
// could disagree). Other fields (clusterNodeType, username, userAgent) are ignored. Every refusal names
// the field and the problem.
#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"

namespace confhost {

struct WebhookNotice {
  bool published = false;  // false: unpublished
  std::string scope;       // e.g. "live/room1_wr"
  std::string name;        // the stream
  std::string nameField;   // the body field the stream came from ("guid", "name", ...), for messages
};

Expected<WebhookNotice> parseWebhookNotice(std::string_view body);

}  // namespace confhost
