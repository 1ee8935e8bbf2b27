#pragma once
// A fake of the RTC engine and the WHIP/WHEP server for tests of the sessions that own media
// (HostSession, ParticipantSession, MixerSession): it answers their media effects at once, the way a
// healthy browser and proxy would (offer/answer ready, 201 + answer or, to an empty POST, 201 + offer,
// 204, 200, ICE connected), and logs every HTTP request by session. Per-URL overrides make a POST fail.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/media/media_session_client.hpp"

namespace confhost::testing {

struct LoggedRequest {
  std::string session;
  media::HttpRequest request;
};

class FakeMediaWorld {
 public:
  std::map<std::string, int> postStatus;  // POST url (without query) → status (default 201)
  bool connectMedia = true;               // report ICE connected after the answer
  std::vector<LoggedRequest> requests;
  std::map<std::string, media::CreatePeer> peers;  // last CreatePeer per session
  std::map<std::string, int> closed;               // ClosePeer count per session
  std::map<std::string, media::VideoSend> videoSend;  // how each session's current peer sends video

  // Feeds `first` to the session, performs every media effect (feeding the results back) until
  // nothing is left; returns every effect the session produced.
  template <class Session, class Event, class Effect, class MediaEvent>
  std::vector<Effect> drive(Session& session, Event first) {
    std::deque<Event> queue{std::move(first)};
    std::vector<Effect> all;
    while (!queue.empty()) {
      Event ev = std::move(queue.front());
      queue.pop_front();
      for (auto& effect : session.handle(ev)) {
        if (auto* m = std::get_if<media::SessionEffect>(&effect)) {
          for (auto& reply : react(*m)) queue.push_back(MediaEvent{m->session, std::move(reply)});
        }
        all.push_back(std::move(effect));
      }
    }
    return all;
  }

  std::vector<LoggedRequest> requestsOf(const std::string& session, const std::string& method) const {
    std::vector<LoggedRequest> found;
    for (const auto& r : requests)
      if (r.session == session && r.request.method == method) found.push_back(r);
    return found;
  }
  std::vector<LoggedRequest> withMethod(const std::string& method) const {
    std::vector<LoggedRequest> found;
    for (const auto& r : requests)
      if (r.request.method == method) found.push_back(r);
    return found;
  }

 private:
  int nextResource_ = 1;

  std::vector<media::Event> react(const media::SessionEffect& m) {
    std::vector<media::Event> replies;
    const auto& e = m.effect;
    if (auto* p = std::get_if<media::CreatePeer>(&e)) {
      peers[m.session] = *p;
      videoSend[m.session] = p->videoSend;
    } else if (auto* v = std::get_if<media::ApplyVideoSend>(&e)) {
      if (peers[m.session].peerId == v->peerId) videoSend[m.session] = v->mode;
    } else if (auto* c = std::get_if<media::ClosePeer>(&e)) {
      ++closed[m.session];
      (void)c;
    } else if (auto* o = std::get_if<media::CreateOffer>(&e)) {
      replies.push_back(media::LocalOfferReady{o->peerId, "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"});
    } else if (auto* a = std::get_if<media::CreateAnswer>(&e)) {
      replies.push_back(media::LocalAnswerReady{a->peerId, "v=0\r\nanswer\r\n"});
    } else if (auto* r = std::get_if<media::HttpRequest>(&e)) {
      requests.push_back({m.session, *r});
      if (r->method == "POST") {
        const std::string url = r->url.substr(0, r->url.find('?'));
        const int status = postStatus.count(url) ? postStatus[url] : 201;
        if (status == 201 && r->body.empty()) {
          // An empty WHEP POST asks for the server's offer; media connects after the answer's PATCH.
          replies.push_back(media::HttpResponse{r->requestId, 201,
                                                {{"Location", "/res/" + std::to_string(nextResource_++)}},
                                                "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n", ""});
        } else if (status == 201) {
          replies.push_back(media::HttpResponse{
              r->requestId, 201, {{"Location", "/res/" + std::to_string(nextResource_++)}}, "v=0\r\nanswer\r\n", ""});
          if (connectMedia)
            replies.push_back(media::RtcStateChanged{peers[m.session].peerId, media::RtcState::Connected});
        } else {
          replies.push_back(media::HttpResponse{r->requestId, status, {}, "refused by test", ""});
        }
      } else if (r->method == "PATCH") {
        replies.push_back(media::HttpResponse{r->requestId, 204, {}, "", ""});
        const auto type = findHeader(r->headers, "content-type");
        if (connectMedia && type && *type == "application/sdp")
          replies.push_back(media::RtcStateChanged{peers[m.session].peerId, media::RtcState::Connected});
      } else if (r->method == "DELETE") {
        replies.push_back(media::HttpResponse{r->requestId, 200, {}, "", ""});
      }
    }
    return replies;
  }
};

}  // namespace confhost::testing
