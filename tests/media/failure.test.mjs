// Failure behaviour (SPEC 7, issue 3): the origin dying mid-session, a mixer process dying, and a
// client vanishing mid-negotiation. Runs last: it kills Janus and a mixer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  HOST_TOKEN, PROXY, compositionRequest, conferenceSocket, debugState, lastLogMatch, mediaPage, mixerOf,
  noHandlesLeft, startBrowserAndPages, waitFor,
} from './harness.mjs';

let browser;
let pages;

before(async () => {
  ({ browser, pages } = await startBrowserAndPages());
});
after(async () => {
  await browser?.close();
  await pages?.close();
});

test('a client that vanishes mid-negotiation leaves no Janus handle', async () => {
  // WHEP: the client takes Janus's offer (201 to an empty POST) and never sends its answer.
  const pubPage = await mediaPage(browser.context);
  const pub = await pubPage.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/live/failroom/src`);
  assert.equal(pub.status, 201, pub.error);
  const whep = await fetch(`${PROXY}/whep/live/failroom/src`, { method: 'POST' });
  assert.equal(whep.status, 201);
  // WHIP: a real offer is posted, then the peer connection is dropped before it uses the answer.
  const ghost = await pubPage.evaluate(async (u) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const r = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
    pc.close();
    return r.status;
  }, `${PROXY}/whip/live/failroom/ghost`);
  assert.equal(ghost, 201);
  const during = await debugState();
  assert.equal(during.resources.length, 3);
  assert.equal(during.janus.handles, 3);
  const t0 = Date.now();
  // Only the live publisher remains once the peer-connect timeout (run.sh: 8 s) has reaped the others.
  await waitFor('the two abandoned sessions to be reaped', async () => {
    const d = await debugState();
    return d.resources.length === 1 && d.janus.handles === 1 && d.resources[0].stream === 'src';
  }, { timeoutMs: 20000, everyMs: 100 });
  console.log(`# abandoned WHEP + WHIP negotiations reaped ${Date.now() - t0} ms after they began (timeout 8 s)`);
  await pubPage.evaluate((id) => mediaTest.stop(id), pub.id);
  await pubPage.close();
  await waitFor('no handles', noHandlesLeft);
});

test('Janus killed mid-session: 503 with a reason, Janus restarted, new publishes work', async (t) => {
  const socket = conferenceSocket('live/failroom');
  t.after(() => socket.close());
  await socket.opened;
  const page = await mediaPage(browser.context);
  const before = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/live/failroom/eve`);
  assert.equal(before.status, 201, before.error);
  await socket.waitMessage('eve in active', (m) => m.type === 'active' && m.streams.includes('eve'));

  const janusPid = Number(lastLogMatch(/janus: started pid (\d+)/)[1]);
  const t0 = Date.now();
  process.kill(janusPid, 'SIGKILL');
  await waitFor('the proxy to notice Janus is gone', async () => !(await debugState()).janus.connected, { everyMs: 10 });
  const refused = await fetch(`${PROXY}/whip/live/failroom/frank`, {
    method: 'POST', headers: { 'Content-Type': 'application/sdp' },
    body: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:x\r\na=fingerprint:sha-256 00\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
  });
  const reason = await refused.text();
  assert.equal(refused.status, 503);
  assert.match(reason, /Janus/);
  console.log(`# while Janus is down: ${refused.status} "${reason.trim()}"`);
  // The stream that lived on the dead origin leaves the active list.
  await socket.waitMessage('eve gone from active', (m) => m.type === 'active' && !m.streams.includes('eve') && socket.latest('active') === m);

  await waitFor('Janus restarted and connected', async () => (await debugState()).janus.connected, { timeoutMs: 15000 });
  const restartedPid = Number(lastLogMatch(/janus: started pid (\d+)/)[1]);
  assert.notEqual(restartedPid, janusPid);
  console.log(`# Janus SIGKILL → restarted and answering in ${Date.now() - t0} ms`);
  await page.evaluate((id) => mediaTest.stop(id, { remove: false }), before.id);
  const afterRestart = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/live/failroom/eve`);
  assert.equal(afterRestart.status, 201, afterRestart.error);
  await page.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', afterRestart.id, { timeout: 15000 });
  await socket.waitMessage('eve back in active', (m) => m.type === 'active' && m.streams.includes('eve'));
  await page.evaluate((id) => mediaTest.stop(id), afterRestart.id);
  await page.close();
  await waitFor('no handles', noHandlesLeft);
});

test('a mixer process that dies marks its composition failed; destroy still works', async (t) => {
  const host = conferenceSocket('live/failmix_wr', { host: true, token: HOST_TOKEN });
  t.after(() => host.close());
  await host.opened;
  host.send(compositionRequest('failcomp', 'live/failmix', pages.port));
  await waitFor('the mixer to be composing', () => mixerOf(host, 'failcomp')?.state === 'composing', { timeoutMs: 30000 });
  const [, mixerId, pid] = lastLogMatch(/mixer: (\S+) launched pid (\d+)/);
  assert.equal(mixerOf(host, 'failcomp').id, mixerId);
  const t0 = Date.now();
  process.kill(Number(pid), 'SIGKILL');
  const failed = await waitFor('the composition to show failed', () => {
    const m = mixerOf(host, 'failcomp');
    return m?.state === 'failed' ? m : null;
  });
  console.log(`# mixer SIGKILL → failed pushed in ${Date.now() - t0} ms (${failed.lastError || 'no reason'})`);
  host.send({ type: 'destroyComposition', event: 'failcomp' });
  await host.waitMessage('the composition removed', (m) => m.type === 'activeCompositions' && !m.list.some((c) => c.event === 'failcomp')
    && host.latest('activeCompositions') === m);
  // Its composite stream was reaped too (no media from the dead page).
  await waitFor('no handles', noHandlesLeft, { timeoutMs: 20000 });
});
