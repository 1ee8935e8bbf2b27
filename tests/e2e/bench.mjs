// The conference at the Create Composition form's defaults, measured (`bash tests/e2e/run.sh bench`, inside
// the private network namespace). Every role runs in its own Chromium, as on separate machines, so the CPU
// of each can be told apart; figures are printed beside their targets and nothing here fails on a miss.
//   - walkthrough: create → Composing, add → visible in the participant's own composite (p50 and worst
//     over 6 adds), presenter → composite
//   - where the CPU goes during a 3-party conference: host console, participants, mixer, Janus, server
//   - an idle console's CPU; the host console's frame rate with 12 live previews while the mouse moves
//   - the mixer's output at 1280×720 with 4 and 9 inputs that cost this machine little (pre-encoded VP8
//     published by GStreamer), and inside the whole conference
//   - the web build's size
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { BASE, HOST_TOKEN, PORT, PROXY, conferenceSocket, debugState, lastLogMatch, launchBrowser, mediaPage, waitFor } from '../media/harness.mjs';
import { CompositeProbe } from './composite_probe.mjs';
import { ConferenceBrowser, SM_TOKEN } from './conference_browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PUBLISHER = path.join(here, '../../bench/vp8_whip_publisher.py');
const DEFAULTS = { width: 1280, height: 720 };  // the form's pre-filled size (30 fps, 1500 kbps)
const PEOPLE = {
  alice: { rgb: [220, 40, 40], tone: 440 },
  bob: { rgb: [40, 190, 60], tone: 880 },
  carol: { rgb: [50, 90, 230], tone: 1320 },
};
const PALETTE = { ...Object.fromEntries(Object.entries(PEOPLE).map(([n, p]) => [n, p.rgb])), dark: [30, 33, 42] };
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
function note(line) {
  results.push(`  ${line}`);
  console.log(`  ${line}`);
}

// ---- CPU accounting (/proc) ----------------------------------------------------------------------

function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // fields from 3 (state) on
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      table.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm });
    } catch { /* the process ended while we read */ }
  }
  return table;
}

// CPU seconds of each named group: root pids with all their descendants, or `{ self: [pids] }` for those
// processes alone (the server, whose children — Janus, the mixers — are counted on their own).
function cpuSeconds(groups) {
  const table = processTable();
  const out = {};
  for (const [name, group] of Object.entries(groups)) {
    let ticks = 0;
    if (group.self) {
      for (const pid of group.self) ticks += table.get(pid)?.ticks ?? 0;
    } else {
      for (const [pid, p] of table) {
        for (let q = pid, hops = 0; q > 1 && hops < 64; q = table.get(q)?.ppid ?? 0, hops++) {
          if (group.includes(q)) { ticks += p.ticks; break; }
        }
      }
    }
    out[name] = ticks / 100;  // USER_HZ
  }
  return out;
}

function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

// The browser process of a Chromium started with --user-data-dir=<dir>.
function browserPid(dir) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--user-data-dir=${dir}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
    } catch { /* gone */ }
  }
  throw new Error(`no Chromium with --user-data-dir=${dir}`);
}

// The CPU seconds of one Chromium, split by its processes' kinds (browser, renderer, gpu-process,
// utility:<sub-type>): where a console's CPU goes.
function chromiumKinds(rootPid) {
  const table = processTable();
  const out = {};
  for (const [pid, p] of table) {
    let inside = false;
    for (let q = pid, hops = 0; q > 1 && hops < 64; q = table.get(q)?.ppid ?? 0, hops++) {
      if (q === rootPid) { inside = true; break; }
    }
    if (!inside) continue;
    let kind = 'browser';
    try {
      // Chromium rewrites its children's argv into one string: search it rather than split it.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=(\S+)/.exec(cmdline)?.[1];
      const sub = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
      if (type) kind = type + (sub ? `:${sub.slice(sub.lastIndexOf('.') + 1)}` : '');
    } catch { continue; }
    out[kind] = (out[kind] ?? 0) + p.ticks / 100;
  }
  return out;
}

