#include "app/consoles/mixer_console.hpp"
#include "core/protocol/overloaded.hpp"

#include <algorithm>
#include <cmath>

#include "core/composition/layout.hpp"
#include "app/platform/media/mixer_canvas.hpp"

namespace confhost {

namespace {

// The composite's look, matching the console's theme: dark background, tiles a shade lighter, the presenter outlined in the
// console's accent, a stalled input outlined in amber with a marker, names on a strip along the bottom.
constexpr const char* kBackground = "#111216";
constexpr const char* kTile = "#242832";
constexpr const char* kPresenterBorder = "#6ea8fe";
constexpr const char* kStalledBorder = "#ecb84c";
constexpr const char* kLabel = "#e4e7ee";

}  // namespace

MixerConsole::MixerConsole(WebSocketTransport& transport, RtcEngine& rtc, const QueryParams& query,
                           std::string origin, uint32_t seed)
    : rtc_(rtc),
      runner_(transport, rtc,
              {LocalMedia{false, false, 0, 0},
               // The AudioBridge feed is everyone's voice: it becomes the composite's audio. Plays are video only.
               [](const std::string& session) {
                 return session == kMixerAudioSession ? RemoteAudio::Mix : RemoteAudio::Mute;
               },
               [this](const std::string& session, const media::Event& event) { feed(mixer::Media{session, event}); }}),
      session_(seed) {
  auto config = mixerConfigFromQuery(query, origin);
  if (!config) {
    configError_ = "This mixing page's URL is not usable: " + config.error().message();
    return;
  }
  mixer_canvas::setup(config->width, config->height, config->framerate);
  clock_.setFramerate(config->framerate);
  feed(mixer::Start{*config});
}

MixerConsole::~MixerConsole() { feed(mixer::Stop{}); }

void MixerConsole::tick(int64_t nowMs) {
  feed(mixer::Tick{nowMs});
  if (session_.state() != MixerPageState::Running) return;
  for (const RenderItem& item : session_.renderList()) {
    const int handle = runner_.peerOf(item.session);
    const auto video = handle ? rtc_.video(handle) : std::nullopt;
    if (video) feed(mixer::InputFrames{item.session, video->frames});
  }
  if (!clock_.due(static_cast<double>(nowMs))) return;
  drawCanvas();
  ++framesDrawn_;
  ++fpsWindowFrames_;
  if (nowMs - fpsWindowStart_ >= 1000) {
    outputFps_ = fpsWindowFrames_ * 1000.0 / static_cast<double>(nowMs - fpsWindowStart_);
    fpsWindowStart_ = nowMs;
    fpsWindowFrames_ = 0;
  }
}

void MixerConsole::drawCanvas() {
  const MixerConfig& config = session_.config();
  const float labelPx = std::max(12.0f, std::round(config.height * 0.032f));
  nlohmann::json items = nlohmann::json::array();
  for (const RenderItem& item : session_.renderList()) {
    const int handle = runner_.peerOf(item.session);
    const auto video = handle ? rtc_.video(handle) : std::nullopt;
    const bool sized = video && video->width > 0 && video->height > 0;
    const Rect fit =
        sized ? letterbox(item.rect, static_cast<float>(video->width), static_cast<float>(video->height)) : Rect{};
    items.push_back({{"x", item.rect.x}, {"y", item.rect.y}, {"w", item.rect.w}, {"h", item.rect.h},
                     {"vx", fit.x}, {"vy", fit.y}, {"vw", fit.w}, {"vh", fit.h}, {"handle", handle},
                     {"label", item.stalled ? item.label + "  (stalled)" : item.label},
                     {"presenter", item.presenter}, {"stalled", item.stalled}, {"tileColor", kTile},
                     {"borderColor", item.stalled ? kStalledBorder : kPresenterBorder}, {"labelColor", kLabel}});
  }
  const nlohmann::json scene = {
      {"background", kBackground},
      {"labelFont", std::to_string(static_cast<int>(labelPx)) + "px 'DejaVu Sans', sans-serif"},
      {"labelHeight", std::round(labelPx * 1.6f)},
      {"labelPadding", std::round(labelPx * 0.3f)},
      {"borderWidth", std::max(2.0f, std::round(config.height / 180.0f))},
      {"items", items},
  };
  mixer_canvas::draw(scene);
}

void MixerConsole::feed(const MixerEvent& event) {
  for (const MixerEffect& effect : session_.handle(event)) perform(effect);
}

// StateChanged and ShowError need nothing: the status panel reads MixerSession's state and lastError().
void MixerConsole::perform(const MixerEffect& effect) { runner_.perform(effect, [this](auto event) { feed(event); }); }

const PeerStats* MixerConsole::stats(const std::string& session) const { return runner_.stats(session); }

nlohmann::json MixerConsole::stateJson() const {
  nlohmann::json json = session_.stateJson();
  json["configError"] = configError_;
  json["outputFps"] = outputFps_;
  json["framesDrawn"] = framesDrawn_;
  std::vector<std::string> ids = {std::string(kMixerPublishSession), std::string(kMixerAudioSession)};
  for (const RenderItem& item : session_.renderList()) ids.push_back(item.session);
  runner_.addStats(json, ids);
  return json;
}

}  // namespace confhost
