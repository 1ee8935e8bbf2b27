// When a publisher leaves, its WHEP viewers are ended with it (the proxy detaches their Janus handles
// and drops their resources), so a viewer's peer connection closes or fails instead of sitting
// "connected" on the last frame, and a client that retries finds the next publisher of the same name.
// And a destroyed composition's mixer sessions end at once: a composition re-created right away does
// not count the old composite as its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  HOST_TOKEN, PROXY, compositionRequest, conferenceSocket, debugState, mediaPage, mixerOf, serverLog,
  noHandlesLeft, startBrowserAndPages, waitFor,
} from './harness.mjs';

const SCOPE = 'live/leftroom';
const near = (a, b, tol) => a.every((x, i) => Math.abs(x - b[i]) <= tol);
const ENDED = ['closed', 'failed', 'disconnected'];  // what a browser may report for a peer the server ended
// Chromium reports the ended peer quickly (DTLS close from Janus) or, at worst, when ICE consent fails.
const END_BOUND_MS = 12000;
let browser;
let pages;

before(async () => {
  ({ browser, pages } = await startBrowserAndPages());
});
after(async () => {
  await browser?.close();
  await pages?.close();
});

async function waitFrame(page, id, rgb, what) {
  return waitFor(what, async () => {
    const p = await page.evaluate((i) => mediaTest.centerPixel(i), id);
    return p && near(p.rgb, rgb, 40) ? p : null;
  }, { timeoutMs: 20000 });
}

test('a WHEP viewer is ended when its publisher leaves; the next publisher of the name plays', async (t) => {
  const RED = [220, 30, 40];
  const BLUE = [30, 40, 220];
  const pub = await mediaPage(browser.context);
  const viewer = await mediaPage(browser.context);
  t.after(async () => { await pub.close(); await viewer.close(); });

  const first = await pub.evaluate((u) => mediaTest.publish(u, { rgb: [220, 30, 40] }), `${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(first.status, 201, first.error);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201, played.error);
  assert.equal(played.answerStatus, 204);
  await waitFrame(viewer, played.id, RED, 'a frame of the first publisher');

  // The publisher stops (DELETE). Its viewer's resource and handle go at once, its peer connection ends.
  const t0 = Date.now();
  assert.equal(await pub.evaluate((id) => mediaTest.stop(id), first.id), 200);
  await waitFor('no resource or handle left once the publisher left', noHandlesLeft, { timeoutMs: 5000, everyMs: 20 });
  const dropped = Date.now() - t0;
  const ended = await waitFor('the viewer\'s peer connection to close or fail', async () => {
    const s = await viewer.evaluate((id) => mediaTest.state(id), played.id);
    return ENDED.includes(s.connectionState) ? s.connectionState : null;
  }, { timeoutMs: END_BOUND_MS, everyMs: 50 });
  console.log(`# publisher DELETE → viewer resource+handle gone ${dropped} ms, viewer peer ${ended} ${Date.now() - t0} ms`);
  // The viewer's resource is gone: a late trickle or DELETE of it is refused.
  const late = await fetch(played.location, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
    body: 'a=end-of-candidates\r\n',
  });
  assert.equal(late.status, 404);
  assert.equal((await fetch(played.location, { method: 'DELETE' })).status, 404);
  await viewer.evaluate((id) => mediaTest.stop(id, { remove: false }), played.id);

  // The same name publishes again (another colour): a new play decodes the new publisher.
  const second = await pub.evaluate((u) => mediaTest.publish(u, { rgb: [30, 40, 220] }), `${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(second.status, 201, second.error);
  const replay = await waitFor('a new WHEP play to be accepted', async () => {
    const r = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/alice`);
    return r.status === 201 ? r : null;
  }, { timeoutMs: 10000, everyMs: 200 });
  await waitFrame(viewer, replay.id, BLUE, 'a frame of the second publisher');

  await viewer.evaluate((id) => mediaTest.stop(id), replay.id);
  assert.equal(await pub.evaluate((id) => mediaTest.stop(id), second.id), 200);
  await waitFor('no resources or handles left', noHandlesLeft);
});

