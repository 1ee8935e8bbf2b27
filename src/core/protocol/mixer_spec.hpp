#pragma once
// One mixer of a composition, as the host asks for it (createComposition, POST /composition) and the
// Stream Manager echoes it. Below messages.hpp, so the composition rules can check it without the
// whole protocol.
#include <string>

namespace confhost {

struct MixerSpec {
  std::string mixerName;
  std::string mixingPage;  // URL of the page the mixer node loads
  std::string streamName;  // the composite's stream name (= room name)
  std::string path;        // the composite's scope (e.g. "live/room1")
  int width = 1280;
  int height = 720;
  int framerate = 30;
  int bitrate = 1500;  // kbps
  bool doForward = true;
  std::string destinationMixerName;  // "" for the final mixer
  bool operator==(const MixerSpec& o) const {
    return mixerName == o.mixerName && mixingPage == o.mixingPage && streamName == o.streamName && path == o.path &&
           width == o.width && height == o.height && framerate == o.framerate && bitrate == o.bitrate &&
           doForward == o.doForward && destinationMixerName == o.destinationMixerName;
  }
};

}  // namespace confhost
