#include <doctest/doctest.h>

#include "core/protocol/query_string.hpp"

using namespace confhost;

TEST_CASE("query string of a hash route is parsed after the route") {
  QueryParams p = parseQueryParams("#/host?hostToken=abc&scope=live/room1");
  CHECK(p.get("hostToken") == std::optional<std::string>("abc"));
  CHECK(p.get("scope") == std::optional<std::string>("live/room1"));
  CHECK_FALSE(p.has("missing"));
}

TEST_CASE("query string values are percent-decoded and plus is a space") {
  QueryParams p = parseQueryParams("?scope=live%2Froom1&name=a+b&t=%41%62");
  CHECK(*p.get("scope") == "live/room1");
  CHECK(*p.get("name") == "a b");
  CHECK(*p.get("t") == "Ab");
}

TEST_CASE("query string keeps malformed escapes literally") {
  QueryParams p = parseQueryParams("a=%zz&b=%4&c=100%");
  CHECK(*p.get("a") == "%zz");
  CHECK(*p.get("b") == "%4");
  CHECK(*p.get("c") == "100%");
}

TEST_CASE("query string: key without value, empty pieces, repeated keys") {
  QueryParams p = parseQueryParams("flag&&a=1&a=2&=x");
  REQUIRE(p.items.size() == 3);
  CHECK(*p.get("flag") == "");
  CHECK(*p.get("a") == "1");
}

TEST_CASE("query string of a URL ignores its fragment, a hash without query has none") {
  CHECK(*parseQueryParams("https://h/x?a=1#frag").get("a") == "1");
  CHECK(parseQueryParams("#/host").items.empty());
  CHECK(parseQueryParams("").items.empty());
  CHECK(parseQueryParams("https://h/x").items.empty());
}

TEST_CASE("routeOf extracts the hash route") {
  CHECK(routeOf("#/host?x=1") == "/host");
  CHECK(routeOf("#/mixer") == "/mixer");
  CHECK(routeOf("") == "/");
  CHECK(routeOf("#") == "/");
  CHECK(routeOf("#settings") == "/settings");
}

TEST_CASE("percentEncode keeps safe characters and escapes the rest") {
  CHECK(percentEncode("live/room1") == "live/room1");
  CHECK(percentEncode("a b&c=d") == "a%20b%26c%3Dd");
  CHECK(percentEncode("x/y", "") == "x%2Fy");
  CHECK(percentDecode(percentEncode("héllo wörld&?#")) == "héllo wörld&?#");
}
