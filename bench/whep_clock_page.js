// Browser side of the WHEP bridge benchmark (bench/whep_bridge.bench.mjs): a WHIP publisher whose
// picture is the wall clock, and WHEP viewers that read the clock back out of every decoded frame.
// Injected with page.addScriptTag; everything hangs off window.clockBench.
//
// The picture is an 8×6 grid of 40×40 black/white blocks on a 320×240 canvas: blocks 0..23 are the
// 24 low bits of the paint time in ms (epoch, so every page of one browser shares the clock), blocks
// 24..47 their complement. A frame whose two halves disagree (a damaged or half-updated frame) is
// counted as unreadable, never as a sample. Blocks this large survive VP8 at any bitrate the browser
// picks, and the reader samples block centres in relative coordinates, so a downscaled stream reads too.
(() => {
  const COLS = 8, ROWS = 6, BITS = 24, MOD = 2 ** BITS;
  const W = 320, H = 240;
  const clock = () => Math.round(performance.timeOrigin + performance.now()) % MOD;

  function clockStream() {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const g = canvas.getContext('2d');
    const bw = W / COLS, bh = H / ROWS;
    const paint = () => {
      const t = clock();
      for (let i = 0; i < 2 * BITS; i++) {
        const bit = i < BITS ? (t >> i) & 1 : 1 - ((t >> (i - BITS)) & 1);
        g.fillStyle = bit ? '#fff' : '#000';
        g.fillRect((i % COLS) * bw, Math.floor(i / COLS) * bh, bw, bh);
      }
    };
    paint();
    // A timer, not requestAnimationFrame: headless pages do not throttle timers (as media_client.js).
    const timer = setInterval(paint, 33);
    const stream = canvas.captureStream(30);
    stream.stopPainting = () => clearInterval(timer);
    return stream;
  }

  // The clock value in a frame, or null when the frame does not read consistently.
  function readClock(pixels, width, height) {
    let value = 0;
    for (let i = 0; i < BITS; i++) {
      const on = (j) => {
        const x = Math.floor(((j % COLS) + 0.5) * width / COLS);
        const y = Math.floor((Math.floor(j / COLS) + 0.5) * height / ROWS);
        const p = (y * width + x) * 4;
        return pixels[p] + pixels[p + 1] + pixels[p + 2] > 3 * 128;
      };
      const bit = on(i);
      if (bit === on(i + BITS)) return null;
      if (bit) value |= 1 << i;
    }
    return value;
  }

  // Trickles candidates by PATCH once the resource is known, one request at a time, in order.
  function trickle(pc, s) {
    const queue = [];
    let chain = Promise.resolve();
    s.flush = () => {
      chain = chain.then(async () => {
        while (s.location && queue.length) {
          await fetch(s.location, {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': s.etag },
            body: queue.shift(),
          });
        }
      });
      return chain;
    };
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) queue.push(`a=mid:${e.candidate.sdpMid}\r\na=${e.candidate.candidate}\r\n`);
      s.flush();
    });
  }

  const sessions = {};
  let next = 1;

  function toneTrack() {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const dest = ctx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    return dest.stream.getAudioTracks()[0];
  }

  // WHIP publish of the clock picture (and a tone, so the bridge forwards audio as in real use).
  async function publish(url) {
    const id = `pub${next++}`;
    const pc = new RTCPeerConnection();
    const video = clockStream();
    const s = { pc, video };
    sessions[id] = s;
    pc.addTransceiver(toneTrack(), { direction: 'sendonly' });
    const track = video.getVideoTracks()[0];
    track.contentHint = 'text';  // keep the resolution: the blocks matter, not smooth motion
    pc.addTransceiver(track, { direction: 'sendonly' });
    trickle(pc, s);
    await pc.setLocalDescription(await pc.createOffer());
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
    const body = await r.text();
    if (r.status !== 201) return { id, status: r.status, error: body };
    s.location = new URL(r.headers.get('Location'), url).href;
    s.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    await s.flush();
    return { id, status: r.status };
  }

  function viewer(path) {
    const id = `${path}${next++}`;
    const pc = new RTCPeerConnection();
    const s = { pc, path, tracks: [], samples: [], unreadable: 0, frames: 0 };
    sessions[id] = s;
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'video' || s.el) return;
      const el = document.createElement('video');
      el.muted = true;
      el.autoplay = true;
      el.playsInline = true;
      el.width = 160;
      el.srcObject = new MediaStream([e.track]);
      document.body.appendChild(el);
      el.play().catch(() => {});
      s.el = el;
      const c = document.createElement('canvas');
      c.width = W;
      c.height = H;
      const g = c.getContext('2d', { willReadFrequently: true });
      // Per presented frame: read the clock out of it; latency = now − the time it was painted.
      const onFrame = () => {
        const t = clock();
        if (!s.firstFrameAt) s.firstFrameAt = performance.now();
        s.frames++;
        g.drawImage(el, 0, 0, W, H);
        const painted = readClock(g.getImageData(0, 0, W, H).data, W, H);
        const latency = painted === null ? null : (t - painted + MOD) % MOD;
        if (latency === null || latency > 10000) s.unreadable++;
        else s.samples.push(latency);
        if (!s.stopped) el.requestVideoFrameCallback(onFrame);
      };
      el.requestVideoFrameCallback(onFrame);
    });
    return { id, s, pc };
  }

  // Direct from the origin: empty POST → 201 + the origin's offer, answer by PATCH (server-offer mode).
  async function playDirect(url) {
    const { id, s, pc } = viewer('direct');
    s.postedAt = performance.now();
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' } });
    const body = await r.text();
    if (r.status !== 201) return { id, status: r.status, error: body };
    s.answeredAt = performance.now();
    s.location = new URL(r.headers.get('Location'), url).href;
    s.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'offer', sdp: body });
    trickle(pc, s);
    await pc.setLocalDescription(await pc.createAnswer());
    const p = await fetch(s.location, {
      method: 'PATCH', headers: { 'Content-Type': 'application/sdp', 'If-Match': s.etag }, body: pc.localDescription.sdp,
    });
    if (p.status >= 300) return { id, status: p.status, error: await p.text() };
    await s.flush();
    return { id, status: r.status };
  }

  // Through the bridge: the viewer offers, 201 + the bridge's answer (standard WHEP).
  async function playBridged(url) {
    const { id, s, pc } = viewer('bridged');
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    trickle(pc, s);
    await pc.setLocalDescription(await pc.createOffer());
    s.postedAt = performance.now();
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
    const body = await r.text();
    if (r.status !== 201) return { id, status: r.status, error: body };
    s.answeredAt = performance.now();
    s.location = new URL(r.headers.get('Location'), url).href;
    s.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    await s.flush();
    return { id, status: r.status };
  }

  // What a viewer measured; `reset` starts a new sample window.
  function report(id, { reset = false } = {}) {
    const s = sessions[id];
    const out = {
      path: s.path, frames: s.frames, unreadable: s.unreadable, samples: s.samples.slice(),
      postTo201Ms: s.answeredAt ? s.answeredAt - s.postedAt : null,
      postToFirstFrameMs: s.firstFrameAt ? s.firstFrameAt - s.postedAt : null,
      size: s.el ? [s.el.videoWidth, s.el.videoHeight] : null,
    };
    if (reset) {
      s.samples = [];
      s.unreadable = 0;
    }
    return out;
  }

  async function stop(id) {
    const s = sessions[id];
    s.stopped = true;
    if (s.video) s.video.stopPainting();
    const status = s.location ? (await fetch(s.location, { method: 'DELETE' })).status : null;
    s.pc.close();
    if (s.el) s.el.remove();
    return status;
  }

  window.clockBench = { publish, playDirect, playBridged, report, stop };
})();