// Runs `during` for `seconds` and returns "renderer 40 %, gpu-process 30 %, …" of one core.
async function chromiumSplit(rootPid, seconds, during = async () => {}) {
  const k0 = chromiumKinds(rootPid);
  const t0 = Date.now();
  const work = during();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await work;
  const wall = (Date.now() - t0) / 1000;
  const k1 = chromiumKinds(rootPid);
  return Object.entries(k1).map(([k, v]) => [k, (100 * (v - (k0[k] ?? 0))) / wall]).filter(([, v]) => v >= 0.5)
    .sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)} %`).join(', ');
}

const pidsNamed = (comm) => [...processTable()].filter(([, p]) => p.comm === comm).map(([pid]) => pid);

// CPU % of one core of each group over `seconds`, and the machine's idle share, while `during` runs.
async function measureCpu(groups, seconds, during = async () => {}) {
  const c0 = cpuSeconds(groups);
  const m0 = machineTicks();
  const t0 = Date.now();
  const work = during();
  await new Promise((r) => setTimeout(r, seconds * 1000));  // the measurement window itself
  await work;
  const wall = (Date.now() - t0) / 1000;
  const c1 = cpuSeconds(groups);
  const m1 = machineTicks();
  const share = Object.fromEntries(Object.keys(groups).map((k) => [k, (100 * (c1[k] - c0[k])) / wall]));
  return { share, idle: (100 * (m1.idle - m0.idle)) / (m1.total - m0.total), wall };
}

// ---- GStreamer inputs ----------------------------------------------------------------------------

const VP8_FILE = path.join(os.tmpdir(), `confhost-bench-${process.pid}.webm`);

async function cheapPublishers(endpoint, names) {
  if (!existsSync(VP8_FILE)) {
    await new Promise((resolve, reject) => {
      const p = spawn('/usr/bin/python3', [PUBLISHER, '--make', VP8_FILE, '--seconds', '120'], { stdio: 'inherit' });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`making ${VP8_FILE}: exit ${code}`))));
    });
  }
  const child = spawn('/usr/bin/python3', [PUBLISHER, '--file', VP8_FILE, '--endpoint', endpoint, '--names', names.join(',')],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Set();
  const errors = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('ready ')) ready.add(line.slice(6));
    else if (line.startsWith('error ')) errors.push(line);
  });
  await waitFor(`${names.length} GStreamer publishes to ${endpoint}`, () => {
    if (errors.length) throw new Error(errors.join('; '));
    return ready.size === names.length;
  }, WAIT);
  return { pid: child.pid, stop: () => { child.stdin.end(); child.kill('SIGTERM'); } };
}

// ---- the walkthrough at the form's defaults --------------------------------------------------------

async function walkthrough() {
  const scope = 'live/bench';
  const room = 'bench';
  const hostBrowser = await ConferenceBrowser.launch();
  const browsers = [hostBrowser];
  const people = {};
  try {
    const host = await hostBrowser.openHost(scope);
    for (const [name, media] of Object.entries(PEOPLE)) {
      const b = await ConferenceBrowser.launch();
      browsers.push(b);
      people[name] = await b.openParticipant(scope, name, media);
    }
    for (const c of Object.values(people)) await c.waitState('waiting', (s) => s.state === 'waiting', WAIT);
    await host.waitState('everyone waiting, regions known', (s) => Object.keys(PEOPLE).every((n) => s.waiting.includes(n))
      && s.regions.length, WAIT);

    const creates = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await host.command({ cmd: 'createComposition' });  // the form as pre-filled
      await host.waitState('composing', (s) => s.selected.state === 'composing', WAIT);
      creates.push(Date.now() - t0);
      if (i < 2) {
        await host.command({ cmd: 'destroyComposition', event: room });
        await host.waitState('no composition', (s) => s.compositions.length === 0, WAIT);
        // The old mixer's composite publish can outlive its process until the proxy notices; a new
        // composition of the room would count as composing at once.
        await waitFor('the old composite gone', async () => !(await debugState()).resources.some((r) => r.stream === room && r.kind !== 'whep'), WAIT);
      }
    }
    const s0 = await host.state();
    const form = s0.form || {};
    note(`composition: ${form.width ?? DEFAULTS.width}x${form.height ?? DEFAULTS.height} @ ${form.framerate ?? 30} fps, ${form.bitrate ?? 1500} kbps (the form's defaults)`);
    report('create → Composing in the host console (median of 3)', median(creates), ' ms', '≤ 3000 ms');
    note(`runs: ${creates.join(', ')} ms`);

    const compositeOf = (s) => (s.compositeHasVideo ? s.handles?.composite : 0);
    const probeOf = (name) => new CompositeProbe(people[name], compositeOf, PALETTE, DEFAULTS);
    const admit = async (name) => {
      const t0 = Date.now();
      await host.command({ cmd: 'addToConference', name });
      const s = await people[name].waitState('in the conference', (x) => x.state === 'inConference' && x.conference.includes(name), WAIT);
      await probeOf(name).waitFor(`${name} in its own composite`, s.conference, s.presenter, WAIT);
      return Date.now() - t0;
    };
    const remove = async (name) => {
      await host.command({ cmd: 'removeFromConference', name });
      await people[name].waitState('back to waiting', (x) => x.state === 'waiting'
        && ['idle', 'stopped'].includes(x.sessions.composite.state), WAIT);
      await host.waitState(`${name} waiting again`, (x) => x.waiting.includes(name), WAIT);
    };
    const adds = [];
    for (const name of Object.keys(PEOPLE)) adds.push(await admit(name));
    for (const name of Object.keys(PEOPLE)) {
      await remove(name);
      adds.push(await admit(name));
    }
    report(`add → visible in the participant's own composite (p50 of ${adds.length})`, median(adds), ' ms', '≤ 1500 ms p50');
    report('add → visible, worst', Math.max(...adds), ' ms', '≤ 3000 ms');
    note(`runs: ${adds.join(', ')} ms`);

    const presents = [];
    for (const name of ['bob', 'carol', 'alice']) {
      const t0 = Date.now();
      await host.command({ cmd: 'makePresenter', name });
      const s = await people.alice.waitState(`${name} presenter`, (x) => x.presenter === name, WAIT);
      await probeOf('alice').waitFor(`${name} as presenter`, s.conference, name, WAIT);
      presents.push(Date.now() - t0);
    }
    report('presenter → composite (median of 3)', median(presents), ' ms', '≤ 500 ms');
    note(`runs: ${presents.join(', ')} ms`);

    // Where the CPU goes with three people in, at steady state.
    const id = (await host.state()).compositions.find((c) => c.event === room).mixers[0].id;
    const mixerPid = Number(lastLogMatch(`mixer: ${id} launched pid (\\d+)`)[1]);
    const groups = {
      'host console': [browserPid(hostBrowser.dir)],
      ...Object.fromEntries(Object.keys(PEOPLE).map((n, i) => [`participant ${n}`, [browserPid(browsers[i + 1].dir)]])),
      mixer: [mixerPid],
      janus: pidsNamed('janus'),
      server: { self: [Number(process.env.CONFHOST_SERVER_PID)] },
    };
    const decoded = async () => (await people.alice.state()).stats?.composite?.framesDecoded ?? 0;
    const d0 = await decoded();
    const [cpu, ...splits] = await Promise.all([measureCpu(groups, 20),
      ...[groups['host console'][0], groups['participant alice'][0], mixerPid].map((pid) => chromiumSplit(pid, 20))]);
    const compositeFps = ((await decoded()) - d0) / cpu.wall;
    const sum = Object.values(cpu.share).reduce((a, b) => a + b, 0);
    report('3-party conference: machine idle', cpu.idle.toFixed(0), ' %', '≥ 33 %');
    for (const [k, v] of Object.entries(cpu.share)) note(`${k}: ${v.toFixed(0)} % of one core (${((100 * v) / sum).toFixed(0)} % of what the conference uses)`);
    ['host console', 'participant alice', 'mixer'].forEach((who, i) => note(`${who} by process kind: ${splits[i]}`));
    report('mixer output inside the conference (frames alice\'s composite decoded per second)', compositeFps.toFixed(1),
      ' fps', '≥ 28 fps');
    const hostState = await host.state();
    note(`host console drew ${hostState.uiFps.toFixed(1)} fps; participants ${(await Promise.all(Object.values(people).map(async (c) => (await c.state()).uiFps.toFixed(1)))).join(', ')} fps`);

    await host.command({ cmd: 'destroyComposition', event: room });
    await host.waitState('no composition', (s) => s.compositions.length === 0, WAIT);
  } finally {
    for (const b of browsers) await b.close();
  }
}

