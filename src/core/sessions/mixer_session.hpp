#pragma once
// MixerSession: the mixing page's brain, sans-I/O. The app draws renderList()
// into its canvas every frame; everything that decides what is drawn and what is played is here.
//
// Rules (each has a test in tests/core/mixer_session_test.cpp):
// - Start opens a Conference API socket on room "<scope>" with mixer=true&mixerId=<id>&mixerSecret=<s>
//   (the server launched this page with both; without the secret it is not taken as that mixer), publishes the
//   canvas + the full audio mix by WHIP as "<scope>/<room>" (session "publish", source "canvas+mix",
//   the composition's bitrate) and joins the scope's AudioBridge muted (session "mix": POST
//   /as/v1/proxy/conference/<scope>/<room>?muted=true, sendrecv audio, source "silence"): its
//   mix-minus is everyone, which the adapter feeds into the publish's audio track.
// - `conference` for our scope: one WHEP play (video only: the audio comes from the mix) per listed
//   stream; the list is diffed, new streams start, gone streams stop. The composite's own stream (the
//   room name) is never played. The presenter and the order come from the same message.
// - renderList(): one item per conference stream, in list order, with the layout preset's rectangle on
//   the composition's canvas, the stream name as label, the presenter flag, the play session id (for the
//   adapter's video texture), whether video has arrived and whether it stalled (no new frame for
//   kStallMs: the tile keeps its last frame with a marker).
// - Network loss: socket reconnect with backoff, every media session retries with backoff.
// - Stop ends every session, closes the socket.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/composition/layout.hpp"
#include "core/media/media_session_set.hpp"
#include "core/sessions/socket/reconnecting_socket.hpp"
#include "core/sessions/role_io.hpp"

namespace confhost {

struct QueryParams;

struct MixerConfig {
  std::string origin;   // "https://host:port" of the WHIP/WHEP proxy (the page's origin)
  std::string backend;  // Conference API: "host:port" or ws(s):// URL
  std::string scope;    // "live/room1"
  std::string mixerId;  // appended to the socket URL so the server ties the socket to the composition
  std::string mixerSecret;  // proves to the server that this page is the mixer it launched
  LayoutPreset layout = LayoutPreset::Focused;
  int width = 1280;
  int height = 720;
  int framerate = 30;
  int bitrate = 1500;  // kbps
  media::Auth auth;
  std::vector<IceServer> iceServers;
};

// From the mixing page's URL query (scope, ws, layout, width, height, framerate, bitrate, mixerId, mixerSecret;
// token becomes auth.token). `origin` is the page's; backend defaults to the origin's host:port.
// Errors name the parameter: "scope: missing", "width: must be an integer in 16..4096".
Expected<MixerConfig> mixerConfigFromQuery(const QueryParams& query, std::string_view origin);

enum class MixerPageState { Idle, Running, Stopped };
std::string_view toString(MixerPageState);  // "idle", "running", "stopped"

inline constexpr std::string_view kMixerPublishSession = "publish";
inline constexpr std::string_view kMixerAudioSession = "mix";
inline constexpr std::int64_t kStallMs = 1000;

struct RenderItem {
  Rect rect;              // on the composition canvas (config width × height)
  std::string stream;     // conference stream name
  std::string label;      // drawn on the tile
  bool presenter = false;
  std::string session;    // id of its play session (the adapter's video source)
  bool hasVideo = false;  // at least one frame decoded
  bool stalled = false;   // frames stopped arriving: keep the last one, draw a marker
};

namespace mixer {

using namespace role_io;  // Stop, the socket's events and effects, Tick, Media, MediaEffect, ShowError

struct Start { MixerConfig config; };
// The adapter's count of decoded frames of a play session (polled stats), for stall detection.
struct InputFrames { std::string session; std::uint64_t framesDecoded = 0; };
struct StateChanged { MixerPageState state = MixerPageState::Idle; std::string message; };

}  // namespace mixer

using MixerEvent = std::variant<mixer::Start, mixer::Stop, mixer::SocketOpened, mixer::SocketClosed,
                                mixer::SocketMessage, mixer::Tick, mixer::InputFrames, mixer::Media>;
using MixerEffect = std::variant<mixer::OpenSocket, mixer::CloseSocket, mixer::MediaEffect,
                                 mixer::StateChanged, mixer::ShowError>;

class MixerSession {
 public:
  explicit MixerSession(std::uint32_t seed = 1);

  std::vector<MixerEffect> handle(const MixerEvent& event);

  MixerPageState state() const { return state_; }
  const MixerConfig& config() const { return config_; }
  const ReconnectingSocket& socket() const { return socket_; }
  const std::vector<std::string>& streams() const { return streams_; }  // conference list, in order
  const std::string& presenter() const { return presenter_; }
  const std::string& lastError() const { return lastError_; }
  // Session id of a stream's play ("play/<stream>/<n>"), "" when not playing.
  std::string playSessionOf(std::string_view stream) const;
  // The client of a session id (publish, mix or a play); nullptr when unknown.
  const media::MediaSessionClient* client(std::string_view session) const;

  std::vector<RenderItem> renderList() const;

  // For window.confhost: {"state","scope","layout","width","height","socket":{...},"streams":[..],
  //  "presenter","sessions":{id:{"state","reason","rtcConnected"}},"render":[{"stream","x","y","w","h",
  //  "presenter","hasVideo","stalled"}],"lastError"}
  nlohmann::json stateJson() const;

 private:
  struct Play {  // its client lives in media_ under `session`
    std::string session;
    std::uint64_t frames = 0;
    std::int64_t lastFrameAt = -1;
  };
  using Out = std::vector<MixerEffect>;
  void onStart(Out&, const mixer::Start&);
  void onStop(Out&);
  void onMessage(Out&, const std::string& text);
  void onTick(Out&, std::int64_t nowMs);
  void onFrames(const mixer::InputFrames&);
  void applyConference(Out&, std::vector<std::string> streams, std::string presenter);
  media::Start baseStart() const;

  MixerPageState state_ = MixerPageState::Idle;
  MixerConfig config_;
  ReconnectingSocket socket_;
  std::int64_t now_ = 0;
  std::string lastError_;
  std::vector<std::string> streams_;
  std::string presenter_;
  MediaSessionSet media_;               // publish, mix and the plays
  std::map<std::string, Play> plays_;   // by stream name
  int nextPlay_ = 1;
};

}  // namespace confhost
