// Shared steps of the interop tests: one Chromium (the e2e suite's flags), the pages' own server, a page
// per client, and the player-side check that frames really decode in the publisher's colour. Waits are on
// state with deadlines; a timeout names what was awaited and shows the client's own log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConferenceBrowser } from '../e2e/conference_browser.mjs';
import { BASE, PORT, debugState, waitFor } from '../media/harness.mjs';
import { servePages } from './pages.mjs';

export { BASE, PORT, debugState, waitFor };
export const PROXY = `${BASE}/as/v1/proxy`;
const here = path.dirname(fileURLToPath(import.meta.url));
const cameraScript = readFileSync(path.join(here, '../e2e/synthetic_camera.js'), 'utf8');
const PAGES_PORT = Number(process.env.CONFHOST_PAGES_PORT || 0);
const STEP_MS = 45000;  // per wait; the machine is shared with compilers and other suites

// Where the Red5 SDK's config points: it builds https://<host>:<port>/<app>/{whip,whep}/endpoint/<streamName>.
export const red5Target = (app, streamName, extra = {}) => ({ host: 'localhost', port: PORT, app, streamName, ...extra });

export async function startInterop() {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 30000 });
  const pages = await servePages(PAGES_PORT);
  const browser = await ConferenceBrowser.launch();
  return {
    pages, browser,
    close: async () => { await browser.close(); await pages.close(); },
  };
}

// A page of the pages' origin with window.interop; `camera` ({name, rgb, tone}) makes getUserMedia a
// solid colour and a tone (tests/e2e/synthetic_camera.js), whichever client asks for it.
export async function clientPage({ browser, pages }, label, camera) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
  if (camera) await page.addInitScript(`(${cameraScript.trim()})(${JSON.stringify(camera)})`);
  await page.goto(`${pages.origin}/client.html`);
  await page.waitForFunction(() => window.interop, null, { timeout: 20000 });
  return { page, label };
}

// publish/play → {id, error}; a client that failed to start has its log appended to `error`.
export async function publish(client, kind, target) {
  return withLog(client, await client.page.evaluate(([k, t]) => window.interop.publish(k, t), [kind, target]));
}

export async function play(client, kind, target) {
  return withLog(client, await client.page.evaluate(([k, t]) => window.interop.play(k, t), [kind, target]));
}

async function withLog(client, started) {
  if (!started.error) return started;
  const seen = await watch(client, started.id);
  return { ...started, error: `${started.error}\n${client.label} log:\n  ${seen.log.join('\n  ')}` };
}

export const watch = (client, id, at) => client.page.evaluate(([i, a]) => window.interop.watch(i, a), [id, at]);
export const stop = (client, id) => client.page.evaluate((i) => window.interop.stop(i), id);

const near = (a, b, tol) => a && a.every((x, i) => Math.abs(x - b[i]) <= tol);

// Waits until the session `id` has a connected peer; fails at once with the client's error if it has one.
export async function waitConnected(client, id, what) {
  let last = null;
  const done = await waitFor(`${what}: peer connection connected`, async () => {
    last = await watch(client, id);
    return last.error || last.connectionState === 'connected';
  }, { timeoutMs: STEP_MS, everyMs: 100 }).catch((e) => { throw explain(e, what, last); });
  if (last.error) throw explain(new Error(`${what} failed: ${done}`), what, last);
  return last;
}

// The player of session `id` decodes: the video has a size, its time advances, at least `minFrames` more
// frames are presented after the first one, and the pixel at `at` is `rgb` (within codec tolerance).
export async function waitDecoding(client, id, what, { rgb, at = [0.5, 0.4], minFrames = 20, tolerance = 40 } = {}) {
  let first = null;
  let last = null;
  await waitFor(`${what}: decoded frames${rgb ? ` of colour ${rgb}` : ''}`, async () => {
    last = await watch(client, id, at);
    if (last.error) return true;  // reported below, at once rather than at the deadline
    if (!last.width || !last.frames) return false;
    if (!first) first = last;
    return last.frames - first.frames >= minFrames && last.currentTime > first.currentTime
      && (!rgb || near(last.rgb, rgb, tolerance));
  }, { timeoutMs: STEP_MS, everyMs: 100 }).catch((e) => { throw explain(e, what, last); });
  if (last.error) throw explain(new Error(`${what} failed: ${last.error}`), what, last);
  console.log(`# ${what}: ${last.width}x${last.height}, ${last.frames} frames presented, t=${last.currentTime.toFixed(1)} s, pixel ${last.rgb}`);
  return last;
}

function explain(e, what, last) {
  const log = last ? `\n${what} log:\n  ${last.log.join('\n  ')}` : '';
  const seen = last ? `\nlast seen: ${JSON.stringify({ ...last, log: undefined })}` : '';
  return new Error(`${e.message}${seen}${log}`);
}
