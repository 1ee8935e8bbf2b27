#include "app/consoles/host_console.hpp"
#include "core/protocol/overloaded.hpp"

#include <type_traits>

namespace confhost {

HostConsole::HostConsole(WebSocketTransport& transport, PreviewPort& previews, uint32_t seed)
    : runner_(transport), previews_(previews), session_(seed), rng_(seed ^ 0x9e3779b9u) {}

HostConsole::~HostConsole() { stop(); }

void HostConsole::start(const Settings& settings, const std::string& pageOrigin) {
  settings_ = settings;
  pageOrigin_ = pageOrigin;
  form_ = CompositionForm::defaults(settings, session_.state().regions);
  knownRegions_ = session_.state().regions;
  formMessage_.clear();
  feed(host::Start{hostConfigOf(settings)});
}

void HostConsole::stop() {
  if (session_.state().started) feed(host::Stop{});
  for (int i = 0; i < 2; ++i) runner_.closeSocket(i);
}

void HostConsole::tick(int64_t nowMs) {
  // A refusal message is about the form as it was submitted; once the fields are fixed it is stale.
  if (!formMessage_.empty() && form_.validate().empty()) formMessage_.clear();
  feed(host::Tick{nowMs});
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
            feed(host::Start{hostConfigOf(settings_)});
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
  return json;
}

void HostConsole::feed(const HostEvent& event) {
  for (const HostEffect& effect : session_.handle(event)) perform(effect);
  syncRegions();
}

void HostConsole::syncRegions() {
  if (session_.state().regions == knownRegions_) return;
  knownRegions_ = session_.state().regions;
  form_.applyRegions(knownRegions_);
}

void HostConsole::perform(const HostEffect& effect) {
  std::visit(
      Overloaded{
          [&](const host::OpenSocket& open) {
            const SocketId id = open.socket;
            WebSocketTransport::Handlers handlers;
            handlers.onOpen = [this, id] { feed(host::SocketOpened{id}); };
            handlers.onMessage = [this, id](std::string text) { feed(host::SocketMessage{id, std::move(text)}); };
            handlers.onClose = [this, id](std::string reason) { feed(host::SocketClosed{id, std::move(reason)}); };
            runner_.openSocket(static_cast<int>(id), open.url, std::move(handlers));
          },
          [&](const host::CloseSocket& close) { runner_.closeSocket(static_cast<int>(close.socket)); },
          [&](const host::Send& send) { runner_.send(static_cast<int>(send.socket), send.text); },
          [&](const host::StartPreview& p) { previews_.startPreview(p.scope, p.stream); },
          [&](const host::StopPreview& p) { previews_.stopPreview(p.scope, p.stream); },
          [&](const host::ShowError&) { /* HostState::lastError holds it; the banner draws it */ },
      },
      effect);
}

}  // namespace confhost
