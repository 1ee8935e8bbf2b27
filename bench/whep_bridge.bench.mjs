// The latency and CPU the standard-WHEP bridge adds (issue 8), measured on the real stack inside the
// media namespace (run by bench/whep_bridge.sh). Prints numbers; nothing here fails on a number.
//
// A publisher page paints the wall clock into its picture (bench/whep_clock_page.js) and publishes it
// over WHIP. A viewer page in the same browser (the same clock) plays it twice at once: directly from
// the origin (empty POST → the origin's offer → PATCH answer) and through the bridge (client offer →
// 201 + answer). Each viewer reads the clock out of every frame it presents: latency = now − paint time.
// Both paths share everything up to Janus and the viewer's decoder, so their difference is what the
// bridge adds (its second ICE/DTLS/SRTP hop, jitterbuffer, depay/pay).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PROXY, debugState, launchBrowser, mediaPage, serverLog, waitFor } from '../tests/media/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pageScript = readFileSync(path.join(here, 'whep_clock_page.js'), 'utf8');
const WINDOW_MS = Number(process.env.CONFHOST_BENCH_WINDOW_MS || 10000);  // each measurement window
const JOINS = Number(process.env.CONFHOST_BENCH_JOINS || 3);              // POST → first frame repeats
const SCOPE = 'live/benchroom';
const WHIP = `${PROXY}/whip/${SCOPE}/clock`;
const WHEP = `${PROXY}/whep/${SCOPE}/clock`;

const percentile = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));  // a measurement window, not a synchronisation