// ---- the console alone -------------------------------------------------------------------------------

async function idleConsole() {
  const browser = await ConferenceBrowser.launch();
  try {
    const host = await browser.openHost('live/idle');
    await host.waitState('connected (the server\'s regions known)', (s) => s.regions?.length > 0, WAIT);
    // Idle means after the start has settled: the module compiled, the sockets open, the first frames drawn.
    await new Promise((r) => setTimeout(r, 3000));
    const f0 = (await host.state()).frames;
    const cpu = await measureCpu({ console: [browserPid(browser.dir)] }, 10);
    const f1 = (await host.state()).frames;
    report('idle host console (nothing waiting, no input)', cpu.share.console.toFixed(1), ' % of one core', '< 2 %');
    note(`frames drawn in ${cpu.wall.toFixed(0)} s: ${f1 - f0}`);
    note(`where it goes: ${await chromiumSplit(browserPid(browser.dir), 10)}`);
  } finally {
    await browser.close();
  }
}

// uiFps is the console's own count of frames drawn over the last second: the median of 5 readings.
async function uiFps(host) {
  const readings = [];
  await waitFor('6 frame-rate readings', async () => {
    readings.push((await host.state()).uiFps);
    return readings.length >= 6;
  }, { timeoutMs: 30000, everyMs: 1000 });
  readings.shift();
  return readings;
}

