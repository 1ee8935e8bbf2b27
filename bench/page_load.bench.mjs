// How fast the console opens (bench/page_load.sh): the real confhost-server serving the built site,
// headless Chromium with a fresh profile per run, Chromium's own network emulation for the slow link.
// "First app frame" is the time from navigation start until the page has drawn its first ImGui frame
// (window.confhost.state().frames >= 1, polled every animation frame). Prints medians beside targets.
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import { launchBrowser } from '../tests/browser/lib/browser.mjs';
import { startConfhostServer } from '../tests/browser/lib/confhost_server.mjs';
import { siteDir } from '../tests/browser/lib/https_site.mjs';
import { recordNetwork } from '../tests/browser/lib/network_log.mjs';

const RUNS = Number(process.env.CONFHOST_BENCH_RUNS || 5);
const LINK = { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (10e6 / 8) };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
function report(name, value, target, ok) {
  console.log(`  ${name.padEnd(58)} ${value.padStart(10)}   target ${target}${ok === undefined ? '' : ok ? '  ok' : '  MISSED'}`);
}

function assetSizes() {
  console.log(`page load: assets of ${siteDir} (bytes: plain / .gz / .br as served)`);
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
    ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(siteDir).filter((f) => !/\.(gz|br|part)$/.test(f)).sort()) {
    const size = (f) => (fs.existsSync(f) ? String(fs.statSync(f).size) : '-');
    console.log(`  ${path.relative(siteDir, file).padEnd(44)} ${size(file).padStart(9)} ${size(`${file}.gz`).padStart(9)} ${size(`${file}.br`).padStart(9)}`);
  }
}

// One visit in `context`: navigation → first ImGui frame (ms), and the bytes that came over the wire.
async function visit(context, url, link) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const poll = () => {
      if (window.confhost && window.confhost.state().frames >= 1) {
        window.firstAppFrameAt = performance.now();
        return;
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  const network = await recordNetwork(page);
  if (link) await network.cdp.send('Network.emulateNetworkConditions', link);
  await page.goto(url);
  await page.waitForFunction(() => window.firstAppFrameAt !== undefined, null, { timeout: 60000 });
  const ms = await page.evaluate(() => window.firstAppFrameAt);
  const pending = () => network.requests().filter((r) => !r.done).length;
  for (let i = 0; i < 100 && pending() > 0; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  const bytes = network.bytesOnWire();
  await page.close();
  return { ms, bytes };
}

// Main-thread time per frame of the host console (CDP Performance metrics over `seconds`): the cost of
// ImGui's layout and rendering in this build.
async function frameCost(context, url, seconds = 3) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.confhost && window.confhost.state().frames >= 30, null, { timeout: 60000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { task: m.TaskDuration, script: m.ScriptDuration, frames: await page.evaluate(() => window.confhost.state().frames) };
  };
  const a = await sample();
  await page.evaluate((ms) => new Promise((r) => setTimeout(r, ms)), seconds * 1000);
  const b = await sample();
  await page.close();
  const frames = b.frames - a.frames;
  return { taskMs: ((b.task - a.task) * 1000) / frames, scriptMs: ((b.script - a.script) * 1000) / frames, fps: frames / seconds };
}

assetSizes();
const server = await startConfhostServer();
try {
  const url = `${server.origin}/#/`;
  const slow = { first: [], second: [], firstBytes: [], secondBytes: [] };
  const local = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launchBrowser({ extraArgs: server.trustArgs });
    try {
      const first = await visit(browser.context, url, LINK);
      const second = await visit(browser.context, url, LINK);
      slow.first.push(first.ms);
      slow.firstBytes.push(first.bytes);
      slow.second.push(second.ms);
      slow.secondBytes.push(second.bytes);
    } finally {
      await browser.close();
    }
    const fresh = await launchBrowser({ extraArgs: server.trustArgs });
    try {
      local.push((await visit(fresh.context, url, null)).ms);
    } finally {
      await fresh.close();
    }
  }
  const browser = await launchBrowser({ extraArgs: server.trustArgs });
  let cost;
  try {
    cost = await frameCost(browser.context, server.hostConsoleUrl);
  } finally {
    await browser.close();
  }
  console.log(`page load: medians of ${RUNS} runs, fresh profile each (10 Mbit/s, 40 ms = Chromium's network emulation)`);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  report('first app frame at 10 Mbit/s, 40 ms', s(median(slow.first)), '≤ 1.2 s', median(slow.first) <= 1200);
  report('first visit, bytes on the wire', kb(median(slow.firstBytes)), '≤ 750 KB', median(slow.firstBytes) <= 750 * 1024);
  report('second visit (same profile), first app frame at 10 Mbit/s, 40 ms', s(median(slow.second)), '≤ 0.5 s', median(slow.second) <= 500);
  report('second visit, bytes on the wire', kb(median(slow.secondBytes)), '≤ 20 KB', median(slow.secondBytes) <= 20 * 1024);
  report('first app frame on localhost', s(median(local)), '≤ 0.6 s', median(local) <= 600);
  // No fixed target: compare builds (-O2 against -Os, ...) on the same machine.
  report('host console script time per frame (wasm + JS, localhost)', `${cost.scriptMs.toFixed(2)} ms`, `no slower than the last build (${cost.fps.toFixed(0)} fps)`);
  report('  main-thread time per frame (script, style, GL)', `${cost.taskMs.toFixed(2)} ms`, '-');
  console.log(`  runs: first ${slow.first.map((x) => x.toFixed(0)).join(', ')} ms; second ${slow.second.map((x) => x.toFixed(0)).join(', ')} ms; localhost ${local.map((x) => x.toFixed(0)).join(', ')} ms`);
} finally {
  await server.close();
}