// Bridge processes the server started, newest last (its log: "bridge #N started, pid P").
const bridgePids = () => [...serverLog().matchAll(/bridge #\d+ started, pid (\d+)/g)].map((m) => Number(m[1]));
// utime + stime of a process, in clock ticks (USER_HZ = 100 on Linux/x86 and arm64).
const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function play(page, how) {
  const r = await page.evaluate(([fn, u]) => clockBench[fn](u), [how === 'direct' ? 'playDirect' : 'playBridged', WHEP]);
  if (r.status !== 201) throw new Error(`${how} WHEP play: ${r.status} ${r.error}`);
  await waitFor(`a ${how} viewer's first readable frame`,
    async () => (await page.evaluate((id) => clockBench.report(id), r.id)).samples.length > 0, { timeoutMs: 20000 });
  return r.id;
}
const reportOf = (page, id, reset = false) => page.evaluate(([x, r]) => clockBench.report(x, { reset: r }), [id, reset]);

// Runs `window` ms over the given viewers; returns their latency samples and the bridges' CPU.
async function measure(page, ids, pids) {
  for (const id of ids) await reportOf(page, id, true);
  const t0 = pids.map(ticks);
  const start = Date.now();
  await pause(WINDOW_MS);
  const seconds = (Date.now() - start) / 1000;
  const cpu = pids.map((p, i) => (ticks(p) - t0[i]) / seconds);  // ticks/s at 100 Hz = % of one core
  const reports = [];
  for (const id of ids) reports.push(await reportOf(page, id));
  return { reports, cpu, rss: pids.map(rssMiB) };
}

async function main() {
  const started = Date.now();
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  const bridge = (await debugState()).bridge;
  if (!bridge || !bridge.available) throw new Error(`the WHEP bridge is not available: ${JSON.stringify(bridge)}`);
  const browser = await launchBrowser();
  try {
    const publisher = await mediaPage(browser.context);
    await publisher.addScriptTag({ content: pageScript });
    const pub = await publisher.evaluate((u) => clockBench.publish(u), WHIP);
    if (pub.status !== 201) throw new Error(`WHIP publish: ${pub.status} ${pub.error}`);
    const viewers = await mediaPage(browser.context);
    await viewers.addScriptTag({ content: pageScript });

    // POST → first presented frame, alternating the paths, one viewer at a time.
    const joins = { direct: [], bridged: [] }, created = { direct: [], bridged: [] };
    for (let i = 0; i < JOINS; i++) {
      for (const how of i % 2 ? ['bridged', 'direct'] : ['direct', 'bridged']) {
        const id = await play(viewers, how);
        const r = await reportOf(viewers, id);
        joins[how].push(r.postToFirstFrameMs);
        created[how].push(r.postTo201Ms);
        await viewers.evaluate((x) => clockBench.stop(x), id);
      }
    }

    // Latency: one direct and one bridged viewer side by side (1 bridge), then two more bridged (3).
    const direct = await play(viewers, 'direct');
    const bridged = [await play(viewers, 'bridged')];
    const one = await measure(viewers, [direct, ...bridged], bridgePids().slice(-1));
    for (let i = 0; i < 2; i++) bridged.push(await play(viewers, 'bridged'));
    const three = await measure(viewers, [direct, ...bridged], bridgePids().slice(-3));
    for (const id of [direct, ...bridged]) await viewers.evaluate((x) => clockBench.stop(x), id);

    print({ joins, created, one, three, elapsed: (Date.now() - started) / 1000 });
  } finally {
    await browser.close();
  }
}

function print({ joins, created, one, three, elapsed }) {
  const rows = [];
  const lat = (r) => ({ p50: percentile(r.samples, 50), p95: percentile(r.samples, 95), n: r.samples.length, bad: r.unreadable, size: r.size });
  const row = (what, l) => rows.push([what, fmt(l.p50), fmt(l.p95), `${l.n}`, `${l.bad}`, l.size ? l.size.join('×') : '—']);
  const d1 = lat(one.reports[0]), b1 = lat(one.reports[1]);
  row('direct (origin offer), 1 bridge running', d1);
  row('bridged, 1 viewer', b1);
  const d3 = lat(three.reports[0]);
  row('direct (origin offer), 3 bridges running', d3);
  const b3 = three.reports.slice(1).map(lat);
  b3.forEach((l, i) => row(`bridged, viewer ${i + 1} of 3`, l));

  console.log(`\nWHEP bridge benchmark — ${os.cpus().length} cores, ${os.cpus()[0].model.trim()}; ` +
    `load average ${os.loadavg()[0].toFixed(1)}; ${WINDOW_MS / 1000} s windows; latency = viewer's present time − publisher's paint time (ms)`);
  const head = ['path', 'p50', 'p95', 'frames read', 'unreadable', 'size'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const b3p50 = percentile(three.reports.slice(1).flatMap((r) => r.samples), 50);
  const b3p95 = percentile(three.reports.slice(1).flatMap((r) => r.samples), 95);
  console.log(`added by the bridge (bridged − direct): p50 ${fmt(b1.p50 - d1.p50)} ms, p95 ${fmt(b1.p95 - d1.p95)} ms with 1 bridge; ` +
    `p50 ${fmt(b3p50 - d3.p50)} ms, p95 ${fmt(b3p95 - d3.p95)} ms with 3`);
  console.log(`CPU per bridge process (% of one core): 1 viewer ${one.cpu.map((x) => fmt(x, 1)).join(', ')}; ` +
    `3 viewers ${three.cpu.map((x) => fmt(x, 1)).join(', ')}; RSS ${three.rss.map((x) => fmt(x)).join(', ')} MiB`);
  const j = (xs) => `p50 ${fmt(percentile(xs, 50))} ms, max ${fmt(Math.max(...xs))} ms (${xs.map((x) => fmt(x)).join(', ')})`;
  console.log(`POST → 201: direct ${j(created.direct)}; bridged ${j(created.bridged)}`);
  console.log(`POST → first presented frame: direct ${j(joins.direct)}; bridged ${j(joins.bridged)}`);
  console.log(`bench time ${fmt(elapsed)} s`);
}

main().catch((e) => {
  console.error(`whep bridge bench failed: ${e.stack || e}`);
  process.exitCode = 1;
});
