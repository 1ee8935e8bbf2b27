// A standard WHEP viewer (RFC 9725 / the WHEP draft), as third-party players do it: plain
// RTCPeerConnection + fetch, the client offers, `201 Created` + the answer, candidates trickled by
// PATCH. Injected by whep_bridge.test.mjs; everything hangs off window.whepViewer. Independent of
// media_client.js on purpose: it must not accept the 406 + offer convention.
(() => {
  const viewers = {};
  let next = 1;

  // Options: codecs = ['video/VP8', ...] restricts what the video transceiver offers; audio = false
  // offers video only.
  async function play(url, { codecs = null, audio = true } = {}) {
    const id = `v${next++}`;
    const pc = new RTCPeerConnection();
    const v = { pc, tracks: [], startedAt: performance.now(), patchStatuses: [], frames: 0 };
    viewers[id] = v;
    const video = pc.addTransceiver('video', { direction: 'recvonly' });
    if (codecs) {
      const all = RTCRtpReceiver.getCapabilities('video').codecs;
      video.setCodecPreferences(all.filter((c) => codecs.includes(c.mimeType)));
    }
    if (audio) pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (e) => v.tracks.push(e.track));
    pc.addEventListener('connectionstatechange', () => { v.connectionState = pc.connectionState; });
    const queued = [];
    let chain = Promise.resolve();
    const flush = () => {
      chain = chain.then(async () => {
        while (v.location && queued.length) {
          const r = await fetch(v.location, {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': v.etag },
            body: queued.shift(),
          });
          v.patchStatuses.push(r.status);
        }
      });
    };
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) queued.push(`a=mid:${e.candidate.sdpMid}\r\na=${e.candidate.candidate}\r\n`);
      flush();
    });
    await pc.setLocalDescription(await pc.createOffer());
    v.postedAt = performance.now();
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
    const body = await r.text();
    v.status = r.status;
    if (r.status !== 201) return { id, status: r.status, error: body };
    v.answeredAt = performance.now();
    v.location = new URL(r.headers.get('Location'), url).href;
    v.etag = r.headers.get('ETag');
    v.answer = body;
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    flush();
    attach(v);
    return { id, status: r.status, location: v.location, etag: v.etag, answer: body };
  }

  function attach(v) {
    const el = document.createElement('video');
    el.muted = true;
    el.autoplay = true;
    el.playsInline = true;
    document.body.appendChild(el);
    v.el = el;
    const onFrame = (now, meta) => {
      if (!v.firstFrameAt) v.firstFrameAt = now;
      v.frames = meta.presentedFrames;
      el.requestVideoFrameCallback(onFrame);
    };
    el.requestVideoFrameCallback(onFrame);
    const update = () => {
      const vt = v.tracks.filter((t) => t.kind === 'video');
      if (vt.length && !el.srcObject) { el.srcObject = new MediaStream(vt); el.play().catch(() => {}); }
      const at = v.tracks.filter((t) => t.kind === 'audio');
      if (at.length && !v.analyser) {
        const a = new Audio();
        a.muted = true;
        a.srcObject = new MediaStream(at);
        a.play().catch(() => {});
        const ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 8192;
        ctx.createMediaStreamSource(new MediaStream(at)).connect(analyser);
        v.audioEl = a;
        v.analyser = analyser;
      }
    };
    update();
    v.pc.addEventListener('track', update);
  }

  // The centre pixel of the last decoded frame, its size, and the timings of this view.
  function look(id) {
    const v = viewers[id];
    if (!v || !v.el || !v.el.videoWidth) return null;
    const c = document.createElement('canvas');
    c.width = v.el.videoWidth;
    c.height = v.el.videoHeight;
    const g = c.getContext('2d');
    g.drawImage(v.el, 0, 0);
    const d = g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
    return {
      rgb: [d[0], d[1], d[2]], width: c.width, height: c.height, frames: v.frames,
      postToAnswerMs: v.answeredAt - v.postedAt,
      postToFirstFrameMs: v.firstFrameAt ? v.firstFrameAt - v.postedAt : null,
    };
  }

  // dB at `hz` minus dB at `otherHz` (the tone stands out of the noise floor).
  function toneContrast(id, hz, otherHz) {
    const a = viewers[id] && viewers[id].analyser;
    if (!a) return null;
    const bins = new Float32Array(a.frequencyBinCount);
    a.getFloatFrequencyData(bins);
    const per = a.context.sampleRate / a.fftSize;
    const at = (f) => Math.max(...Array.from({ length: 7 }, (_, i) => bins[Math.round(f / per) - 3 + i]));
    return at(hz) - at(otherHz);
  }

  // ICE restart the RFC 9725 way: PATCH with an sdpfrag carrying the new ufrag/pwd; 200 + the server's
  // new ICE details. Returns the status and the body.
  async function restart(id) {
    const v = viewers[id];
    v.pc.restartIce();
    const offer = await v.pc.createOffer();
    await v.pc.setLocalDescription(offer);
    const ufrag = offer.sdp.match(/a=ice-ufrag:(.*)\r\n/)[1];
    const pwd = offer.sdp.match(/a=ice-pwd:(.*)\r\n/)[1];
    const r = await fetch(v.location, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
      body: `a=ice-options:trickle ice2\r\na=group:BUNDLE 0 1\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\n`,
    });
    const body = await r.text();
    if (r.status === 200) {
      // The server's new ICE details go into the answer we hold; the rest of the session stays.
      const nu = body.match(/a=ice-ufrag:(.*)\r\n/)[1];
      const np = body.match(/a=ice-pwd:(.*)\r\n/)[1];
      const candidates = (body.match(/a=candidate:.*\r\n/g) || []).join('');
      v.answer = v.answer.replace(/a=candidate:.*\r\n/g, '').replace(/a=end-of-candidates\r\n/g, '')
        .replace(/a=ice-ufrag:.*\r\n/g, `a=ice-ufrag:${nu}\r\n`)
        .replace(/a=ice-pwd:.*\r\n/g, `a=ice-pwd:${np}\r\n${candidates}`);
      await v.pc.setRemoteDescription({ type: 'answer', sdp: v.answer });
      v.etag = r.headers.get('ETag') || v.etag;
    }
    return { status: r.status, body, etag: r.headers.get('ETag') };
  }

  // After a refused restart: back to the session the viewer had.
  async function rollback(id) {
    await viewers[id].pc.setLocalDescription({ type: 'rollback' });
  }

  async function stop(id) {
    const v = viewers[id];
    const status = v.location ? (await fetch(v.location, { method: 'DELETE' })).status : null;
    v.pc.close();
    return status;
  }

  // The viewer's inbound-rtp counters (what arrived, what decoded, what it asked for).
  async function inbound(id) {
    const out = {};
    (await viewers[id].pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp') out[r.kind] = { packets: r.packetsReceived, frames: r.framesDecoded, keyFrames: r.keyFramesDecoded, pli: r.pliCount, nack: r.nackCount, jitterBufferDelay: r.jitterBufferDelay, emitted: r.jitterBufferEmittedCount };
    });
    return out;
  }

  // The ICE transport as the viewer sees it: its state and the ufrags of the selected pair's two
  // candidates (the remote one tells which of the server's ICE sessions carries the media).
  async function ice(id) {
    const stats = await viewers[id].pc.getStats();
    let transport = null;
    stats.forEach((r) => { if (r.type === 'transport') transport = r; });
    if (!transport) return null;
    const pair = transport.selectedCandidatePairId && stats.get(transport.selectedCandidatePairId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    return {
      state: transport.iceState, localUfrag: transport.iceLocalUsernameFragment,
      remoteUfrag: remote ? remote.usernameFragment : null, pairChanges: transport.selectedCandidatePairChanges,
    };
  }

  const state = (id) => viewers[id] && { connectionState: viewers[id].connectionState, patchStatuses: viewers[id].patchStatuses };

  window.whepViewer = { play, look, inbound, toneContrast, restart, rollback, ice, stop, state };
})();