async function twelvePreviews() {
  const scope = 'live/wall';
  const names = Array.from({ length: 12 }, (_, i) => `wall${i}`);
  const inputs = await cheapPublishers(`${PROXY}/whip/${scope}_wr`, names);
  const browser = await ConferenceBrowser.launch();
  try {
    const host = await browser.openHost(scope);
    await host.waitState('12 previews with video', (s) => Object.values(s.previewMedia || {}).filter((p) => p.hasVideo).length >= 12, WAIT);
    const stillSplit = chromiumSplit(browserPid(browser.dir), 6);
    const still = await uiFps(host);
    note(`12 previews, no input: the console draws ${median(still).toFixed(1)} fps; CPU ${await stillSplit}`);
    // The mouse sweeping over the wall: every animation frame has input, so the console draws as fast as it can.
    let moving = true;
    const sweep = (async () => {
      for (let i = 0; moving; i++) await host.page.mouse.move(100 + (i * 37) % 1000, 150 + (i * 23) % 500);
    })();
    const cpuAndFps = measureCpu({ console: [browserPid(browser.dir)] }, 6);
    const movingSplit = chromiumSplit(browserPid(browser.dir), 6);
    const readings = await uiFps(host);
    const cpu = await cpuAndFps;
    const split = await movingSplit;
    moving = false;
    await sweep;
    report('host console with 12 live previews while the mouse moves (median of 5 one-second windows)',
      median(readings).toFixed(1), ' fps', '≥ 30 fps');
    note(`readings ${readings.map((x) => x.toFixed(1)).join(', ')} fps; console ${cpu.share.console.toFixed(0)} % of one core: ${split}`);
  } finally {
    await browser.close();
    inputs.stop();
  }
}

// ---- the mixer on its own ----------------------------------------------------------------------------

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

