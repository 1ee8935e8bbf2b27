// A stand-in origin media server for browser tests of the RTC glue: the WHIP/WHEP/conference-join
// endpoints (WHIP, WHEP, the conference join) answered over HTTP by this test process, with the media side played by a
// Chromium page (real RTCPeerConnections). What it sends is synthetic: a solid colour per stream (and a
// tone where audio is asked for); what it receives it can sample (pixel colours, decoded frames).
// It speaks both signalling flows the console supports: the standard 201 + answer (refusing an empty
// POST with 400, as a standard-only server does), and the older 406 + server offer → PATCH answer.
//
// Only for tests that run inside a private network namespace (ICE needs a non-loopback interface).

// Runs in the origin page.
function originPageScript() {
  const peers = {};
  const gathered = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    return undefined;
  });
  let audioContext = null;
  const source = ({ color, tone }) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const ctx = canvas.getContext('2d');
    const paint = () => { ctx.fillStyle = color; ctx.fillRect(0, 0, canvas.width, canvas.height); };
    paint();
    const timer = setInterval(paint, 40); // captureStream emits a frame per repaint
    const video = canvas.captureStream(25).getVideoTracks()[0];
    let audio = null;
    if (tone) {
      audioContext = audioContext || new AudioContext();
      const osc = audioContext.createOscillator();
      osc.frequency.value = tone;
      const dest = audioContext.createMediaStreamDestination();
      osc.connect(dest);
      osc.start();
      audio = dest.stream.getAudioTracks()[0];
    }
    return { video, audio, stop: () => clearInterval(timer) };
  };
  const record = (id, pc, src) => {
    const peer = { pc, src, video: null, audioTracks: 0, frames: 0 };
    pc.ontrack = (e) => {
      if (e.track.kind === 'video') {
        const v = document.createElement('video');
        v.muted = true;
        v.srcObject = new MediaStream([e.track]);
        document.body.appendChild(v);
        v.play().catch(() => {});
        peer.video = v;
        const count = () => { peer.frames++; if (peer.video === v) v.requestVideoFrameCallback(count); };
        v.requestVideoFrameCallback(count);
      } else {
        peer.audioTracks++;
      }
    };
    peers[id] = peer;
    return peer;
  };
  window.origin = {
    // The client offered: answer it, sending `media` on the transceivers that ask for it.
    async answer(id, offer, media) {
      const pc = new RTCPeerConnection();
      const src = media ? source(media) : null;
      record(id, pc, src);
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const t of pc.getTransceivers()) {
        const kind = t.receiver.track.kind;
        const track = src && (kind === 'video' ? src.video : src.audio);
        if (track) {
          await t.sender.replaceTrack(track);
          t.direction = t.currentDirection === 'sendrecv' || /a=sendrecv/.test(offer) ? 'sendrecv' : 'sendonly';
        } else {
          t.direction = 'recvonly';
        }
      }
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },
    // Janus's WHEP flow: the server offers.
    async offer(id, media) {
      const pc = new RTCPeerConnection();
      const src = source(media);
      record(id, pc, src);
      pc.addTransceiver(src.video, { direction: 'sendonly' });
      if (src.audio) pc.addTransceiver(src.audio, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },
    async setAnswer(id, answer) {
      await peers[id].pc.setRemoteDescription({ type: 'answer', sdp: answer });
    },
    async trickle(id, frag) {
      let mid = '0';
      for (const line of frag.split(/\r?\n/)) {
        if (line.startsWith('a=mid:')) mid = line.slice(6);
        if (line.startsWith('a=candidate:')) await peers[id].pc.addIceCandidate({ candidate: line.slice(2), sdpMid: mid });
      }
    },
    close(id) {
      const p = peers[id];
      if (!p) return;
      p.pc.close();
      p.src?.stop();
      p.video?.remove();
      delete peers[id];
    },
    // Frames presented from what a publisher sends us (synchronous: usable in waitForFunction).
    frames(id) { return peers[id]?.frames || 0; },
    // Colours at (fx, fy) in 0..1 coordinates of the newest frame received, or null before the first.
    sample(id, points) {
      const v = peers[id]?.video;
      if (!v || !v.videoWidth) return null;
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(v, 0, 0);
      return points.map(([fx, fy]) => [...ctx.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data.slice(0, 3)]);
    },
    // Whether every point shows its expected colour (sum of channel differences below tolerance).
    matches(id, points, colors, tolerance = 90) {
      const got = window.origin.sample(id, points);
      return !!got && got.every((c, i) => Math.abs(c[0] - colors[i][0]) + Math.abs(c[1] - colors[i][1]) + Math.abs(c[2] - colors[i][2]) < tolerance);
    },
    // What a publisher (WHIP) sends us: decoded frames and the colour at (fx, fy) in 0..1 coordinates.
    async received(id, points = []) {
      const p = peers[id];
      if (!p) return null;
      const stats = await p.pc.getStats();
      let framesDecoded = 0;
      let audioPackets = 0;
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded = s.framesDecoded || 0;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') audioPackets = s.packetsReceived || 0;
      });
      const v = p.video;
      const samples = [];
      if (v && v.videoWidth) {
        const c = document.createElement('canvas');
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        const ctx = c.getContext('2d');
        ctx.drawImage(v, 0, 0);
        for (const [fx, fy] of points) {
          const d = ctx.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data;
          samples.push([d[0], d[1], d[2]]);
        }
      }
      return { state: p.pc.connectionState, framesDecoded, audioPackets, width: v?.videoWidth || 0, height: v?.videoHeight || 0, samples };
    },
  };
}

