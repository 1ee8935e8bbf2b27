// One set of composition limits: the host's form, the createComposition message (which the server
// parses for the WebSocket and for POST /composition alike) and the mixing page's query accept and
// refuse exactly the same numbers, with the same sentence.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "core/composition/composition_form.hpp"
#include "core/composition/composition_rules.hpp"
#include "core/sessions/mixer_session.hpp"
#include "core/protocol/query_string.hpp"
#include "core/settings.hpp"

using namespace confhost;

namespace {

// What the form, the message parser and the mixer query say about `value` in `field` (their first
// error; "" = accepted), all else in the composition being valid.
std::array<std::string, 3> verdicts(const CompositionLimit& limit, int value) {
  const std::string field(limit.field);
  CompositionForm form = CompositionForm::defaults(Settings::defaults("localhost:8443"), {"local"});
  form.digest = "token";
  auto request = form.toRequest("https://localhost:8443", "localhost:8443", "m1");
  REQUIRE(request.ok());
  if (field == "width") form.width = value;
  if (field == "height") form.height = value;
  if (field == "framerate") form.framerate = value;
  if (field == "bitrate") form.bitrate = value;

  nlohmann::json message = toJson(ClientMessage(CreateComposition{*request}));
  message["mixers"][0][field] = value;
  auto parsed = parseClientMessage(message.dump());
  auto config = mixerConfigFromQuery(parseQueryParams("?scope=live/room1&" + field + "=" + std::to_string(value)),
                                     "https://localhost:8443");
  const auto errors = form.validate();
  return {errors.empty() ? "" : errors.front().message(), parsed ? "" : parsed.error().message(),
          config ? "" : config.error().message()};
}

}  // namespace

TEST_SUITE("composition rules") {
  TEST_CASE("framerate 61 and bitrate 60 are refused by the form, the message and the mixer query alike") {
    CHECK(verdicts(kFramerateLimit, 61) == std::array<std::string, 3>{"framerate: must be between 1 and 60",
                                                                      "mixers[0].framerate: must be between 1 and 60",
                                                                      "framerate: must be between 1 and 60"});
    CHECK(verdicts(kBitrateLimit, 60) == std::array<std::string, 3>{"bitrate: must be between 100 and 50000",
                                                                    "mixers[0].bitrate: must be between 100 and 50000",
                                                                    "bitrate: must be between 100 and 50000"});
  }

  TEST_CASE("every place accepts 16..4096 px, 1..60 fps, 100..50000 kbps and refuses one past each bound") {
    const std::pair<CompositionLimit, std::string> limits[] = {{kWidthLimit, "between 16 and 4096"},
                                                               {kHeightLimit, "between 16 and 4096"},
                                                               {kFramerateLimit, "between 1 and 60"},
                                                               {kBitrateLimit, "between 100 and 50000"}};
    for (const auto& [limit, range] : limits) {
      CAPTURE(limit.field);
      const std::string sentence = std::string(limit.field) + ": must be " + range;
      for (int inside : {limit.lo, limit.hi}) CHECK(verdicts(limit, inside) == std::array<std::string, 3>{});
      for (int outside : {limit.lo - 1, limit.hi + 1})
        CHECK(verdicts(limit, outside) == std::array<std::string, 3>{sentence, "mixers[0]." + sentence, sentence});
    }
  }

  TEST_CASE("the mixer query refuses text that is not a plain decimal number, naming the range") {
    CHECK(parseLimited(kFramerateLimit, "30").value() == 30);
    for (const char* text : {"", "3O", "-5", "+5", "1e3", "1234567890"})
      CHECK(parseLimited(kFramerateLimit, text).error().message() == "framerate: must be an integer in 1..60");
  }
}
