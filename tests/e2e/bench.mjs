// Issue 4's measurements (`bash tests/e2e/run.sh bench`, inside the private network namespace). Prints
// numbers against their targets; nothing here fails on a missed target.
//   - composition create → Composing visible in the host console (target ≤ 3 s)
//   - host "add to conference" → the participant's composite shows them (target ≤ 1.5 s p50)
//   - the host console's frame rate with 12 live previews (target ≥ 55 fps)
//   - the web build's wasm + js size, gzip
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { PROXY, debugState, launchBrowser, mediaPage, waitFor } from '../media/harness.mjs';
import { CompositeProbe } from './composite_probe.mjs';
import { ConferenceBrowser } from './conference_browser.mjs';

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

async function consoleFrameRate(browser) {
  const scope = 'live/wall';
  const publishers = await launchBrowser();
  try {
    const page = await mediaPage(publishers.context);
    for (let i = 0; i < 12; i++) {
      const rgb = [(i * 67) % 256, (i * 131 + 60) % 256, (i * 29 + 120) % 256];
      const r = await page.evaluate(([url, c]) => mediaTest.publish(url, { rgb: c, frequency: 300 + 50 * i }),
        [`${PROXY}/whip/${scope}_wr/wall${i}`, rgb]);
      if (r.status !== 201) throw new Error(`publish wall${i}: ${r.status} ${r.error}`);
    }
    const host = await browser.openHost(scope);
    await host.waitState('12 previews with video', (s) => Object.values(s.previewMedia || {}).filter((p) => p.hasVideo).length >= 12, WAIT);
    // uiFps is the console's own count of frames drawn over the last second; read it for a few seconds.
    const readings = [];
    await waitFor('5 frame-rate readings', async () => {
      readings.push((await host.state()).uiFps);
      return readings.length >= 6;
    }, { timeoutMs: 30000, everyMs: 1000 });
    readings.shift();  // the first window may still include the previews starting up
    report('host console frame rate with 12 live previews (median of 5 one-second windows)',
      median(readings).toFixed(1), ' fps', '≥ 55 fps');
    console.log(`  readings: ${readings.map((x) => x.toFixed(1)).join(', ')} fps`);
    await host.page.close();
  } finally {
    await publishers.close();
  }
}

function buildSize() {
  const site = process.env.CONFHOST_WEB_ROOT;
  if (!site) return;
  const gz = (f) => gzipSync(readFileSync(path.join(site, f)), { level: 9 }).length;
  const wasm = gz('confhost.wasm');
  const js = gz('confhost.js');
  report('web build, gzip: confhost.wasm + confhost.js', `${(wasm / 1024).toFixed(0)} KiB + ${(js / 1024).toFixed(0)} KiB = ${((wasm + js) / 1024).toFixed(0)}`, ' KiB', 'as small as practical');
}

await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 30000 });
const browser = await ConferenceBrowser.launch();
try {
  await compositionAndAdmission(browser);
  await consoleFrameRate(browser);
  buildSize();
} finally {
  await browser.close();
}
console.log('---- issue 4 bench ----');
for (const line of results) console.log(line);
