// The bridge's control protocol (both ends use whep_bridge_protocol), its forwarding plan, and the
// real confhost-whep-bridge program under garbage input.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <gst/gst.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "bridge/forwarding_plan.hpp"
#include "core/media/whep_bridge_protocol.hpp"

using namespace confhost::bridge;

namespace {

const char* kJanusOffer =
    "v=0\r\no=- 1 1 IN IP4 10.77.0.1\r\ns=VideoRoom\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 10.77.0.1\r\na=sendonly\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 10.77.0.1\r\na=sendonly\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n";

std::string viewerOffer(const std::string& videoCodecs, bool audio) {
  std::string s = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  s += "m=video 9 UDP/TLS/RTP/SAVPF " + videoCodecs + "\r\nc=IN IP4 0.0.0.0\r\na=recvonly\r\na=mid:0\r\n";
  if (videoCodecs.find("98") != std::string::npos) s += "a=rtpmap:98 H264/90000\r\na=fmtp:98 packetization-mode=1\r\n";
  if (videoCodecs.find("100") != std::string::npos) s += "a=rtpmap:100 VP8/90000\r\na=rtcp-fb:100 nack pli\r\n";
  if (audio) s += "m=audio 9 UDP/TLS/RTP/SAVPF 109\r\nc=IN IP4 0.0.0.0\r\na=recvonly\r\na=mid:1\r\na=rtpmap:109 opus/48000/2\r\n";
  return s;
}

struct Sdp {
  explicit Sdp(const std::string& text) : msg(*parseSdp(text, "sdp")) {}
  ~Sdp() { gst_sdp_message_free(msg); }
  GstSDPMessage* msg;
};

// Runs the bridge with `input` on stdin; returns its stdout and sets `status`.
std::string runBridge(const std::string& input, int& status) {
  char inPath[] = "/tmp/bridge-in-XXXXXX";
  const int fd = mkstemp(inPath);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  close(fd);
  const std::string cmd = std::string(CONFHOST_BRIDGE_BINARY) + " --stdio < " + inPath + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  status = pclose(p);
  unlink(inPath);
  return out;
}

}  // namespace

TEST_CASE("every command and event survives a format/parse round trip") {
  auto open = parseCommand(formatCommand(Open{"v=0 a", "v=0\r\nb\"\\"}));
  REQUIRE(open.ok());
  CHECK(std::get<Open>(*open).viewerOffer == "v=0\r\nb\"\\");
  CHECK(std::holds_alternative<Close>(*parseCommand(formatCommand(Close{}))));
  auto ended = parseEvent(formatEvent(Ended{"the viewer's connection failed"}));
  REQUIRE(ended.ok());
  CHECK(std::get<Ended>(*ended).reason == "the viewer's connection failed");
  auto opened = parseEvent(formatEvent(Opened{"v=0 o", "v=0 v"}));
  REQUIRE(opened.ok());
  CHECK(std::get<Opened>(*opened).originAnswer == "v=0 o");
}

TEST_CASE("a control line that is not a usable command is refused with the reason") {
  CHECK(parseCommand("hello").error().message() == "not JSON");
  CHECK(parseCommand("[1,2]").error().message() == "not a JSON object");
  CHECK(parseCommand("{\"type\":5}").error().message() == "type: missing or not a string");
  CHECK(parseCommand("{\"type\":\"fly\"}").error().message().find("unknown command 'fly'") != std::string::npos);
  CHECK(parseCommand("{\"type\":\"open\",\"originOffer\":\"v=0\"}").error().message() ==
        "viewerOffer: missing or not a string");
  CHECK(parseCommand("{\"type\":\"open\",\"originOffer\":\"v=0\",\"viewerOffer\":\"\"}").error().message() ==
        "viewerOffer: empty");
  // An ICE restart is not a bridge command: the proxy refuses bridged restarts itself (422).
  CHECK(parseCommand("{\"type\":\"restart\",\"viewerOffer\":\"v=0\"}").error().message().find("unknown command") !=
        std::string::npos);
  CHECK(parseCommand(std::string(kMaxLine + 1, 'x')).error().message().find("longer than") != std::string::npos);
  CHECK(parseEvent("{\"type\":\"opened\",\"originAnswer\":\"x\"}").error().field == "viewerAnswer");
}

TEST_CASE("the plan forwards each codec the origin sends to the payload type the viewer chose") {
  Sdp origin(kJanusOffer), viewer(viewerOffer("98 100", true));
  auto plan = planForwarding(*origin.msg, *viewer.msg);
  REQUIRE(plan.ok());
  REQUIRE(plan->routes.size() == 2);
  CHECK(plan->routes[0].codec == "VP8");
  CHECK(plan->routes[0].viewerPayload == 100);
  CHECK(plan->routes[0].originMline == 1);
  CHECK(plan->routes[0].viewerMline == 0);
  CHECK(plan->routes[1].codec == "OPUS");
  CHECK(plan->routes[1].viewerPayload == 109);
}

TEST_CASE("a viewer that offers none of the stream's codecs is refused naming both sides") {
  Sdp origin(kJanusOffer), viewer(viewerOffer("98", false));
  auto plan = planForwarding(*origin.msg, *viewer.msg);
  REQUIRE_FALSE(plan.ok());
  const std::string m = plan.error().message();
  CHECK(m.find("none of the codecs the stream carries") != std::string::npos);
  CHECK(m.find("video VP8/90000") != std::string::npos);
  CHECK(m.find("audio OPUS/48000") != std::string::npos);
  CHECK(m.find("it offers video H264/90000") != std::string::npos);
}

TEST_CASE("the bridge program answers garbage with refusals, keeps going, and ends cleanly") {
  int status = 0;
  const std::string out = runBridge(
      "hello\n[1]\n{\"type\":\"fly\"}\n" + std::string(kMaxLine + 10, 'z') + "\n\xff\xfe" + std::string(1, '\0') + "junk\n" +
          "{\"type\":\"candidates\",\"sdpfrag\":\"a=candidate:1 1 udp 1 1.2.3.4 9 typ host\"}\n"
          "{\"type\":\"open\",\"originOffer\":\"nope\",\"viewerOffer\":\"v=0\"}\n",
      status);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.find("\"error\":\"not JSON\"") != std::string::npos);
  CHECK(out.find("not a JSON object") != std::string::npos);
  CHECK(out.find("unknown command 'fly'") != std::string::npos);
  CHECK(out.find("longer than") != std::string::npos);
  CHECK(out.find("candidates: the bridge is not open") != std::string::npos);
  CHECK(out.find("\"type\":\"openFailed\"") != std::string::npos);
  CHECK(out.find("originOffer: not an SDP") != std::string::npos);
  CHECK(out.find("\"type\":\"ended\"") != std::string::npos);
}
