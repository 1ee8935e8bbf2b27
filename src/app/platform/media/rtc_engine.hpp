#pragma once
// The RTC and HTTP ports of the media state machines on the browser: performs MediaSessionClient
// effects (through web/confhost_rtc.js and FetchHttpClient) and routes the browser's results back as
// media::Events. Several owners (host previews, the participant, the mixer) share it; each names its
// sessions, and the engine keys peers by (owner, session, peerId) with one JS handle per peer. Results
// for a removed owner or a closed peer are dropped.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/media/media_session_client.hpp"
#include "app/platform/fetch_http_client.hpp"

namespace confhost {

// What the page does with a peer's received audio.
enum class RemoteAudio {
  Play,  // its own <audio> element, audible (the participant's mix-minus)
  Mute,  // its own <audio> element, muted: levels only (host previews)
  Mix,   // into the mixer's published audio (the mixer's AudioBridge feed)
};

struct LocalMedia {  // capture constraints for the "camera"/"microphone" sources
  bool camera = true;
  bool microphone = true;
  int width = 640;
  int height = 480;
};

struct PeerStats {  // reduced from getStats once a second by the glue
  int kbps = 0;
  int width = 0, height = 0;
  double fps = 0;
  int64_t packetsLost = 0;
  double audioLevel = -1;  // 0..1, < 0 = no audio
  uint64_t framesDecoded = 0;
};

struct VideoFrame {  // a peer's video element, shown on tiles by app/platform/media/video_overlay
  int handle = 0;
  int width = 0, height = 0;
  uint64_t frames = 0;  // frames presented so far
};

class RtcEngine {
 public:
  using Sink = std::function<void(const std::string& session, const media::Event& event)>;
  using AudioPolicy = std::function<RemoteAudio(const std::string& session)>;

  explicit RtcEngine(FetchHttpClient& http) : http_(http) {}

  int addOwner(Sink sink, LocalMedia local, AudioPolicy audio);
  void removeOwner(int owner);  // closes its peers
  void perform(int owner, const std::string& session, const media::Effect& effect);

  int peerOf(int owner, const std::string& session) const;  // the session's current peer handle, 0 = none
  const PeerStats* stats(int handle) const;
  // The video's size and frame count; nullopt before the first frame. Handle 0 is the local camera.
  std::optional<VideoFrame> video(int handle) const;

  void deliver(int handle, const std::string& json);  // from the glue

 private:
  struct Owner {
    Sink sink;
    LocalMedia local;
    AudioPolicy audio;
  };
  struct Peer {
    int owner = 0;
    std::string session;
    int peerId = 0;
    PeerStats stats;
  };
  int handleOf(int owner, const std::string& session, int peerId) const;
  void closeHandle(int handle);

  FetchHttpClient& http_;
  std::map<int, Owner> owners_;
  std::map<int, Peer> peers_;                                    // by handle
  std::map<std::tuple<int, std::string>, int> current_;          // (owner, session) → latest handle
  int nextOwner_ = 1;
  int nextHandle_ = 1;  // 0 is the local preview
};

// "640×480 · 1.2 Mb/s · 30 fps · lost 3" (only the parts that are known).
std::string describe(const PeerStats& stats);
nlohmann::json toJson(const PeerStats& stats);

}  // namespace confhost
