// The conference: its members drawn with the same `focused` layout geometry the mixer uses (what the
// host sees is what participants get), each tile with move left/right, make presenter, remove and ban.
#include <imgui.h>

#include <algorithm>

#include "core/composition/layout.hpp"
#include "app/views/host/host_view.hpp"
#include "app/views/theme.hpp"

namespace confhost {
namespace {

// Small buttons laid left to right from `start`, wrapping inside `maxX`.
class TileToolbar {
 public:
  TileToolbar(ImVec2 start, float maxX) : start_(start), x_(start.x), y_(start.y), maxX_(maxX) {}
  bool button(const char* label, const char* help, bool enabled = true) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float w = ImGui::CalcTextSize(label).x + 2 * style.FramePadding.x;
    if (x_ > start_.x && x_ + w > maxX_) {
      x_ = start_.x;
      y_ += ImGui::GetTextLineHeight() + style.ItemSpacing.y;
    }
    ImGui::SetCursorScreenPos(ImVec2(x_, y_));
    if (!enabled) ImGui::BeginDisabled();
    const bool pressed = ImGui::SmallButton(label);
    if (!enabled) ImGui::EndDisabled();
    ui::Tooltip(help);
    x_ += w + style.ItemInnerSpacing.x;
    return pressed;
  }

 private:
  ImVec2 start_;
  float x_, y_, maxX_;
};

}  // namespace

void DrawConference(const HostView& view, std::vector<HostCommand>& out) {
  const HostState& state = view.state;
  ui::Heading("Conference");
  ImGui::SameLine();
  ImGui::TextDisabled("(%d) presenter: %s", static_cast<int>(state.conference.size()),
                      state.presenter.empty() ? "none" : state.presenter.c_str());
  if (view.composite) {
    // What participants receive: the mixer's composite, played like any stream.
    const float w = std::min(ImGui::GetContentRegionAvail().x, ui::Em(18));
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(w, w * theme::kVideoHeightPerWidth));
    ui::Tooltip("The composite the mixer publishes as <scope>/<room>: what participants receive.");
    ui::DrawStreamTile(ImGui::GetWindowDrawList(), min, ImVec2(w, w * theme::kVideoHeightPerWidth),
                       "composite " + state.config.scope, view.composite, false);
  }
  if (state.conference.empty()) {
    ImGui::TextDisabled("The conference is empty. Add streams from the waiting room.");
    return;
  }

  const int n = static_cast<int>(state.conference.size());
  int presenterIndex = -1;
  for (int i = 0; i < n; ++i) {
    if (state.conference[i] == state.presenter) presenterIndex = i;
  }
  // The composite's shape (16:9, the form's default 1280×720), as wide as the column allows.
  const float width = std::max(ui::Em(12), std::min(ImGui::GetContentRegionAvail().x, ui::Em(44)));
  const float height = width * theme::kVideoHeightPerWidth;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const ImVec2 after = ImGui::GetCursorScreenPos();

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), theme::palette().canvasBackground);
  const std::vector<Rect> rects = layout(LayoutPreset::Focused, width, height, n, presenterIndex);
  const float pad = ImGui::GetStyle().FramePadding.x * 0.5f;

  for (int i = 0; i < n && i < static_cast<int>(rects.size()); ++i) {
    const std::string& name = state.conference[i];
    const Rect& r = rects[i];
    const bool isPresenter = name == state.presenter;
    ImGui::PushID(name.c_str());
    const ImVec2 min(origin.x + r.x + pad, origin.y + r.y + pad);
    const ImVec2 size(std::max(1.0f, r.w - 2 * pad), std::max(1.0f, r.h - 2 * pad));
    const float topStrip = ui::DrawStreamTile(dl, min, size, name, view.video(name), isPresenter,
                                              isTalking(state, name));
    if (view.focused(TileList::Conference, name)) DrawFocusRing(dl, min, size);
    if (view.drawnTiles) view.drawnTiles->push_back({name, min.x, min.y, size.x, size.y});

    // The tile itself is a drag handle and a drop target: dropping a member on another's tile moves it
    // to that place (the same `order` message as < and >). The toolbar's buttons, submitted after, win
    // the clicks on them.
    ImGui::SetCursorScreenPos(min);
    ImGui::InvisibleButton("tile", size);
    ImGui::SetItemAllowOverlap();
    if (ImGui::BeginDragDropSource()) {
      ImGui::SetDragDropPayload("confhost.member", &i, sizeof i);
      ImGui::Text("Move %s", name.c_str());
      ImGui::EndDragDropSource();
    }
    if (ImGui::BeginDragDropTarget()) {
      if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload("confhost.member")) {
        const int from = *static_cast<const int*>(payload->Data);
        if (from != i && from >= 0 && from < n) out.push_back(host::Move{state.conference[from], i});
      }
      ImGui::EndDragDropTarget();
    }

    // Below the tile's top line (stats or status), so the buttons never hide it.
    const float top = topStrip + pad;
    TileToolbar bar(ImVec2(min.x + pad * 2, min.y + top), min.x + size.x - pad * 2);
    if (bar.button("<", "Move left: one place earlier in the conference list.", i > 0))
      out.push_back(host::Move{name, i - 1});
    if (bar.button(">", "Move right: one place later in the conference list.", i + 1 < n))
      out.push_back(host::Move{name, i + 1});
    if (bar.button("Present", "Make presenter: the large focused tile of the composite.", !isPresenter))
      out.push_back(host::MakePresenter{name});
    if (bar.button("Remove", "Remove from the conference: the stream goes back to the waiting room."))
      out.push_back(host::RemoveFromConference{name});
    if (bar.button("Ban", "Ban: remove from the conference and the room for the room's lifetime."))
      out.push_back(host::Ban{name});
    ImGui::PopID();
  }
  ImGui::SetCursorScreenPos(after);
  ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace confhost
