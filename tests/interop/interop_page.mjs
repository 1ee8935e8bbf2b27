// window.interop: publish and play with the three npm clients as their READMEs show them, and report what
// a person would check on the player: the video element shows frames (size, time advancing, frames
// presented) of the publisher's colour. Every client event and error goes into the session's log, so a
// failing test can say which request or callback went wrong.
import { WHIPClient as MedoozeWhip } from '/lib/whip-whep/whip.js';
import { WHEPClient as MedoozeWhep } from '/lib/whip-whep/whep.js';
import { WHIPClient as EyevinnWhip } from '/lib/eyevinn-whip-client.mjs';

const red5 = window.red5prosdk;

// Every HTTP exchange the clients make on this page ("POST /live/room1/whep/endpoint/x → 201 offer"), for
// the log of a failing test. Observed only: requests and responses pass through unchanged.
const http = [];
const pageFetch = window.fetch.bind(window);
window.fetch = async (input, init = {}) => {
  const method = init.method || 'GET';
  const url = new URL(typeof input === 'string' ? input : input.url, location.href);
  const line = `${method} ${url.pathname}${url.search}`;
  try {
    const res = await pageFetch(input, init);
    const type = res.headers.get('content-type') || '';
    let what = '';
    if (type.includes('sdp')) what = (await res.clone().text()).includes('a=setup:actpass') ? ' (offer)' : ' (answer)';
    else if (!res.ok) what = ` ${(await res.clone().text()).trim().slice(0, 200)}`;
    http.push(`${line} → ${res.status}${what}${res.headers.get('location') ? ` Location ${res.headers.get('location')}` : ''}`);
    return res;
  } catch (e) {
    http.push(`${line} → network error ${e.message}`);
    throw e;
  }
};
const sessions = new Map();
let nextId = 1;

function newSession(role, client) {
  const id = `${role}-${client}-${nextId++}`;
  const video = document.createElement('video');
  video.id = id;
  Object.assign(video, { autoplay: true, muted: true, playsInline: true, width: 320, height: 180 });
  document.body.appendChild(video);
  const s = { id, role, client, video, log: [], error: '', frames: 0, stop: async () => {}, pc: () => null };
  const onFrame = (_now, meta) => {
    s.frames = meta.presentedFrames;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  sessions.set(id, s);
  return s;
}

const note = (s, text) => { s.log.push(`${(performance.now() / 1000).toFixed(2)}s ${text}`); };
const failed = (s, e) => {
  s.error = `${e && e.message ? e.message : e}`;
  note(s, `error: ${s.error}`);
};

// Red5 SDK events ("Publish.Start", "Connect.Failure", ...) with the small part of their data worth logging.
function logRed5(s, client) {
  client.on('*', (e) => {
    const data = e.data && typeof e.data === 'object' && !(e.data instanceof RTCPeerConnection)
      ? JSON.stringify(e.data, (k, v) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 120)}…` : v)).slice(0, 300)
      : '';
    note(s, `${e.type} ${data}`);
  });
}

// Fields every Red5 config of these tests shares: no Google STUN (the media namespace has no internet)
// and no Red5-proprietary data channel signalling (our server speaks plain WHIP/WHEP).
const red5Defaults = { protocol: 'https', rtcConfiguration: { iceServers: [] }, enableChannelSignaling: false };

async function camera() {
  return navigator.mediaDevices.getUserMedia({ audio: true, video: true });
}

const publishers = {
  // red5: {host, port, app, streamName}: POST https://host:port/<app>/whip/endpoint/<streamName>
  async red5(s, target) {
    const pub = new red5.WHIPClient();
    logRed5(s, pub);
    s.pc = () => pub.getPeerConnection();
    s.stop = () => pub.unpublish();
    await pub.init({ ...red5Defaults, ...target, mediaElementId: s.id });
    await pub.publish();
  },
  // whip-whep: the caller makes the peer connection (README), the client does the HTTP.
  async 'whip-whep'(s, url) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    for (const track of (await camera()).getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
    s.video.srcObject = new MediaStream(pc.getSenders().map((x) => x.track));
    const client = new MedoozeWhip();
    s.pc = () => pc;
    s.stop = () => client.stop();
    await client.publish(pc, url);
  },
  async eyevinn(s, url) {
    const stream = await camera();
    s.video.srcObject = stream;
    const client = new EyevinnWhip({ endpoint: url, opts: { debug: false, iceServers: [] } });
    s.pc = () => client.peer;
    s.stop = () => client.destroy();
    await client.ingest(stream);
  },
};

const players = {
  // red5: {host, port, app, streamName, postEmptyOffer}: POST https://host:port/<app>/whep/endpoint/<streamName>?requestId=…
  async red5(s, target) {
    const sub = new red5.WHEPClient();
    logRed5(s, sub);
    s.pc = () => sub.getPeerConnection();
    s.stop = () => sub.unsubscribe();
    await sub.init({ ...red5Defaults, ...target, mediaElementId: s.id });
    await sub.subscribe();
  },
  async 'whip-whep'(s, url) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.ontrack = (e) => { stream.addTrack(e.track); s.video.srcObject = stream; };
    const client = new MedoozeWhep();
    s.pc = () => pc;
    s.stop = () => client.stop();
    await client.view(pc, url);
  },
};

async function start(role, table, client, target) {
  const run = table[client];
  if (!run) throw new Error(`no ${role} client "${client}" (have ${Object.keys(table).join(', ')})`);
  const s = newSession(role, client);
  note(s, `${role} ${client} ${JSON.stringify(target)}`);
  const pc = () => { try { return s.pc(); } catch { return null; } };
  // Connection states as the browser sees them, whoever made the peer connection.
  const watchPc = setInterval(() => {
    const p = pc();
    if (!p || p.__watched) return;
    p.__watched = true;
    p.addEventListener('connectionstatechange', () => note(s, `pc ${p.connectionState}`));
    note(s, `pc ${p.connectionState}`);
  }, 50);
  s.unwatch = () => clearInterval(watchPc);
  try {
    await run(s, target);
    note(s, `${role} call returned`);
  } catch (e) {
    failed(s, e);
  }
  return { id: s.id, error: s.error };
}

// The colour at (fx, fy) of the frame the video element shows now, or null before its first frame.
function pixel(video, fx, fy) {
  if (!video.videoWidth) return null;
  const c = document.createElement('canvas');
  c.width = video.videoWidth;
  c.height = video.videoHeight;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0);
  const d = g.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data;
  return [d[0], d[1], d[2]];
}

window.interop = {
  publish: (client, target) => start('publish', publishers, client, target),
  play: (client, target) => start('play', players, client, target),
  // What the player shows: {width, height, currentTime, frames, rgb, connectionState, error, log}.
  watch(id, [fx, fy] = [0.5, 0.4]) {
    const s = sessions.get(id);
    if (!s) return null;
    let p = null;
    try { p = s.pc(); } catch { /* the client has no peer connection (yet) */ }
    return {
      width: s.video.videoWidth, height: s.video.videoHeight, currentTime: s.video.currentTime,
      frames: s.frames, rgb: pixel(s.video, fx, fy), connectionState: p ? p.connectionState : 'none',
      error: s.error, log: [...s.log.slice(-25), ...http.slice(-15).map((h) => `http: ${h}`)],
    };
  },
  async stop(id) {
    const s = sessions.get(id);
    if (!s) return;
    s.unwatch();
    try { await s.stop(); } catch (e) { failed(s, e); }
    s.video.srcObject = null;
  },
};
window.dispatchEvent(new Event('interop-ready'));
