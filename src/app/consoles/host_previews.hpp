#pragma once
// The host console's tiles: what each preview and the composite show of the media session HostSession
// plays for them (the live video, shown by app/platform/media/video_overlay, its stats and its state). A tile
// lives as long as its session plays, so it remembers whether video ever came.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "core/sessions/host_session.hpp"
#include "app/consoles/session_runner.hpp"
#include "app/consoles/tile_video.hpp"

namespace confhost {

class HostPreviews {
 public:
  HostPreviews(const HostSession& session, const SessionRunner& runner, const RtcEngine& rtc)
      : session_(session), runner_(runner), rtc_(rtc) {}

  const TileVideo* video(const std::string& stream);  // a stream's preview, nullptr when it has none
  const TileVideo* compositeVideo();                  // nullptr while the composite does not play
  void forgetStopped();  // after every event: the tiles whose session no longer plays
  // {"<stream>": {"scope", "handle", "state", "reason", "rtcConnected", "hasVideo", "stats": {...}}}, the
  // composite under its stream name (the room's).
  nlohmann::json stateJson() const;

 private:
  struct Tile {
    TileVideo video;
    bool hasVideo = false;
  };
  const TileVideo* tileOf(const std::string& session);
  nlohmann::json describe(const Preview& preview, const std::string& session) const;

  const HostSession& session_;
  const SessionRunner& runner_;
  const RtcEngine& rtc_;
  std::map<std::string, Tile> tiles_;  // by media session
};

}  // namespace confhost
