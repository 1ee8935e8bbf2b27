#pragma once
// The host console's views: plain functions of the state that emit HostCommands. The only
// thing they edit in place is the Create Composition form the host is typing into (UI-owned data).
#include <functional>
#include <string>
#include <vector>

#include "core/composition/composition_form.hpp"
#include "core/sessions/host_session.hpp"
#include "app/consoles/host_command.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {

struct HostView {
  const HostState& state;
  std::vector<Error> formErrors;
  std::string formMessage;
  // The live media of a stream's preview, nullptr while there is none (placeholder tile).
  std::function<const TileVideo*(const std::string& stream)> videoOf;
  const TileVideo* composite = nullptr;  // the real composite while the composition is composing
  const HostKeyboard* keyboard = nullptr;  // the focused tile, the help overlay, the destroy question
  std::vector<KeyPress> keys;               // the named keys pressed since the last frame (platform)
  // Where the conference tiles were drawn this frame (framebuffer pixels), for automation: a test drags
  // one onto another as a person would.
  struct DrawnTile { std::string stream; float x, y, w, h; };
  std::vector<DrawnTile>* drawnTiles = nullptr;
  // Whether `stream` in `list` has the keyboard focus (drawn as a ring around its tile).
  bool focused(TileList list, const std::string& stream) const {
    return keyboard && keyboard->list == list && keyboard->stream == stream;
  }
  const TileVideo* video(const std::string& stream) const { return videoOf ? videoOf(stream) : nullptr; }
};

// Whether the origin hears `stream` speak now (its tile gets a ring).
bool isTalking(const HostState& state, const std::string& stream);

void DrawHostView(const HostView& view, CompositionForm& form, std::vector<HostCommand>& out);

void DrawErrorBanner(const HostState& state, std::vector<HostCommand>& out);
void DrawConnectionStatus(const HostState& state, std::vector<HostCommand>& out);
void DrawActiveComposition(const HostState& state, std::vector<HostCommand>& out);
void DrawCompositionForm(CompositionForm& form, const std::vector<Error>& errors, const std::string& message,
                         const HostState& state, std::vector<HostCommand>& out);
void DrawWaitingRoom(const HostView& view, std::vector<HostCommand>& out);
void DrawConference(const HostView& view, std::vector<HostCommand>& out);
// Keys while no text field has focus → PressKey; the destroy question and the `?` overlay.
void ReadHostKeys(const HostView& view, std::vector<HostCommand>& out);
void DrawDestroyQuestion(const HostView& view, std::vector<HostCommand>& out);
void DrawShortcutHelp(const HostView& view, std::vector<HostCommand>& out);
// The keyboard focus ring around a tile at [min, min + size].
void DrawFocusRing(ImDrawList* dl, ImVec2 min, ImVec2 size);

}  // namespace confhost
