#pragma once
// The console page: routes (menu, settings, host, participant, mixer), the saved settings, and the role
// that is running. One frame = tick the running role, draw the route's view, run the commands it
// emitted. window.confhost reaches the same command paths through automation*().
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/pacing/frame_pacer.hpp"
#include "core/settings.hpp"
#include "app/platform/fetch_http_client.hpp"
#include "app/consoles/host_console.hpp"
#include "app/views/host/host_view.hpp"
#include "app/consoles/mixer_console.hpp"
#include "app/consoles/participant_console.hpp"
#include "app/views/menu_view.hpp"
#include "app/route.hpp"
#include "app/views/settings_view.hpp"
#include "app/platform/media/rtc_engine.hpp"
#include "app/platform/web_socket_transport.hpp"

namespace confhost {

class App {
 public:
  App();
  ~App();

  void update(double nowMs);  // every animation frame: the running role's clock (the mixer's: its canvas too)
  FramePacerLimits pacerLimits() const;  // when the route's view redraws (the mixer's panel: ≤ 4 fps)
  int loopIntervalMs() const;            // 0: animation frames; the mixer: a timer at its composite's rate
  void drawUi();               // between ImGui::NewFrame and ImGui::Render
  void onHashChanged();
  FetchHttpClient& http() { return http_; }
  RtcEngine& rtc() { return rtc_; }

  // window.confhost
  nlohmann::json automationState() const;
  nlohmann::json automationSettings() const;
  nlohmann::json automationCommand(const std::string& text);
  std::string routeName() const;

 private:
  void enterRoute(const Route& route);
  void leaveRoute();
  void loadStoredSettings();
  std::string saveStoredSettings(const Settings& settings);  // "" or why it failed
  Settings effectiveSettings(const Route& route);  // stored settings + the route's query overrides
  void runSettingsCommand(const SettingsCommand& command);
  void drawTopBar();
  void drawRoute();
  uint32_t seed() const;

  std::string pageHost_;
  std::string pageOrigin_;
  Settings stored_;
  std::vector<std::string> noticeLines_;  // app-level problems (bad overrides, unreadable saved settings)
  Route route_;
  SettingsForm settingsForm_;
  WebSocketTransport transport_;
  FetchHttpClient http_;
  RtcEngine rtc_{http_};
  std::unique_ptr<HostConsole> host_;
  std::unique_ptr<ParticipantConsole> participant_;
  std::unique_ptr<MixerConsole> mixer_;
  double uiFps_ = 0;            // UI frames per second over the last second (bench: console frame rate)
  double fpsWindowStart_ = 0;
  int fpsWindowFrames_ = 0;
  std::vector<Navigate> navigation_;
  std::vector<KeyPress> keys_;  // the named keys pressed since the last frame
  std::vector<HostView::DrawnTile> drawnTiles_;  // the conference tiles of the last host frame (automation)
  int64_t nowMs_ = 0;
  int64_t frames_ = 0;  // UI frames drawn: tests wait for a few before a screenshot
};

}  // namespace confhost
