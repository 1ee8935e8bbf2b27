// Mixer nodes (SPEC 6): a composition created over the Conference API launches a headless Chromium on
// the mixing page; the mixer goes pending → inservice (its page opened the mixer socket) → composing
// (its composite publishes through the proxy to <scope>/<room>); destroy kills it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  HOST_TOKEN, PROXY, compositionRequest, conferenceSocket, debugState, lastLogMatch, launchBrowser, mediaPage, mixerOf,
  servePages, waitFor,
} from './harness.mjs';

const SCOPE = 'live/mixroom';
let pages;

before(async () => {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  pages = await servePages();
});
after(async () => { await pages?.close(); });

test('a composition launches a mixer that reaches composing; destroy kills it', async (t) => {
  const host = conferenceSocket(`${SCOPE}_wr`, { host: true, token: HOST_TOKEN });
  t.after(() => host.close());
  await host.opened;
  const t0 = Date.now();
  host.send(compositionRequest('comp1', SCOPE, pages.port));
  const seen = {};
  const composing = await waitFor('the mixer to reach composing', () => {
    const m = mixerOf(host, 'comp1');
    if (m && !seen[m.state]) seen[m.state] = Date.now() - t0;
    assert.notEqual(m?.state, 'failed', `mixer failed: ${m?.lastError}`);
    return m?.state === 'composing' ? m : null;
  }, { timeoutMs: 30000, everyMs: 20 }).catch((e) => {
    throw new Error(`${e.message}; the host socket got: ${JSON.stringify(host.messages).slice(-1500)}`);
  });
  console.log(`# createComposition → ${Object.entries(seen).map(([s, ms]) => `${s} ${ms} ms`).join(', ')}`);
  assert.equal(composing.path, SCOPE);

  // The composite is a real stream: it is in the conference scope's active list and plays by WHEP.
  const listener = conferenceSocket(SCOPE);
  t.after(() => listener.close());
  await listener.opened;
  await listener.waitMessage('the composite in active', (m) => m.type === 'active' && m.streams.includes('mixroom'));
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const viewer = await mediaPage(browser.context);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/mixroom`);
  assert.equal(played.status, 201, 'an empty POST gets the server offer');
  await waitFor('a frame of the composite', async () => {
    const p = await viewer.evaluate((id) => mediaTest.centerPixel(id), played.id);
    return p && Math.abs(p.rgb[1] - 160) < 40 && p.rgb[0] < 60;
  });
  await viewer.evaluate((id) => mediaTest.stop(id), played.id);

  const pid = Number(lastLogMatch(/mixer: (\S+) launched pid (\d+)/)[2]);
  host.send({ type: 'destroyComposition', event: 'comp1' });
  await host.waitMessage('the composition removed', (m) => m.type === 'activeCompositions' && !m.list.some((c) => c.event === 'comp1')
    && host.latest('activeCompositions') === m);
  await waitFor(`mixer process ${pid} to be gone`, () => {
    try { process.kill(pid, 0); return false; } catch { return true; }
  });
  await listener.waitMessage('the composite gone from active', (m) => m.type === 'active' && !m.streams.includes('mixroom')
    && listener.latest('active') === m, { timeoutMs: 30000 });
});
