// No input brings the server down. Each case sends what once crashed the server (or
// could), asserts the refusal a client sees (status and reason), and then that the same server still
// answers an ordinary request: a refusal that took the process with it would fail the second half.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include <fstream>
#include <string>

#include "core/protocol/json_limits.hpp"
#include "test_clients.hpp"
#include "test_server.hpp"

using namespace confhost::test;
using json = nlohmann::json;

namespace {

// The server is still up and serving: the page and a Stream Manager answer.
void checkStillServing(TestServer& server) {
  CHECK(https(server.port(), "GET", "/").status == 200);
  CHECK(https(server.port(), "GET", "/streammanager/api/4.0/event/live/room1/join").status == 200);
}

// The error text of a JSON error answer ("" when the body is not JSON, which is itself a failure).
std::string reasonOf(const HttpResult& r) {
  const json body = r.json();
  if (!body.is_object()) return "";
  if (body.contains("error")) return body["error"].get<std::string>();
  if (body.contains("errorMessage")) return body["errorMessage"].get<std::string>();
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("hostile input") {

TEST_CASE("a path that is not UTF-8 after decoding is refused with 400, not a crash") {
  TestServer server;
  for (const std::string target : {"/%ff", "/%c0%ae%c0%ae/", "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/a%ed%a0%80b",
                                   "/\xff", "/sub/\xc3"}) {
    CAPTURE(target);
    const auto r = https(server.port(), "GET", target);
    CHECK(r.status == 400);
    CHECK(contains(reasonOf(r), "not valid UTF-8"));
  }
  checkStillServing(server);
}

TEST_CASE("Stream Manager paths and actions with 0xFF bytes are echoed safely") {
  TestServer server;
  const std::string base = "/streammanager/api/4.0/";
  auto r = https(server.port(), "GET", base + "%ff%fe");
  CHECK(r.status == 404);
  CHECK(contains(reasonOf(r), "no such Stream Manager resource"));
  CHECK(confhost::isValidUtf8(r.body));

  r = https(server.port(), "GET", base + "event/live/room1/alice?action=%ff");
  CHECK(r.status == 400);
  CHECK(contains(reasonOf(r), "action: unknown"));

  r = https(server.port(), "GET", base + "event/live/room1/%ff?action=broadcast");
  CHECK(r.status == 400);
  CHECK(contains(reasonOf(r), "stream"));

  r = https(server.port(), "POST", "/cluster/api?action=%ff%c0&accessToken=" + kSmToken, "{}");
  CHECK(r.status / 100 == 4);
  CHECK(confhost::isValidUtf8(r.body));
  checkStillServing(server);
}

TEST_CASE("a JSON body nested 450k deep is refused before any feature parses it") {
  TestServer server;
  const std::string deep(450000, '[');
  for (const std::string target : {"/cluster/api?action=provision.create&accessToken=" + kSmToken,
                                   "/streammanager/api/4.0/composition?accessToken=" + kSmToken,
                                   "/streammanager/api/4.0/admin/event/meta/live?accessToken=" + kSmToken,
                                   std::string("/webhook"), std::string("/validateCredentials"),
                                   std::string("/invalidateCredentials")}) {
    CAPTURE(target);
    const auto r = https(server.port(), "POST", target, deep, {{"Authorization", "Bearer " + kSmToken}});
    CHECK(r.status == 400);
    CHECK(contains(reasonOf(r), "nested deeper than 64 levels"));
  }
  // Brackets inside strings are text, not nesting.
  const std::string quoted = R"({"guid":"live/x","note":")" + std::string(1000, '[') + R"("})";
  const auto ok = https(server.port(), "POST", "/cluster/api?action=provision.create&accessToken=" + kSmToken, quoted,
                        {{"Authorization", "Bearer " + kSmToken}});
  CHECK(ok.status == 200);
  checkStillServing(server);
}

TEST_CASE("a Conference API frame with deep JSON gets an error reply and the socket stays usable") {
  TestServer server;
  WsClient host(server.port(), conferenceTarget("live/hostile1", true, kHostToken));
  host.waitFor("activeCompositions");

  host.send(std::string(60000, '['));
  CHECK(contains(host.waitFor("error")["error"].get<std::string>(), "nested deeper than 64 levels"));
  host.send(R"({"type":"promote","room":"live/hostile1","streamName":)" + std::string(100, '{') + "}");
  CHECK(contains(host.waitFor("error")["error"].get<std::string>(), "nested deeper than 64 levels"));
  // Invalid UTF-8 in a binary frame reaches the feature: refused with a reason.
  host.sendBinary("{\"type\":\"\xff\"}");
  CHECK(contains(host.waitFor("error")["error"].get<std::string>(), "binary frames are not supported"));

  host.sync();  // still answered on the same socket
  checkStillServing(server);
}

TEST_CASE("a Conference API text frame that is not UTF-8 closes only that socket, with 1007") {
  TestServer server;
  WsClient other(server.port(), conferenceTarget("live/hostile2", false));
  other.waitFor("active");
  WsClient sender(server.port(), conferenceTarget("live/hostile2", true, kHostToken));
  sender.waitFor("activeCompositions");
  sender.send("{\"type\":\"promote\",\"room\":\"live/hostile2\",\"streamName\":\"\xff\xfe\"}");
  REQUIRE(sender.waitClosed());
  CHECK(sender.closeCode() == 1007);  // the WebSocket layer checks text frames (RFC 6455 8.1)
  other.sync();
  checkStillServing(server);
}

TEST_CASE("SDP and trickle bodies with 0xFF bytes reach no JSON dump unguarded") {
  TestServer server;
  const std::string sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=\xff\xfe\r\nt=0 0\r\n";
  auto r = https(server.port(), "POST", "/as/v1/proxy/whip/live/room1/alice", sdp, {{"Content-Type", "application/sdp"}});
  CHECK(r.status / 100 >= 4);  // 503 with --no-janus: the origin is not running
  CHECK(confhost::isValidUtf8(r.body));

  const std::string frag = "a=ice-ufrag:\xff\r\na=candidate:1 1 udp 1 127.0.0.1 9 typ host\xff\r\n";
  r = https(server.port(), "PATCH", "/as/v1/proxy/resource/\xff\xfe", frag,
            {{"Content-Type", "application/trickle-ice-sdpfrag"}, {"If-Match", "\"\xff\""}});
  CHECK(r.status / 100 == 4);
  CHECK(confhost::isValidUtf8(r.body));

  r = https(server.port(), "POST", "/as/v1/proxy/whep/live/%ff/%fe", sdp, {{"Content-Type", "application/sdp"}});
  CHECK(r.status / 100 >= 4);
  CHECK(confhost::isValidUtf8(r.body));
  checkStillServing(server);
}

TEST_CASE("static paths with NUL, '..' or encoded slashes are refused with a reason") {
  TestServer server;
  const auto nul = https(server.port(), "GET", "/index.html%00.js");
  CHECK(nul.status / 100 == 4);
  CHECK(contains(reasonOf(nul), "NUL"));
  const auto dots = https(server.port(), "GET", "/sub/../../secret.txt");
  CHECK(dots.status / 100 == 4);
  CHECK(contains(reasonOf(dots), ".."));
  checkStillServing(server);
}

TEST_CASE("a large static file is streamed whole and byte for byte") {
  TestServer server;
  std::string content(6 * 1024 * 1024 + 123, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 131) >> 3);
  std::ofstream(server.webRoot() + "/big.data", std::ios::binary) << content;
  const auto r = https(server.port(), "GET", "/big.data");
  CHECK(r.status == 200);
  CHECK(r.header("content-length") == std::to_string(content.size()));
  CHECK(r.body.size() == content.size());
  CHECK(r.body == content);
  const auto head = https(server.port(), "HEAD", "/big.data");
  CHECK(head.header("content-length") == std::to_string(content.size()));
  checkStillServing(server);
}

TEST_CASE("a WebSocket that never reads is closed once all send queues exceed the budget") {
  TestServer server({"--ws-send-budget-mb", "1"});
  WsClient fast(server.port(), conferenceTarget("live/budget_fast", true, kHostToken));
  fast.waitFor("activeCompositions");
  WsClient slow(server.port(), conferenceTarget("live/budget_slow", true, kHostToken));
  // Each frame earns a ~60 KB error reply (the unknown type is echoed). Loopback socket buffers absorb
  // several MiB before the server's queue grows at all, so send well past that without reading.
  const std::string frame = R"({"type":")" + std::string(60000, 'x') + R"("})";
  for (int i = 0; i < 400; ++i) slow.send(frame);
  REQUIRE(slow.waitClosed(20s));
  CHECK(slow.closeCode() == 1013);
  CHECK(contains(slow.closeReason(), "budget"));
  fast.sync();  // the other socket is untouched
  checkStillServing(server);
}

TEST_CASE("TLS 1.2 offers only ECDHE with AEAD: a CBC/SHA-1-only client is refused, an AEAD one accepted") {
  namespace asio = boost::asio;
  auto handshake = [&](const char* ciphers) {
    asio::io_context ioc;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    SSL_CTX_set_max_proto_version(tls.native_handle(), TLS1_2_VERSION);
    REQUIRE(SSL_CTX_set_cipher_list(tls.native_handle(), ciphers) == 1);
    asio::ssl::stream<asio::ip::tcp::socket> stream(ioc, tls);
    asio::ip::tcp::resolver resolver(ioc);
    asio::connect(stream.next_layer(), resolver.resolve("127.0.0.1", std::to_string(sharedServer().port())));
    boost::system::error_code ec;
    stream.handshake(asio::ssl::stream_base::client, ec);
    return !ec;
  };
  // SECLEVEL=0 so that the refusal is the server's, not the client library's.
  CHECK_FALSE(handshake("ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:DES-CBC3-SHA:@SECLEVEL=0"));
  CHECK_FALSE(handshake("ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:AES128-GCM-SHA256:@SECLEVEL=0"));
  CHECK(handshake("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"));
  CHECK(handshake("ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"));
  checkStillServing(sharedServer());
}

}  // TEST_SUITE
