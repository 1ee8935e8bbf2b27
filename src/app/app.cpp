#include "app/app.hpp"
#include "core/protocol/overloaded.hpp"

#include <imgui.h>

#include <cmath>

#include "app/platform/browser_page.hpp"
#include "app/platform/key_presses.hpp"
#include "core/composition/composition_form.hpp"
#include "app/views/host/host_view.hpp"
#include "app/views/mixer_view.hpp"
#include "app/views/participant_view.hpp"
#include "app/views/theme.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {

namespace {

constexpr const char* kSettingsKey = "confhost.settings";


nlohmann::json errorsJson(const std::vector<Error>& errors) {
  nlohmann::json json = nlohmann::json::object();
  for (const Error& e : errors) {
    if (!json.contains(e.field)) json[e.field] = e.message();
  }
  return json;
}

nlohmann::json ok() { return {{"ok", true}}; }
nlohmann::json refused(const std::string& reason) { return {{"ok", false}, {"error", reason}}; }

}  // namespace

App::App() {
  pageHost_ = browser::pageHost();
  pageOrigin_ = "https://" + pageHost_;
  loadStoredSettings();
  settingsForm_ = SettingsForm::of(stored_);
  enterRoute(parseRoute(browser::locationHash()));
}

App::~App() { leaveRoute(); }

void App::loadStoredSettings() {
  const auto text = browser::storageGet(kSettingsKey);
  if (!text) {
    stored_ = Settings::defaults(pageHost_);
    return;
  }
  LoadedSettings loaded = loadSettings(std::string_view(*text), pageHost_);
  stored_ = loaded.settings;
  for (const Error& e : loaded.errors) noticeLines_.push_back("Saved settings: " + e.message() + " (default kept)");
}

std::string App::saveStoredSettings(const Settings& settings) {
  const std::vector<Error> errors = validate(settings);
  if (!errors.empty()) return "Not saved: " + errors.front().message();
  if (!browser::storageSet(kSettingsKey, saveSettings(settings)))
    return "Not saved: this browser refused localStorage (private mode?)";
  stored_ = settings;
  return {};
}

Settings App::effectiveSettings(const Route& route) {
  Settings settings = stored_;
  for (const Error& e : applyQueryOverrides(settings, route.params))
    noticeLines_.push_back("Link parameter ignored: " + e.message());
  return settings;
}

void App::onHashChanged() {
  const Route next = parseRoute(browser::locationHash());
  leaveRoute();
  enterRoute(next);
}

void App::leaveRoute() {
  host_.reset();  // closes its sockets and stops its previews
  participant_.reset();
  mixer_.reset();
}

void App::enterRoute(const Route& route) {
  route_ = route;
  noticeLines_.clear();
  switch (route.id) {
    case RouteId::Host: {
      const Settings settings = effectiveSettings(route);
      host_ = std::make_unique<HostConsole>(transport_, rtc_, seed());
      host_->tick(nowMs_);
      host_->start(settings, pageOrigin_);
      break;
    }
    case RouteId::Participant:
      participant_ = std::make_unique<ParticipantConsole>(transport_, rtc_, effectiveSettings(route), pageOrigin_, seed());
      participant_->tick(nowMs_);
      // A link with autostart=1 (tests, kiosks) starts broadcasting at once, as the button would.
      if (route.params.get("autostart").value_or("") == "1") participant_->run(StartBroadcast{});
      break;
    case RouteId::Mixer:
      mixer_ = std::make_unique<MixerConsole>(transport_, rtc_, route.params, pageOrigin_, seed());
      break;
    case RouteId::Settings:
      settingsForm_ = SettingsForm::of(stored_);
      break;
    default:
      break;
  }
}

void App::runSettingsCommand(const SettingsCommand& command) {
  std::visit(Overloaded{
                 [&](const SaveSettings&) {
                   const std::string problem = saveStoredSettings(settingsForm_.settings());
                   settingsForm_.message = problem.empty() ? "Saved." : problem;
                   settingsForm_.messageIsError = !problem.empty();
                 },
                 [&](const RevertSettings&) { settingsForm_ = SettingsForm::of(stored_); },
                 [&](const ResetSettingsToDefaults&) {
                   settingsForm_ = SettingsForm::of(Settings::defaults(pageHost_));
                   settingsForm_.message = "Defaults filled in; press Save to keep them.";
                 },
             },
             command);
}

