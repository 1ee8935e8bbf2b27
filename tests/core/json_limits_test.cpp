// Bounds on untrusted JSON and text (src/core/json_limits): what every parser in the project relies on
// to refuse hostile input instead of crashing.
#include <doctest/doctest.h>

#include "core/protocol/json_limits.hpp"
#include "core/protocol/query_string.hpp"
#include "core/settings.hpp"

using namespace confhost;

TEST_SUITE("json limits") {

TEST_CASE("nesting up to the limit parses, one level more is refused without recursing") {
  const auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(parseJsonBounded(nested(64)).ok());
  const auto refused = parseJsonBounded(nested(65));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "malformed JSON: nested deeper than 64 levels");
  // Half a million levels, as a hostile POST sent: refused by the linear scan, no stack used.
  CHECK_FALSE(parseJsonBounded(std::string(450000, '[')).ok());
  CHECK(jsonNestingExceeds(std::string(450000, '{')));
}

TEST_CASE("brackets inside strings and escaped quotes do not count as nesting") {
  const std::string text = R"({"a":"[[[[[[[[[[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})";
  CHECK_FALSE(jsonNestingExceeds(text, 2));
  CHECK(parseJsonBounded(text, 2).ok());
  CHECK(jsonNestingExceeds(R"([{"x":[1]}])", 2));
}

TEST_CASE("unbalanced closing brackets cannot lower the count below zero") {
  CHECK(jsonNestingExceeds("]]]]]]" + std::string(10, '['), 5));
  CHECK_FALSE(parseJsonBounded("]]][[[").ok());
}

TEST_CASE("malformed JSON names where and why") {
  const auto e = parseJsonBounded("{\"a\":");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message().rfind("malformed JSON: parse error at line 1, column 6", 0) == 0);
  CHECK(e.error().message().find("json.exception") == std::string::npos);
  CHECK_FALSE(parseJsonBounded("{\"a\":\"\xff\"}").ok());  // nlohmann refuses invalid UTF-8 in strings
}

TEST_CASE("UTF-8 validation follows RFC 3629") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("plain ascii"));
  CHECK(isValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa4"));
  CHECK_FALSE(isValidUtf8("\xff"));
  CHECK_FALSE(isValidUtf8("\xc0\xae"));          // overlong '.' (a scanner's path traversal)
  CHECK_FALSE(isValidUtf8("\xe0\x80\xaf"));      // overlong '/'
  CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  CHECK_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(isValidUtf8("\xc3"));              // cut short
  CHECK_FALSE(isValidUtf8("a\x80" "b"));         // a lone continuation byte
}

TEST_CASE("dumping user bytes replaces invalid UTF-8 instead of throwing") {
  nlohmann::json j;
  j["error"] = std::string("no such file: /\xff\xfe");
  CHECK_THROWS(j.dump());  // what crashed the server (type_error 316)
  const std::string text = dumpJson(j);
  CHECK(isValidUtf8(text));
  CHECK(text.find("no such file: /\xef\xbf\xbd") != std::string::npos);
}

TEST_CASE("printable text replaces bad bytes and is cut on a character boundary") {
  CHECK(printableText("ok") == "ok");
  CHECK(printableText("a\xff" "b") == "a\xef\xbf\xbd" "b");
  const std::string cut = printableText(std::string(10, 'x') + "\xc3\xa9\xc3\xa9", 11);
  CHECK(cut == std::string(10, 'x') + "\xe2\x80\xa6");
  CHECK(isValidUtf8(printableText("\xe2\x82\xac\xe2\x82\xac", 4)));
}

// Found by fuzz_settings: a console link "#/host?hostToken=%ff" made saving the settings throw.
TEST_CASE("settings overridden by a link with bytes that are not UTF-8 still save") {
  Settings s = Settings::defaults("localhost:8443");
  applyQueryOverrides(s, parseQueryParams("#/host?hostToken=%ff%fe"));
  std::string saved;
  CHECK_NOTHROW(saved = saveSettings(s));
  CHECK(isValidUtf8(saved));
}

}  // TEST_SUITE
