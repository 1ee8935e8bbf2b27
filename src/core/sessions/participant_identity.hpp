#pragma once
// Who a participant says it is, asked on the participant page itself before Start Broadcast (the Red5
// testbed's step 3): the stream name others see it by, and, when the stack's round-trip authentication
// is on, the username, password and token it publishes with. The page starts from the saved settings
// (or the URL's streamName=) and checks every keystroke against the same rules the broadcast applies.
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/sessions/participant_session.hpp"

namespace confhost {

struct ParticipantIdentity {
  std::string streamName;
  bool authEnabled = false;  // from the settings: whether to ask for the credentials at all
  std::string username, password, token;
};

// The identity a config already carries (the settings' name and credentials).
ParticipantIdentity identityOf(const ParticipantConfig& config, bool authEnabled);
// Every problem, one per field ("streamName", "username", "password"), to show under each input;
// empty when the identity can broadcast in `scope`.
std::vector<Error> problemsOf(const ParticipantIdentity& identity, std::string_view scope);
// `config` with the identity's name and, when authentication is on, its credentials.
ParticipantConfig withIdentity(ParticipantConfig config, const ParticipantIdentity& identity);

}  // namespace confhost
