// Medooze's whip-whep (as published) against the local stack on the Stream Manager proxy paths: the
// standard flows of RFC 9725 and the WHEP draft — the client offers, the server answers 201 + SDP answer
// (for WHEP through the server's media bridge; issue 8, items 1 and 6).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { PROXY, clientPage, play, publish, startInterop, stop, waitConnected, waitDecoding } from './interop_harness.mjs';

const SCOPE = 'live/room1';
const BOB = { name: 'bob', rgb: [40, 190, 60], tone: 880 };
let stack;

before(async () => { stack = await startInterop(); });
after(async () => { await stack?.close(); });

test('whip-whep WHIPClient publishes and whip-whep WHEPClient (offer → 201 + answer) decodes the colour', async () => {
  const publisher = await clientPage(stack, 'whip-whep-publisher', BOB);
  const published = await publish(publisher, 'whip-whep', `${PROXY}/whip/${SCOPE}/medooze`);
  assert.equal(published.error, '', `whip-whep WHIPClient.publish() failed: ${published.error}`);
  await waitConnected(publisher, published.id, 'whip-whep WHIPClient publish');

  const viewer = await clientPage(stack, 'whip-whep-viewer');
  const played = await play(viewer, 'whip-whep', `${PROXY}/whep/${SCOPE}/medooze`);
  assert.equal(played.error, '', `whip-whep WHEPClient.view() failed: ${played.error}`);
  await waitDecoding(viewer, played.id, 'whip-whep WHEPClient', { rgb: BOB.rgb });

  await stop(viewer, played.id);
  await stop(publisher, published.id);
  await viewer.page.close();
  await publisher.page.close();
});
