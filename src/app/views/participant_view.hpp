#pragma once
// The participant page: who you are (stream name, and credentials when the stack checks them) before
// the broadcast, own preview and stats, the composite when admitted, the state of every media session,
// Start/Stop Broadcast. Plain functions of the state that emit commands.
#include <string>
#include <vector>

#include "core/sessions/participant_session.hpp"
#include "app/consoles/participant_console.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {

struct ParticipantView {
  const ParticipantSession& session;
  const ParticipantConfig& config;
  const ParticipantIdentity& identity;       // the "who are you" fields, as typed
  const std::vector<Error>& identityProblems;  // one per field, shown under it
  std::string lastError;
  const TileVideo& local;
  const TileVideo& composite;
};

void DrawParticipantView(const ParticipantView& view, std::vector<ParticipantCommand>& out);
// The widest the view draws a video tile, in device pixels: which simulcast layer fills it.
float maxCompositeTileWidth(float pixelRatio);

}  // namespace confhost
