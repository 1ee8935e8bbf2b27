// Active Composition (selector, room, state, mixers, Destroy) and the Create Composition form.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "core/composition/composition_rules.hpp"
#include "app/views/host/host_view.hpp"
#include "app/views/theme.hpp"

namespace confhost {
namespace {

// A labelled text input with its inline validation message underneath.
void TextField(const char* label, std::string* value, const std::vector<Error>& errors, const char* field,
               const char* help) {
  ImGui::InputText(label, value);
  ui::Tooltip(help);
  ui::FieldError(errorFor(errors, field));
}

// A number input whose help names the range the composition rules enforce.
void IntField(const char* label, int* value, const std::vector<Error>& errors, const CompositionLimit& limit,
              const char* help) {
  ImGui::InputInt(label, value, 0, 0);
  ui::Tooltip((help + (" (" + std::to_string(limit.lo) + "-" + std::to_string(limit.hi) + ").")).c_str());
  ui::FieldError(errorFor(errors, limit.field));
}

}  // namespace

void DrawActiveComposition(const HostState& state, std::vector<HostCommand>& out) {
  ui::Heading("Active Composition");
  const Composition* selected = state.selectedComposition();

  const char* preview = selected ? selected->event.c_str() : "(none)";
  ImGui::SetNextItemWidth(-ui::Em(5));
  if (ImGui::BeginCombo("Event", preview)) {
    for (const Composition& c : state.compositions) {
      ImGui::PushID(c.event.c_str());
      const bool isSelected = c.event == state.selectedEvent;
      if (ImGui::Selectable(c.event.c_str(), isSelected)) out.push_back(host::SelectComposition{c.event});
      if (isSelected) ImGui::SetItemDefaultFocus();
      ImGui::PopID();
    }
    if (state.compositions.empty()) ImGui::TextDisabled("No composition in this room yet.");
    ImGui::EndCombo();
  }
  ui::Tooltip("The compositions the server lists for this room. Create one below.");

  ImGui::TextDisabled("Room");
  ImGui::SameLine(ui::Em(5));
  ImGui::TextUnformatted(state.config.scope.empty() ? "-" : state.config.scope.c_str());

  ImGui::TextDisabled("State");
  ImGui::SameLine(ui::Em(5));
  ui::StatusDot(ui::colorOf(state.selectedState));
  ImGui::TextUnformatted(std::string(toString(state.selectedState)).c_str());
  ui::Tooltip("Pending: the mixer node is starting or its page is connecting. Composing: the composite is "
              "publishing. Failed: a mixer died (destroy it). Destroying: destroy sent.");

  if (selected && !selected->mixers.empty()) {
    if (ImGui::BeginTable("mixers", 3, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
      // The id is long and has a tooltip; state and page must stay readable.
      ImGui::TableSetupColumn("Mixer", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("State", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("terminating").x);
      ImGui::TableSetupColumn("Page", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("not connected").x);
      ImGui::TableHeadersRow();
      for (const MixerStatus& m : selected->mixers) {
        ImGui::PushID(m.id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.name.empty() ? m.id.c_str() : m.name.c_str());
        ui::Tooltip(("id " + m.id + "\nscope " + m.path + "\nregion " + m.location + "\nserver " +
                     m.serverAddress + "\npage " + m.page).c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(ui::colorOf(m.state), "%s", std::string(toString(m.state)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.isWebSocketConnected ? "connected" : "not connected");
        if (!m.lastError.empty()) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ui::FieldError(m.lastError);
        }
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
  }

  if (!selected) ImGui::BeginDisabled();
  if (ui::DangerButton("Destroy")) out.push_back(AskToDestroy{});
  ui::Tooltip("Stop the selected composition: its mixer node is shut down and the composite stops.");
  if (!selected) ImGui::EndDisabled();
}

void DrawCompositionForm(CompositionForm& form, const std::vector<Error>& errors, const std::string& message,
                         const HostState& state, std::vector<HostCommand>& out) {
  ui::Heading("Create Composition");
  ImGui::PushItemWidth(-ui::Em(7));

  TextField("Event", &form.event, errors, "event", "The composition's name (letters, digits, / _ -).");

  const char* presets[] = {"focused", "grid"};
  if (ImGui::BeginCombo("Mixing page", form.preset.c_str())) {
    for (const char* p : presets) {
      if (ImGui::Selectable(p, form.preset == p)) form.preset = p;
    }
    ImGui::EndCombo();
  }
  ui::Tooltip("Layout of the mixing page: focused = presenter large on top, the others in a row below; "
              "grid = equal tiles.");
  ui::FieldError(errorFor(errors, "preset"));

  TextField("Scope", &form.scope, errors, "scope", "The conference scope <app>/<room> the mixer composes.");
  TextField("Stream name", &form.streamName, errors, "streamName",
            "The composite's stream name; by convention the room name.");
  IntField("Width", &form.width, errors, kWidthLimit, "Composite width in pixels");
  IntField("Height", &form.height, errors, kHeightLimit, "Composite height in pixels");
  IntField("Framerate", &form.framerate, errors, kFramerateLimit, "Frames per second");
  IntField("Bitrate", &form.bitrate, errors, kBitrateLimit, "Composite video bitrate in kbps");

  if (!state.regions.empty()) {
    if (ImGui::BeginCombo("Region", form.region.empty() ? "(choose)" : form.region.c_str())) {
      for (const std::string& r : state.regions) {
        if (ImGui::Selectable(r.c_str(), form.region == r)) form.region = r;
      }
      ImGui::EndCombo();
    }
    ui::Tooltip("Where the mixer node runs (the server's mixerRegions).");
    ui::FieldError(errorFor(errors, "region"));
  } else {
    TextField("Region", &form.region, errors, "region",
              "Where the mixer node runs. The list appears when the server sends its mixer regions.");
  }
  ImGui::InputText("Digest", &form.digest, ImGuiInputTextFlags_Password);
  ui::Tooltip("The Stream Manager token the mixer node uses (from Settings).");
  ui::FieldError(errorFor(errors, "digest"));
  ImGui::PopItemWidth();

  ImGui::Spacing();
  if (ImGui::Button("Create Composition")) out.push_back(SubmitCompositionForm{});
  ui::Tooltip("Launch a mixer node that loads the mixing page and publishes the composite <scope>/<stream name>.");
  if (!errors.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(theme::palette().bad, "%d field%s to fix", static_cast<int>(errors.size()),
                       errors.size() == 1 ? "" : "s");
  }
  ui::FieldError(message);
}

}  // namespace confhost
