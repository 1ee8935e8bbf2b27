// Static files from --web-root: MIME types, index.html, HEAD, and no way out of the
// root.
#include <doctest/doctest.h>

#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;

namespace {
HttpResult get(const std::string& target) { return https(sharedServer().port(), "GET", target); }
}  // namespace

TEST_SUITE("static files") {

TEST_CASE("/ serves index.html as HTML") {
  const auto r = get("/");
  CHECK(r.status == 200);
  CHECK(r.header("content-type").find("text/html") == 0);
  CHECK(r.body.find("confhost test") != std::string::npos);
  CHECK(get("/?testbed=conference").status == 200);  // a plain GET with a query is still a page
}

TEST_CASE("wasm and js have the MIME types browsers require") {
  const auto wasm = get("/confhost.wasm");
  CHECK(wasm.status == 200);
  CHECK(wasm.header("content-type") == "application/wasm");
  CHECK(wasm.body.size() == 8);
  CHECK(get("/confhost.js").header("content-type").find("text/javascript") == 0);
}

TEST_CASE("HEAD answers the headers without a body") {
  const auto r = https(sharedServer().port(), "HEAD", "/confhost.wasm");
  CHECK(r.status == 200);
  CHECK(r.header("content-length") == "8");
  CHECK(r.body.empty());
}

TEST_CASE("directories redirect to their slash form and serve their index; no listings") {
  const auto r = get("/sub");
  CHECK(r.status == 301);
  CHECK(r.header("location") == "/sub/");
  CHECK(get("/sub/").body == "sub index");
  CHECK(get("/missing.js").status == 404);
}

TEST_CASE("path traversal is refused in every spelling") {
  CHECK(get("/escape.txt").status == 403);  // a symlink leading out of the root
  for (const std::string target :
       {"/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/sub/..%2f..%2fsecret.txt",
        "/..%5csecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/escape.txt", "/a%00b"}) {
    CAPTURE(target);
    const auto r = get(target);
    CHECK((r.status == 403 || r.status == 404 || r.status == 400));
    CHECK(r.body.find("TOP SECRET") == std::string::npos);
  }
}

TEST_CASE("only GET and HEAD on static files") {
  const auto r = https(sharedServer().port(), "POST", "/index.html", "x");
  CHECK(r.status == 405);
  CHECK(r.header("allow") == "GET, HEAD");
}

}  // TEST_SUITE

TEST_CASE("the server prints the testbed menu, the host console link with its tokens, and the SM token") {
  const auto& out = sharedServer().stdoutText();
  const std::string base = "https://localhost:" + std::to_string(sharedServer().port()) + "/";
  CHECK(out.find("Testbed menu: " + base + "\n") != std::string::npos);
  CHECK(out.find("Host console: " + base + "#/host?hostToken=" + kHostToken + "&smToken=" + kSmToken + "\n") !=
        std::string::npos);
  CHECK(out.find("Stream Manager token: " + kSmToken) != std::string::npos);
}

TEST_CASE("a generated host token is printed and works") {
  TestServer generated({"--host-token", ""});
  const auto& out = generated.stdoutText();
  const auto at = out.find("hostToken=");
  REQUIRE(at != std::string::npos);
  const std::string token = out.substr(at + 10, out.find_first_of("&\n", at) - at - 10);
  CHECK(token.size() == 32);
  WsClient host(generated.port(), conferenceTarget("live/gen1_wr", true, token));
  host.waitFor("activeCompositions");
  host.send(R"({"type":"promote","room":"live/gen1","streamName":"nobody"})");
  // Refused for the stream, not for the credential.
  CHECK(host.waitFor("error")["error"].get<std::string>().find("promote refused") == 0);
}
