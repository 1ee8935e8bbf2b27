#pragma once
// Live video on the console's tiles without WebGL: each tile's video is the peer's own <video> element,
// placed behind the canvas under the tile, and ImGui clears that rectangle of its frame to transparent
// (an ImDrawList callback, in draw order, so labels and popups drawn later stay on top). The browser
// then composites every new video frame itself, at the tile's size: the console neither uploads a
// texture nor draws an ImGui frame per video frame.
namespace confhost::video_overlay {

void install();     // makes ui::DrawStreamTile place live videos through this overlay
void beginFrame();  // before ImGui::NewFrame
void endFrame();    // after the draw data is rendered: videos no tile placed go back off screen

}  // namespace confhost::video_overlay
