#pragma once
// The host console's stream previews: one WHEP play per StartPreview of HostSession (a
// MediaSessionClient with retry), stopped (DELETE, peer closed, texture freed) on StopPreview. Tiles ask
// for a stream's TileVideo: the newest frame as a texture plus its stats and state.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "core/media_session_client.hpp"
#include "core/settings.hpp"
#include "host_console.hpp"
#include "rtc_engine.hpp"
#include "view_widgets.hpp"

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
  struct Preview {
    std::string scope, stream;
    media::MediaSessionClient client;
    ui::TileVideo tile;
    bool hasVideo = false;
  };
  void feed(const std::string& session, const media::Event& event);
  const ui::TileVideo* tileOf(const std::string& session);
  void perform(const std::string& session, const std::vector<media::Effect>& effects);
  media::MediaSessionClient* client(const std::string& session);

  RtcEngine& rtc_;
  int owner_ = 0;
  std::string origin_;
  media::Auth auth_;
  std::vector<IceServer> iceServers_;
  int64_t nowMs_ = 0;
  std::string compositeSession_;  // "<scope>/<room>" while the composite plays, "" otherwise
  std::map<std::string, Preview> previews_;                    // by session id "<scope>/<stream>"
  std::map<std::string, media::MediaSessionClient> retiring_;  // stopped, finishing their DELETE
};

// Media auth and ICE servers as the settings say (auth only when round-trip auth is enabled).
media::Auth mediaAuthOf(const Settings& settings);
std::vector<IceServer> iceServersOf(const Settings& settings);

}  // namespace confhost
