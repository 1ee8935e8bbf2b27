// Debian's Chromium driven by playwright-core, with the flags of the team contract: headless,
// SwiftShader WebGL, fake camera/mic, self-signed certificates accepted. A fresh profile per launch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { repoRoot } from './https_site.mjs';

export const artifactsDir = path.join(repoRoot, 'artifacts');

export async function launchBrowser({ extraArgs = [], viewport = { width: 1280, height: 800 } } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'confhost-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    ignoreHTTPSErrors: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--use-gl=swiftshader',
      '--enable-unsafe-swiftshader', '--ignore-certificate-errors', ...extraArgs],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Collects the page's console errors and uncaught exceptions, so a failing wait can say why.
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // HTTP error statuses are part of the protocol (a WHEP 404 is shown in its tile): Chromium logs each
  // as "Failed to load resource", which is not a page problem.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  return problems;
}

// Waits until window.confhost exists and the console has drawn `frames` more frames.
export async function waitForFrames(page, frames = 3) {
  await page.waitForFunction(() => window.confhost && typeof window.confhost.state === 'function');
  const start = await page.evaluate(() => window.confhost.state().frames);
  await page.waitForFunction((n) => window.confhost.state().frames >= n, start + frames);
}

export async function waitForState(page, predicateSource, arg) {
  // predicateSource: a function (state, arg) => boolean, run in the page on window.confhost.state().
  await page.waitForFunction(
    ({ src, a }) => {
      // eslint-disable-next-line no-new-func
      const predicate = new Function(`return (${src});`)();
      // Before the module has started there is no state to judge yet.
      return !!window.confhost && predicate(window.confhost.state(), a);
    },
    { src: predicateSource.toString(), a: arg },
  );
  return page.evaluate(() => window.confhost.state());
}

// Saves a screenshot to artifacts/<name>.png and returns pixel statistics computed in the page:
// how many pixels differ from the background colour, and how many are close to `color` (if given).
export async function screenshotStats(page, name, { background = [22, 24, 29], color = null } = {}) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  const png = await page.screenshot({ path: file });
  const stats = await page.evaluate(async ({ b64, bg, c }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let nonBackground = 0;
    let matching = 0;
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]);
      if (d > 24) nonBackground++;
      if (c) {
        const e = Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]);
        if (e < 60) matching++;
      }
    }
    return { width: img.width, height: img.height, nonBackground, matching };
  }, { b64: png.toString('base64'), bg: background, c: color });
  return { file, ...stats };
}
