#include "app/views/participant_view.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/views/theme.hpp"
#include "core/composition/composition_form.hpp"  // errorFor

namespace confhost {

namespace {

constexpr float kMaxTileEm = 30;  // the widest a video tile is drawn, in font heights

ImVec4 colorOf(ParticipantState s) {
  const auto& p = theme::palette();
  switch (s) {
    case ParticipantState::InConference: return p.ok;
    case ParticipantState::Waiting: return p.accent;
    case ParticipantState::Joining: return p.warn;
    case ParticipantState::Excluded: return p.bad;
    case ParticipantState::Idle:
    case ParticipantState::Stopped: return p.idle;
  }
  return p.idle;
}

const char* explain(ParticipantState s) {
  switch (s) {
    case ParticipantState::Idle: return "Not broadcasting. Press Start Broadcast to enter the waiting room.";
    case ParticipantState::Joining: return "Publishing to the waiting room…";
    case ParticipantState::Waiting: return "In the waiting room: the host sees you and can add you to the conference.";
    case ParticipantState::InConference: return "In the conference: you receive the composite and hear everyone else.";
    case ParticipantState::Excluded: return "The host excluded you from this room.";
    case ParticipantState::Stopped: return "Broadcast stopped.";
  }
  return "";
}


void Tile(const char* title, const TileVideo& video, float width, bool presenter) {
  const float height = width * theme::kVideoHeightPerWidth;
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ui::DrawStreamTile(ImGui::GetWindowDrawList(), min, ImVec2(width, height), title, &video, presenter);
  ImGui::TextDisabled("%s", video.stats.empty() ? "no media yet" : video.stats.c_str());
  ImGui::EndGroup();
}

// The seed's step 3 on the page: edited in a copy, sent as one EditIdentity when a field changed, so the
// console checks it at once and the problem shows under the field on the next frame.
void IdentityFields(const ParticipantView& view, std::vector<ParticipantCommand>& out) {
  ParticipantIdentity edited = view.identity;
  bool changed = false;
  const float width = ui::Em(16);
  const auto field = [&](const char* label, std::string* value, const char* key, const char* help,
                         ImGuiInputTextFlags flags = 0) {
    ImGui::SetNextItemWidth(width);
    changed |= ImGui::InputText(label, value, flags);
    ui::Tooltip(help);
    ui::FieldError(errorFor(view.identityProblems, key));
  };
  field("Your name", &edited.streamName, "streamName",
        "The name the host and the others see you by; it is also your stream's name: letters, digits, '_' and '-'.");
  if (view.identity.authEnabled) {
    field("Username", &edited.username, "username", "This stack checks who publishes: your username.");
    field("Password", &edited.password, "password", "Your password.", ImGuiInputTextFlags_Password);
    field("Token", &edited.token, "token", "A token, if you were given one (optional).", ImGuiInputTextFlags_Password);
  }
  if (changed) out.push_back(EditIdentity{edited});
}

}  // namespace

float maxCompositeTileWidth(float pixelRatio) { return kMaxTileEm * theme::kBodyFontSize * pixelRatio; }

void DrawParticipantView(const ParticipantView& view, std::vector<ParticipantCommand>& out) {
  const ParticipantSession& s = view.session;
  const ParticipantState state = s.state();
  ui::Heading("Conference Participant");
  const bool running = state == ParticipantState::Joining || state == ParticipantState::Waiting ||
                       state == ParticipantState::InConference;
  if (running) ImGui::TextDisabled("Stream %s in %s", view.config.streamName.c_str(), view.config.scope.c_str());
  else {
    ImGui::TextDisabled("Joining %s", view.config.scope.c_str());
    IdentityFields(view, out);
  }

  ui::StatusDot(colorOf(state));
  ImGui::Text("%s", std::string(toString(state)).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s", explain(state));
  if (!s.message().empty()) ui::FieldError(s.message());
  if (!view.lastError.empty()) ui::FieldError(view.lastError);

  if (!running) {
    const bool ready = view.identityProblems.empty();
    ImGui::BeginDisabled(!ready);
    if (ImGui::Button("Start Broadcast")) out.push_back(StartBroadcast{});
    ImGui::EndDisabled();
    ui::Tooltip(ready ? "Publish your camera and microphone to the waiting room of this scope."
                      : "Fix the fields above first.");
  } else {
    if (ui::DangerButton("Stop Broadcast")) out.push_back(StopBroadcast{});
    ui::Tooltip("Stop publishing and leave the conference.");
  }
  ImGui::SameLine();
  ui::StatusDot(ui::colorOf(s.socket().state()));
  ImGui::Text("Conference socket: %s", std::string(toString(s.socket().state())).c_str());
  ui::Tooltip(("URL: " + s.socket().url() + (s.socket().closeReason().empty() ? "" : "\nLast close: " + s.socket().closeReason())).c_str());
  ImGui::Spacing();

  const float avail = ImGui::GetContentRegionAvail().x;
  const float width = std::max(ui::Em(12), std::min(ui::Em(kMaxTileEm), (avail - ImGui::GetStyle().ItemSpacing.x) / 2));
  Tile("You", view.local, width, false);
  ImGui::SameLine();
  Tile("Composite", view.composite, width, state == ParticipantState::InConference);

  ImGui::Spacing();
  ImGui::TextDisabled("Conference (%d): ", static_cast<int>(s.conference().size()));
  for (const std::string& name : s.conference()) {
    ImGui::SameLine();
    ImGui::TextColored(name == view.config.streamName ? theme::palette().ok : ImGui::GetStyle().Colors[ImGuiCol_Text],
                       "%s%s", name.c_str(), name == s.presenter() ? " (presenter)" : "");
  }

  if (ImGui::BeginTable("sessions", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("Media session");
    ImGui::TableSetupColumn("State");
    ImGui::TableSetupColumn("Media");
    ImGui::TableSetupColumn("Problem");
    ImGui::TableHeadersRow();
    const struct { std::string_view id; const char* label; const char* help; } rows[] = {
        {kWaitingSession, "Waiting room publish", "Camera + mic to <scope>_wr/<stream> (WHIP)."},
        {kPublishSession, "Conference publish", "Camera + mic to <scope>/<stream> (WHIP), while in the conference."},
        {kCompositeSession, "Composite", "The mixer's composite <scope>/<room> (WHEP), video only."},
        {kMixMinusSession, "Mix-minus", "Everyone's audio but yours (AudioBridge join)."},
    };
    for (const auto& row : rows) {
      const media::MediaSessionClient* c = s.client(row.id);
      if (!c) continue;
      ImGui::PushID(row.label);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.label);
      ui::Tooltip(row.help);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(media::toString(c->state())).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c->rtcConnected() ? "flowing" : "-");
      ImGui::TableNextColumn();
      if (!c->reason().empty()) ui::FieldError(c->reason());
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace confhost
