#include "core/media/media_session_set.hpp"

#include <algorithm>

#include "core/settings.hpp"

namespace confhost {

namespace {

using media::State;

bool finished(const media::MediaSessionClient& c) { return c.state() == State::Stopped || c.state() == State::Failed; }

bool active(const media::MediaSessionClient& c) {
  return c.state() != State::Idle && c.state() != State::Stopped && c.state() != State::Stopping;
}

}  // namespace

void MediaSessionSet::add(const std::string& id, media::Config config) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; }),
                 entries_.end());
  entries_.push_back(Entry{id, media::MediaSessionClient(config)});
  // An idle client asks for nothing on a Tick: there are no effects to hand back.
  if (clockKnown_) entries_.back().client.handle(media::Tick{now_});
}

MediaSessionSet::Effects MediaSessionSet::start(std::string_view id, const media::Start& start) {
  Effects out = stop(id);
  append(out, forward(id, start));
  return out;
}

MediaSessionSet::Effects MediaSessionSet::forward(std::string_view id, const media::Event& event) {
  Effects out;
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == entries_.end()) return out;
  for (media::Effect& effect : it->client.handle(event)) out.push_back({it->id, std::move(effect)});
  forgetFinished();
  return out;
}

MediaSessionSet::Effects MediaSessionSet::stop(std::string_view id) {
  const media::MediaSessionClient* client = find(id);
  return client && active(*client) ? forward(id, media::Stop{}) : Effects{};
}

MediaSessionSet::Effects MediaSessionSet::retire(std::string_view id) {
  for (Entry& e : entries_) e.retiring = e.retiring || e.id == id;
  return forward(id, media::Stop{});
}

MediaSessionSet::Effects MediaSessionSet::tick(std::int64_t nowMs) {
  now_ = nowMs;
  clockKnown_ = true;
  Effects out;
  for (Entry& e : entries_) {
    for (media::Effect& effect : e.client.handle(media::Tick{nowMs})) out.push_back({e.id, std::move(effect)});
  }
  forgetFinished();
  return out;
}

const media::MediaSessionClient* MediaSessionSet::find(std::string_view id) const {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  return it == entries_.end() ? nullptr : &it->client;
}

bool MediaSessionSet::listed(std::string_view id) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id && !e.retiring; });
}

std::vector<std::string> MediaSessionSet::ids() const {
  std::vector<std::string> ids;
  for (const Entry& e : entries_) {
    if (!e.retiring) ids.push_back(e.id);
  }
  return ids;
}

void MediaSessionSet::forgetFinished() {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [](const Entry& e) { return e.retiring && finished(e.client); }),
                 entries_.end());
}

media::Config retryingConfig(int maxDelayMs) {
  media::Config config;
  config.retry.enabled = true;
  config.retry.maxDelayMs = maxDelayMs;
  return config;
}

std::string trimSlashes(std::string_view origin) {
  while (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
  return std::string(origin);
}

std::string lowLayer(std::string endpoint) {
  return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + "layer=low";
}

media::Auth mediaAuthOf(const Settings& settings) {
  if (!settings.auth.enabled) return {};
  return media::Auth{settings.auth.username, settings.auth.password, settings.auth.token, ""};
}

std::vector<IceServer> iceServersOf(const Settings& settings) {
  std::vector<IceServer> servers;
  for (const std::string& url : settings.iceServers) servers.push_back(IceServer{url, "", ""});
  return servers;
}

}  // namespace confhost
