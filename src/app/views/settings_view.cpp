#include "app/views/settings_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <sstream>

#include "core/composition/composition_form.hpp"  // errorFor
#include "app/views/theme.hpp"
#include "app/views/view_widgets.hpp"

namespace confhost {
namespace {

void TextField(const char* label, std::string* value, const std::vector<Error>& errors, const char* field,
               const char* help, ImGuiInputTextFlags flags = 0) {
  ImGui::InputText(label, value, flags);
  ui::Tooltip(help);
  ui::FieldError(errorFor(errors, field));
}

// Errors of "iceServers[i]" fields, all of them (the text box holds every entry).
std::string iceErrors(const std::vector<Error>& errors) {
  std::string text;
  for (const Error& e : errors) {
    if (e.field.rfind("iceServers", 0) == 0) text += (text.empty() ? "" : "\n") + e.message();
  }
  return text;
}

}  // namespace

SettingsForm SettingsForm::of(const Settings& settings) {
  SettingsForm form;
  form.draft = settings;
  for (const std::string& url : settings.iceServers) form.iceServersText += url + "\n";
  return form;
}

Settings SettingsForm::settings() const {
  Settings s = draft;
  s.iceServers.clear();
  std::istringstream lines(iceServersText);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    s.iceServers.push_back(line.substr(first, last - first + 1));
  }
  return s;
}

void DrawSettings(SettingsForm& form, const std::vector<Error>& errors, std::vector<SettingsCommand>& out) {
  Settings& s = form.draft;
  ui::Heading("Settings");
  ImGui::TextDisabled("Saved in this browser (localStorage). Links such as #/host?hostToken=T override them "
                      "for one visit.");
  ImGui::Spacing();
  ImGui::PushItemWidth(std::min(ui::Em(26), ImGui::GetContentRegionAvail().x * 0.6f));

  if (ImGui::CollapsingHeader("Server", ImGuiTreeNodeFlags_DefaultOpen)) {
    TextField("Host", &s.host, errors, "host", "host[:port] of the HTTPS front that serves this page.");
    TextField("Scope", &s.scope, errors, "scope", "The conference scope <app>/<room>, e.g. live/room1. "
              "Its waiting room is <scope>_wr.");
    TextField("Backend socket", &s.backend, errors, "backend",
              "Conference API WebSocket: host:port or a full wss:// URL. Empty = the host above.");
    TextField("Stream Manager URL", &s.streamManagerUrl, errors, "streamManagerUrl",
              "https://host[:port] of the Stream Manager API.");
    TextField("Stream Manager token", &s.streamManagerToken, errors, "streamManagerToken",
              "Access token for admin and composition calls; also the composition's digest.",
              ImGuiInputTextFlags_Password);
    TextField("Host token", &s.hostToken, errors, "hostToken",
              "The host credential the server printed (its host console link carries it). Without it the "
              "console can watch but not change the room.", ImGuiInputTextFlags_Password);
  }
  if (ImGui::CollapsingHeader("Participant", ImGuiTreeNodeFlags_DefaultOpen)) {
    TextField("Stream name", &s.participantStreamName, errors, "participantStreamName",
              "The name this browser publishes as (letters, digits, _ -; not \"join\").");
    ImGui::Checkbox("Camera", &s.media.camera);
    ui::Tooltip("Publish the camera.");
    ImGui::SameLine();
    ImGui::Checkbox("Microphone", &s.media.microphone);
    ui::Tooltip("Publish the microphone.");
    ImGui::InputInt("Capture width", &s.media.width, 0, 0);
    ui::Tooltip("Requested camera width in pixels (16-4096).");
    ui::FieldError(errorFor(errors, "media.width"));
    ImGui::InputInt("Capture height", &s.media.height, 0, 0);
    ui::Tooltip("Requested camera height in pixels (16-4096).");
    ui::FieldError(errorFor(errors, "media.height"));
  }
  if (ImGui::CollapsingHeader("Round-trip authentication")) {
    ImGui::Checkbox("Enabled", &s.auth.enabled);
    ui::Tooltip("Send username/password/token with publish, play and join (validated by the server).");
    TextField("Username", &s.auth.username, errors, "auth.username", "Round-trip auth username.");
    TextField("Password", &s.auth.password, errors, "auth.password", "Round-trip auth password.",
              ImGuiInputTextFlags_Password);
    TextField("Token", &s.auth.token, errors, "auth.token", "Optional round-trip auth token.");
  }
  if (ImGui::CollapsingHeader("ICE servers")) {
    ImGui::InputTextMultiline("##ice", &form.iceServersText, ImVec2(ImGui::CalcItemWidth(), ui::Em(5)));
    ui::Tooltip("One stun:, stuns:, turn: or turns: URL per line. Empty for the local stack.");
    ui::FieldError(iceErrors(errors));
  }
  ImGui::PopItemWidth();

  ImGui::Spacing();
  if (ImGui::Button("Save")) out.push_back(SaveSettings{});
  ui::Tooltip("Validate and save in this browser.");
  ImGui::SameLine();
  if (ImGui::Button("Revert")) out.push_back(RevertSettings{});
  ui::Tooltip("Discard the edits: back to the saved settings.");
  ImGui::SameLine();
  if (ImGui::Button("Defaults")) out.push_back(ResetSettingsToDefaults{});
  ui::Tooltip("Fill in the defaults for this page's host (not saved until you press Save).");
  if (!errors.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(theme::palette().bad, "%d field%s to fix", static_cast<int>(errors.size()),
                       errors.size() == 1 ? "" : "s");
  }
  if (!form.message.empty()) {
    ImGui::TextColored(form.messageIsError ? theme::palette().bad : theme::palette().ok, "%s",
                       form.message.c_str());
  }
}

}  // namespace confhost
