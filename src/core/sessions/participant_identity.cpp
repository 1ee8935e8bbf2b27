#include "core/sessions/participant_identity.hpp"

#include "core/protocol/names.hpp"

namespace confhost {

ParticipantIdentity identityOf(const ParticipantConfig& config, bool authEnabled) {
  ParticipantIdentity id;
  id.streamName = config.streamName;
  id.authEnabled = authEnabled;
  if (authEnabled) {
    id.username = config.auth.username;
    id.password = config.auth.password;
    id.token = config.auth.token;
  }
  return id;
}

std::vector<Error> problemsOf(const ParticipantIdentity& identity, std::string_view scope) {
  std::vector<Error> problems;
  if (auto e = validateStreamName("streamName", identity.streamName); !e) problems.push_back(e.error());
  else if (identity.streamName == roomNameOf(scope))
    problems.push_back({"streamName", "must differ from the room name (the composite is published under it)"});
  if (identity.authEnabled) {
    if (identity.username.empty()) problems.push_back({"username", "required: this stack checks who publishes"});
    if (identity.password.empty()) problems.push_back({"password", "required: this stack checks who publishes"});
  }
  return problems;
}

ParticipantConfig withIdentity(ParticipantConfig config, const ParticipantIdentity& identity) {
  config.streamName = identity.streamName;
  if (identity.authEnabled) {
    config.auth.username = identity.username;
    config.auth.password = identity.password;
    config.auth.token = identity.token;
  }
  return config;
}

}  // namespace confhost
