// Issue 4's measurements (`bash tests/e2e/run.sh bench`, inside the private network namespace). Prints
// numbers against their targets; nothing here fails on a missed target.
//   - composition create → Composing visible in the host console (target ≤ 3 s)
//   - host "add to conference" → the participant's composite shows them (target ≤ 1.5 s p50)
//   - the host console's frame rate with 12 live previews (target ≥ 55 fps)
//   - the mixer's output frame rate and CPU with 2, 4 and 8 inputs at 1280×720 and 640×360
//   - the web build's wasm + js size, gzip
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { BASE, HOST_TOKEN, PORT, PROXY, conferenceSocket, debugState, lastLogMatch, launchBrowser, mediaPage, waitFor } from '../media/harness.mjs';
import { CompositeProbe } from './composite_probe.mjs';
import { ConferenceBrowser, SM_TOKEN } from './conference_browser.mjs';

const REPEATS = Number(process.env.CONFHOST_BENCH_REPEATS || 5);
const SIZE = { width: 640, height: 360 };
const WAIT = { timeoutMs: 90000 };
const results = [];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function report(what, value, unit, target) {
  const line = `${what}: ${value}${unit} (target ${target})`;
  results.push(line);
  console.log(line);
}

async function compositionAndAdmission(browser) {
  const scope = 'live/bench';
  const room = 'bench';
  const dana = { rgb: [230, 140, 20], tone: 660 };
  const host = await browser.openHost(scope);
  const participant = await browser.openParticipant(scope, 'dana', dana);
  await participant.waitState('waiting', (s) => s.state === 'waiting', WAIT);
  await host.waitState('dana in the waiting room and the regions known', (s) => s.waiting.includes('dana') && s.regions.length, WAIT);

  // Composition create → Composing, a few times (each destroyed before the next).
  const creates = [];
  for (let i = 0; i < Math.min(REPEATS, 3); i++) {
    const t0 = Date.now();
    await host.command({ cmd: 'createComposition', ...SIZE, framerate: 20, bitrate: 1000 });
    await host.waitState('composing', (s) => s.selected.state === 'composing', WAIT);
    creates.push(Date.now() - t0);
    if (i + 1 < Math.min(REPEATS, 3)) {
      await host.command({ cmd: 'destroyComposition', event: room });
      await host.waitState('no composition', (s) => s.compositions.length === 0, WAIT);
      // The next run must start from nothing: the old mixer's composite publish can outlive its
      // process by a few seconds (until the proxy's no-media timeout), and while it lasts a new
      // composition of the same room counts as composing at once.
      await waitFor('the old composite gone from the proxy',
        async () => !(await debugState()).resources.some((r) => r.stream === room && r.kind !== 'whep'), WAIT);
    }
  }
  report('composition create → Composing in the host console (median of ' + creates.length + ')',
    median(creates), ' ms', '≤ 3000 ms');
  console.log(`  runs: ${creates.join(', ')} ms`);

  // Add to conference → dana's own composite shows dana (her colour filling the single tile).
  const probe = new CompositeProbe(participant, (s) => (s.compositeHasVideo ? s.handles?.composite : 0),
    { dana: dana.rgb, dark: [30, 33, 42] }, SIZE);
  const admits = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = Date.now();
    await host.command({ cmd: 'addToConference', name: 'dana' });
    await probe.waitFor('dana', ['dana'], 'dana', WAIT);
    admits.push(Date.now() - t0);
    await host.command({ cmd: 'removeFromConference', name: 'dana' });
    await participant.waitState('back to waiting with the composite stopped', (s) => s.state === 'waiting'
      && ['idle', 'stopped'].includes(s.sessions.composite.state), WAIT);
    await host.waitState('dana waiting again', (s) => s.waiting.includes('dana'), WAIT);
  }
  report(`add to conference → the participant's composite shows them (p50 of ${admits.length})`,
    median(admits), ' ms', '≤ 1500 ms p50');
  console.log(`  runs: ${admits.join(', ')} ms`);

  await host.command({ cmd: 'destroyComposition', event: room });
  await host.waitState('no composition', (s) => s.compositions.length === 0, WAIT);
  await participant.command({ cmd: 'stopBroadcast' });
  await host.page.close();
  await participant.page.close();
}

// uiFps is the console's own count of frames drawn over the last second: the median of 5 readings
// (the first window after a change may still include start-up work).
async function uiFps(host) {
  const readings = [];
  await waitFor('6 frame-rate readings', async () => {
    readings.push((await host.state()).uiFps);
    return readings.length >= 6;
  }, { timeoutMs: 30000, everyMs: 1000 });
  readings.shift();
  return readings;
}

