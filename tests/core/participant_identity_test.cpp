// The participant page's "who are you" fields (core/sessions/participant_identity.hpp): the rules the
// page shows as they are typed are the broadcast's own, and what is typed is what is published with.
#include <doctest/doctest.h>

#include "core/composition/composition_form.hpp"  // errorFor
#include "core/sessions/participant_identity.hpp"

using namespace confhost;

TEST_SUITE("participant identity") {

TEST_CASE("a valid name with authentication off has no problems") {
  ParticipantIdentity id;
  id.streamName = "alice";
  CHECK(problemsOf(id, "live/room1").empty());
}

TEST_CASE("each bad name gets the sentence validateParticipantConfig gives, under streamName") {
  ParticipantConfig config;
  config.origin = "https://localhost:8443";
  config.backend = "localhost:8443";
  config.scope = "live/room1";
  for (const char* bad : {"", "a/b", "join", "with space", "room1"}) {
    CAPTURE(bad);
    ParticipantIdentity id;
    id.streamName = bad;
    const auto problems = problemsOf(id, config.scope);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "streamName");
    config.streamName = bad;
    const auto broadcast = validateParticipantConfig(config);
    REQUIRE_FALSE(broadcast.ok());
    CHECK(broadcast.error().message() == problems[0].message());
  }
}

TEST_CASE("with authentication on, username and password are required and named, the token is not") {
  ParticipantIdentity id;
  id.streamName = "alice";
  id.authEnabled = true;
  auto problems = problemsOf(id, "live/room1");
  CHECK(problems.size() == 2);
  CHECK_FALSE(errorFor(problems, "username").empty());
  CHECK_FALSE(errorFor(problems, "password").empty());
  id.username = "u";
  id.password = "p";
  CHECK(problemsOf(id, "live/room1").empty());
}

TEST_CASE("credentials typed with authentication off are not asked for and not published") {
  ParticipantIdentity id;
  id.streamName = "bob";
  id.username = "typed";
  CHECK(problemsOf(id, "live/room1").empty());
  ParticipantConfig config;
  config.streamName = "alice";
  config.auth.username = "saved";
  const ParticipantConfig out = withIdentity(config, id);
  CHECK(out.streamName == "bob");
  CHECK(out.auth.username == "saved");
}

TEST_CASE("the page starts from the config's name and credentials, and publishes with what was typed") {
  ParticipantConfig config;
  config.streamName = "participant1";
  config.auth.username = "u0";
  config.auth.password = "p0";
  ParticipantIdentity id = identityOf(config, true);
  CHECK(id.streamName == "participant1");
  CHECK(id.username == "u0");
  CHECK(id.password == "p0");
  id.streamName = "carol";
  id.username = "u1";
  id.token = "t1";
  const ParticipantConfig out = withIdentity(config, id);
  CHECK(out.streamName == "carol");
  CHECK(out.auth.username == "u1");
  CHECK(out.auth.password == "p0");
  CHECK(out.auth.token == "t1");
  CHECK(identityOf(config, false).username.empty());
}

}  // TEST_SUITE
