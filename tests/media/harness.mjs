// Shared helpers of the media tests. run.sh starts the server inside a private network namespace and
// passes its address and tokens in the environment; these helpers wait on state (polling a condition
// with a deadline), never on fixed sleeps.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../browser/package.json'));
const { chromium } = require('playwright-core');
const WebSocket = require('ws');

export const PORT = Number(process.env.CONFHOST_PORT || 9443);
export const BASE = `https://localhost:${PORT}`;
export const HOST_TOKEN = process.env.CONFHOST_HOST_TOKEN || 'T';
export const SERVER_LOG = process.env.CONFHOST_SERVER_LOG || '';
export const PROXY = `${BASE}/as/v1/proxy`;
export const SM_TOKEN = process.env.CONFHOST_SM_TOKEN || 'S';

// Polls `probe` (sync or async) until it returns a truthy value; throws with `what` after `timeoutMs`.
export async function waitFor(what, probe, { timeoutMs = 15000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// fetch with the server's self-signed certificate accepted (node's fetch has no per-call option).
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

// The proxy's debug state (it needs the Stream Manager token).
export async function debugState() {
  const r = await fetch(`${PROXY}/debug`, { headers: { Authorization: `Bearer ${SM_TOKEN}` } });
  if (!r.ok) throw new Error(`GET ${PROXY}/debug: ${r.status} ${await r.text()}`);
  return r.json();
}

export function serverLog() {
  return SERVER_LOG ? readFileSync(SERVER_LOG, 'utf8') : '';
}

// The last "<what> ... pid N" the server logged, e.g. logPid(/janus: started pid (\d+)/).
export function lastLogMatch(regex) {
  const all = [...serverLog().matchAll(new RegExp(regex, 'g'))];
  return all.length ? all[all.length - 1] : null;
}

export async function launchBrowser() {
  const dir = mkdtempSync(path.join(tmpdir(), 'confhost-media-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    ignoreHTTPSErrors: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--use-gl=swiftshader',
      '--enable-unsafe-swiftshader', '--ignore-certificate-errors',
      '--autoplay-policy=no-user-gesture-required'],
  });
  const close = async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { context, close };
}

const clientScript = readFileSync(path.join(here, 'media_client.js'), 'utf8');

// A page on the server's origin (a 404 page is enough: what matters is the secure origin) with the
// test client injected.
export async function mediaPage(context) {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(`${BASE}/__media_test__`);
  await page.addScriptTag({ content: clientScript });
  return page;
}

// A Conference API socket; `messages` collects every parsed frame, `waitMessage` waits for a match.
export function conferenceSocket(room, { host = false, mixer = false, token } = {}) {
  const q = `testbed=conference&room=${room}&host=${host}&mixer=${mixer}${token ? `&hostToken=${token}` : ''}`;
  const ws = new WebSocket(`wss://localhost:${PORT}/?${q}`, { rejectUnauthorized: false });
  const messages = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const waitMessage = (what, pred, opts) => waitFor(what, () => [...messages].reverse().find(pred), opts);
  // The latest message of a type (the server pushes full lists, so the latest is the truth).
  const latest = (type, pred = () => true) => [...messages].reverse().find((m) => m.type === type && pred(m));
  return { ws, messages, opened, waitMessage, latest, send: (m) => ws.send(JSON.stringify(m)), close: () => ws.close() };
}

// Serves tests/media/*.html on http://127.0.0.1:<port> for mixer browsers the server launches (they
// load the mixing page by URL; localhost http is a secure context for Chromium). The port is
// CONFHOST_PAGES_PORT, the one run.sh allowed with --mixing-page-origin: the server refuses mixing pages
// from any other origin than its own.
export const PAGES_PORT = Number(process.env.CONFHOST_PAGES_PORT || 0);
export async function servePages() {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url, 'http://x').pathname);
    if (!/^[a-z_]+\.(html|js)$/.test(name)) { res.writeHead(404); res.end(); return; }
    try {
      const body = readFileSync(path.join(here, name));
      res.writeHead(200, { 'Content-Type': name.endsWith('.html') ? 'text/html' : 'text/javascript' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(PAGES_PORT, '127.0.0.1', r));
  return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

// A createComposition for one final mixer that loads tests/media/mixer.html (served by servePages).
export function compositionRequest(event, scope, pagesPort) {
  const room = scope.slice(scope.lastIndexOf('/') + 1);
  return {
    type: 'createComposition',
    event,
    transcodeComposition: false,
    digest: 'media-test',
    location: ['local'],
    mixers: [{
      mixerName: `${event}-mixer`,
      mixingPage: `http://127.0.0.1:${pagesPort}/mixer.html?scope=${scope}&server=localhost:${PORT}`,
      streamName: room,
      path: scope,
      width: '640', height: '360', framerate: '30', bitrate: '1000', // strings, as the reference host sends
      doForward: true,
      destinationMixerName: '',
    }],
  };
}

export const mixerOf = (socket, event) => {
  const m = socket.latest('activeCompositions', (x) => x.list.some((c) => c.event === event));
  return m && m.list.find((c) => c.event === event).mixers[0];
};

// What the failure and publisher-left files start from: the origin connected, one browser, and the
// server of the test pages (both closed by the caller's `after`).
export async function startBrowserAndPages() {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  return { browser: await launchBrowser(), pages: await servePages() };
}

// The proxy holds no media resource and Janus no handle: the debug state, or null while some remain.
export async function noHandlesLeft() {
  const d = await debugState();
  return d.resources.length === 0 && d.janus.handles === 0 ? d : null;
}
