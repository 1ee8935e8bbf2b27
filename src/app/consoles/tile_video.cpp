#include "app/consoles/tile_video.hpp"

#include "app/platform/media/rtc_engine.hpp"

namespace confhost {

bool fillTile(TileVideo& tile, const std::optional<VideoFrame>& frame, const PeerStats* stats) {
  tile = TileVideo{};
  if (frame) {
    tile.live = true;
    tile.peer = frame->handle;
    tile.width = frame->width;
    tile.height = frame->height;
  }
  if (stats) {
    tile.stats = describe(*stats);
    tile.audioLevel = static_cast<float>(stats->audioLevel);
  }
  return frame.has_value();
}

}  // namespace confhost
