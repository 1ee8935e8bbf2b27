#pragma once
// The host console's stream previews: one WHEP play per StartPreview of HostSession (a retrying media
// session), retired (DELETE, peer closed, texture freed) on StopPreview. Tiles ask for a stream's
// TileVideo: the live video (shown by app/platform/video_overlay) plus its stats and state.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "core/media/media_session_set.hpp"
#include "core/settings.hpp"
#include "app/consoles/host_console.hpp"
#include "app/consoles/session_runner.hpp"

namespace confhost {

class HostPreviews : public PreviewPort {
 public:
  HostPreviews(RtcEngine& rtc, const Settings& settings, std::string origin);
  ~HostPreviews() override;
  HostPreviews(const HostPreviews&) = delete;
  HostPreviews& operator=(const HostPreviews&) = delete;

  void startPreview(const std::string& scope, const std::string& stream) override;
  void stopPreview(const std::string& scope, const std::string& stream) override;
  void tick(int64_t nowMs);
  // The composite player of the host's conference section: plays <scope>/<room> while `on`.
  void playComposite(bool on, const std::string& scope);
  const ui::TileVideo* compositeVideo();
  // The tile media of a stream (any scope), nullptr when it has no preview.
  const ui::TileVideo* video(const std::string& stream);
  // {"<stream>": {"scope", "state", "reason", "rtcConnected", "hasVideo", "stats": {...}}}
  nlohmann::json stateJson() const;

 private:
  struct Preview {  // its media session is in media_ under the same id
    std::string scope, stream;
    ui::TileVideo tile;
    bool hasVideo = false;
  };
  const ui::TileVideo* tileOf(const std::string& session);

  RtcEngine& rtc_;
  SessionRunner runner_;
  MediaSessionSet media_;
  std::string origin_;
  media::Auth auth_;
  std::vector<IceServer> iceServers_;
  std::string compositeSession_;  // "<scope>/<room>" while the composite plays, "" otherwise
  std::map<std::string, Preview> previews_;  // by session id "<scope>/<stream>"
};

}  // namespace confhost