uint32_t App::seed() const {
  // Different per page load, so two consoles do not pick the same jitter or mixer names.
  return static_cast<uint32_t>(std::fmod(browser::randomSeed(), 4294967291.0)) + 1;
}

void App::update(double nowMs) {
  nowMs_ = static_cast<int64_t>(nowMs);
  if (host_) host_->tick(nowMs_);
  if (participant_) participant_->tick(nowMs_);
  if (mixer_) mixer_->tick(nowMs_);
}

FramePacerLimits App::pacerLimits() const {
  FramePacerLimits limits;
  if (route_.id == RouteId::Mixer || route_.id == RouteId::Standby) {
    // A headless page whose CPU belongs to the composite: its status panel redraws at most 4 times a second.
    limits.stateIntervalMs = limits.inputIntervalMs = 250;
    limits.settleFrames = 1;
  }
  return limits;
}

int App::loopIntervalMs() const {
  // Animation frames stall in a headless page that draws nothing on screen, and the composite must not
  // depend on them: the mixer's loop is a timer at twice its composite's rate.
  return mixer_ ? std::max(1, static_cast<int>(mixer_->frameIntervalMs() / 2)) : 0;
}

void App::drawUi() {
  ++frames_;
  ++fpsWindowFrames_;
  if (nowMs_ - fpsWindowStart_ >= 1000) {
    uiFps_ = fpsWindowFrames_ * 1000.0 / (nowMs_ - fpsWindowStart_);
    fpsWindowStart_ = static_cast<double>(nowMs_);
    fpsWindowFrames_ = 0;
  }
  // The host console has its own keyboard (arrows move the tile focus): ImGui's keyboard navigation
  // would move a second, invisible focus between buttons at the same time. Tab still moves between fields.
  keys_ = key_presses::take();  // every frame, so no route gets the presses meant for another
  ImGuiIO& io = ImGui::GetIO();
  if (route_.id == RouteId::Host) io.ConfigFlags &= ~ImGuiConfigFlags_NavEnableKeyboard;
  else io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  ImGui::Begin("Conference Host", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
  drawTopBar();
  drawRoute();
  ImGui::End();

  // Navigation last: the views above drew with the route they started with.
  std::vector<Navigate> navigation;
  navigation.swap(navigation_);
  for (const Navigate& n : navigation) browser::setLocationHash(routeHash(n.route));
}

void App::drawTopBar() {
  if (route_.id != RouteId::Menu && route_.id != RouteId::Mixer && route_.id != RouteId::Standby) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().accent);
    if (ImGui::SmallButton("Testbed Menu")) navigation_.push_back(Navigate{RouteId::Menu});
    ImGui::PopStyleColor();
    ui::Tooltip("Back to the testbed menu.");
    ImGui::SameLine();
    ImGui::TextDisabled(">");
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(routeTitle(route_.id)).c_str());
    if (route_.id != RouteId::Settings) {
      ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Settings").x -
                      2 * ImGui::GetStyle().FramePadding.x);
      if (ImGui::SmallButton("Settings")) navigation_.push_back(Navigate{RouteId::Settings});
      ui::Tooltip("Edit the testbed settings (saved in this browser).");
    }
    ImGui::Separator();
  }
  for (const std::string& line : noticeLines_) ui::FieldError(line);
}

void App::drawRoute() {
  switch (route_.id) {
    case RouteId::Menu: {
      MenuView view{stored_.scope, effectiveBackend(stored_), !stored_.hostToken.empty()};
      DrawMenu(view, navigation_);
      break;
    }
    case RouteId::Settings: {
      std::vector<SettingsCommand> commands;
      DrawSettings(settingsForm_, validate(settingsForm_.settings()), commands);
      for (const SettingsCommand& c : commands) runSettingsCommand(c);
      break;
    }
    case RouteId::Host: {
      if (!host_) break;
      HostView view{host_->state(), host_->formErrors(), host_->formMessage(),
                    [this](const std::string& stream) { return host_->previewVideo(stream); },
                    host_->compositeVideo(), &host_->keyboard(), keys_, &drawnTiles_};
      drawnTiles_.clear();
      std::vector<HostCommand> commands;
      DrawHostView(view, host_->form(), commands);
      for (const HostCommand& c : commands) host_->run(c);
      break;
    }
    case RouteId::Participant: {
      if (!participant_) break;
      ParticipantView view{participant_->session(), participant_->config(), participant_->identity(),
                           participant_->identityProblems(), participant_->lastError(),
                           participant_->localVideo(), participant_->compositeVideo()};
      std::vector<ParticipantCommand> commands;
      DrawParticipantView(view, commands);
      for (const ParticipantCommand& c : commands) participant_->run(c);
      break;
    }
    case RouteId::Mixer:
      if (mixer_) DrawMixerView(*mixer_);
      break;
    case RouteId::Standby:
      ui::Heading(std::string(routeTitle(route_.id)).c_str());
      ImGui::TextWrapped("This browser is a mixer node started ahead of need. The Stream Manager gives it a "
                         "composition by opening its mixing page here.");
      break;
    case RouteId::NotFound:
      ui::Heading("Page not found");
      ImGui::Text("There is no page at %s.", route_.path.c_str());
      if (ImGui::Button("Testbed Menu")) navigation_.push_back(Navigate{RouteId::Menu});
      break;
  }
}