async function consoleFrameRate(browser) {
  const scope = 'live/wall';
  // The same console with nothing to preview: what the machine gives any console page.
  const idle = await browser.openHost('live/empty');
  const baseline = await uiFps(idle);
  report('host console frame rate, no previews (baseline, median of 5 one-second windows)',
    median(baseline).toFixed(1), ' fps', '≥ 55 fps');
  await idle.page.close();
  const publishers = await launchBrowser();
  try {
    const page = await mediaPage(publishers.context);
    for (let i = 0; i < 12; i++) {
      const rgb = [(i * 67) % 256, (i * 131 + 60) % 256, (i * 29 + 120) % 256];
      const r = await page.evaluate(([url, c, f]) => mediaTest.publish(url, { rgb: c, frequency: f }),
        [`${PROXY}/whip/${scope}_wr/wall${i}`, rgb, 300 + 50 * i]);
      if (r.status !== 201) throw new Error(`publish wall${i}: ${r.status} ${r.error}`);
    }
    const host = await browser.openHost(scope);
    await host.waitState('12 previews with video', (s) => Object.values(s.previewMedia || {}).filter((p) => p.hasVideo).length >= 12, WAIT);
    const readings = await uiFps(host);
    report('host console frame rate with 12 live previews (median of 5 one-second windows)',
      median(readings).toFixed(1), ' fps', '≥ 55 fps');
    console.log(`  readings: ${readings.map((x) => x.toFixed(1)).join(', ')} fps`);
    await host.page.close();
  } finally {
    await publishers.close();
  }
}

// CPU seconds (user + system) of a process and all its descendants (a mixer node is a Chromium tree).
function treeCpuSeconds(root) {
  const parent = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // fields from 3 (state) on
      parent.set(Number(entry), Number(f[1]));
      cpu.set(Number(entry), Number(f[11]) + Number(f[12]));  // utime, stime (fields 14, 15)
    } catch { /* the process ended while we read */ }
  }
  let ticks = 0;
  for (const [pid, t] of cpu) {
    for (let p = pid; p > 1; p = parent.get(p)) {
      if (p === root) { ticks += t; break; }
      if (!parent.has(p)) break;
    }
  }
  return ticks / 100;  // USER_HZ
}

function machineBusySeconds() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  return { busy: (f.reduce((a, b) => a + b, 0) - idle) / 100, total: f.reduce((a, b) => a + b, 0) / 100 };
}

