#pragma once
// The participant page: own preview and stats, the composite when admitted, the state of
// every media session, Start/Stop Broadcast. Plain functions of the state that emit commands.
#include <string>
#include <vector>

#include "core/sessions/participant_session.hpp"
#include "app/consoles/participant_console.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {

struct ParticipantView {
  const ParticipantSession& session;
  const ParticipantConfig& config;
  std::string lastError;
  const TileVideo& local;
  const TileVideo& composite;
};

void DrawParticipantView(const ParticipantView& view, std::vector<ParticipantCommand>& out);
// The widest the view draws a video tile, in device pixels: which simulcast layer fills it.
float maxCompositeTileWidth(float pixelRatio);

}  // namespace confhost