async function mixerOnItsOwn() {
  const scope = 'live/mixbench';
  const room = 'mixbench';
  const names = Array.from({ length: 9 }, (_, i) => `in${i}`);
  // Each input is in the waiting room (so it can be promoted) and in the conference scope (what the mixer plays).
  const waiting = await cheapPublishers(`${PROXY}/whip/${scope}_wr`, names);
  const conference = await cheapPublishers(`${PROXY}/whip/${scope}`, names);
  const host = conferenceSocket(`${scope}_wr`, { host: true, token: HOST_TOKEN });
  await host.opened;
  const viewers = await launchBrowser();
  try {
    await host.waitMessage('the inputs in the waiting room', (m) => m.type === 'active' && m.room === `${scope}_wr`
      && names.every((n) => m.streams.includes(n)), WAIT);
    for (const n of [4, 9]) {
      const event = `${room}${n}`;
      const { width, height } = DEFAULTS;
      const query = `scope=${scope}&ws=localhost:${PORT}&layout=focused&width=${width}&height=${height}&framerate=30&bitrate=1500`;
      host.send({
        type: 'createComposition', event, transcodeComposition: false, digest: SM_TOKEN, location: ['local'],
        mixers: [{ mixerName: `${event}-m`, mixingPage: `${BASE}/index.html#/mixer?${query}`, streamName: room, path: scope,
          width, height, framerate: 30, bitrate: 1500, doForward: true, destinationMixerName: '' }],
      });
      const composing = await host.waitMessage(`${event} composing`, (m) => m.type === 'activeCompositions'
        && m.list.some((c) => c.event === event && c.mixers[0]?.state === 'composing'), WAIT);
      const id = composing.list.find((c) => c.event === event).mixers[0].id;
      const pid = Number(lastLogMatch(`mixer: ${id} launched pid (\\d+)`)[1]);
      for (const name of names.slice(0, n)) host.send({ type: 'promote', room: scope, streamName: name });
      await host.waitMessage(`${n} inputs in the conference`, (m) => m.type === 'conference' && m.streams.length === n, WAIT);
      await waitFor(`the mixer playing ${n} inputs`, async () => (await debugState()).resources
        .filter((r) => r.kind === 'whep' && r.scope === scope && r.stream.startsWith('in') && r.up).length >= n, WAIT);
      const viewer = await mediaPage(viewers.context);
      const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${scope}/${room}`);
      if (played.status !== 406 && played.status !== 201) throw new Error(`play the composite: ${played.status}`);
      await waitFor('a composite frame', () => viewer.evaluate(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0)), WAIT);
      await viewerFps(viewer, 30);  // warm-up: the encoder ramps up after the first frames
      const t0 = Date.now();
      const c0 = cpuSeconds({ mixer: [pid], inputs: [waiting.pid, conference.pid] });
      const out = await viewerFps(viewer, 150);
      const wall = (Date.now() - t0) / 1000;
      const c1 = cpuSeconds({ mixer: [pid], inputs: [waiting.pid, conference.pid] });
      report(`mixer ${width}x${height}, ${n} cheap inputs (pre-encoded VP8 over WHIP): output`,
        out ? out.fps.toFixed(1) : 'no frames', ' fps', n === 4 ? '≥ 28 fps' : 'degrades, never freezes');
      note(`mixer process tree ${((100 * (c1.mixer - c0.mixer)) / wall).toFixed(0)} % of one core; the GStreamer inputs ${((100 * (c1.inputs - c0.inputs)) / wall).toFixed(0)} %`);
      await viewer.close();
      host.send({ type: 'destroyComposition', event });
      for (const name of names.slice(0, n)) host.send({ type: 'demote', room: scope, streamName: name });
      await host.waitMessage(`${event} gone`, (m) => m.type === 'activeCompositions' && !m.list.some((c) => c.event === event)
        && host.latest('activeCompositions') === m, WAIT);
      await waitFor('the old composite gone from the proxy', async () => !(await debugState()).resources
        .some((r) => r.stream === room && r.kind !== 'whep'), WAIT);
    }
  } finally {
    host.close();
    await viewers.close();
    waiting.stop();
    conference.stop();
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

// CONFHOST_BENCH_ONLY=walkthrough,idle,previews,mixer,size runs a subset (default: all).
const only = (process.env.CONFHOST_BENCH_ONLY || 'walkthrough,idle,previews,mixer,size').split(',');
await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 30000 });
if (only.includes('walkthrough')) await walkthrough();
if (only.includes('idle')) await idleConsole();
if (only.includes('previews')) await twelvePreviews();
if (only.includes('mixer')) await mixerOnItsOwn();
if (only.includes('size')) buildSize();
console.log('---- conference bench (the Create Composition form\'s defaults) ----');
console.log(`(machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
for (const line of results) console.log(line);
