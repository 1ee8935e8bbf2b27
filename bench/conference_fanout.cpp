// Conference API fan-out benchmark (issue 3): R rooms × S sockets; each room's host issues
// promote/demote operations one after another (all rooms at once); for every operation we time how long
// until *every* socket of the room has received the new `conference` list. Prints connect time, that
// latency (p50/p99/max), operations per second, and — given the server's pid — its RSS and CPU.
// One thread, async Beast clients over TLS, so the generator costs as little CPU as possible.
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

struct Config {
  int port = 8443;
  std::string hostToken;
  std::string webhookSecret;
  int rooms = 50;
  int socketsPerRoom = 40;
  int ops = 1000;
  int streamsPerRoom = 4;
  int serverPid = 0;
  int maxConnecting = 64;
  std::string prefix = "bench";
};

// The X-Confhost-Signature of a webhook body: sha256=<hex of HMAC-SHA256(secret, body)>.
std::string webhookSignature(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), digest, &length);
  std::string out = "sha256=";
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    out += byte;
  }
  return out;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

long rssKiB(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double cpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

class Bench;

struct Room {
  std::string scope;
  std::vector<std::string> streams;  // published in the waiting room
  std::vector<std::string> conference;
  int opsLeft = 0;
  int acksPending = 0;
  Clock::time_point opStart;
  int nextStream = 0;
  bool promoteNext = true;
};

class Socket : public std::enable_shared_from_this<Socket> {
 public:
  Socket(Bench& bench, asio::io_context& ioc, asio::ssl::context& tls, int room, bool isCommander, std::string target)
      : bench_(bench), ws_(ioc, tls), room_(room), commander_(isCommander), target_(std::move(target)) {}
  void start(const tcp::endpoint& ep);
  void send(std::string text);
  int room() const { return room_; }
  Clock::time_point connectStart, connected;

 private:
  void read();
  void writeNext();
  Bench& bench_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buffer_;
  int room_;
  bool commander_;
  std::string target_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool sawInitialConference_ = false;
};

class Bench {
 public:
  explicit Bench(Config c) : cfg_(std::move(c)), tls_(asio::ssl::context::tls_client) {
    tls_.set_verify_mode(asio::ssl::verify_none);
  }

  int run();

  // From sockets.
  void onConnected(Socket& s);
  void onInitialConference(Socket& s);
  void onConference(Socket& s, const json& m);
  void onError(const std::string& what) {
    if (++errors_ <= 5) std::cerr << "bench: " << what << "\n";
  }

 private:
  void publishStreams();
  void connectMore();
  void startOps();
  void issue(int room);
  void finish();

  Config cfg_;
  asio::io_context ioc_{1};
  asio::ssl::context tls_;
  tcp::endpoint endpoint_;
  std::vector<Room> rooms_;
  std::vector<std::shared_ptr<Socket>> sockets_;
  std::vector<std::shared_ptr<Socket>> commanders_;
  std::size_t nextToConnect_ = 0;
  int connecting_ = 0;
  int ready_ = 0;
  int errors_ = 0;
  int opsDone_ = 0;
  std::vector<double> connectMs_, latencyMs_;
  Clock::time_point connectPhaseStart_, connectPhaseEnd_, opsStart_, opsEnd_;
  double cpuBeforeConnect_ = 0, cpuAfterConnect_ = 0, cpuAfterOps_ = 0;
  long rssBefore_ = -1, rssAfterConnect_ = -1, rssAfterOps_ = -1;
};

void Socket::start(const tcp::endpoint& ep) {
  connectStart = Clock::now();
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(ws_).async_connect(ep, [self](boost::system::error_code ec) {
    if (ec) return self->bench_.onError("connect: " + ec.message());
    beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
    self->ws_.next_layer().async_handshake(asio::ssl::stream_base::client, [self](boost::system::error_code ec) {
      if (ec) return self->bench_.onError("tls: " + ec.message());
      beast::get_lowest_layer(self->ws_).expires_never();
      self->ws_.async_handshake("localhost", self->target_, [self](boost::system::error_code ec) {
        if (ec) return self->bench_.onError("upgrade: " + ec.message());
        self->connected = Clock::now();
        self->bench_.onConnected(*self);
        self->read();
      });
    });
  });
}

void Socket::read() {
  auto self = shared_from_this();
  ws_.async_read(buffer_, [self](boost::system::error_code ec, std::size_t) {
    if (ec) {
      if (ec != websocket::error::closed && ec != asio::error::operation_aborted) self->bench_.onError("read: " + ec.message());
      return;
    }
    const std::string text = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    // Cheap pre-filter: only conference lists matter here.
    if (text.find("\"type\":\"conference\"") != std::string::npos) {
      const json m = json::parse(text, nullptr, false);
      if (!self->sawInitialConference_) {
        self->sawInitialConference_ = true;
        self->bench_.onInitialConference(*self);
      } else {
        self->bench_.onConference(*self, m);
      }
    } else if (text.find("\"type\":\"error\"") != std::string::npos) {
      self->bench_.onError("server error: " + text);
    }
    self->read();
  });
}

void Socket::send(std::string text) {
  out_.push_back(std::move(text));
  if (!writing_) writeNext();
}

void Socket::writeNext() {
  writing_ = true;
  auto self = shared_from_this();
  ws_.async_write(asio::buffer(out_.front()), [self](boost::system::error_code ec, std::size_t) {
    self->out_.pop_front();
    self->writing_ = false;
    if (ec) return self->bench_.onError("write: " + ec.message());
    if (!self->out_.empty()) self->writeNext();
  });
}

// Stream presence comes from the server's /webhook (what the proxy does for real publishes).
void Bench::publishStreams() {
  for (auto& room : rooms_) {
    for (const auto& name : room.streams) {
      beast::ssl_stream<beast::tcp_stream> stream(ioc_, tls_);
      beast::get_lowest_layer(stream).connect(endpoint_);
      stream.handshake(asio::ssl::stream_base::client);
      http::request<http::string_body> req{http::verb::post, "/webhook", 11};
      req.set(http::field::host, "localhost");
      req.set(http::field::content_type, "application/json");
      req.body() = json{{"type", "publish"}, {"scope", room.scope + "_wr"}, {"name", name}}.dump();
      req.set("X-Confhost-Signature", webhookSignature(cfg_.webhookSecret, req.body()));
      req.prepare_payload();
      http::write(stream, req);
      beast::flat_buffer b;
      http::response<http::string_body> res;
      http::read(stream, b, res);
      if (res.result() != http::status::ok) throw std::runtime_error("webhook refused: " + res.body());
      boost::system::error_code ec;
      beast::get_lowest_layer(stream).socket().close(ec);
    }
  }
}

void Bench::connectMore() {
  while (connecting_ < cfg_.maxConnecting && nextToConnect_ < sockets_.size()) {
    ++connecting_;
    sockets_[nextToConnect_++]->start(endpoint_);
  }
}

void Bench::onConnected(Socket& s) {
  --connecting_;
  connectMs_.push_back(ms(s.connected - s.connectStart));
  connectMore();
}

void Bench::onInitialConference(Socket&) {
  if (++ready_ == static_cast<int>(sockets_.size())) {
    connectPhaseEnd_ = Clock::now();
    if (cfg_.serverPid) {
      cpuAfterConnect_ = cpuSeconds(cfg_.serverPid);
      rssAfterConnect_ = rssKiB(cfg_.serverPid);
    }
    startOps();
  }
}

void Bench::startOps() {
  opsStart_ = Clock::now();
  for (int r = 0; r < cfg_.rooms; ++r)
    if (rooms_[r].opsLeft > 0) issue(r);
}

void Bench::issue(int r) {
  Room& room = rooms_[r];
  --room.opsLeft;
  json m;
  const std::string name = room.streams[room.nextStream % room.streams.size()];
  if (room.promoteNext) {
    m = {{"type", "promote"}, {"room", room.scope}, {"streamName", name}};
    room.conference.push_back(name);
  } else {
    m = {{"type", "demote"}, {"room", room.scope}, {"streamName", name}};
    room.conference.erase(std::remove(room.conference.begin(), room.conference.end(), name), room.conference.end());
    ++room.nextStream;
  }
  room.promoteNext = !room.promoteNext;
  room.acksPending = cfg_.socketsPerRoom;
  room.opStart = Clock::now();
  commanders_[r]->send(m.dump());
}

void Bench::onConference(Socket& s, const json& m) {
  Room& room = rooms_[s.room()];
  if (room.acksPending <= 0) return onError("unexpected conference push in " + room.scope);
  if (m.value("streams", json::array()) != json(room.conference))
    onError("stale list in " + room.scope + ": " + m.dump());
  if (--room.acksPending > 0) return;
  latencyMs_.push_back(ms(Clock::now() - room.opStart));
  ++opsDone_;
  if (room.opsLeft > 0) return issue(s.room());
  if (opsDone_ == cfg_.ops) finish();
}

void Bench::finish() {
  opsEnd_ = Clock::now();
  if (cfg_.serverPid) {
    cpuAfterOps_ = cpuSeconds(cfg_.serverPid);
    rssAfterOps_ = rssKiB(cfg_.serverPid);
  }
  ioc_.stop();
}

int Bench::run() {
  endpoint_ = tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(cfg_.port));
  for (int r = 0; r < cfg_.rooms; ++r) {
    Room room;
    room.scope = cfg_.prefix + "/room" + std::to_string(r);
    for (int k = 0; k < cfg_.streamsPerRoom; ++k) room.streams.push_back("s" + std::to_string(k));
    room.opsLeft = cfg_.ops / cfg_.rooms + (r < cfg_.ops % cfg_.rooms ? 1 : 0);
    rooms_.push_back(room);
  }
  if (cfg_.serverPid) rssBefore_ = rssKiB(cfg_.serverPid);
  publishStreams();

  // Per room: the commanding host on "<scope>_wr" (as the reference console), a host on "<scope>",
  // and participants on "<scope>".
  for (int r = 0; r < cfg_.rooms; ++r) {
    for (int k = 0; k < cfg_.socketsPerRoom; ++k) {
      const bool commander = k == 0;
      const bool host = k < 2;
      const std::string room = rooms_[r].scope + (commander ? "_wr" : "");
      std::string target = "/?testbed=conference&room=" + room + "&host=" + (host ? "true" : "false") + "&mixer=false";
      if (host) target += "&hostToken=" + cfg_.hostToken;
      auto s = std::make_shared<Socket>(*this, ioc_, tls_, r, commander, target);
      if (commander) commanders_.push_back(s);
      sockets_.push_back(std::move(s));
    }
  }
  if (cfg_.serverPid) cpuBeforeConnect_ = cpuSeconds(cfg_.serverPid);
  connectPhaseStart_ = Clock::now();
  connectMore();
  asio::steady_timer deadline(ioc_, std::chrono::seconds(120));
  deadline.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    std::cerr << "bench: gave up after 120 s (" << ready_ << " sockets ready, " << opsDone_ << " ops done)\n";
    ioc_.stop();
  });
  ioc_.run();

  const double connectWall = ms(connectPhaseEnd_ - connectPhaseStart_);
  const double opsWall = ms(opsEnd_ - opsStart_);
  std::printf("Conference API fan-out: %d rooms x %d sockets (%zu sockets), %d promote/demote ops\n", cfg_.rooms,
              cfg_.socketsPerRoom, sockets_.size(), cfg_.ops);
  std::printf("connect: all %zu sockets connected and synced in %.0f ms; per socket TCP+TLS+upgrade p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              sockets_.size(), connectWall, percentile(connectMs_, 50), percentile(connectMs_, 99),
              connectMs_.empty() ? 0 : *std::max_element(connectMs_.begin(), connectMs_.end()));
  if (opsDone_ == cfg_.ops) {
    std::printf("op → every socket of the room has the new conference list: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                percentile(latencyMs_, 50), percentile(latencyMs_, 99),
                *std::max_element(latencyMs_.begin(), latencyMs_.end()));
    std::printf("throughput: %d ops in %.0f ms = %.0f ops/s (%.0f conference messages delivered/s)\n", opsDone_, opsWall,
                opsDone_ / (opsWall / 1000.0), opsDone_ * cfg_.socketsPerRoom / (opsWall / 1000.0));
  } else {
    std::printf("INCOMPLETE: %d of %d ops done\n", opsDone_, cfg_.ops);
  }
  if (cfg_.serverPid) {
    std::printf("server RSS: %.1f MiB before, %.1f MiB with all sockets, %.1f MiB after the ops\n", rssBefore_ / 1024.0,
                rssAfterConnect_ / 1024.0, rssAfterOps_ / 1024.0);
    std::printf("server CPU: connect phase %.2f s (%.0f%% of a core), ops phase %.2f s (%.0f%% of a core)\n",
                cpuAfterConnect_ - cpuBeforeConnect_, 100.0 * (cpuAfterConnect_ - cpuBeforeConnect_) / (connectWall / 1000.0),
                cpuAfterOps_ - cpuAfterConnect_, 100.0 * (cpuAfterOps_ - cpuAfterConnect_) / (opsWall / 1000.0));
    // CPU time per operation does not depend on what else the machine is running, unlike wall times.
    if (opsDone_ > 0)
      std::printf("server CPU per op: %.0f us (%.1f us per conference message sent)\n",
                  1e6 * (cpuAfterOps_ - cpuAfterConnect_) / opsDone_,
                  1e6 * (cpuAfterOps_ - cpuAfterConnect_) / (static_cast<double>(opsDone_) * cfg_.socketsPerRoom));
  }
  std::printf("errors: %d\n", errors_);
  return opsDone_ == cfg_.ops && errors_ == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  CLI::App app{"Conference API fan-out load generator"};
  app.add_option("--port", cfg.port, "server HTTPS port");
  app.add_option("--host-token", cfg.hostToken, "the server's host token")->required();
  app.add_option("--webhook-secret", cfg.webhookSecret, "the server's webhook secret (signs the publishes)")->required();
  app.add_option("--rooms", cfg.rooms);
  app.add_option("--sockets", cfg.socketsPerRoom, "sockets per room (first two are hosts)")->check(CLI::Range(2, 100000));
  app.add_option("--ops", cfg.ops, "promote/demote operations in total");
  app.add_option("--streams", cfg.streamsPerRoom, "waiting-room streams per room")->check(CLI::Range(1, 1000));
  app.add_option("--server-pid", cfg.serverPid, "server pid, to report its RSS and CPU");
  app.add_option("--max-connecting", cfg.maxConnecting, "connection attempts in flight");
  app.add_option("--prefix", cfg.prefix, "app name of the benchmark rooms");
  CLI11_PARSE(app, argc, argv);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  try {
    Bench bench(cfg);
    return bench.run();
  } catch (const std::exception& e) {
    std::cerr << "bench: " << e.what() << "\n";
    return 2;
  }
}
