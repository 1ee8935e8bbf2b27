// Static files from --web-root: MIME types, index.html, HEAD, no way out of the root, the build-time
// compressed variants chosen by Accept-Encoding, entity tags and 304s, and the cache lifetimes.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;

namespace {
HttpResult get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
  return https(sharedServer().port(), "GET", target, "", headers);
}
HttpResult head(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
  return https(sharedServer().port(), "HEAD", target, "", headers);
}
HttpResult accepting(const std::string& acceptEncoding, const std::string& target = "/confhost.js") {
  return get(target, {{"Accept-Encoding", acceptEncoding}});
}
const std::string kPlainJs = "console.log('hi');";
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

TEST_CASE("directories redirect to their slash form and serve their index, no listings") {
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

TEST_CASE("path traversal is refused for the compressed variants too") {
  for (const std::string target : {"/../secret.txt.gz", "/sub/../../secret.txt.gz", "/%2e%2e/secret.txt.gz",
                                   "/sub/..%2f..%2fsecret.txt.gz", "/../secret.txt", "/leak.txt.gz"}) {
    CAPTURE(target);
    const auto r = get(target, {{"Accept-Encoding", "gzip, br"}});
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

TEST_SUITE("static files: content coding") {

TEST_CASE("a browser that accepts br gets the brotli variant, labelled, with Vary") {
  const auto r = accepting("gzip, deflate, br");
  CHECK(r.status == 200);
  CHECK(r.body == kBrotliMarker);
  CHECK(r.header("content-encoding") == "br");
  CHECK(r.header("content-type").find("text/javascript") == 0);  // the type of what it decodes to
  CHECK(r.header("vary") == "Accept-Encoding");
  CHECK(r.header("content-length") == std::to_string(kBrotliMarker.size()));
}

TEST_CASE("q-values choose the coding and a tie goes to the smaller variant") {
  CHECK(accepting("gzip").header("content-encoding") == "gzip");
  CHECK(accepting("gzip").body == kGzipMarker);
  CHECK(accepting("br;q=0.5, gzip;q=0.8").header("content-encoding") == "gzip");
  CHECK(accepting("br;q=0.9, gzip;q=0.8").header("content-encoding") == "br");
  CHECK(accepting("gzip, br").header("content-encoding") == "br");
  CHECK(accepting("identity, gzip").header("content-encoding") == "gzip");
  CHECK(accepting("identity;q=1, gzip;q=0.5").header("content-encoding").empty());
  CHECK(accepting("*").header("content-encoding") == "br");
  CHECK(accepting("br;q=0, *").header("content-encoding") == "gzip");
  CHECK(accepting("x-gzip").header("content-encoding") == "gzip");
  CHECK(accepting("GZIP;Q=1").header("content-encoding") == "gzip");
}

TEST_CASE("a client that accepts no available coding gets the plain file") {
  for (const std::string value : {"", "identity", "deflate", "gzip;q=0, br;q=0", "zstd", "br;q=0", "*;q=0",
                                  "identity;q=0"}) {
    CAPTURE(value);
    const auto r = value.empty() ? get("/confhost.js") : accepting(value, "/only-gzip.txt");
    CHECK(r.status == 200);
    CHECK(r.header("content-encoding").empty());
    CHECK(r.header("vary") == "Accept-Encoding");
  }
  CHECK(get("/confhost.js").body == kPlainJs);  // no header at all: identity
  CHECK(accepting("br", "/only-gzip.txt").body == "only gzip here");
}

TEST_CASE("a file without variants is sent plain and does not vary") {
  const auto r = accepting("gzip, br", "/sub/index.html");
  CHECK(r.body == "sub index");
  CHECK(r.header("content-encoding").empty());
  CHECK(r.header("vary").empty());
}

TEST_CASE("a malformed Accept-Encoding is answered, ignoring the elements that do not parse") {
  CHECK(accepting("gzip;q=2").header("content-encoding").empty());
  CHECK(accepting("gzip;q=0.5000").header("content-encoding").empty());
  CHECK(accepting("gzip;level=9").header("content-encoding").empty());
  CHECK(accepting("gzip;q=abc, br").header("content-encoding") == "br");
  CHECK(accepting(",,, ;;, gzip").header("content-encoding") == "gzip");
  CHECK(accepting("g\"zip, br;q=").header("content-encoding").empty());
  for (const std::string& value : std::vector<std::string>{";", "q=1", std::string(4000, ','), "\x80\xff", "br;q=0.5;q=1", "=gzip"}) {
    CAPTURE(value);
    const auto r = accepting(value);
    CHECK(r.status == 200);
    CHECK((r.body == kPlainJs || r.body == kGzipMarker || r.body == kBrotliMarker));
  }
}

TEST_CASE("HEAD answers the same headers as GET, with the variant's exact length") {
  for (const std::string value : {"br", "gzip", "identity"}) {
    CAPTURE(value);
    const auto g = accepting(value);
    const auto h = head("/confhost.js", {{"Accept-Encoding", value}});
    CHECK(h.status == 200);
    CHECK(h.body.empty());
    CHECK(h.header("content-length") == std::to_string(g.body.size()));
    for (const char* name : {"content-type", "content-encoding", "etag", "cache-control", "vary"}) {
      CAPTURE(name);
      CHECK(h.header(name) == g.header(name));
    }
  }
}

TEST_CASE("a variant older than its file is never sent") {
  const auto r = accepting("gzip", "/stale.txt");
  CHECK(r.body == "new content");
  CHECK(r.header("content-encoding").empty());
}

TEST_CASE("a compressed variant asked for by name is served as that file") {
  const auto r = accepting("gzip, br", "/confhost.js.gz");
  CHECK(r.status == 200);
  CHECK(r.body == kGzipMarker);
  CHECK(r.header("content-type") == "application/gzip");
  CHECK(r.header("content-encoding").empty());  // the client gets the .gz bytes it asked for
  CHECK(get("/confhost.js.gz.gz").status == 404);
  CHECK(get("/missing.js.br").status == 404);
}

TEST_CASE("a Range request gets the whole file") {
  for (const std::string range : {"bytes=0-3", "bytes=-2", "bytes=99999-", "bytes=a-b", "lines=1-2"}) {
    CAPTURE(range);
    const auto r = get("/confhost.js", {{"Range", range}});
    CHECK(r.status == 200);
    CHECK(r.body == kPlainJs);
    CHECK(r.header("content-range").empty());
    CHECK(r.header("accept-ranges") == "none");
  }
}

}  // TEST_SUITE

TEST_SUITE("static files: caching") {

TEST_CASE("every static answer carries a strong ETag of the bytes it sends") {
  const auto plain = get("/confhost.js");
  const auto gz = accepting("gzip");
  const auto br = accepting("br");
  for (const auto* r : {&plain, &gz, &br}) {
    CHECK(r->header("etag").size() == 34);  // "<32 hex>"
    CHECK(r->header("etag").front() == '"');
  }
  CHECK(plain.header("etag") != gz.header("etag"));
  CHECK(gz.header("etag") != br.header("etag"));
  CHECK(get("/confhost.js").header("etag") == plain.header("etag"));
  CHECK(!get("/").header("etag").empty());
  CHECK(!get("/confhost.wasm").header("etag").empty());
}

TEST_CASE("If-None-Match with the current tag answers 304 without a body") {
  const auto first = accepting("br");
  const std::string etag = first.header("etag");
  for (const std::string& value : std::vector<std::string>{etag, "W/" + etag, "\"other\", " + etag, "*", "\"a,b\"," + etag}) {
    CAPTURE(value);
    const auto r = get("/confhost.js", {{"Accept-Encoding", "br"}, {"If-None-Match", value}});
    CHECK(r.status == 304);
    CHECK(r.body.empty());
    CHECK(r.header("etag") == etag);
    CHECK(r.header("cache-control") == first.header("cache-control"));
    CHECK(r.header("vary") == "Accept-Encoding");
    const auto h = head("/confhost.js", {{"Accept-Encoding", "br"}, {"If-None-Match", value}});
    CHECK(h.status == 304);
  }
}

TEST_CASE("a tag of another coding or a stale tag gets the full answer") {
  const std::string brTag = accepting("br").header("etag");
  const auto gz = get("/confhost.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", brTag}});
  CHECK(gz.status == 200);
  CHECK(gz.body == kGzipMarker);
  CHECK(get("/confhost.js", {{"If-None-Match", "\"0123456789abcdef0123456789abcdef\""}}).status == 200);
}

TEST_CASE("a malformed If-None-Match is ignored and the full answer sent") {
  const std::string etag = get("/confhost.js").header("etag");
  const std::string bare = etag.substr(1, etag.size() - 2);
  for (const std::string& value : std::vector<std::string>{bare, "\"" + bare, etag + " junk", "W/", ",", "", "W/" + bare, etag + " " + etag,
                                  std::string(4000, '"'), "**"}) {
    CAPTURE(value);
    const auto r = get("/confhost.js", {{"If-None-Match", value}});
    CHECK(r.status == 200);
    CHECK(r.body == kPlainJs);
  }
}

TEST_CASE("a file rewritten while the server runs gets a new ETag at once") {
  const std::string file = sharedServer().webRoot() + "/rewritten.txt";
  std::ofstream(file) << "first build";
  const auto before = get("/rewritten.txt");
  std::ofstream(file) << "second build, longer";
  const auto after = get("/rewritten.txt", {{"If-None-Match", before.header("etag")}});
  CHECK(after.status == 200);
  CHECK(after.body == "second build, longer");
  CHECK(after.header("etag") != before.header("etag"));
}

TEST_CASE("a name carrying its content's hash is cached for a year as immutable") {
  const std::string target = "/" + sharedServer().fingerprintedName();
  const auto r = get(target);
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/wasm");
  CHECK(r.header("cache-control") == "public, max-age=31536000, immutable");
  const auto gz = accepting("gzip", target);
  CHECK(gz.header("content-encoding") == "gzip");
  CHECK(gz.header("cache-control") == "public, max-age=31536000, immutable");
}

TEST_CASE("everything else, and a name whose hash does not match its content, is revalidated on use") {
  CHECK(get("/").header("cache-control") == "no-cache");
  CHECK(get("/confhost.js").header("cache-control") == "no-cache");
  CHECK(get("/module.0123456789abcdef.wasm").status == 200);
  CHECK(get("/module.0123456789abcdef.wasm").header("cache-control") == "no-cache");
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
