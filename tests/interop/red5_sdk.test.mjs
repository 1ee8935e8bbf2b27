// Red5 Pro's own SDK (red5pro-webrtc-sdk, as published) against the local stack, on the Red5 origin-style
// paths it builds from {host, port, app, streamName}: /<app>/whip/endpoint/<stream> and
// /<app>/whep/endpoint/<stream>?requestId=…, with app = live/room1 (issue 8, items 2, 5, 6).
// Its WHEPClient takes the server's offer from the POST's 2xx and PATCHes its answer, in both its modes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { clientPage, play, publish, red5Target, startInterop, stop, waitConnected, waitDecoding } from './interop_harness.mjs';

const APP = 'live/room1';
const STREAM = 'red5cam';
const ALICE = { name: 'alice', rgb: [220, 40, 40], tone: 440 };
let stack;
let publisher;
let published;

before(async () => {
  stack = await startInterop();
});
after(async () => { await stack?.close(); });

test('Red5 WHIPClient publishes on /live/room1/whip/endpoint/<stream> and its peer connects', async () => {
  publisher = await clientPage(stack, 'red5-publisher', ALICE);
  published = await publish(publisher, 'red5', red5Target(APP, STREAM));
  assert.equal(published.error, '', `Red5 WHIPClient.publish() failed: ${published.error}`);
  await waitConnected(publisher, published.id, 'Red5 WHIPClient publish');
});

test('Red5 WHEPClient with an empty POST (201 + server offer, answer by PATCH) decodes the colour', async () => {
  assert.ok(published, 'needs the Red5 publish of the previous test');
  const viewer = await clientPage(stack, 'red5-viewer-empty');
  const played = await play(viewer, 'red5', red5Target(APP, STREAM, { postEmptyOffer: true }));
  assert.equal(played.error, '', `Red5 WHEPClient.subscribe() failed: ${played.error}`);
  await waitDecoding(viewer, played.id, 'Red5 WHEPClient (empty POST)', { rgb: ALICE.rgb });
  await stop(viewer, played.id);
  await viewer.page.close();
});

test('Red5 WHEPClient in its default mode (POSTs an offer, takes the server offer back) decodes the colour', async () => {
  assert.ok(published, 'needs the Red5 publish of the first test');
  const viewer = await clientPage(stack, 'red5-viewer-default');
  const played = await play(viewer, 'red5', red5Target(APP, STREAM));
  assert.equal(played.error, '', `Red5 WHEPClient.subscribe() failed: ${played.error}`);
  await waitDecoding(viewer, played.id, 'Red5 WHEPClient (default mode)', { rgb: ALICE.rgb });
  await stop(viewer, played.id);
  await viewer.page.close();
});

test('the Red5 publish stops cleanly', async () => {
  assert.ok(published, 'needs the Red5 publish of the first test');
  await stop(publisher, published.id);
  await publisher.page.close();
});
