// Standard WHEP through the bridge (issue 8, item 1): a viewer that offers (plain RTCPeerConnection +
// fetch, as third-party players do) gets `201` + an answer from confhost-whep-bridge, which answers
// Janus's subscriber offer on the other side and forwards the RTP without transcoding. Real Janus,
// real Chromium, real bridge processes, in the media namespace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PROXY, debugState, launchBrowser, mediaPage, serverLog, waitFor } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const viewerScript = readFileSync(path.join(here, 'whep_viewer.js'), 'utf8');
const SCOPE = 'live/bridgeroom';
// Green dominates (the decoder's range expansion lifts 200 to ~240, so no exact match).
const isGreen = ([r, g, b]) => g > 150 && r < 110 && b < 110;
let browser, publisherPage;

async function viewerPage() {
  const page = await mediaPage(browser.context);
  await page.addScriptTag({ content: viewerScript });
  return page;
}

// Every bridge the server started, in order: [{serial, pid}].
const bridgesStarted = () => [...serverLog().matchAll(/bridge #(\d+) started, pid (\d+)/g)].map((m) => ({ serial: m[1], pid: Number(m[2]) }));
const bridgeEnded = (serial) => new RegExp(`bridge #${serial} ends: `).test(serverLog());
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

before(async () => {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  const d = await debugState();
  assert.ok(d.bridge && d.bridge.available, `the WHEP bridge is not available: ${JSON.stringify(d.bridge)}`);
  browser = await launchBrowser();
  publisherPage = await mediaPage(browser.context);
  const published = await publisherPage.evaluate((u) => mediaTest.publish(u, { rgb: [40, 200, 60], frequency: 660 }),
    `${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(published.status, 201, published.error);
  await publisherPage.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', published.id, { timeout: 15000 });
});
after(async () => { await browser?.close(); });

test('a standard WHEP viewer gets 201 + an answer and decodes the publisher\'s picture and tone', async () => {
  const page = await viewerPage();
  const played = await page.evaluate((u) => whepViewer.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201, played.error);
  assert.match(played.answer, /a=setup:(active|passive)/, 'the body is an answer, not an offer');
  assert.match(played.answer, /VP8\/90000/);
  assert.match(played.answer, /opus\/48000/i);
  const look = await waitFor('a decoded frame of the published colour', async () => {
    const l = await page.evaluate((id) => whepViewer.look(id), played.id);
    return l && isGreen(l.rgb) ? l : null;
  }).catch(async (e) => {
    console.log('# viewer inbound-rtp at the failure:', JSON.stringify(await page.evaluate((id) => whepViewer.inbound(id), played.id)),
      'last frame:', JSON.stringify(await page.evaluate((id) => whepViewer.look(id), played.id)));
    throw e;
  });
  console.log(`# bridged whep: POST → 201 ${look.postToAnswerMs.toFixed(0)} ms, POST → first decoded frame ` +
    `${look.postToFirstFrameMs.toFixed(0)} ms, ${look.width}x${look.height}, centre ${look.rgb}`);
  // Frames keep coming (a stream, not one keyframe).
  const frames = look.frames;
  await waitFor('more decoded frames', async () => (await page.evaluate((id) => whepViewer.look(id), played.id)).frames > frames + 10);
  const contrast = await waitFor('the 660 Hz tone', async () => {
    const c = await page.evaluate((id) => whepViewer.toneContrast(id, 660, 1500), played.id);
    return c > 20 ? c : null;
  });
  console.log(`# bridged whep audio: 660 Hz stands ${contrast.toFixed(1)} dB over 1500 Hz`);
  assert.ok(/keyframe request passed upstream to the origin/.test(serverLog()),
    'a keyframe request travelled from the viewer side to the origin side');

  const { serial, pid } = bridgesStarted().at(-1);
  assert.ok(alive(pid));
  assert.equal(await page.evaluate((id) => whepViewer.stop(id), played.id), 200);
  await waitFor('the bridge process to end after DELETE', () => !alive(pid) && bridgeEnded(serial), { timeoutMs: 5000 });
  await page.close();
});

test('a viewer offering no codec the stream carries is refused with a reason naming both sides', async () => {
  const page = await viewerPage();
  const before = (await debugState()).resources.length;
  const played = await page.evaluate((u) => whepViewer.play(u, { codecs: ['video/H264'], audio: false }),
    `${PROXY}/whep/${SCOPE}/alice`);
  assert.ok(played.status >= 400 && played.status < 600, `status ${played.status}`);
  assert.match(played.error, /none of the codecs the stream carries/);
  assert.match(played.error, /VP8/);
  assert.match(played.error, /H264/);
  await waitFor('the refused play to leave no resource', async () => (await debugState()).resources.length === before);
  await page.close();
});

test('a bridge process that dies ends its WHEP session; the next viewer still plays', async () => {
  const page = await viewerPage();
  const played = await page.evaluate((u) => whepViewer.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201, played.error);
  await waitFor('a decoded frame', async () => (await page.evaluate((id) => whepViewer.look(id), played.id))?.frames > 0);
  const { serial, pid } = bridgesStarted().at(-1);
  const count = (await debugState()).resources.length;
  process.kill(pid, 'SIGKILL');
  await waitFor('the bridge end to be noticed', () => bridgeEnded(serial), { timeoutMs: 5000 });
  await waitFor('its WHEP resource to be gone', async () => (await debugState()).resources.length === count - 1);

  const again = await page.evaluate((u) => whepViewer.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(again.status, 201, again.error);
  await waitFor('a decoded frame from the new bridge', async () => (await page.evaluate((id) => whepViewer.look(id), again.id))?.frames > 0);
  await page.evaluate((id) => whepViewer.stop(id), again.id);
  await page.close();
});

test('an ICE restart of a bridged session is refused with 422 naming why; the session and its picture go on', async () => {
  const page = await viewerPage();
  const played = await page.evaluate((u) => whepViewer.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201, played.error);
  await waitFor('a decoded frame', async () => (await page.evaluate((id) => whepViewer.look(id), played.id))?.frames > 0);
  const restarted = await page.evaluate((id) => whepViewer.restart(id), played.id);
  assert.equal(restarted.status, 422, restarted.body);
  assert.match(restarted.body, /ICE restart of a bridged WHEP session is not supported/);
  // RFC 9725 4.3.2: a refused restart keeps the session: same ETag, and the picture keeps coming once
  // the viewer rolls its offer back.
  await page.evaluate((id) => whepViewer.rollback(id), played.id);
  const frames = (await page.evaluate((id) => whepViewer.look(id), played.id)).frames;
  await waitFor('frames after the refused restart', async () => (await page.evaluate((id) => whepViewer.look(id), played.id)).frames > frames + 10);
  const trickle = await page.evaluate(async ([loc, etag]) => (await fetch(loc, {
    method: 'PATCH', headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': etag }, body: 'a=end-of-candidates\r\n',
  })).status, [played.location, played.etag]);
  assert.equal(trickle, 204, 'the ETag still matches the session');
  await page.evaluate((id) => whepViewer.stop(id), played.id);
  await page.close();
});

// CPU of a bridge process over `ms`: utime+stime ticks from /proc (100 Hz on Debian kernels).
const ticks = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };

test('CPU per bridged viewer stays small (1 and 3 viewers, measured over 5 s)', async () => {
  const page = await viewerPage();
  const measure = async (n) => {
    const ids = [];
    for (let i = 0; i < n; i++) {
      const p = await page.evaluate((u) => whepViewer.play(u), `${PROXY}/whep/${SCOPE}/alice`);
      assert.equal(p.status, 201, p.error);
      ids.push(p.id);
    }
    for (const id of ids) await waitFor('frames', async () => (await page.evaluate((x) => whepViewer.look(x), id))?.frames > 30);
    const pids = bridgesStarted().slice(-n).map((b) => b.pid);
    const t0 = pids.map(ticks);
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 5000)); // a measurement window, not a synchronisation
    const seconds = (Date.now() - start) / 1000;
    const pct = pids.map((p, i) => (ticks(p) - t0[i]) / seconds);  // ticks/s at 100 Hz = % of one core
    const rss = pids.map((p) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))[1]) / 1024);
    const stats = await page.evaluate((x) => whepViewer.inbound(x), ids[0]);
    const v = stats.video;
    console.log(`# ${n} bridged viewer(s): CPU per bridge ${pct.map((x) => x.toFixed(1)).join(', ')} % of a core; ` +
      `RSS ${rss.map((x) => x.toFixed(0)).join(', ')} MiB; viewer jitter buffer ${(1000 * v.jitterBufferDelay / v.emitted).toFixed(1)} ms/frame`);
    for (const id of ids) await page.evaluate((x) => whepViewer.stop(x), id);
    return pct;
  };
  for (const n of [1, 3]) assert.ok((await measure(n)).every((x) => x < 60), 'a bridge uses less than 60 % of a core');
  await page.close();
});
