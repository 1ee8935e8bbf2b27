#pragma once
// The host's "Create Composition" form (the seed's fields and defaults) and the exact createComposition
// message it produces, as the reference host page sends it: one mixer, destinationMixerName "", doForward true,
// transcodeComposition false, location = [region]. The mixing page is our own mixer route:
//   <pageOrigin>/index.html#/mixer?scope=<scope>&ws=<backend>&layout=<preset>&width=W&height=H
//                                  &framerate=F&bitrate=B
// (the server appends &mixerId=<id> before launching the mixer node).
//
// The form holds what the user typed; validate() returns one Error per offending field (field names
// are the member names below) so the view can show each message next to its input; toRequest() refuses
// (with the first error) to build anything from an invalid form.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/expected.hpp"
#include "core/protocol/messages.hpp"

namespace confhost {

struct Settings;

struct CompositionForm {
  std::string event;              // default: the room name
  std::string preset = "focused"; // mixing page layout: "focused" or "grid"
  std::string scope;              // default: settings.scope ("live/room1")
  std::string streamName;         // the composite's stream name; default: the room name
  int width = 1280;
  int height = 720;
  int framerate = 30;
  int bitrate = 1500;             // kbps
  std::string region;             // default: the first of the server's mixerRegions
  std::string digest;             // default: the Stream Manager token from settings

  // Defaults from the settings and the regions the server announced (may be empty: region stays "").
  static CompositionForm defaults(const Settings&, const std::vector<std::string>& regions);

  // Call when mixerRegions arrives: picks the first region when the current one is empty or unknown.
  void applyRegions(const std::vector<std::string>& regions);

  // Fields: event, digest, scope, streamName (valid names; scope is "<app>/<room>"; streamName not
  // "join"), preset, width, height, framerate, bitrate (composition_rules.hpp), region (required).
  std::vector<Error> validate() const;

  // The createComposition request; Error (the first problem) when the form is invalid.
  // `pageOrigin` is "https://host:port" (no trailing slash needed); `backend` is what the mixer page's
  // socket should use (host:port or ws(s):// URL); `mixerName` comes from newMixerName().
  Expected<CompositionRequest> toRequest(std::string_view pageOrigin, std::string_view backend,
                                         std::string_view mixerName) const;

  // The mixing-page URL for this form (no validation).
  std::string mixingPageUrl(std::string_view pageOrigin, std::string_view backend) const;
};

// The message of the first error of `errors` for `field`, "" when that field is fine — for inline
// display: `ImGui::TextColored(red, "%s", errorFor(errs, "width").c_str())`.
std::string errorFor(const std::vector<Error>& errors, std::string_view field);

// A uuid-shaped (8-4-4-4-12 lowercase hex) mixer name from the injected generator, so tests are
// deterministic and two hosts do not collide. A valid name (names.hpp).
std::string newMixerName(std::mt19937& rng);

}  // namespace confhost
