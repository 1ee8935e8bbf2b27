// ConferenceBrowser: one headless Chromium (the contract's flags) holding the console pages of an
// end-to-end run — the host console and participant consoles with synthetic cameras — and reading them
// through the console's automation hook (window.confhost: state(), command(), sample(), toneLevels()).
import { createRequire } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BASE, HOST_TOKEN, waitFor } from '../media/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../browser/package.json'));
const { chromium } = require('playwright-core');

export const SM_TOKEN = process.env.CONFHOST_SM_TOKEN || 'S';
export const ARTIFACTS = process.env.CONFHOST_ARTIFACTS || path.join(here, '../../artifacts/e2e');
const cameraScript = readFileSync(path.join(here, 'synthetic_camera.js'), 'utf8');

export class ConferenceBrowser {
  static async launch() {
    const dir = mkdtempSync(path.join(tmpdir(), 'confhost-e2e-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: '/usr/bin/chromium',
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--use-gl=swiftshader',
        '--enable-unsafe-swiftshader', '--ignore-certificate-errors',
        '--autoplay-policy=no-user-gesture-required',
        // Several consoles share this browser: none may be throttled for not being the front tab.
        '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows'],
    });
    return new ConferenceBrowser(context, dir);
  }

  constructor(context, dir) {
    this.context = context;
    this.dir = dir;
    this.pages = [];
  }

  async close() {
    await this.context.close().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }

  async open(hash, { label, camera, viewport } = {}) {
    const page = await this.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    page.on('console', (m) => { if (m.type() === 'error') console.error(`[${label}]`, m.text()); });
    page.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
    if (camera) await page.addInitScript(`(${cameraScript.trim()})(${JSON.stringify(camera)})`);
    await page.goto(`${BASE}/index.html${hash}`);
    await page.waitForFunction(() => window.confhost && window.confhost.state().frames > 2, null, { timeout: 60000 });
    const console_ = new Console(page, label);
    this.pages.push(console_);
    return console_;
  }

  // The host console of `scope`, authenticated with the stack's host token.
  openHost(scope) {
    return this.open(`#/host?hostToken=${HOST_TOKEN}&scope=${scope}&smToken=${SM_TOKEN}`, { label: 'host' });
  }

  // A participant console publishing `name`'s synthetic camera ({rgb, tone}); autostart=1 presses
  // Start Broadcast as soon as the page is up.
  openParticipant(scope, name, { rgb, tone }) {
    return this.open(`#/participant?scope=${scope}&streamName=${name}&autostart=1`,
      // Smaller than the host's: every console page draws with software GL on a shared 2-core machine.
      { label: name, camera: { name, rgb, tone }, viewport: { width: 960, height: 640 } });
  }
}

// One console page: its automation state, commands, and the media probes.
export class Console {
  constructor(page, label) {
    this.page = page;
    this.label = label;
  }

  state() { return this.page.evaluate(() => window.confhost.state()); }

  async command(cmd) {
    const answer = await this.page.evaluate((c) => window.confhost.command(c), cmd);
    if (!answer.ok) throw new Error(`${this.label}: command ${JSON.stringify(cmd)} refused: ${answer.error}`);
    return answer;
  }

  // Waits until probe(state) (sync or async) is truthy and returns that state; the error names `what`
  // and shows the last state.
  waitState(what, probe, { timeoutMs = 90000, everyMs = 100 } = {}) {
    let last;
    return waitFor(`${this.label}: ${what}`, async () => {
      last = await this.state();
      return (await probe(last)) ? last : null;
    }, { timeoutMs, everyMs }).catch((e) => {
      throw new Error(`${e.message}\n${this.label} state: ${JSON.stringify(last).slice(0, 2500)}`);
    });
  }

  // [[r,g,b], ...] of the newest frame of the peer `handle` at relative points; null before a frame.
  sample(handle, points) {
    return this.page.evaluate(([h, p]) => window.confhost.sample(h, p), [handle, points]);
  }

  toneLevels(handle, frequencies) {
    return this.page.evaluate(([h, f]) => window.confhost.toneLevels(h, f), [handle, frequencies]);
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

// Copies a screenshot into docs/ for the README's walkthrough — only when it is missing there or
// CONFHOST_UPDATE_DOCS=1, so that `make test` does not rewrite committed images on every run. The
// pages' viewports keep it small (a console of flat colours compresses well); anything that would
// bloat the repository is refused.
export function publishScreenshot(file, docsName) {
  const docs = process.env.CONFHOST_DOCS || path.join(here, '../../docs');
  const target = path.join(docs, docsName);
  if (existsSync(target) && process.env.CONFHOST_UPDATE_DOCS !== '1') return { target, bytes: statSync(target).size, kept: true };
  mkdirSync(docs, { recursive: true });
  const bytes = statSync(file).size;
  if (bytes > 300 * 1024) throw new Error(`${file} is ${bytes} bytes: too big for docs/ (limit 300 KiB)`);
  copyFileSync(file, target);
  return { target, bytes, kept: false };
}