test('destroying a composition ends its mixer\'s sessions at once; a re-created one is not composing on the old stream', async (t) => {
  const scope = 'live/recompose';
  const room = 'recompose';
  const host = conferenceSocket(`${scope}_wr`, { host: true, token: HOST_TOKEN });
  t.after(() => host.close());
  await host.opened;
  const viewer = await mediaPage(browser.context);
  t.after(() => viewer.close());

  host.send(compositionRequest('recomp', scope, pages.port));
  await waitFor('the first mixer to reach composing', () => {
    const m = mixerOf(host, 'recomp');
    assert.notEqual(m?.state, 'failed', `mixer failed: ${m?.lastError}`);
    return m?.state === 'composing';
  }, { timeoutMs: 30000, everyMs: 20 });
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${scope}/${room}`);
  assert.equal(played.status, 201, played.error);
  await waitFrame(viewer, played.id, [20, 160, 60], 'a frame of the first composite');

  // Destroy, then re-create at once (no waiting for the old stream to time out).
  const composites = () => (serverLog().match(new RegExp(`whip ${scope}/${room} webrtcup`, 'g')) || []).length;
  const publishedBefore = composites();
  const t0 = Date.now();
  host.send({ type: 'destroyComposition', event: 'recomp' });
  await host.waitMessage('the composition removed', (m) => m.type === 'activeCompositions'
    && !m.list.some((c) => c.event === 'recomp') && host.latest('activeCompositions') === m);
  // (b) the killed mixer's publish and audio join, and the composite's viewer, are gone already.
  const afterDestroy = await debugState();
  const leftovers = afterDestroy.resources.filter((r) => r.scope === scope);
  assert.deepEqual(leftovers, [], `resources of ${scope} left after destroy: ${JSON.stringify(leftovers)}`);
  host.send(compositionRequest('recomp', scope, pages.port));

  // (a) the new mixer goes pending → inservice → composing, composing only once its own composite
  // published (a second webrtcup of <scope>/<room> in the server log).
  const seen = [];
  await waitFor('the new mixer to reach composing', () => {
    const m = mixerOf(host, 'recomp');
    if (m && m.state !== seen[seen.length - 1]) {
      seen.push(m.state);
      if (m.state === 'composing') {
        assert.ok(composites() > publishedBefore,
          `composing before the new mixer published (states ${seen.join(' → ')})`);
      }
    }
    assert.notEqual(m?.state, 'failed', `mixer failed: ${m?.lastError}`);
    return m?.state === 'composing';
  }, { timeoutMs: 30000, everyMs: 10 });
  assert.notEqual(seen[0], 'composing', `states ${seen.join(' → ')}`);
  console.log(`# destroy + re-create → ${seen.join(' → ')} in ${Date.now() - t0} ms`);

  // The old viewer was ended; a new play decodes the new composite.
  await waitFor('the old composite viewer\'s peer connection to be ended', async () => {
    const s = await viewer.evaluate((id) => mediaTest.state(id), played.id);
    return ENDED.includes(s.connectionState);
  }, { timeoutMs: END_BOUND_MS });
  await viewer.evaluate((id) => mediaTest.stop(id, { remove: false }), played.id);
  const replay = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${scope}/${room}`);
  assert.equal(replay.status, 201, replay.error);
  await waitFrame(viewer, replay.id, [20, 160, 60], 'a frame of the new composite');
  await viewer.evaluate((id) => mediaTest.stop(id), replay.id);

  host.send({ type: 'destroyComposition', event: 'recomp' });
  await host.waitMessage('the composition removed again', (m) => m.type === 'activeCompositions'
    && !m.list.some((c) => c.event === 'recomp') && host.latest('activeCompositions') === m);
  await waitFor('no resources or handles left', noHandlesLeft, { timeoutMs: 10000 });
});
