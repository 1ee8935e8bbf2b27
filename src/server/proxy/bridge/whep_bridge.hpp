#pragma once
// The media element between a standard WHEP viewer and the origin. Janus 1.1.2's VideoRoom subscribers
// only take server offers, while the WHEP draft's viewer sends the offer and expects `201` + an answer.
// A bridge answers both sides: it takes Janus's subscriber offer (answering it, so Janus sends it the
// stream) and the viewer's offer (answering it, so the viewer receives the same RTP, repacketized, never
// transcoded; the viewer's keyframe requests travel back to Janus and on to the publisher).
//
// WhipWhepProxy owns the Janus side (attach, join as subscriber, `start` with the answer) and the HTTP
// side; the bridge owns only the two peer connections. Every call is made on the server's io_context
// and every callback comes back on it.
#include <functional>
#include <string>

#include "core/protocol/expected.hpp"

namespace confhost {

class WhepBridge {
 public:
  struct Answers {
    std::string forOrigin;  // the SDP answer to Janus's offer (sent with the VideoRoom `start`)
    std::string forViewer;  // the SDP answer to the viewer's offer (the body of the 201)
  };
  using Opened = std::function<void(Expected<Answers>)>;
  using Ended = std::function<void(const std::string& id, const std::string& reason)>;

  virtual ~WhepBridge() = default;

  // False when no bridge can be started here (its program or GStreamer is missing); the proxy then
  // answers a viewer's offer with a server offer instead (406 + offer, the older convention).
  virtual bool available() const = 0;
  virtual std::string unavailableReason() const = 0;

  // Starts the bridge of proxy resource `id`. `opened` is called exactly once.
  virtual void open(const std::string& id, const std::string& originOffer, const std::string& viewerOffer,
                    Opened opened) = 0;
  // Trickled viewer candidates (the body of an application/trickle-ice-sdpfrag PATCH).
  virtual void addViewerCandidates(const std::string& id, const std::string& sdpfrag) = 0;
  // Ends the bridge of `id` (DELETE, publisher gone, origin lost). Unknown ids are no-ops.
  virtual void close(const std::string& id) = 0;
  // Called when a bridge ends by itself (its process died, the viewer's ICE failed).
  virtual void setOnEnded(Ended ended) = 0;
};

}  // namespace confhost
