// WHIP (RFC 9725) / WHEP (draft-ietf-wish-whep) conformance of the proxy at the HTTP level, against the
// real Janus with real browser offers (issue 8): status codes, headers, trickle, ETags, ICE restarts,
// the WHEP modes, the Red5 origin spellings, and the credential on the debug state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { BASE, PROXY, debugState, launchBrowser, mediaPage, noHandlesLeft, waitFor } from './harness.mjs';

const SCOPE = 'live/conformance';
const RED = [220, 30, 40];
let browser;

before(async () => {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

const near = (a, b, tol) => a.every((x, i) => Math.abs(x - b[i]) <= tol);
const frag = (body) => ({ method: 'PATCH', headers: { 'Content-Type': 'application/trickle-ice-sdpfrag' }, body });

async function waitFrame(page, id, rgb, what) {
  let last = null;
  try {
    return await waitFor(what, async () => {
      last = await page.evaluate((i) => mediaTest.centerPixel(i), id);
      return last && near(last.rgb, rgb, 30) ? last : null;
    });
  } catch (e) {
    throw new Error(`${e.message}; last decoded pixel ${JSON.stringify(last)}`);
  }
}

// Every proxy answer lets a page on another origin read the WHIP/WHEP headers.
function assertExposes(r) {
  const exposed = r.headers.get('Access-Control-Expose-Headers') || '';
  for (const h of ['Location', 'ETag', 'Link', 'Accept-Patch', 'Retry-After']) assert.ok(exposed.includes(h), `${h} in "${exposed}"`);
}

test('WHIP: 201 with Location, ETag, Link and the answer; trickle 204; If-Match 412; restart 200 with new ICE and ETag; media flows after it; DELETE 200 then 404', async () => {
  const options = await fetch(`${PROXY}/whip/${SCOPE}/alice`, { method: 'OPTIONS' });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get('Accept-Post'), 'application/sdp');
  assert.match(options.headers.get('Access-Control-Allow-Methods'), /GET/);
  assert.match(options.headers.get('Link') || '', /rel="ice-server"/, 'ICE servers on OPTIONS (RFC 9725 4.6)');
  assertExposes(options);

  const page = await mediaPage(browser.context);
  const pub = await page.evaluate((u) => mediaTest.publish(u, { rgb: [220, 30, 40] }), `${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(pub.status, 201, pub.error);
  assert.equal(pub.headers['content-type'], 'application/sdp');
  assert.match(pub.location, /\/as\/v1\/proxy\/resource\/[0-9a-f]{32}$/);
  assert.match(pub.etag, /^"[0-9a-f]{24}"$/);
  assert.match(pub.headers.link, /^<stun:[^>]+>; rel="ice-server"/);
  assert.match(pub.headers['accept-patch'], /application\/trickle-ice-sdpfrag/);
  assert.match(pub.answer, /^v=0\r\n/);
  await page.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', pub.id, { timeout: 15000 });
  const { patchStatuses } = await page.evaluate((id) => mediaTest.state(id), pub.id);
  assert.ok(patchStatuses.length > 0 && patchStatuses.every((s) => s === 204), `trickle PATCHes: ${patchStatuses}`);

  // RFC 9725 4.2: GET is reserved on the endpoint and the session.
  const getEndpoint = await fetch(`${PROXY}/whip/${SCOPE}/alice`);
  assert.equal(getEndpoint.status, 405);
  assert.equal(getEndpoint.headers.get('Allow'), 'POST, OPTIONS');
  assert.equal((await fetch(pub.location)).status, 405);

  // Trickle: a stale ETag is 412; no If-Match (whip-whep and @eyevinn send none) is accepted.
  const stale = await fetch(pub.location, { ...frag('a=end-of-candidates\r\n'), headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '"stale"' } });
  assert.equal(stale.status, 412);
  assertExposes(stale);
  assert.equal((await fetch(pub.location, frag('a=end-of-candidates\r\n'))).status, 204);

  // ICE restart without If-Match: 428 (RFC 6585; the client must send If-Match: "*").
  const noMatch = await fetch(pub.location, frag('a=ice-ufrag:Zz9Q\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n'));
  assert.equal(noMatch.status, 428);

  // A real restart from the browser: new ICE credentials both ways, a new ETag, still connected.
  const restarted = await page.evaluate((id) => mediaTest.restartIce(id), pub.id);
  assert.equal(restarted.status, 200, restarted.error);
  assert.equal(restarted.contentType, 'application/trickle-ice-sdpfrag');
  assert.notEqual(restarted.ufrag, restarted.before, 'Janus has new ICE credentials');
  assert.match(restarted.fragment, /a=ice-pwd:/);
  assert.notEqual(restarted.etag, pub.etag, 'a new ETag for the new ICE session');
  console.log(`# ICE restart: Janus ufrag ${restarted.before} → ${restarted.ufrag}, ETag ${pub.etag} → ${restarted.etag}`);
  const oldTag = await fetch(pub.location, { ...frag('a=end-of-candidates\r\n'), headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': pub.etag } });
  assert.equal(oldTag.status, 412, 'the previous ICE session\'s ETag no longer matches');
  await page.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', pub.id, { timeout: 15000 });

  // The media still flows after the restart: a new viewer decodes the publisher's colour.
  const viewer = await mediaPage(browser.context);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/alice`);
  assert.equal(played.status, 201);
  assert.equal(played.answerStatus, 204);
  await waitFrame(viewer, played.id, RED, 'a frame published after the ICE restart');

  assert.equal(await viewer.evaluate((id) => mediaTest.stop(id), played.id), 200);
  assert.equal(await page.evaluate((id) => mediaTest.stop(id), pub.id), 200);
  const again = await fetch(pub.location, { method: 'DELETE' });
  assert.equal(again.status, 404);
  assertExposes(again);
  await waitFor('no resources or handles left', noHandlesLeft);
  await page.close();
  await viewer.close();
});

test('WHEP: unpublished 409 + Retry-After; empty POST 201 + offer, answer PATCH 204; client offer 406 + offer without a bridge; ICE restart of a server-offer session', async () => {
  const early = await fetch(`${PROXY}/whep/${SCOPE}/bob`, { method: 'POST' });
  assert.equal(early.status, 409);
  assert.ok(Number(early.headers.get('Retry-After')) > 0);
  assertExposes(early);

  const page = await mediaPage(browser.context);
  const pub = await page.evaluate((u) => mediaTest.publish(u, { rgb: [220, 30, 40] }), `${PROXY}/whip/${SCOPE}/bob`);
  assert.equal(pub.status, 201, pub.error);

  // Empty POST (Red5 Pro WHEPClient, older drafts): 201 + the server's offer.
  const empty = await fetch(`${PROXY}/whep/${SCOPE}/bob`, { method: 'POST', headers: { 'Content-Length': '0' } });
  assert.equal(empty.status, 201);
  assert.equal(empty.headers.get('Content-Type'), 'application/sdp');
  assert.match(await empty.text(), /a=setup:actpass/);
  assert.ok(empty.headers.get('ETag'));
  assert.match(empty.headers.get('Accept-Patch'), /application\/sdp/);
  assert.match(empty.headers.get('Link') || '', /ice-server/);
  assert.equal((await fetch(new URL(empty.headers.get('Location'), BASE), { method: 'DELETE' })).status, 200);

  // A client offer: with no bridge the proxy answers 406 + its offer (the console answers by PATCH).
  const bridged = (await debugState()).bridge?.available;
  const offered = await page.evaluate(async (u) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const r = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer.sdp });
    pc.close();
    return { status: r.status, body: await r.text(), location: r.headers.get('Location') };
  }, `${PROXY}/whep/${SCOPE}/bob`);
  if (bridged) {
    assert.equal(offered.status, 201, offered.body);
    assert.doesNotMatch(offered.body, /a=setup:actpass/, 'the bridge answers');
  } else {
    assert.equal(offered.status, 406, offered.body);
    assert.match(offered.body, /a=setup:actpass/);
  }
  assert.equal((await fetch(new URL(offered.location, BASE), { method: 'DELETE' })).status, 200);

  // A viewer playing by server offer, then an ICE restart of its session: Janus restarts its side and
  // takes the client's answer with the new credentials (a browser answerer cannot pick its own new
  // credentials, so this checks the HTTP contract; the WHIP test above checks media after a restart).
  const viewer = await mediaPage(browser.context);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${PROXY}/whep/${SCOPE}/bob`);
  assert.equal(played.status, 201);
  assert.equal(played.answerStatus, 204);
  await waitFrame(viewer, played.id, RED, 'a frame through the server-offer flow');
  const restart = await fetch(played.location, {
    ...frag('a=ice-ufrag:Rs7k\r\na=ice-pwd:0123456789abcdefghijklmn\r\n'),
    headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*' },
  });
  const restartText = await restart.text();
  assert.equal(restart.status, 200, restartText);
  assert.match(restartText, /^a=ice-ufrag:.+\r\na=ice-pwd:.+\r\n/);
  assert.ok(restart.headers.get('ETag'));

  await viewer.evaluate((id) => mediaTest.stop(id), played.id);
  await page.evaluate((id) => mediaTest.stop(id), pub.id);
  await waitFor('no resources or handles left', noHandlesLeft);
  await page.close();
  await viewer.close();
});

test('Red5 origin paths: /<app>/whip/endpoint/<stream> and /<app>/whep/endpoint/<stream>?requestId= publish and play', async () => {
  const page = await mediaPage(browser.context);
  const pub = await page.evaluate((u) => mediaTest.publish(u, { rgb: [220, 30, 40] }), `${BASE}/${SCOPE}/whip/endpoint/carol`);
  assert.equal(pub.status, 201, pub.error);
  assert.match(pub.location, new RegExp(`/${SCOPE}/whip/resource/[0-9a-f]{32}$`));
  await page.waitForFunction((id) => mediaTest.state(id).connectionState === 'connected', pub.id, { timeout: 15000 });

  const viewer = await mediaPage(browser.context);
  const played = await viewer.evaluate((u) => mediaTest.play(u), `${BASE}/${SCOPE}/whep/endpoint/carol?requestId=conformance&signal=false`);
  assert.equal(played.status, 201);
  assert.equal(played.answerStatus, 204);
  assert.match(played.location, new RegExp(`/${SCOPE}/whep/resource/[0-9a-f]{32}$`));
  await waitFrame(viewer, played.id, RED, 'a frame through the Red5 paths');
  // The same stream is also listed under the proxy spelling.
  assert.ok((await debugState()).resources.some((r) => r.scope === SCOPE && r.stream === 'carol' && r.kind === 'whep'));

  assert.equal(await viewer.evaluate((id) => mediaTest.stop(id), played.id), 200);
  assert.equal(await page.evaluate((id) => mediaTest.stop(id), pub.id), 200);
  await waitFor('no resources or handles left', noHandlesLeft);
  await page.close();
  await viewer.close();
});

test('the debug state needs the Stream Manager token; refusals carry the exposed headers', async () => {
  const anonymous = await fetch(`${PROXY}/debug`);
  assert.equal(anonymous.status, 401);
  assertExposes(anonymous);
  const bad = await fetch(`${PROXY}/whip/${SCOPE}/dave`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'v=0' });
  assert.equal(bad.status, 415);
  assertExposes(bad);
});
