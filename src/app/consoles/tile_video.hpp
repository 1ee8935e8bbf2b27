#pragma once
// What a tile shows of its stream's media: the peer's live video (placed by app/platform/media/video_overlay),
// its stats and its state, or nothing yet. The consoles fill it, the views draw it (ui::DrawStreamTile).
#include <optional>
#include <string>

namespace confhost {

struct PeerStats;
struct VideoFrame;

struct TileVideo {
  bool live = false;              // false: draw the placeholder
  int peer = 0;                   // the RTC glue's handle of the video (0 = the local camera)
  int width = 0, height = 0;      // the video's size, for letterboxing
  std::string stats;              // "640×480 · 1.2 Mb/s · 30 fps"
  float audioLevel = -1.0f;       // 0..1, < 0 = no audio meter
  bool stalled = false;           // last frame kept, marked
  std::string status;             // "connecting…", "failed: 404 Not Found", "" when playing
};

// A tile of the peer's latest frame (nullopt: none yet) and stats; true when a frame came.
bool fillTile(TileVideo& tile, const std::optional<VideoFrame>& frame, const PeerStats* stats);

}  // namespace confhost
