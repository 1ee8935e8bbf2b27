#pragma once
// Runs HostSession in the page: feeds it the clock and the user's commands, and performs its socket and
// media effects through SessionRunner (its two Conference API sockets, the previews' and the composite's
// plays on the RtcEngine, muted). Holds the Create Composition form the host is typing into and the
// tiles of what plays. No protocol or media decisions here: HostSession makes them.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/composition/composition_form.hpp"
#include "core/sessions/host_session.hpp"
#include "core/settings.hpp"
#include "app/consoles/host_command.hpp"
#include "app/consoles/host_previews.hpp"
#include "app/consoles/session_runner.hpp"

namespace confhost {

class HostConsole {
 public:
  HostConsole(WebSocketTransport& transport, RtcEngine& rtc, uint32_t seed);
  ~HostConsole();
  HostConsole(const HostConsole&) = delete;
  HostConsole& operator=(const HostConsole&) = delete;

  // pageOrigin: "https://host:port", used for the mixing-page URL of new compositions.
  void start(const Settings& settings, const std::string& pageOrigin);
  void stop();
  void tick(int64_t nowMs);
  // The one entry point for buttons and window.confhost.command. Returns "" or the reason the command
  // was refused before reaching the session (e.g. an invalid form).
  std::string run(const HostCommand& command);

  const HostState& state() const { return session_.state(); }
  CompositionForm& form() { return form_; }
  const CompositionForm& form() const { return form_; }
  const HostKeyboard& keyboard() const { return keyboard_; }
  std::vector<Error> formErrors() const { return form_.validate(); }
  const std::string& formMessage() const { return formMessage_; }
  // The tiles' media: a stream's preview (nullptr when it has none), the composite (nullptr while it
  // does not play).
  const TileVideo* previewVideo(const std::string& stream) { return previews_.video(stream); }
  const TileVideo* compositeVideo() { return previews_.compositeVideo(); }
  // HostSession::stateJson() plus {"form": {...}, "formErrors": {field: message}, "formMessage",
  //  "previewMedia": HostPreviews::stateJson(), "keyboard": {"list", "stream", "helpOpen", "confirmingDestroy"}}.
  nlohmann::json stateJson() const;

 private:
  void feed(const HostEvent& event);
  void perform(const HostEffect& effect);
  void syncRegions();

  SessionRunner runner_;  // the two sockets and the plays
  HostSession session_;
  HostPreviews previews_;
  std::mt19937 rng_;
  Settings settings_;
  std::string pageOrigin_;
  CompositionForm form_;
  HostKeyboard keyboard_;  // the focused tile, the help overlay, the destroy question
  int64_t nowMs_ = 0;
  std::vector<std::string> knownRegions_;
  std::string formMessage_;
};

}  // namespace confhost
