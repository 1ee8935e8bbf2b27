#include "participant_console.hpp"
#include "core/overloaded.hpp"

#include <imgui.h>

namespace confhost {

namespace {

void fillTile(ui::TileVideo& tile, const std::optional<VideoFrame>& frame, const PeerStats* stats) {
  tile = ui::TileVideo{};
  if (frame) {
    tile.texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(frame->textureId));
    tile.width = frame->width;
    tile.height = frame->height;
  }
  if (stats) {
    tile.stats = describe(*stats);
    tile.audioLevel = static_cast<float>(stats->audioLevel);
  }
}

}  // namespace

Expected<ParticipantCommand> parseParticipantCommand(const nlohmann::json& command) {
  const std::string cmd = command.is_object() ? command.value("cmd", "") : "";
  if (cmd == "startBroadcast") return ParticipantCommand{StartBroadcast{}};
  if (cmd == "stopBroadcast") return ParticipantCommand{StopBroadcast{}};
  return Error{"cmd", "unknown participant command '" + cmd + "' (startBroadcast, stopBroadcast)"};
}

ParticipantConsole::ParticipantConsole(WebSocketTransport& transport, RtcEngine& rtc, const Settings& settings,
                                       std::string origin, uint32_t seed)
    : socket_(transport), rtc_(rtc), config_(participantConfigOf(settings, origin)), session_(seed) {
  LocalMedia local{settings.media.camera, settings.media.microphone, settings.media.width, settings.media.height};
  owner_ = rtc_.addOwner(
      [this](const std::string& session, const media::Event& event) {
        feed(participant::Media{session, event});
      },
      local,
      // Only the mix-minus is heard: the composite carries the full mix, the participant's own voice too.
      [](const std::string& session) {
        return session == kMixMinusSession ? RemoteAudio::Play : RemoteAudio::Mute;
      });
}

ParticipantConsole::~ParticipantConsole() {
  feed(participant::Stop{});
  socket_.close();
  rtc_.removeOwner(owner_);
}

std::string ParticipantConsole::run(const ParticipantCommand& command) {
  return std::visit(Overloaded{
                        [&](const StartBroadcast&) -> std::string {
                          if (auto error = validateParticipantConfig(config_)) {
                            lastError_ = "Start Broadcast: " + error->message() + " (see Settings)";
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
                    },
                    command);
}

void ParticipantConsole::tick(int64_t nowMs) {
  nowMs_ = nowMs;
  feed(participant::Tick{nowMs});
}

void ParticipantConsole::feed(const ParticipantEvent& event) {
  for (const ParticipantEffect& effect : session_.handle(event)) perform(effect);
}

void ParticipantConsole::perform(const ParticipantEffect& effect) {
  std::visit(Overloaded{
                 [&](const participant::OpenSocket& open) {
                   socket_.open<participant::SocketOpened, participant::SocketMessage, participant::SocketClosed>(
                       open.url, [this](auto event) { feed(event); });
                 },
                 [&](const participant::CloseSocket&) { socket_.close(); },
                 [&](const participant::MediaEffect& m) { rtc_.perform(owner_, m.session, m.effect); },
                 [&](const participant::StateChanged&) { /* session_.state() is read by the view */ },
                 [&](const participant::ShowError& e) { lastError_ = e.text; },
             },
             effect);
}

const PeerStats* ParticipantConsole::stats(std::string_view session) const {
  const int handle = rtc_.peerOf(owner_, std::string(session));
  return handle ? rtc_.stats(handle) : nullptr;
}

const ui::TileVideo& ParticipantConsole::localVideo() {
  const auto frame = rtc_.video(0);
  fillTile(local_, frame, stats(kWaitingSession));
  if (frame) localHasVideo_ = true;
  return local_;
}

const ui::TileVideo& ParticipantConsole::compositeVideo() {
  const int handle = rtc_.peerOf(owner_, std::string(kCompositeSession));
  const auto frame = handle ? rtc_.video(handle) : std::nullopt;
  fillTile(composite_, frame, stats(kCompositeSession));
  if (frame) compositeHasVideo_ = true;
  if (const PeerStats* mix = stats(kMixMinusSession)) composite_.audioLevel = static_cast<float>(mix->audioLevel);
  return composite_;
}

nlohmann::json ParticipantConsole::stateJson() const {
  nlohmann::json json = session_.stateJson();
  json["lastError"] = lastError_;
  nlohmann::json all = nlohmann::json::object();
  nlohmann::json handles = nlohmann::json::object();
  for (std::string_view s : {kWaitingSession, kPublishSession, kCompositeSession, kMixMinusSession}) {
    if (const PeerStats* st = stats(s)) all[std::string(s)] = toJson(*st);
    if (const int h = rtc_.peerOf(owner_, std::string(s))) handles[std::string(s)] = h;
  }
  json["stats"] = all;
  json["handles"] = handles;  // for window.confhost.sample / toneLevels
  json["local"] = {{"hasVideo", localHasVideo_}};
  json["compositeHasVideo"] = compositeHasVideo_;
  return json;
}

}  // namespace confhost
