// confhost-whep-bridge: one standard WHEP viewer's media element (see forwarding_bridge.hpp). Started by
// confhost-server (GstWhepBridge), one process per viewer so a crash ends one view only; controlled by
// line-delimited JSON (src/server/whep_bridge_protocol.hpp) over a unix socket the server listens on,
// or over stdin/stdout for manual runs.
//
//   confhost-whep-bridge --connect NAME      connect to the abstract unix socket NAME (server mode)
//   confhost-whep-bridge --stdio             commands on stdin, events on stdout
//   confhost-whep-bridge --check             exit 0 when every GStreamer element needed is installed
#include <CLI/CLI.hpp>
#include <glib-unix.h>
#include <gst/gst.h>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <memory>

#include "bridge/control_channel.hpp"
#include "bridge/forwarding_bridge.hpp"
#include "core/media/whep_bridge_protocol.hpp"
#include "core/protocol/overloaded.hpp"

using namespace confhost::bridge;

namespace {

// Every element a bridge may instantiate, with the Debian package that has it.
int checkElements() {
  const std::pair<const char*, const char*> needed[] = {
      {"webrtcbin", "gstreamer1.0-plugins-bad"}, {"nicesrc", "gstreamer1.0-nice"},
      {"dtlssrtpenc", "gstreamer1.0-plugins-bad"}, {"srtpenc", "gstreamer1.0-plugins-bad"},
      {"rtpbin", "gstreamer1.0-plugins-good"}, {"rtpvp8depay", "gstreamer1.0-plugins-good"},
      {"rtpvp8pay", "gstreamer1.0-plugins-good"}, {"rtpopusdepay", "gstreamer1.0-plugins-good"},
      {"rtpopuspay", "gstreamer1.0-plugins-good"}, {"fakesink", "gstreamer1.0 core"}};
  std::string missing;
  for (const auto& [element, package] : needed) {
    GstElementFactory* f = gst_element_factory_find(element);
    if (!f) missing += std::string(missing.empty() ? "" : ", ") + element + " (" + package + ")";
    else gst_object_unref(f);
  }
  if (missing.empty()) return 0;
  g_printerr("GStreamer elements missing: %s\n", missing.c_str());
  return 1;
}

int connectAbstract(const std::string& name) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (name.size() + 1 > sizeof addr.sun_path) return -1;
  std::memcpy(addr.sun_path + 1, name.data(), name.size());  // leading NUL: the abstract namespace
  const socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string connectName;
  bool stdio = false, check = false;
  ForwardingBridge::Settings settings;
  CLI::App app{"confhost-whep-bridge: answers a standard WHEP viewer and the origin, forwards RTP between them"};
  app.add_option("--connect", connectName, "abstract unix socket of the server to connect to");
  app.add_flag("--stdio", stdio, "commands on stdin, events on stdout");
  app.add_flag("--check", check, "exit 0 when every GStreamer element needed is installed");
  app.add_option("--jitter-latency-ms", settings.jitterLatencyMs, "origin-side jitterbuffer latency")
      ->check(CLI::Range(0, 2000));
  app.add_option("--connect-timeout", settings.connectTimeoutS, "seconds the viewer has to connect")
      ->check(CLI::Range(1, 600));
  CLI11_PARSE(app, argc, argv);

  gst_init(nullptr, nullptr);
  if (check) return checkElements();
  if (stdio == !connectName.empty()) {
    g_printerr("give exactly one of --connect NAME or --stdio\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the server (also set by its launcher)
  signal(SIGPIPE, SIG_IGN);

  int readFd = STDIN_FILENO, writeFd = STDOUT_FILENO;
  if (!stdio) {
    readFd = writeFd = connectAbstract(connectName);
    if (readFd < 0) {
      g_printerr("cannot connect to the control socket @%s: %s\n", connectName.c_str(), strerror(errno));
      return 1;
    }
  }

  GMainLoop* loop = g_main_loop_new(nullptr, FALSE);
  std::unique_ptr<ControlChannel> control;
  std::unique_ptr<ForwardingBridge> bridge;
  int exitCode = 0;
  auto emit = [&](const Event& event) {
    if (auto* s = std::get_if<State>(&event)) g_printerr("bridge[%d]: %s\n", getpid(), s->what.c_str());
    if (control && !control->send(formatEvent(event))) g_main_loop_quit(loop);
    if (auto* e = std::get_if<Ended>(&event)) {
      g_printerr("bridge[%d]: ended: %s\n", getpid(), e->reason.c_str());
      exitCode = 0;
      g_main_loop_quit(loop);
    }
  };
  bridge = std::make_unique<ForwardingBridge>(settings, emit);
  control = std::make_unique<ControlChannel>(
      readFd, writeFd,
      [&](const std::string& line) {
        if (line.empty()) return;
        auto command = parseCommand(line);
        if (!command) {
          g_printerr("bridge[%d]: refused a control line: %s\n", getpid(), command.error().message().c_str());
          return emit(Refused{command.error().message()});
        }
        std::visit(confhost::Overloaded{
                       [&](const Open& o) { bridge->open(o); },
                       [&](const Candidates& c) { bridge->addViewerCandidates(c.sdpfrag); },
                       [&](const Close&) { g_main_loop_quit(loop); },
                   },
                   *command);
      },
      [&]() { emit(Refused{"a control line longer than " + std::to_string(kMaxLine) + " bytes was dropped"}); },
      [&]() { g_main_loop_quit(loop); });  // the server is gone
  g_unix_signal_add(SIGTERM, [](gpointer l) -> gboolean { g_main_loop_quit(static_cast<GMainLoop*>(l)); return G_SOURCE_REMOVE; }, loop);
  g_unix_signal_add(SIGINT, [](gpointer l) -> gboolean { g_main_loop_quit(static_cast<GMainLoop*>(l)); return G_SOURCE_REMOVE; }, loop);

  g_main_loop_run(loop);
  bridge.reset();  // pipeline to NULL: closes both peer connections
  control.reset();
  g_main_loop_unref(loop);
  return exitCode;
}