std::string App::routeName() const { return std::string(confhost::routeName(route_.id)); }

nlohmann::json App::automationState() const {
  nlohmann::json state = host_          ? host_->stateJson()
                         : participant_ ? participant_->stateJson()
                         : mixer_       ? mixer_->stateJson()
                                        : nlohmann::json::object();
  state["route"] = routeName();
  if (host_) {
    // In CSS pixels, where a test's mouse moves.
    const double ratio = browser::devicePixelRatio();
    nlohmann::json tiles = nlohmann::json::object();
    for (const HostView::DrawnTile& t : drawnTiles_)
      tiles[t.stream] = {{"x", t.x / ratio}, {"y", t.y / ratio}, {"w", t.w / ratio}, {"h", t.h / ratio}};
    state["conferenceTiles"] = tiles;
  }
  state["frames"] = frames_;
  state["uiFps"] = uiFps_;
  state["notices"] = noticeLines_;
  if (route_.id == RouteId::Settings) {
    state["settingsForm"] = toJson(settingsForm_.settings());
    state["settingsErrors"] = errorsJson(validate(settingsForm_.settings()));
    state["settingsMessage"] = settingsForm_.message;
  }
  return state;
}

nlohmann::json App::automationSettings() const { return toJson(stored_); }

nlohmann::json App::automationCommand(const std::string& text) {
  const nlohmann::json command = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (command.is_discarded()) return refused("malformed JSON command");
  if (!command.is_object() || !command.contains("cmd") || !command["cmd"].is_string())
    return refused("cmd: missing (e.g. {\"cmd\": \"addToConference\", \"name\": \"alice\"})");
  const std::string cmd = command["cmd"].get<std::string>();

  if (cmd == "navigate") {
    const std::string route = command.value("route", "");
    for (RouteId id : {RouteId::Menu, RouteId::Settings, RouteId::Host, RouteId::Participant, RouteId::Mixer}) {
      if (route == confhost::routeName(id)) {
        navigation_.push_back(Navigate{id});
        return ok();
      }
    }
    return refused("route: unknown route '" + route + "' (menu, settings, host, participant, mixer)");
  }
  if (cmd == "editSettings" || cmd == "saveSettings") {
    // The same path as typing into the settings page and pressing Save.
    if (route_.id != RouteId::Settings) settingsForm_ = SettingsForm::of(stored_);
    nlohmann::json merged = toJson(settingsForm_.settings());
    if (command.contains("settings")) merged.merge_patch(command["settings"]);
    LoadedSettings loaded = loadSettings(merged, pageHost_);
    if (!loaded.errors.empty()) return refused(loaded.errors.front().message());
    settingsForm_ = SettingsForm::of(loaded.settings);
    if (cmd == "saveSettings") {
      runSettingsCommand(SaveSettings{});
      if (settingsForm_.messageIsError) return refused(settingsForm_.message);
    }
    return ok();
  }

  if (participant_) {
    auto parsed = parseParticipantCommand(command, participant_->identity());
    if (!parsed) return refused(parsed.error().message());
    const std::string problem = participant_->run(*parsed);
    return problem.empty() ? ok() : refused(problem);
  }
  if (!host_) return refused(cmd + ": the host console is not open (navigate to #/host first)");
  auto commands = parseHostCommand(command);
  if (!commands) return refused(commands.error().message());
  for (const HostCommand& c : *commands) {
    const std::string problem = host_->run(c);
    if (!problem.empty()) return refused(problem);
  }
  return ok();
}

}  // namespace confhost
