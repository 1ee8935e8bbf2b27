#pragma once
// The named keys pressed since the console last looked (arrows, Enter, Escape), as the host keyboard
// names them. Recorded from GLFW's key callback, not read from ImGui's key state: ImGui 1.86 only sees
// whether a key is down when a frame starts, so a press and release between two frames (a quick tap, an
// automated one, or any tap while the idle loop polls slowly) would be lost.
#include <vector>

#include "core/sessions/host_keyboard.hpp"

namespace confhost::key_presses {

void record(int glfwKey, int glfwAction, int glfwMods);  // from the key callback
std::vector<KeyPress> take();                            // and clear

}  // namespace confhost::key_presses
