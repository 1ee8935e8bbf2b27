// The HTTP request path in-process: raw bytes → Beast's request parser → the Router with every
// feature the server wires (static files, Stream Manager API, /cluster/api, signed /webhook,
// credentials, the WHIP/WHEP proxy with no origin connected). A crash, an exception that reached the
// router's guard (answered 500 "internal error") or a JSON answer that is not UTF-8 is a finding.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

#include "server/streammanager/compositions.hpp"
#include "server/conference/conference_api.hpp"
#include "server/security/credential_validator.hpp"
#include "server/origin/janus_client.hpp"
#include "core/protocol/json_limits.hpp"
#include "server/logging/log.hpp"
#include "server/streammanager/mixers/null_mixer_launcher.hpp"
#include "server/net/router.hpp"
#include "server/site/static_files.hpp"
#include "server/streammanager/stream_manager_api.hpp"
#include "server/conference/stream_registry.hpp"
#include "server/security/webhook_signature.hpp"
#include "server/proxy/whip_whep_proxy.hpp"

using namespace confhost;
namespace http = boost::beast::http;

namespace {

const std::string kSecret = "fuzz-webhook-secret";

std::string makeWebRoot() {
  const std::string root = std::filesystem::temp_directory_path() / ("confhost-fuzz-site-" + std::to_string(getpid()));
  std::filesystem::create_directories(root + "/sub");
  std::ofstream(root + "/index.html") << "<!doctype html><title>fuzz</title>";
  std::ofstream(root + "/confhost.js") << "console.log(1);";
  std::ofstream(root + "/sub/index.html") << "sub";
  return root;
}

// The server's features, wired as main.cpp wires them, built once per fuzzing process.
struct Stack {
  boost::asio::io_context io;
  StreamRegistry streams;
  NullMixerLauncher launcher;
  std::unique_ptr<Compositions> compositions;
  std::unique_ptr<ConferenceApi> conference;
  std::unique_ptr<StreamManagerApi> streamManager;
  std::unique_ptr<CredentialValidator> credentials;
  std::shared_ptr<JanusClient> janus;
  std::unique_ptr<WhipWhepProxy> proxy;
  std::unique_ptr<StaticFiles> files;
  Router router;

  Stack() {
    setLogLevel(LogLevel::Error);
    CompositionSettings cs;
    compositions = std::make_unique<Compositions>(launcher, cs);
    ConferenceSettings conf;
    conf.hostToken = "fuzz-host-token";
    conf.webhookSecret = kSecret;
    conference = std::make_unique<ConferenceApi>(conf, *compositions, streams);
    StreamManagerSettings sm;
    sm.accessToken = "fuzz-sm-token";
    sm.serverAddress = "localhost:8443";
    streamManager = std::make_unique<StreamManagerApi>(sm, *compositions, streams, *conference);
    CredentialSettings cred;
    cred.accessToken = "fuzz-sm-token";
    credentials = std::make_unique<CredentialValidator>(cred);
    janus = JanusClient::create(io);
    janus->setUnavailableReason("no origin while fuzzing");
    WhipWhepProxy::Options po;
    po.accessToken = "fuzz-sm-token";
    proxy = std::make_unique<WhipWhepProxy>(io, janus, *conference, po);
    files = std::make_unique<StaticFiles>(makeWebRoot());

    router.addExact("/webhook", [this](HttpRequest r, Respond respond) { conference->handleWebhook(r, respond); });
    router.addExact("/validateCredentials",
                    [this](HttpRequest r, Respond respond) { credentials->handleValidate(r, respond); });
    router.addExact("/invalidateCredentials",
                    [this](HttpRequest r, Respond respond) { credentials->handleInvalidate(r, respond); });
    router.addExact("/cluster/api", [this](HttpRequest r, Respond respond) { streamManager->handleCluster(r, respond); });
    router.addPrefix("/streammanager/", [this](HttpRequest r, Respond respond) { streamManager->handle(r, respond); });
    router.addMatching(isProxyPath, [this](HttpRequest r, Respond respond) { proxy->handle(r, respond); });
    router.setStaticFiles(files.get());
  }
};

void check(const HttpResponse& res) {
  const auto type = res[http::field::content_type];
  if (type.find("json") != boost::beast::string_view::npos && !isValidUtf8(res.body())) std::abort();
  if (res.result() == http::status::internal_server_error &&
      res.body().find("internal error") != std::string::npos)
    std::abort();  // an exception escaped a feature: the router's guard caught what should not happen
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Stack stack;
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1024 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec && ec != http::error::need_more) return 0;
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }
  HttpRequest request = parser.release();
  // Webhooks are signed: sign them, or the fuzzer would only ever see the 401.
  if (request.target() == "/webhook")
    request.set(kWebhookSignatureHeader, webhookSignature(kSecret, request.body()));
  stack.router.handle(
      std::move(request), [](HttpResponse res) { check(res); },
      [](FileResponse res) {
        if (res.result() != http::status::ok) std::abort();
      });
  stack.io.poll();  // answers a feature posts (the origin being unavailable) run now
  stack.io.restart();
  return 0;
}
