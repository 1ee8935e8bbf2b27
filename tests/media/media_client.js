// Browser side of the media tests: a minimal WHIP / WHEP / conference-join client plus the probes the
// tests assert on (a pixel of the received video, the level and spectrum of the received audio).
// Injected into a page with page.addScriptTag; everything hangs off window.mediaTest. Deliberately
// independent of the app's own client (src/core + web/), so these tests check the server alone.
(() => {
  const sdpfragOf = (candidate) =>
    `a=mid:${candidate.sdpMid}\r\na=${candidate.candidate}\r\n`;

  // Sends trickled candidates with PATCH once the resource is known (candidates that arrive before
  // the POST answer are queued), then a=end-of-candidates.
  function trickle(pc, session) {
    const queue = [];
    let done = false;
    let chain = Promise.resolve();
    // One PATCH at a time, in order: end-of-candidates must not overtake a candidate.
    const flush = () => {
      chain = chain.then(async () => {
        if (!session.location) return;
        while (queue.length) {
          const body = queue.shift();
          const r = await fetch(session.location, {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': session.etag },
            body,
          });
          session.patchStatuses.push(r.status);
        }
      });
      return chain;
    };
    pc.addEventListener('icecandidate', (e) => {
      if (done) return;
      if (e.candidate && e.candidate.candidate) queue.push(sdpfragOf(e.candidate));
      else if (!e.candidate) {
        done = true;
        queue.push('a=end-of-candidates\r\n');
      }
      flush();
    });
    session.flushTrickle = flush;
  }

  function toneStream(ctx, frequency) {
    const osc = ctx.createOscillator();
    osc.frequency.value = frequency;
    const gain = ctx.createGain();
    gain.gain.value = 0.5;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    return dest.stream;
  }

  function colourStream(rgb) {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    let n = 0;
    // captureStream only emits a frame when the canvas changes: repaint (same colour, a moving
    // 2-pixel marker in the corner) on a timer, which headless pages do not throttle.
    const paint = () => {
      g.fillStyle = `rgb(${rgb.join(',')})`;
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#fff';
      g.fillRect(n++ % 20, 0, 2, 2);
    };
    paint();
    const timer = setInterval(paint, 33);
    const stream = canvas.captureStream(30);
    stream.stopPainting = () => clearInterval(timer);
    return stream;
  }

  const sessions = {};
  let nextId = 1;

  async function postOffer(url, pc) {
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer.sdp });
  }

  function watch(pc, session) {
    session.connectionState = pc.connectionState;
    pc.addEventListener('connectionstatechange', () => {
      session.connectionState = pc.connectionState;
      if (pc.connectionState === 'connected' && !session.connectedAt) session.connectedAt = performance.now();
    });
  }

  // WHIP publish of a solid-colour canvas and a tone. Returns {id, status, error?}.
  async function publish(url, { rgb = [220, 30, 40], frequency = 660 } = {}) {
    const id = `s${nextId++}`;
    const ctx = new AudioContext();
    const video = colourStream(rgb);
    const audio = toneStream(ctx, frequency);
    const pc = new RTCPeerConnection();
    const session = { pc, ctx, video, patchStatuses: [], startedAt: performance.now() };
    sessions[id] = session;
    watch(pc, session);
    pc.addTransceiver(audio.getAudioTracks()[0], { direction: 'sendonly' });
    pc.addTransceiver(video.getVideoTracks()[0], { direction: 'sendonly' });
    trickle(pc, session);
    const r = await postOffer(url, pc);
    const body = await r.text();
    session.status = r.status;
    if (r.status !== 201) return { id, status: r.status, error: body };
    session.location = new URL(r.headers.get('Location'), url).href;
    session.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    await session.flushTrickle();
    return { id, status: r.status, location: session.location, etag: session.etag,
      headers: Object.fromEntries(r.headers), answer: body };
  }

  // WHEP play; Janus offers (406 + offer, answer by PATCH) — the standard 201 flow is handled too.
  async function play(url) {
    const id = `p${nextId++}`;
    const pc = new RTCPeerConnection();
    const session = { pc, patchStatuses: [], startedAt: performance.now(), tracks: [] };
    sessions[id] = session;
    watch(pc, session);
    pc.addEventListener('track', (e) => session.tracks.push(e.track));
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' } });
    const body = await r.text();
    session.status = r.status;
    if (r.status !== 406 && r.status !== 201) return { id, status: r.status, error: body };
    session.location = new URL(r.headers.get('Location'), url).href;
    session.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'offer', sdp: body });
    trickle(pc, session);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const p = await fetch(session.location, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/sdp', 'If-Match': session.etag },
      body: answer.sdp,
    });
    session.answerStatus = p.status;
    await session.flushTrickle();
    attachMedia(session);
    return { id, status: r.status, answerStatus: p.status, location: session.location };
  }

  // ICE restart of an offering session by PATCH (RFC 9725 4.3.2): a new offer with new credentials,
  // its gathered candidates sent with If-Match "*", the 200's ICE fragment applied to the answer.
  async function restartIce(id) {
    const s = sessions[id];
    const pc = s.pc;
    const before = pc.remoteDescription.sdp.match(/a=ice-ufrag:(.*)\r\n/)[1];
    pc.restartIce();
    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    });
    const local = pc.localDescription.sdp;
    const first = local.split(/\r\n(?=m=)/)[1];  // the first (bundled) m-section
    const candidates = (first.match(/a=candidate:.*\r\n/g) || []).join('');
    const frag = `a=ice-ufrag:${local.match(/a=ice-ufrag:(.*)\r\n/)[1]}\r\na=ice-pwd:${local.match(/a=ice-pwd:(.*)\r\n/)[1]}\r\n`
      + `${first.match(/^m=.*\r\n/)[0]}a=mid:${first.match(/a=mid:(.*)\r\n/)[1]}\r\n${candidates}a=end-of-candidates\r\n`;
    const r = await fetch(s.location, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
      body: frag,
    });
    const text = await r.text();
    if (r.status !== 200) return { status: r.status, error: text };
    const ufrag = text.match(/a=ice-ufrag:(.*)\r\n/)[1];
    const pwd = text.match(/a=ice-pwd:(.*)\r\n/)[1];
    const theirCandidates = (text.match(/a=candidate:.*\r\n/g) || []).join('');
    let answer = pc.remoteDescription.sdp
      .replace(/a=ice-ufrag:.*\r\n/g, `a=ice-ufrag:${ufrag}\r\n`)
      .replace(/a=ice-pwd:.*\r\n/g, `a=ice-pwd:${pwd}\r\n`)
      .replace(/a=candidate:.*\r\n/g, '')
      .replace(/a=end-of-candidates\r\n/g, '');
    answer = answer.replace(/(a=mid:[^\r]*\r\n)/, `$1${theirCandidates}`);  // into the first m-section
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    s.etag = r.headers.get('ETag');
    return { status: r.status, etag: s.etag, contentType: r.headers.get('Content-Type'), before, ufrag, fragment: text };
  }

  // Conference join: sendrecv audio (a tone) into the scope's AudioBridge; receives the mix-minus.
  async function join(url, { frequency = 440 } = {}) {
    const id = `c${nextId++}`;
    const ctx = new AudioContext();
    const pc = new RTCPeerConnection();
    const session = { pc, ctx, patchStatuses: [], startedAt: performance.now(), tracks: [] };
    sessions[id] = session;
    watch(pc, session);
    pc.addEventListener('track', (e) => session.tracks.push(e.track));
    const tone = toneStream(ctx, frequency);
    pc.addTransceiver(tone.getAudioTracks()[0], { direction: 'sendrecv' });
    trickle(pc, session);
    const r = await postOffer(url, pc);
    const body = await r.text();
    session.status = r.status;
    if (r.status !== 201) return { id, status: r.status, error: body };
    session.location = new URL(r.headers.get('Location'), url).href;
    session.etag = r.headers.get('ETag');
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    await session.flushTrickle();
    attachMedia(session);
    return { id, status: r.status };
  }

  // Received tracks → a <video> (frames, pixels) and an analyser (level, spectrum). Chrome only feeds
  // a remote track into WebAudio while a media element also plays it, hence the muted <audio>.
  function attachMedia(session) {
    const stream = new MediaStream();
    const attach = () => {
      for (const t of session.tracks) if (!stream.getTracks().includes(t)) stream.addTrack(t);
      if (stream.getVideoTracks().length && !session.videoEl) {
        const v = document.createElement('video');
        v.muted = true;
        v.autoplay = true;
        v.playsInline = true;
        v.srcObject = new MediaStream(stream.getVideoTracks());
        document.body.appendChild(v);
        v.play().catch(() => {});
        session.videoEl = v;
      }
      if (stream.getAudioTracks().length && !session.analyser) {
        const a = new Audio();
        a.muted = true;
        a.srcObject = new MediaStream(stream.getAudioTracks());
        a.play().catch(() => {});
        session.audioEl = a;
        const ctx = session.ctx || new AudioContext();
        session.ctx = ctx;
        const source = ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 8192;
        analyser.smoothingTimeConstant = 0.5;
        source.connect(analyser);
        session.analyser = analyser;
      }
    };
    attach();
    session.pc.addEventListener('track', attach);
  }

  function centerPixel(id) {
    const v = sessions[id].videoEl;
    if (!v || !v.videoWidth) return null;
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d');
    g.drawImage(v, 0, 0);
    const d = g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
    return { rgb: [d[0], d[1], d[2]], width: v.videoWidth, height: v.videoHeight };
  }

  function rms(id) {
    const a = sessions[id].analyser;
    if (!a) return 0;
    const buf = new Float32Array(a.fftSize);
    a.getFloatTimeDomainData(buf);
    let s = 0;
    for (const x of buf) s += x * x;
    return Math.sqrt(s / buf.length);
  }

  // The strongest dB within ±3 bins of each frequency.
  function levels(id, frequencies) {
    const a = sessions[id].analyser;
    if (!a) return null;
    const bins = new Float32Array(a.frequencyBinCount);
    a.getFloatFrequencyData(bins);
    const hzPerBin = a.context.sampleRate / a.fftSize;
    const out = {};
    for (const f of frequencies) {
      const center = Math.round(f / hzPerBin);
      let best = -Infinity;
      for (let b = center - 3; b <= center + 3; b++) if (bins[b] > best) best = bins[b];
      out[f] = best;
    }
    return out;
  }

  async function stop(id, { remove = true } = {}) {
    const s = sessions[id];
    if (!s) return null;
    let status = null;
    if (remove && s.location) status = (await fetch(s.location, { method: 'DELETE' })).status;
    s.pc.close();
    if (s.video) s.video.stopPainting();
    return status;
  }

  const state = (id) => {
    const s = sessions[id];
    return s && {
      status: s.status,
      connectionState: s.connectionState,
      connectMs: s.connectedAt ? s.connectedAt - s.startedAt : null,
      patchStatuses: s.patchStatuses,
    };
  };

  window.mediaTest = { publish, play, join, restartIce, stop, state, centerPixel, rms, levels, toneStream, colourStream };
})();
