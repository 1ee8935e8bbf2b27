#include "app/consoles/host_console.hpp"
#include "core/protocol/overloaded.hpp"

namespace confhost {

HostConsole::HostConsole(WebSocketTransport& transport, RtcEngine& rtc, uint32_t seed)
    : runner_(transport, rtc,
              {LocalMedia{}, [](const std::string&) { return RemoteAudio::Mute; },
               [this](const std::string& session, const media::Event& event) { feed(host::Media{session, event}); }}),
      session_(seed),
      previews_(session_, runner_, rtc),
      rng_(seed ^ 0x9e3779b9u) {}

HostConsole::~HostConsole() { stop(); }

void HostConsole::start(const Settings& settings, const std::string& pageOrigin) {
  settings_ = settings;
  pageOrigin_ = pageOrigin;
  form_ = CompositionForm::defaults(settings, session_.state().regions);
  knownRegions_ = session_.state().regions;
  formMessage_.clear();
  feed(host::Start{hostConfigOf(settings, pageOrigin)});
}

void HostConsole::stop() {
  if (session_.state().started) feed(host::Stop{});
  for (SocketId id : {SocketId::WaitingRoom, SocketId::Conference}) runner_.closeSocket(id);
}

void HostConsole::tick(int64_t nowMs) {
  // A refusal message is about the form as it was submitted; once the fields are fixed it is stale.
  if (!formMessage_.empty() && form_.validate().empty()) formMessage_.clear();
  feed(host::Tick{nowMs});
  nowMs_ = nowMs;
  keyboard_ = refocus(keyboard_, session_.state(), nowMs);
}

std::string HostConsole::run(const HostCommand& command) {
  return std::visit(
      Overloaded{
          [&](const SubmitCompositionForm&) -> std::string {
            auto request = form_.toRequest(pageOrigin_, effectiveBackend(settings_), newMixerName(rng_));
            if (!request) {
              formMessage_ = "Create Composition: " + request.error().message();
              return formMessage_;
            }
            formMessage_.clear();
            feed(host::CreateComposition{*request});
            return {};
          },
          [&](const EditCompositionForm& edit) -> std::string {
            if (auto s = applyFormFields(form_, edit.fields); !s) return s.error().message();
            return {};
          },
          [&](const ReconnectNow&) -> std::string {
            if (!session_.state().started) return "reconnect: the host console is not started";
            stop();
            feed(host::Start{hostConfigOf(settings_, pageOrigin_)});
            return {};
          },
          [&](const PressKey& press) -> std::string {
            KeyOutcome outcome = pressKey(keyboard_, session_.state(), press.key, nowMs_);
            keyboard_ = outcome.keyboard;
            std::visit(Overloaded{[](std::monostate) {}, [&](const auto& c) { feed(HostEvent{c}); }}, outcome.command);
            return {};
          },
          [&](const AskToDestroy&) -> std::string {
            keyboard_ = askDestroy(keyboard_, session_.state());
            return {};
          },
          [&](const auto& sessionCommand) -> std::string {
            feed(HostEvent{sessionCommand});
            return {};
          },
      },
      command);
}

nlohmann::json HostConsole::stateJson() const {
  nlohmann::json json = session_.stateJson();
  json["form"] = toJson(form_);
  nlohmann::json errors = nlohmann::json::object();
  for (const Error& error : form_.validate()) {
    if (!errors.contains(error.field)) errors[error.field] = error.message();
  }
  json["formErrors"] = errors;
  json["formMessage"] = formMessage_;
  json["previewMedia"] = previews_.stateJson();
  json["keyboard"] = {{"list", keyboard_.list == TileList::Waiting ? "waiting" : "conference"},
                      {"stream", keyboard_.stream},
                      {"helpOpen", keyboard_.helpOpen},
                      {"confirmingDestroy", keyboard_.confirmingDestroy}};
  return json;
}

void HostConsole::feed(const HostEvent& event) {
  for (const HostEffect& effect : session_.handle(event)) perform(effect);
  previews_.forgetStopped();
  syncRegions();
}

void HostConsole::syncRegions() {
  if (session_.state().regions == knownRegions_) return;
  knownRegions_ = session_.state().regions;
  form_.applyRegions(knownRegions_);
}

// ShowError needs nothing: HostState::lastError holds it and the banner draws it.
void HostConsole::perform(const HostEffect& effect) { runner_.perform(effect, [this](auto event) { feed(event); }); }

}  // namespace confhost
