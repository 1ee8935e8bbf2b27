#pragma once
// MediaSessionSet: the media sessions of one role (participant, mixer, the host's previews), each a
// MediaSessionClient named by a session id. Sans-I/O like its clients: every call returns the effects to
// perform, tagged with the session id; the adapter routes the browser's results back by that id.
//
// Rules (each has a test in tests/core/media_session_set_test.cpp):
// - add(id) makes an idle client (replacing a retiring one of that id); start(id) starts it, stopping it
//   first while still active so its resource is freed (Start is accepted while that DELETE is in flight).
// - stop(id) ends an active client and keeps it, so its final state stays readable. retire(id) ends it
//   and forgets it once its DELETE is done (at once when there is nothing to wait for); until then it is
//   not listed by ids() but still gets its events and ticks.
// - tick() reaches every client; a client added after the first tick learns the clock first, so its
//   timeouts count from the right moment.
// - Events for an unknown id (a late answer for a forgotten client) are ignored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/media/media_session_client.hpp"
#include "core/media/proxy_path.hpp"

namespace confhost {

class MediaSessionSet {
 public:
  using Effects = std::vector<media::SessionEffect>;

  void add(const std::string& id, media::Config config);
  Effects start(std::string_view id, const media::Start& start);
  Effects forward(std::string_view id, const media::Event& event);
  Effects stop(std::string_view id);
  Effects retire(std::string_view id);
  Effects tick(std::int64_t nowMs);

  const media::MediaSessionClient* find(std::string_view id) const;  // nullptr when unknown
  bool listed(std::string_view id) const;                            // added and not retired
  std::vector<std::string> ids() const;                              // listed, in the order added

 private:
  struct Entry {
    std::string id;
    media::MediaSessionClient client;
    bool retiring = false;
  };
  void forgetFinished();  // the retired clients whose DELETE is done

  std::vector<Entry> entries_;
  std::int64_t now_ = 0;
  bool clockKnown_ = false;
};

// Appends a set's effects to a role's own effect list (its variant holds media::SessionEffect).
template <class RoleEffects>
void append(RoleEffects& out, MediaSessionSet::Effects effects) {
  for (media::SessionEffect& effect : effects) out.push_back(std::move(effect));
}

// Where every role's media sessions point, and how they retry.
media::Config retryingConfig(int maxDelayMs);  // retry on, backoff capped at maxDelayMs
// The backoff caps: what a person watches or sends can wait a little; what a mixer publishes must
// come back soon; a play feeding a composite (its inputs, the participant's composite) sooner still.
inline constexpr int kRetryCapMs = 8000;
inline constexpr int kMixerPublishRetryCapMs = 4000;
inline constexpr int kCompositePlayRetryCapMs = 2000;
std::string trimSlashes(std::string_view origin);  // "https://h:1//" → "https://h:1"
// A play of the publisher's lowest simulcast layer, for a tile no larger than that layer.
std::string lowLayer(std::string endpoint);  // endpoint + "?layer=low"
struct Settings;
// Media auth and ICE servers as the settings say (auth only when round-trip auth is enabled).
media::Auth mediaAuthOf(const Settings& settings);
std::vector<IceServer> iceServersOf(const Settings& settings);

}  // namespace confhost
