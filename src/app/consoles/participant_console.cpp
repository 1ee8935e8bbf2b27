#include "app/consoles/participant_console.hpp"

#include "app/platform/browser_page.hpp"
#include "app/views/participant_view.hpp"
#include "core/protocol/overloaded.hpp"

namespace confhost {

Expected<ParticipantCommand> parseParticipantCommand(const nlohmann::json& command, const ParticipantIdentity& current) {
  const std::string cmd = command.is_object() && command.contains("cmd") && command["cmd"].is_string()
                              ? command["cmd"].get<std::string>() : "";
  if (cmd == "startBroadcast") return ParticipantCommand{StartBroadcast{}};
  if (cmd == "stopBroadcast") return ParticipantCommand{StopBroadcast{}};
  if (cmd == "editIdentity") {
    ParticipantIdentity next = current;
    for (auto [key, field] : {std::pair{"streamName", &next.streamName}, std::pair{"username", &next.username},
                              std::pair{"password", &next.password}, std::pair{"token", &next.token}}) {
      if (!command.contains(key)) continue;
      if (!command[key].is_string()) return Error{key, "must be a string"};
      *field = command[key].get<std::string>();
    }
    return ParticipantCommand{EditIdentity{next}};
  }
  return Error{"cmd", "unknown participant command '" + cmd + "' (startBroadcast, stopBroadcast, editIdentity)"};
}

ParticipantConsole::ParticipantConsole(WebSocketTransport& transport, RtcEngine& rtc, const Settings& settings,
                                       std::string origin, uint32_t seed)
    : rtc_(rtc),
      runner_(transport, rtc,
              {LocalMedia{settings.media.camera, settings.media.microphone, settings.media.width,
                          settings.media.height},
               // Only the mix-minus is heard: the composite carries the full mix, the participant's own voice too.
               [](const std::string& session) {
                 return session == kMixMinusSession ? RemoteAudio::Play : RemoteAudio::Mute;
               },
               [this](const std::string& session, const media::Event& event) {
                 feed(participant::Media{session, event});
               }}),
      config_(participantConfigOf(settings, origin)),
      identity_(identityOf(config_, settings.auth.enabled)),
      identityProblems_(problemsOf(identity_, config_.scope)),
      session_(seed) {
  config_.compositeTilePx = static_cast<int>(maxCompositeTileWidth(browser::devicePixelRatio()));
}

ParticipantConsole::~ParticipantConsole() { feed(participant::Stop{}); }

std::string ParticipantConsole::run(const ParticipantCommand& command) {
  return std::visit(Overloaded{
                        [&](const StartBroadcast&) -> std::string {
                          if (!identityProblems_.empty()) {
                            lastError_ = "Start Broadcast: " + identityProblems_.front().message();
                            return lastError_;
                          }
                          config_ = withIdentity(config_, identity_);
                          if (auto error = validateParticipantConfig(config_); !error) {
                            lastError_ = "Start Broadcast: " + error.error().message() + " (see Settings)";
                            return lastError_;
                          }
                          lastError_.clear();
                          feed(participant::Tick{nowMs_});
                          feed(participant::Start{config_});
                          return lastError_;
                        },
                        [&](const StopBroadcast&) -> std::string {
                          feed(participant::Stop{});
                          return {};
                        },
                        [&](const EditIdentity& edit) -> std::string {
                          if (broadcasting()) return "editIdentity: stop the broadcast first (the name is the stream's)";
                          const bool authEnabled = identity_.authEnabled;  // the settings' choice, not the page's
                          identity_ = edit.identity;
                          identity_.authEnabled = authEnabled;
                          identityProblems_ = problemsOf(identity_, config_.scope);
                          lastError_.clear();  // a refused start's sentence is about the fields as they were
                          return {};
                        },
                    },
                    command);
}

bool ParticipantConsole::broadcasting() const {
  const ParticipantState s = session_.state();
  return s == ParticipantState::Joining || s == ParticipantState::Waiting || s == ParticipantState::InConference;
}

void ParticipantConsole::tick(int64_t nowMs) {
  nowMs_ = nowMs;
  feed(participant::Tick{nowMs});
}

void ParticipantConsole::feed(const ParticipantEvent& event) {
  for (const ParticipantEffect& effect : session_.handle(event)) perform(effect);
}

void ParticipantConsole::perform(const ParticipantEffect& effect) {
  if (runner_.perform(effect, [this](auto event) { feed(event); })) return;
  // StateChanged needs nothing: the view reads session_.state().
  if (const auto* error = std::get_if<participant::ShowError>(&effect)) lastError_ = error->text;
}

const PeerStats* ParticipantConsole::stats(std::string_view session) const {
  return runner_.stats(std::string(session));
}

const TileVideo& ParticipantConsole::localVideo() {
  const auto frame = rtc_.video(0);
  if (fillTile(local_, frame, stats(kWaitingSession))) localHasVideo_ = true;
  return local_;
}

const TileVideo& ParticipantConsole::compositeVideo() {
  const int handle = runner_.peerOf(std::string(kCompositeSession));
  const auto frame = handle ? rtc_.video(handle) : std::nullopt;
  if (fillTile(composite_, frame, stats(kCompositeSession))) compositeHasVideo_ = true;
  if (const PeerStats* mix = stats(kMixMinusSession)) composite_.audioLevel = static_cast<float>(mix->audioLevel);
  return composite_;
}

nlohmann::json ParticipantConsole::stateJson() const {
  nlohmann::json json = session_.stateJson();
  json["lastError"] = lastError_;
  runner_.addStats(json, {std::begin(kSessions), std::end(kSessions)});
  json["local"] = {{"hasVideo", localHasVideo_}};
  json["compositeHasVideo"] = compositeHasVideo_;
  // The page's "who are you" fields (the password as whether one is typed, never its text).
  nlohmann::json problems = nlohmann::json::object();
  for (const Error& e : identityProblems_) problems[e.field] = e.message();
  json["identity"] = {{"streamName", identity_.streamName}, {"authEnabled", identity_.authEnabled},
                      {"username", identity_.username}, {"hasPassword", !identity_.password.empty()},
                      {"problems", problems}};
  return json;
}

}  // namespace confhost
