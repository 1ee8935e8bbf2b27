#include "test_clients.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <stdexcept>

namespace confhost::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// Runs the io_context until `done` or the timeout; false on timeout.
bool runUntil(asio::io_context& ioc, const bool& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ioc.restart();
  while (!done) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    ioc.run_one_for(deadline - now);
  }
  return true;
}

asio::ssl::context makeClientTls() {
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_none);  // the server's certificate is self-signed
  return tls;
}

}  // namespace

struct WsClient::Impl {
  asio::io_context ioc;
  asio::ssl::context tls = makeClientTls();
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws{ioc, tls};
  beast::flat_buffer buffer;
  bool reading = false, readDone = false, closed = false;
  boost::system::error_code readError;
};

WsClient::WsClient(int port, const std::string& target) : impl_(std::make_unique<Impl>()) {
  auto& s = *impl_;
  tcp::resolver resolver(s.ioc);
  beast::get_lowest_layer(s.ws).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(s.ws).connect(resolver.resolve("127.0.0.1", std::to_string(port)));
  beast::get_lowest_layer(s.ws).expires_never();
  SSL_set_tlsext_host_name(s.ws.next_layer().native_handle(), "localhost");
  s.ws.next_layer().handshake(asio::ssl::stream_base::client);
  s.ws.read_message_max(4 * 1024 * 1024);
  s.ws.handshake("localhost:" + std::to_string(port), target);
}

WsClient::~WsClient() {
  try {
    close();
  } catch (...) {
  }
}

// Write errors are not thrown: a server that closes the socket (say, on an oversized frame) is a
// state the test observes with waitClosed().
void WsClient::send(const std::string& text) {
  boost::system::error_code ec;
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text), ec);
}

void WsClient::sendBinary(const std::string& data) {
  boost::system::error_code ec;
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(data), ec);
}

std::optional<nlohmann::json> WsClient::next(std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  if (s.closed) return std::nullopt;
  if (!s.reading) {
    s.reading = true;
    s.readDone = false;
    s.ws.async_read(s.buffer, [&s](boost::system::error_code ec, std::size_t) {
      s.readError = ec;
      s.readDone = true;
      s.reading = false;
    });
  }
  if (!runUntil(s.ioc, s.readDone, timeout)) return std::nullopt;  // the read stays pending for next time
  if (s.readError) {
    s.closed = true;
    return std::nullopt;
  }
  const std::string text = beast::buffers_to_string(s.buffer.data());
  s.buffer.consume(s.buffer.size());
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return nlohmann::json{{"raw", text}};
  return parsed;
}

nlohmann::json WsClient::waitFor(const std::string& type, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto m = next(left);
    if (!m) break;
    if (m->value("type", "") == type) return *m;
    skipped_.push_back(*m);
  }
  std::string seen;
  for (const auto& m : skipped_) seen += m.dump() + "\n";
  throw std::runtime_error("no '" + type + "' message arrived; earlier messages:\n" + seen);
}

std::vector<nlohmann::json> WsClient::sync(std::chrono::milliseconds timeout) {
  skipped_.clear();
  send(R"({"type":"getActiveStreams"})");
  waitFor("activeStreams", timeout);
  auto before = skipped_;
  skipped_.clear();
  return before;
}

bool WsClient::waitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->closed) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    auto m = next(left);
    if (m) skipped_.push_back(*m);
  }
  return true;
}

int WsClient::closeCode() const { return impl_->ws.reason().code; }
std::string WsClient::closeReason() const { return std::string(impl_->ws.reason().reason.c_str()); }

void WsClient::close() {
  auto& s = *impl_;
  if (s.closed) return;
  s.closed = true;
  boost::system::error_code ec;
  bool done = false;
  s.ws.async_close(websocket::close_code::normal, [&](boost::system::error_code) { done = true; });
  runUntil(s.ioc, done, std::chrono::seconds(2));
  beast::get_lowest_layer(s.ws).socket().close(ec);
}

HttpResult https(int port, const std::string& method, const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers) {
  asio::io_context ioc;
  auto tls = makeClientTls();
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  tcp::resolver resolver(ioc);
  beast::get_lowest_layer(stream).connect(resolver.resolve("127.0.0.1", std::to_string(port)));
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  stream.handshake(asio::ssl::stream_base::client);

  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "localhost:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() && req.find(http::field::content_type) == req.end()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  http::read(stream, buffer, parser);
  auto res = parser.release();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = res.body();
  boost::system::error_code ec;
  beast::get_lowest_layer(stream).socket().close(ec);
  return out;
}

std::string conferenceTarget(const std::string& room, bool host, const std::string& hostToken, bool mixer,
                             const std::string& mixerId) {
  std::string t = "/?testbed=conference&room=" + room + "&host=" + (host ? "true" : "false") +
                  "&mixer=" + (mixer ? "true" : "false");
  if (!hostToken.empty()) t += "&hostToken=" + hostToken;
  if (!mixerId.empty()) t += "&mixerId=" + mixerId;
  return t;
}

nlohmann::json compositionBody(const std::string& event, const std::string& scope, int port, int mixers,
                               const std::string& page) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < mixers; ++i)
    list.push_back({{"mixerName", i == 0 ? std::string("final") : "m" + std::to_string(i)},
                    {"mixingPage", !page.empty() ? page
                                                 : "https://localhost:" + std::to_string(port) +
                                                       "/index.html#/mixer?scope=" + scope},
                    {"streamName", scope.substr(scope.rfind('/') + 1) + (i == 0 ? "" : std::to_string(i))},
                    {"path", scope},
                    {"width", "640"},
                    {"height", "360"},
                    {"framerate", "30"},
                    {"bitrate", "1000"},
                    {"doForward", true},
                    {"destinationMixerName", i == 0 ? "" : "final"}});
  return {{"event", event}, {"transcodeComposition", false}, {"digest", "d"}, {"location", {"local"}}, {"mixers", list}};
}

}  // namespace confhost::test
