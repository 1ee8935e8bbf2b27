#pragma once
// The mixing page's own panel: what the mixer node is doing (socket, sessions, inputs, output fps) and a
// schematic of the layout it draws. The composite itself is the canvas the publish captures.
#include "app/consoles/mixer_console.hpp"

namespace confhost {

void DrawMixerView(const MixerConsole& mixer);

}  // namespace confhost
