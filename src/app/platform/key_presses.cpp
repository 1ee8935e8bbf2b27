#include "app/platform/key_presses.hpp"

#include <GLFW/glfw3.h>

namespace confhost::key_presses {

namespace {
std::vector<KeyPress> gPressed;
}  // namespace

void record(int glfwKey, int glfwAction, int glfwMods) {
  if (glfwAction != GLFW_PRESS && glfwAction != GLFW_REPEAT) return;
  Key key;
  switch (glfwKey) {
    case GLFW_KEY_LEFT: key = Key::Left; break;
    case GLFW_KEY_RIGHT: key = Key::Right; break;
    case GLFW_KEY_UP: key = Key::Up; break;
    case GLFW_KEY_DOWN: key = Key::Down; break;
    case GLFW_KEY_ENTER: case GLFW_KEY_KP_ENTER: key = Key::Enter; break;
    case GLFW_KEY_ESCAPE: key = Key::Escape; break;
    default: return;  // letters and '?' arrive as typed characters (any keyboard layout)
  }
  if (gPressed.size() < 64) gPressed.push_back(KeyPress{key, (glfwMods & GLFW_MOD_SHIFT) != 0});
}

std::vector<KeyPress> take() {
  std::vector<KeyPress> out;
  out.swap(gPressed);
  return out;
}

}  // namespace confhost::key_presses
