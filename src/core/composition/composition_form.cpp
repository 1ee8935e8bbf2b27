#include "core/composition/composition_form.hpp"

#include <algorithm>

#include "core/composition/composition_rules.hpp"
#include "core/composition/layout.hpp"
#include "core/media/media_session_set.hpp"
#include "core/protocol/names.hpp"
#include "core/protocol/query_string.hpp"
#include "core/settings.hpp"

namespace confhost {

CompositionForm CompositionForm::defaults(const Settings& settings, const std::vector<std::string>& regions) {
  CompositionForm form;
  form.scope = settings.scope;
  form.event = roomNameOf(settings.scope);
  form.streamName = compositeStreamOf(settings.scope);
  form.digest = settings.streamManagerToken;
  form.applyRegions(regions);
  return form;
}

void CompositionForm::applyRegions(const std::vector<std::string>& regions) {
  if (regions.empty()) return;  // keep what we have until the server says otherwise
  if (region.empty() || std::find(regions.begin(), regions.end(), region) == regions.end()) {
    region = regions.front();
  }
}

std::vector<Error> CompositionForm::validate() const {
  std::vector<Error> errors;
  if (auto e = validateName("event", event); !e) errors.push_back(e.error());
  if (auto e = validateName("digest", digest); !e) errors.push_back(e.error());

  if (auto e = validateConferenceScope("scope", scope); !e) errors.push_back(e.error());
  if (auto e = validateStreamName("streamName", streamName); !e) errors.push_back(e.error());

  if (!parseLayoutPreset(preset)) errors.push_back({"preset", "must be " + layoutPresetChoices()});
  for (auto [limit, value] : {std::pair{kWidthLimit, width}, std::pair{kHeightLimit, height},
                              std::pair{kFramerateLimit, framerate}, std::pair{kBitrateLimit, bitrate}})
    if (auto e = checkLimit(limit, value); !e) errors.push_back(e.error());
  if (region.empty()) errors.push_back({"region", "missing (no mixer region announced by the server yet)"});
  return errors;
}

std::string CompositionForm::mixingPageUrl(std::string_view pageOrigin, std::string_view backend) const {
  std::string url = trimSlashes(pageOrigin) + "/index.html#/mixer";
  url += "?scope=" + percentEncode(scope);
  url += "&ws=" + percentEncode(backend);
  url += "&layout=" + percentEncode(preset);
  url += "&width=" + std::to_string(width);
  url += "&height=" + std::to_string(height);
  url += "&framerate=" + std::to_string(framerate);
  url += "&bitrate=" + std::to_string(bitrate);
  return url;
}

Expected<CompositionRequest> CompositionForm::toRequest(std::string_view pageOrigin, std::string_view backend,
                                                        std::string_view mixerName) const {
  std::vector<Error> errors = validate();
  if (!errors.empty()) return errors.front();
  if (auto e = validateName("mixerName", mixerName); !e) return e.error();

  MixerSpec mixer;
  mixer.mixerName = std::string(mixerName);
  mixer.mixingPage = mixingPageUrl(pageOrigin, backend);
  mixer.streamName = streamName;
  mixer.path = scope;
  mixer.width = width;
  mixer.height = height;
  mixer.framerate = framerate;
  mixer.bitrate = bitrate;
  mixer.doForward = true;
  mixer.destinationMixerName = "";

  CompositionRequest request;
  request.event = event;
  request.transcodeComposition = false;
  request.digest = digest;
  request.mixers = {mixer};
  request.location = {region};
  return request;
}

std::string errorFor(const std::vector<Error>& errors, std::string_view field) {
  for (const Error& e : errors) {
    if (e.field == field) return e.message();
  }
  return {};
}

std::string newMixerName(std::mt19937& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (int group : {8, 4, 4, 4, 12}) {
    if (!name.empty()) name += '-';
    for (int i = 0; i < group; ++i) name += kHex[rng() & 15];
  }
  return name;
}

}  // namespace confhost