// A composite viewer's frame rate over a window of `frames` presented frames (requestVideoFrameCallback).
function viewerFps(viewer, frames) {
  return viewer.evaluate((n) => new Promise((resolve) => {
    const v = [...document.querySelectorAll('video')].find((x) => x.videoWidth > 0);
    if (!v) { resolve(null); return; }
    let count = 0;
    let first = 0;
    const onFrame = (now) => {
      if (!first) first = now;
      if (++count > n) { resolve({ fps: (n * 1000) / (now - first), width: v.videoWidth, height: v.videoHeight }); return; }
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  }), frames);
}

async function mixerLoad() {
  const scope = 'live/mixbench';
  const room = 'mixbench';
  const inputs = Array.from({ length: 8 }, (_, i) => `in${i}`);
  const host = conferenceSocket(`${scope}_wr`, { host: true, token: HOST_TOKEN });
  await host.opened;
  const browser = await launchBrowser();
  try {
    const publisher = await mediaPage(browser.context);
    // Each input publishes to the waiting room (so it can be promoted) and to the conference scope
    // (what the mixer plays), as a participant does.
    for (const [i, name] of inputs.entries()) {
      for (const path_ of [`${scope}_wr/${name}`, `${scope}/${name}`]) {
        const r = await publisher.evaluate(([url, c]) => mediaTest.publish(url, { rgb: c, frequency: 400 }),
          [`${PROXY}/whip/${path_}`, [(i * 67) % 256, (i * 131 + 60) % 256, 200]]);
        if (r.status !== 201) throw new Error(`publish ${path_}: ${r.status} ${r.error}`);
      }
    }
    await host.waitMessage('the 8 inputs in the waiting room', (m) => m.type === 'active' && m.room === `${scope}_wr`
      && inputs.every((n) => m.streams.includes(n)), WAIT);
    for (const [width, height] of [[1280, 720], [640, 360]]) {
      for (const n of [2, 4, 8]) {
        const event = `${room}${width}x${n}`;
        const query = `scope=${scope}&ws=localhost:${PORT}&layout=focused&width=${width}&height=${height}&framerate=30&bitrate=2000`;
        host.send({
          type: 'createComposition', event, transcodeComposition: false, digest: SM_TOKEN, location: ['local'],
          mixers: [{ mixerName: `${event}-m`, mixingPage: `${BASE}/index.html#/mixer?${query}`, streamName: room, path: scope,
            width, height, framerate: 30, bitrate: 2000, doForward: true, destinationMixerName: '' }],
        });
        const composing = await host.waitMessage(`${event} composing`, (m) => m.type === 'activeCompositions'
          && m.list.some((c) => c.event === event && c.mixers[0]?.state === 'composing'), WAIT).catch((e) => {
          throw new Error(`${e.message}; server errors: ${JSON.stringify(host.messages.filter((m) => m.type === 'error'))}`);
        });
        const id = composing.list.find((c) => c.event === event).mixers[0].id;
        const pid = Number(lastLogMatch(`mixer: ${id} launched pid (\\d+)`)[1]);
        for (const name of inputs.slice(0, n)) host.send({ type: 'promote', room: scope, streamName: name });
        await host.waitMessage(`${n} inputs in the conference`, (m) => m.type === 'conference' && m.streams.length === n, WAIT);
        // The mixer plays every input before the window starts.
        await waitFor(`the mixer playing ${n} inputs`, async () => (await debugState()).resources
          .filter((r) => r.kind === 'whep' && r.scope === scope && r.stream.startsWith('in') && r.up).length >= n, WAIT);
        const viewer = await mediaPage(browser.context);
        const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${scope}/${room}`);
        if (played.status !== 406 && played.status !== 201) throw new Error(`play the composite: ${played.status}`);
        await waitFor('a composite frame', () => viewer.evaluate(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0)), WAIT);
        await viewerFps(viewer, 30);  // warm-up: the encoder ramps up after the first frames
        const cpu0 = treeCpuSeconds(pid);
        const m0 = machineBusySeconds();
        const t0 = Date.now();
        const out = await viewerFps(viewer, 150);
        const wall = (Date.now() - t0) / 1000;
        const mixerCpu = (100 * (treeCpuSeconds(pid) - cpu0)) / wall;
        const m1 = machineBusySeconds();
        const machine = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);
        report(`mixer ${width}x${height}, ${n} inputs: output`, out ? out.fps.toFixed(1) : 'no frames', ' fps',
          '30 fps (the composition\'s framerate)');
        console.log(`  mixer process tree CPU ${mixerCpu.toFixed(0)} % of one core; machine ${machine.toFixed(0)} % busy (every process, other suites included)`);
        results.push(`  mixer CPU ${mixerCpu.toFixed(0)} % of one core, machine ${machine.toFixed(0)} % busy`);
        await viewer.close();
        host.send({ type: 'destroyComposition', event });
        for (const name of inputs.slice(0, n)) host.send({ type: 'demote', room: scope, streamName: name });
        await host.waitMessage(`${event} gone`, (m) => m.type === 'activeCompositions' && !m.list.some((c) => c.event === event)
          && host.latest('activeCompositions') === m, WAIT);
        await waitFor('the old composite gone from the proxy', async () => !(await debugState()).resources
          .some((r) => r.stream === room && r.kind !== 'whep'), WAIT);
      }
    }
  } finally {
    host.close();
    await browser.close();
  }
}

function buildSize() {
  const site = process.env.CONFHOST_WEB_ROOT;
  if (!site) return;
  const gz = (f) => gzipSync(readFileSync(path.join(site, f)), { level: 9 }).length;
  // The module's names carry their content hash: confhost.<hash>.wasm / .js.
  const named = (ext) => readdirSync(site).find((f) => /^confhost\.[0-9a-f]{16}\./.test(f) && f.endsWith(ext));
  const wasm = gz(named('.wasm'));
  const js = gz(named('.js'));
  report('web build, gzip: confhost.wasm + confhost.js', `${(wasm / 1024).toFixed(0)} KiB + ${(js / 1024).toFixed(0)} KiB = ${((wasm + js) / 1024).toFixed(0)}`, ' KiB', 'as small as practical');
}

// CONFHOST_BENCH_ONLY=admission,console,mixer,size runs a subset (default: all).
const only = (process.env.CONFHOST_BENCH_ONLY || 'admission,console,mixer,size').split(',');
await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 30000 });
const browser = await ConferenceBrowser.launch();
try {
  if (only.includes('admission')) await compositionAndAdmission(browser);
  if (only.includes('console')) await consoleFrameRate(browser);
  if (only.includes('mixer')) await mixerLoad();
  if (only.includes('size')) buildSize();
} finally {
  await browser.close();
}
console.log('---- issue 4 bench ----');
console.log(`(machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
for (const line of results) console.log(line);
