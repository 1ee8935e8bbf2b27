// A small Conference API server (SPEC 4.1) for browser tests that need no real backend: it keeps one
// conference per scope (waiting-room streams, conference list, presenter), greets each socket the way
// the reference server does (mixerRegions, active, conference, activeCompositions) and answers
// promote/demote/presenter/order/exclude by pushing the new lists to every socket of the conference.
// Every text frame it receives is recorded so a test can assert the exact JSON a click sent.
import { WebSocketServer } from 'ws';

const scopeOf = (room) => (room.endsWith('_wr') ? room.slice(0, -3) : room);

export function startConferenceServer(httpsServer, { regions = ['local'], waiting = {} } = {}) {
  const wss = new WebSocketServer({ server: httpsServer });
  const rooms = new Map(); // scope → { waiting: [], conference: [], presenter: '' , excluded: [] }
  const sockets = new Set(); // { ws, room, host, mixer, hostToken }
  const received = []; // { room, text, json }
  const connections = []; // { url, room, host, mixer, hostToken }
  const waiters = [];

  const roomOf = (scope) => {
    if (!rooms.has(scope)) {
      rooms.set(scope, { waiting: [...(waiting[scope] || [])], conference: [], presenter: '', excluded: [] });
    }
    return rooms.get(scope);
  };
  const send = (s, msg) => s.ws.send(JSON.stringify(msg));
  const conferenceMsg = (scope) => {
    const r = roomOf(scope);
    const msg = { type: 'conference', room: scope, streams: r.conference };
    if (r.presenter) msg.presenter = r.presenter;
    return msg;
  };
  const activeMsg = (room) => {
    const r = roomOf(scopeOf(room));
    return { type: 'active', room, streams: room.endsWith('_wr') ? r.waiting : [] };
  };
  const pushAll = (scope) => {
    for (const s of sockets) {
      if (scopeOf(s.room) !== scope) continue;
      send(s, activeMsg(s.room));
      // Participants learn they were admitted from the same list (ParticipantSession listens for it).
      send(s, conferenceMsg(scope));
    }
  };
  const notify = () => {
    for (const w of [...waiters]) {
      const hit = received.find(w.predicate);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };

  wss.on('connection', (ws, req) => {
    const url = new URL(req.url, 'wss://127.0.0.1');
    const q = url.searchParams;
    const s = {
      ws,
      room: q.get('room') || '',
      host: q.get('host') === 'true',
      mixer: q.get('mixer') === 'true',
      hostToken: q.get('hostToken') || '',
    };
    sockets.add(s);
    connections.push({ url: req.url, room: s.room, host: s.host, mixer: s.mixer, hostToken: s.hostToken });
    const scope = scopeOf(s.room);
    send(s, { type: 'mixerRegions', regions });
    send(s, activeMsg(s.room));
    send(s, conferenceMsg(scope));
    if (s.host || s.mixer) send(s, { type: 'activeCompositions', room: s.room, list: [] });
    ws.on('close', () => sockets.delete(s));
    ws.on('message', (data) => {
      const text = data.toString();
      let json = null;
      try { json = JSON.parse(text); } catch { /* recorded as is */ }
      received.push({ room: s.room, text, json });
      notify();
      if (!json) return send(s, { type: 'error', error: 'malformed JSON' });
      const target = roomOf(scopeOf(json.room || s.room));
      const name = json.streamName;
      switch (json.type) {
        case 'promote':
          if (!target.waiting.includes(name)) return send(s, { type: 'error', error: `promote: ${name} is not waiting` });
          target.waiting = target.waiting.filter((n) => n !== name);
          target.conference.push(name);
          if (!target.presenter) target.presenter = name;
          break;
        case 'demote':
          target.conference = target.conference.filter((n) => n !== name);
          target.waiting.push(name);
          if (target.presenter === name) target.presenter = target.conference[0] || '';
          break;
        case 'presenter':
          target.presenter = name;
          break;
        case 'order': {
          const list = target.conference.filter((n) => n !== name);
          list.splice(json.order, 0, name);
          target.conference = list;
          break;
        }
        case 'exclude':
          target.waiting = target.waiting.filter((n) => n !== name);
          target.conference = target.conference.filter((n) => n !== name);
          target.excluded.push(name);
          break;
        case 'getActiveCompositions':
          return send(s, { type: 'activeCompositions', room: s.room, list: [] });
        default:
          return undefined;
      }
      pushAll(scopeOf(json.room || s.room));
      return undefined;
    });
  });

  return {
    received,
    connections,
    // Resolves with the first received frame matching predicate (already received or future).
    waitForMessage(predicate) {
      const hit = received.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    setConference(scope, streams, presenter = streams[0] || '') {
      const r = roomOf(scope);
      r.conference = [...streams];
      r.presenter = presenter;
      r.waiting = r.waiting.filter((n) => !streams.includes(n));
      pushAll(scope);
    },
    // Tells every socket of the conference (and its waiting room) that these streams are banned.
    pushExcluded(scope, streams) {
      const r = roomOf(scope);
      r.excluded.push(...streams);
      r.waiting = r.waiting.filter((n) => !streams.includes(n));
      r.conference = r.conference.filter((n) => !streams.includes(n));
      for (const s of sockets) {
        if (scopeOf(s.room) === scope) send(s, { type: 'excluded', room: s.room, streams: r.excluded });
      }
      pushAll(scope);
    },
    setWaiting(scope, streams) {
      roomOf(scope).waiting = [...streams];
      pushAll(scope);
    },
    close() {
      for (const s of sockets) s.ws.terminate();
      return new Promise((resolve) => wss.close(resolve));
    },
  };
}