export async function startBrowserOrigin(context) {
  const page = await context.newPage();
  const resources = new Map(); // resource id → { kind, guid }
  const requests = []; // { method, path, status }
  const sources = new Map(); // guid → { color, tone, flow: 'standard' | 'serverOffer' }
  let next = 1;
  let ready = null;
  const waiters = [];
  const settle = () => {
    for (const w of [...waiters]) {
      const hit = requests.find(w.predicate);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };

  const body = (req) => new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  const reply = (res, status, headers, text = '') => { res.writeHead(status, headers); res.end(text); };

  async function handle(req, res) {
    await ready;
    const url = new URL(req.url, 'https://127.0.0.1');
    const path = url.pathname;
    const text = await body(req);
    const log = (status) => {
      requests.push({ method: req.method, path, status, contentType: req.headers['content-type'] || '' });
      settle();
    };
    try {
      const m = path.match(/^\/as\/v1\/proxy\/(whip|whep|conference)\/(.+)$/);
      if (m && req.method === 'POST') {
        const [, kind, guid] = m;
        const id = `r${next++}`;
        resources.set(id, { kind, guid });
        const location = `/as/v1/proxy/resource/${id}`;
        const headers = { location, etag: `"${id}-1"`, 'content-type': 'application/sdp' };
        if (kind === 'whep') {
          const src = sources.get(guid);
          if (!src) {
            resources.delete(id);
            log(404);
            return reply(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ errorMessage: `stream ${guid} is not publishing` }));
          }
          // A standard-only WHEP server has nothing to answer in an empty POST (the console's first ask
          // for a server offer): it refuses, and the console must come back with its own offer.
          if (src.flow === 'standard' && !text) {
            resources.delete(id);  // nothing was created
            log(400);
            return reply(res, 400, { 'content-type': 'text/plain' }, 'a WHEP POST must carry an SDP offer');
          }
          if (src.flow === 'serverOffer') {
            const offer = await page.evaluate(([i, s]) => window.origin.offer(i, s), [id, src]);
            log(406);
            return reply(res, 406, headers, offer);
          }
          const answer = await page.evaluate(([i, o, s]) => window.origin.answer(i, o, s), [id, text, src]);
          log(201);
          return reply(res, 201, headers, answer);
        }
        // whip: receive only; conference: send a tone back (the mix-minus).
        const media = kind === 'conference' ? { color: '#000000', tone: sources.get(guid)?.tone || 660 } : null;
        const answer = await page.evaluate(([i, o, s]) => window.origin.answer(i, o, s), [id, text, media]);
        log(201);
        return reply(res, 201, headers, answer);
      }
      const r = path.match(/^\/as\/v1\/proxy\/resource\/(r\d+)$/);
      if (r && resources.has(r[1])) {
        const id = r[1];
        if (req.method === 'PATCH') {
          if ((req.headers['content-type'] || '').startsWith('application/sdp')) {
            await page.evaluate(([i, a]) => window.origin.setAnswer(i, a), [id, text]);
          } else {
            await page.evaluate(([i, f]) => window.origin.trickle(i, f), [id, text]);
          }
          log(204);
          return reply(res, 204, {});
        }
        if (req.method === 'DELETE') {
          await page.evaluate((i) => window.origin.close(i), id);
          resources.delete(id);
          log(200);
          return reply(res, 200, {});
        }
      }
      log(404);
      return reply(res, 404, { 'content-type': 'text/plain' }, 'no such resource');
    } catch (e) {
      log(500);
      return reply(res, 500, { 'content-type': 'text/plain' }, String(e.message || e));
    }
  }

  return {
    page,
    requests,
    resources,
    handle,
    // Must be called once the site serves '/origin-page' (the page needs a secure origin).
    async open(siteOrigin) {
      ready = (async () => {
        await page.goto(`${siteOrigin}/origin-page`);
        await page.evaluate(originPageScript);
      })();
      await ready;
    },
    // A stream the origin plays to WHEP clients.
    publish(guid, { color, tone = 0, flow = 'standard' }) { sources.set(guid, { color, tone, flow }); },
    // Resolves with the first request (already answered or future) matching predicate.
    waitForRequest(predicate) {
      const hit = requests.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    resourceOf(kind, guid) {
      for (const [id, r] of resources) if (r.kind === kind && r.guid === guid) return id;
      return null;
    },
    received(id, points) { return page.evaluate(([i, p]) => window.origin.received(i, p), [id, points]); },
  };
}

export const originPageHtml = '<!doctype html><title>origin</title><body></body>';
