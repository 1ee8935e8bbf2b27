#pragma once
// The settings page: edits a draft of the testbed Settings in place (UI-owned data), shows each field's
// validation message inline, and emits Save / Revert / Defaults. Saving is the App's job (localStorage).
#include <string>
#include <variant>
#include <vector>

#include "core/settings.hpp"

namespace confhost {

struct SettingsForm {
  Settings draft;
  std::string iceServersText;  // one URL per line (the draft's iceServers are rebuilt from it)
  std::string message;         // "Saved." or why saving failed
  bool messageIsError = false;

  static SettingsForm of(const Settings& settings);
  Settings settings() const;  // the draft with iceServers parsed from the text
};

struct SaveSettings {};
struct RevertSettings {};
struct ResetSettingsToDefaults {};
using SettingsCommand = std::variant<SaveSettings, RevertSettings, ResetSettingsToDefaults>;

void DrawSettings(SettingsForm& form, const std::vector<Error>& errors, std::vector<SettingsCommand>& out);

}  // namespace confhost
