// WHIP publish → WHEP play through the proxy, against the real Janus; and the Conference API's
// `active` list following the stream's life (SPEC 4.3, 4.5; issue 3 media tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { HOST_TOKEN, PROXY, conferenceSocket, debugState, launchBrowser, mediaPage, waitFor } from './harness.mjs';

const SCOPE = 'live/mediaroom_wr';
const RED = [220, 30, 40];
let browser;

before(async () => {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

const near = (a, b, tol) => a.every((x, i) => Math.abs(x - b[i]) <= tol);

test('a WHIP publish through the proxy plays back by WHEP with its colour and its tone', async () => {
  const pub = await mediaPage(browser.context);
  const published = await pub.evaluate((u) => mediaTest.publish(u, { rgb: [220, 30, 40], frequency: 660 }),
    `${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(published.status, 201, published.error);
  assert.match(published.location, /\/as\/v1\/proxy\/resource\/[0-9a-f]+$/);
  await pub.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', published.id, { timeout: 15000 });
  const pubState = await pub.evaluate((id) => mediaTest.state(id), published.id);
  console.log(`# whip publish: POST → connected ${pubState.connectMs.toFixed(0)} ms; trickle PATCH statuses ${pubState.patchStatuses}`);
  assert.ok(pubState.patchStatuses.every((s) => s === 204), `trickle PATCHes: ${pubState.patchStatuses}`);

  const viewer = await mediaPage(browser.context);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201, 'an empty POST gets the server offer: 201 + offer');
  assert.equal(played.answerStatus, 204);
  await viewer.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', played.id, { timeout: 15000 });

  // The decoded picture is the publisher's colour (VP8 shifts a solid colour by a few levels).
  const pixel = await waitFor('a decoded frame of the published colour', async () => {
    const p = await viewer.evaluate((id) => mediaTest.centerPixel(id), played.id);
    return p && near(p.rgb, RED, 30) ? p : null;
  });
  console.log(`# whep frame ${pixel.width}x${pixel.height}, centre pixel ${pixel.rgb}`);
  // And the tone is audible.
  const level = await waitFor('audio from the publisher', async () => {
    const r = await viewer.evaluate((id) => mediaTest.rms(id), played.id);
    return r > 0.01 ? r : null;
  });
  const db = await viewer.evaluate((id) => mediaTest.levels(id, [660, 1500]), played.id);
  console.log(`# whep audio RMS ${level.toFixed(3)}; 660 Hz ${db[660].toFixed(1)} dB vs 1500 Hz ${db[1500].toFixed(1)} dB`);
  assert.ok(db[660] > db[1500] + 20, 'the received audio is the 660 Hz tone');

  await viewer.evaluate((id) => mediaTest.stop(id), played.id);
  assert.equal(await pub.evaluate((id) => mediaTest.stop(id), published.id), 200);
  await waitFor('no resources left', async () => (await debugState()).resources.length === 0);
  await pub.close();
  await viewer.close();
});

test('proxy refusals: bad SDP 400, unknown stream 409, banned 403, duplicate 409, unknown resource 404, ETag 412', async () => {
  const bad = await fetch(`${PROXY}/whip/${SCOPE}/bob`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'hello' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /v=0/);
  const empty = await fetch(`${PROXY}/whip/${SCOPE}/bob`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' } });
  assert.equal(empty.status, 400);
  const badName = await fetch(`${PROXY}/whip/${SCOPE}/b%20ob`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'v=0' });
  assert.equal(badName.status, 400);
  const unknown = await fetch(`${PROXY}/whep/${SCOPE}/nobody`, { method: 'POST' });
  assert.equal(unknown.status, 409, 'not published (yet): 409 + Retry-After (WHEP draft)');
  assert.ok(Number(unknown.headers.get('Retry-After')) > 0);
  assert.match(await unknown.text(), /nobody/);
  const noResource = await fetch(`${PROXY}/resource/0123456789abcdef`, { method: 'DELETE' });
  assert.equal(noResource.status, 404);

  // A stream name the host excluded may not publish.
  const host = conferenceSocket(SCOPE, { host: true, token: HOST_TOKEN });
  await host.opened;
  host.send({ type: 'exclude', room: SCOPE, streamName: 'mallory' });
  await host.waitMessage('mallory excluded', (m) => m.type === 'excluded' && m.streams.includes('mallory'));
  host.close();
  const banned = await fetch(`${PROXY}/whip/${SCOPE}/mallory`, {
    method: 'POST', headers: { 'Content-Type': 'application/sdp' },
    body: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:x\r\na=fingerprint:sha-256 00\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
  });
  assert.equal(banned.status, 403);
  assert.match(await banned.text(), /banned/);

  const page = await mediaPage(browser.context);
  const first = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/${SCOPE}/carol`);
  assert.equal(first.status, 201, first.error);
  const second = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/${SCOPE}/carol`);
  assert.equal(second.status, 409);
  assert.match(second.error, /already publishing/);
  const wrongTag = await fetch(first.location, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '"nope"' },
    body: 'a=end-of-candidates\r\n',
  });
  assert.equal(wrongTag.status, 412);
  await page.evaluate((id) => mediaTest.stop(id), first.id);
  await page.close();
  await waitFor('no resources left', async () => (await debugState()).resources.length === 0);
});

test('a published stream is in the Conference API active list until it stops or its tab dies', async (t) => {
  const socket = conferenceSocket(SCOPE);
  t.after(() => socket.close());
  await socket.opened;
  const activeHas = (name) => (m) => m.type === 'active' && m.room === SCOPE && m.streams.includes(name);
  const activeLacks = (name) => (m) => m.type === 'active' && m.room === SCOPE && !m.streams.includes(name);

  // Stopped by the publisher (DELETE).
  const page = await mediaPage(browser.context);
  const t0 = Date.now();
  const first = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/${SCOPE}/dave`);
  assert.equal(first.status, 201, first.error);
  await socket.waitMessage('dave in active', activeHas('dave'));
  console.log(`# POST → dave in the active list: ${Date.now() - t0} ms`);
  await page.evaluate((id) => mediaTest.stop(id), first.id);
  await socket.waitMessage('dave gone after DELETE', (m) => activeLacks('dave')(m) && socket.latest('active') === m);

  // The publisher's tab closes without a DELETE: Janus sees the PeerConnection die and hangs up.
  const second = await page.evaluate((u) => mediaTest.publish(u), `${PROXY}/whip/${SCOPE}/dave`);
  assert.equal(second.status, 201, second.error);
  await socket.waitMessage('dave back in active', (m) => activeHas('dave')(m) && socket.latest('active') === m);
  const t1 = Date.now();
  await page.close();
  await socket.waitMessage('dave gone after the tab closed', (m) => activeLacks('dave')(m) && socket.latest('active') === m,
    { timeoutMs: 40000 });
  console.log(`# tab closed → dave gone from the active list: ${Date.now() - t1} ms`);
  await waitFor('no resources or handles left', async () => {
    const d = await debugState();
    return d.resources.length === 0 && d.janus.handles === 0;
  });
});
