// Eyevinn's @eyevinn/whip-web-client (as published) publishes through the Stream Manager proxy path;
// a standard WHEP player (whip-whep) decodes it (issue 8, item 6).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { PROXY, clientPage, play, publish, startInterop, stop, waitConnected, waitDecoding } from './interop_harness.mjs';

const SCOPE = 'live/room1';
const CAROL = { name: 'carol', rgb: [50, 90, 230], tone: 1320 };
let stack;

before(async () => { stack = await startInterop(); });
after(async () => { await stack?.close(); });

test('@eyevinn/whip-web-client publishes; whip-whep WHEPClient decodes the colour', async () => {
  const publisher = await clientPage(stack, 'eyevinn-publisher', CAROL);
  const published = await publish(publisher, 'eyevinn', `${PROXY}/whip/${SCOPE}/eyevinn`);
  assert.equal(published.error, '', `Eyevinn WHIPClient.ingest() failed: ${published.error}`);
  await waitConnected(publisher, published.id, 'Eyevinn WHIPClient publish');

  const viewer = await clientPage(stack, 'eyevinn-viewer');
  const played = await play(viewer, 'whip-whep', `${PROXY}/whep/${SCOPE}/eyevinn`);
  assert.equal(played.error, '', `whip-whep WHEPClient.view() failed: ${played.error}`);
  await waitDecoding(viewer, played.id, 'whip-whep WHEPClient of the Eyevinn publish', { rgb: CAROL.rgb });

  await stop(viewer, played.id);
  await stop(publisher, published.id);
  await viewer.page.close();
  await publisher.page.close();
});
