#pragma once
// The mixing page's composite: a Canvas2D canvas at the composition's size, whose capture the publish
// sends (web/confhost_rtc.js). The console describes every frame as a scene; the glue only paints it.
#include <nlohmann/json.hpp>

namespace confhost::mixer_canvas {

void setup(int width, int height, int framerate);  // makes the canvas once, sizes it, starts its capture
// {background, labelFont, labelHeight, labelPadding, borderWidth, items: [{x, y, w, h, vx, vy, vw, vh (the
// letterboxed video), handle, label, presenter, stalled, tileColor, borderColor, labelColor}]}
void draw(const nlohmann::json& scene);

}  // namespace confhost::mixer_canvas
