#include "app/platform/media/mixer_canvas.hpp"

extern "C" {
void confhost_mixer_setup(int width, int height, int framerate);
void confhost_mixer_draw(const char* sceneJson);
}

namespace confhost::mixer_canvas {

void setup(int width, int height, int framerate) { confhost_mixer_setup(width, height, framerate); }

void draw(const nlohmann::json& scene) { confhost_mixer_draw(scene.dump().c_str()); }

}  // namespace confhost::mixer_canvas
