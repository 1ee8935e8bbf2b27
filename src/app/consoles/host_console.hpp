#pragma once
// Runs HostSession in the page: feeds it the two Conference API sockets, the clock and the user's
// commands, and performs its effects (open/close/send on a WebSocket, start/stop previews). Holds the
// Create Composition form the host is typing into. No protocol decisions here: HostSession makes them.
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
#include "app/consoles/session_runner.hpp"

namespace confhost {

// Where StartPreview/StopPreview go (the WHEP players; a no-op until the media wave).
struct PreviewPort {
  virtual ~PreviewPort() = default;
  virtual void startPreview(const std::string& scope, const std::string& stream) = 0;
  virtual void stopPreview(const std::string& scope, const std::string& stream) = 0;
};

class HostConsole {
 public:
  HostConsole(WebSocketTransport& transport, PreviewPort& previews, uint32_t seed);
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
  std::vector<Error> formErrors() const { return form_.validate(); }
  const std::string& formMessage() const { return formMessage_; }
  // HostSession::stateJson() plus {"form": {...}, "formErrors": {field: message}, "formMessage"}.
  nlohmann::json stateJson() const;

 private:
  void feed(const HostEvent& event);
  void perform(const HostEffect& effect);
  void syncRegions();

  SessionRunner runner_;  // the two sockets, named by SocketId
  PreviewPort& previews_;
  HostSession session_;
  std::mt19937 rng_;
  Settings settings_;
  std::string pageOrigin_;
  CompositionForm form_;
  std::vector<std::string> knownRegions_;
  std::string formMessage_;
};

}  // namespace confhost
