#include "server/streammanager/compositions.hpp"

#include <algorithm>

#include "core/composition/composition_rules.hpp"
#include "server/logging/log.hpp"
#include "core/protocol/names.hpp"
#include "server/streammanager/page_origin.hpp"
#include "server/security/random_token.hpp"

namespace confhost {

namespace {

std::string joinRegions(const std::vector<std::string>& regions) {
  std::string out;
  for (const auto& r : regions) out += (out.empty() ? "" : ", ") + r;
  return out;
}

}  // namespace

Compositions::Compositions(MixerLauncher& launcher, CompositionSettings settings)
    : launcher_(launcher), settings_(std::move(settings)) {
  if (settings_.mixingPageOrigins.empty()) settings_.mixingPageOrigins.push_back("https://" + settings_.serverAddress);
  for (auto& origin : settings_.mixingPageOrigins)
    if (auto normal = urlOrigin(origin)) origin = *normal;
}

Status Compositions::quotaRefusal(const CompositionRequest& request) const {
  if (entries_.size() >= settings_.maxCompositions)
    return Error{"compositions", "this stack already runs " + std::to_string(entries_.size()) +
                                     ", the limit (--max-compositions); destroy one first"};
  if (request.mixers.size() > settings_.maxMixersPerComposition)
    return Error{"mixers", std::to_string(request.mixers.size()) + " mixers is over the limit of " +
                               std::to_string(settings_.maxMixersPerComposition) +
                               " per composition (--max-mixers-per-composition)"};
  return {};
}

Status Compositions::pageRefusal(const std::string& field, const std::string& url) const {
  const auto origin = urlOrigin(url);
  if (!origin) return Error{field, "not usable as a mixing page: " + origin.error().reason};
  const auto& allowed = settings_.mixingPageOrigins;
  if (std::find(allowed.begin(), allowed.end(), *origin) != allowed.end()) return {};
  return Error{field, "origin " + *origin + " is not allowed: mixers load pages of this stack (" + allowed.front() +
                          ") or of an origin the server was started with (--mixing-page-origin)"};
}

Expected<Composition> Compositions::create(const CompositionRequest& request, const std::string& ownerScope) {
  if (auto e = validateName("event", request.event); !e) return e.error();
  if (auto e = quotaRefusal(request); !e) return e.error();
  if (entries_.count(request.event))
    return Error{"event", "a composition named '" + request.event + "' already exists; destroy it first"};
  if (request.location.size() != 1) return Error{"location", "must list exactly one region"};
  const std::string& region = request.location[0];
  if (std::find(settings_.regions.begin(), settings_.regions.end(), region) == settings_.regions.end())
    return Error{"location[0]", "unknown region '" + region + "' (this stack has: " + joinRegions(settings_.regions) + ")"};
  if (request.mixers.empty()) return Error{"mixers", "must list at least one mixer"};
  std::set<std::string> names;
  bool hasFinal = false;
  for (std::size_t i = 0; i < request.mixers.size(); ++i) {
    const MixerSpec& m = request.mixers[i];
    const std::string at = "mixers[" + std::to_string(i) + "].";
    if (m.mixerName.empty()) return Error{at + "mixerName", "missing"};
    if (!names.insert(m.mixerName).second) return Error{at + "mixerName", "'" + m.mixerName + "' is used twice"};
    if (auto e = pageRefusal(at + "mixingPage", m.mixingPage); !e) return e.error();
    if (auto e = validateName(at + "path", m.path); !e) return e.error();
    if (auto e = validateName(at + "streamName", m.streamName); !e) return e.error();
    if (auto e = checkLimits(m, at); !e) return e.error();
    if (m.destinationMixerName.empty()) hasFinal = true;
  }
  for (std::size_t i = 0; i < request.mixers.size(); ++i) {
    const MixerSpec& m = request.mixers[i];
    if (!m.destinationMixerName.empty() && !names.count(m.destinationMixerName))
      return Error{"mixers[" + std::to_string(i) + "].destinationMixerName",
                   "names no mixer of this composition ('" + m.destinationMixerName + "')"};
  }
  if (!hasFinal) return Error{"mixers", "one mixer must be final (destinationMixerName \"\")"};

  Entry entry;
  entry.request = request;
  entry.ownerScope = ownerScope;
  entry.status.event = request.event;
  entry.status.name = request.event;
  for (const MixerSpec& m : request.mixers)
    if (m.destinationMixerName.empty()) entry.status.context = m.path;
  std::vector<std::pair<std::string, std::string>> launches;  // id, url
  for (std::size_t i = 0; i < request.mixers.size(); ++i) {
    const MixerSpec& m = request.mixers[i];
    MixerStatus s;
    s.id = "mixer" + std::to_string(nextId_++) + "-" + randomToken(4);
    s.name = m.mixerName;
    s.path = m.path;
    s.location = region;
    s.serverAddress = settings_.serverAddress;
    s.state = MixerState::Pending;
    s.page = m.mixingPage + (m.mixingPage.find('?') == std::string::npos ? "?" : "&") + "mixerId=" + s.id;
    s.definition = m;
    const std::string secret = randomToken(16);
    mixers_[s.id] = MixerRef{request.event, i};
    secrets_[s.id] = secret;
    launchSeq_[s.id] = ++seq_;
    launches.emplace_back(s.id, s.page + "&mixerSecret=" + secret);
    entry.status.mixers.push_back(std::move(s));
  }
  const auto scopes = scopesOf(entry);
  entries_.emplace(request.event, std::move(entry));
  logInfo("compositions", "created '" + request.event + "' with " + std::to_string(launches.size()) + " mixer(s)");
  notify(scopes);

  for (const auto& [id, url] : launches) {
    logInfo("compositions", "launching mixer " + id + ": " + withoutMixerSecret(url));
    launcher_.launch(id, url, [this, id = id](std::string reason) { apply(id, MixerEvent::ProcessExited, reason); });
  }
  // A composite already publishing under that name is NOT counted: it started before these mixers
  // existed, so it is a previous mixer's (e.g. of a composition destroyed a moment ago).
  return entries_.at(request.event).status;
}

Expected<Composition> Compositions::destroy(const std::string& event) {
  auto it = entries_.find(event);
  if (it == entries_.end()) return Error{"event", "no composition named '" + event + "'"};
  const auto scopes = scopesOf(it->second);
  for (auto& m : it->second.status.mixers) m.state = nextMixerState(m.state, MixerEvent::Destroy, false);
  logInfo("compositions", "destroying '" + event + "'");
  notify(scopes);  // hosts see "terminating" while the mixers are being killed

  it = entries_.find(event);  // the listener may not change us, but do not trust an old iterator
  if (it == entries_.end()) return Error{"event", "no composition named '" + event + "'"};
  Composition last = it->second.status;
  const CompositionRequest request = it->second.request;
  for (const auto& m : last.mixers) {
    mixers_.erase(m.id);
    secrets_.erase(m.id);
    connectedMixers_.erase(m.id);
    launchSeq_.erase(m.id);
  }
  entries_.erase(it);
  for (const auto& m : last.mixers) launcher_.kill(m.id);
  // The killed mixers' publish and audio join end now, not at the proxy's no-media timeout: hosts
  // see the composite leave, its viewers are cut (they retry), and a re-created composition starts
  // from a clean name. The ender may call back into streamStopped; these mixers are forgotten already.
  if (sessionEnder_)
    for (const auto& m : request.mixers) sessionEnder_(m.path, m.streamName);
  logInfo("compositions", "removed '" + event + "'");
  notify(scopes);
  return last;
}

std::optional<Composition> Compositions::find(const std::string& event) const {
  const auto it = entries_.find(event);
  if (it == entries_.end()) return std::nullopt;
  return it->second.status;
}

std::vector<Composition> Compositions::all() const {
  std::vector<Composition> out;
  for (const auto& [event, entry] : entries_) out.push_back(entry.status);
  return out;
}

std::vector<Composition> Compositions::visibleTo(const std::string& conferenceScope) const {
  std::vector<Composition> out;
  for (const auto& [event, entry] : entries_)
    if (scopesOf(entry).count(conferenceScope)) out.push_back(entry.status);
  return out;
}

bool Compositions::isKnownMixer(const std::string& mixerId) const { return mixers_.count(mixerId) > 0; }

bool Compositions::mixerSecretMatches(const std::string& mixerId, const std::string& secret) const {
  const auto it = secrets_.find(mixerId);
  return it != secrets_.end() && tokensEqual(secret, it->second);
}

std::optional<std::string> Compositions::mixerPath(const std::string& mixerId) const {
  const auto it = mixers_.find(mixerId);
  if (it == mixers_.end()) return std::nullopt;
  return entries_.at(it->second.event).request.mixers[it->second.index].path;
}

void Compositions::mixerSocketOpened(const std::string& mixerId) {
  if (!isKnownMixer(mixerId)) return;
  ++connectedMixers_[mixerId];
  apply(mixerId, MixerEvent::SocketOpened);
  // Its composite may have come up before its page's socket did: count it if it started after the launch.
  if (const auto key = compositeOf(mixerId); !key.empty()) {
    const auto started = publishing_.find(key);
    if (started != publishing_.end() && started->second > launchSeq_[mixerId])
      apply(mixerId, MixerEvent::CompositeStarted);
  }
}

void Compositions::mixerSocketClosed(const std::string& mixerId) {
  const auto it = connectedMixers_.find(mixerId);
  if (it == connectedMixers_.end()) return;
  if (--it->second <= 0) connectedMixers_.erase(it);
  apply(mixerId, MixerEvent::SocketClosed);
}

std::string Compositions::compositeOf(const std::string& mixerId) const {
  const auto it = mixers_.find(mixerId);
  if (it == mixers_.end()) return "";
  const MixerSpec& m = entries_.at(it->second.event).request.mixers[it->second.index];
  return m.path + "/" + m.streamName;
}

std::vector<std::string> Compositions::mixersPublishing(const std::string& scope, const std::string& name) const {
  std::vector<std::string> ids;  // collected first: apply() may change mixers_
  for (const auto& [id, ref] : mixers_) {
    const MixerSpec& m = entries_.at(ref.event).request.mixers[ref.index];
    if (m.path == scope && m.streamName == name) ids.push_back(id);
  }
  return ids;
}

void Compositions::streamStarted(const std::string& scope, const std::string& name) {
  publishing_[scope + "/" + name] = ++seq_;
  for (const auto& id : mixersPublishing(scope, name)) apply(id, MixerEvent::CompositeStarted);
}

void Compositions::streamStopped(const std::string& scope, const std::string& name) {
  publishing_.erase(scope + "/" + name);
  for (const auto& id : mixersPublishing(scope, name)) apply(id, MixerEvent::CompositeStopped);
}

void Compositions::killAll() {
  for (const auto& [id, ref] : mixers_) launcher_.kill(id);
}

void Compositions::apply(const std::string& mixerId, MixerEvent event, const std::string& error) {
  const auto ref = mixers_.find(mixerId);
  if (ref == mixers_.end()) return;  // destroyed already: late exits and sockets are expected
  Entry& entry = entries_.at(ref->second.event);
  MixerStatus& m = entry.status.mixers[ref->second.index];
  const bool connected = connectedMixers_.count(mixerId) > 0;
  const MixerState next = nextMixerState(m.state, event, connected);
  const bool changed = next != m.state || connected != m.isWebSocketConnected ||
                       (event == MixerEvent::ProcessExited && m.state != MixerState::Failed);
  if (!changed) return;
  if (event == MixerEvent::ProcessExited && m.state != MixerState::Failed && m.state != MixerState::Terminating)
    m.lastError = "mixer process ended: " + (error.empty() ? std::string("no reason given") : error);
  if (next != m.state) {
    const auto log = next == MixerState::Failed ? logWarn : logInfo;
    log("compositions", "mixer " + mixerId + " of '" + entry.status.event + "': " + std::string(toString(m.state)) +
                            " → " + std::string(toString(next)) + " (" + std::string(toString(event)) + ")" +
                            (next == MixerState::Failed ? ": " + m.lastError : std::string()));
  }
  m.state = next;
  m.isWebSocketConnected = connected;
  notify(scopesOf(entry));
}

std::set<std::string> Compositions::scopesOf(const Entry& entry) const {
  std::set<std::string> scopes;
  if (!entry.ownerScope.empty()) scopes.insert(entry.ownerScope);
  for (const auto& m : entry.request.mixers) scopes.insert(conferenceScopeOf(m.path));
  return scopes;
}

void Compositions::notify(const std::set<std::string>& scopes) const {
  if (listener_) listener_(scopes);
}

}  // namespace confhost
