// The issue's "Done when": a standard WHEP player (whip-whep) and Red5's WHEPClient both decode the
// composite of a running conference. The conference is the real one, lean: the host console, one
// participant console with a synthetic camera, a composition whose mixer publishes <app>/<room>/<room>,
// the participant added to it. Each player must show the participant's colour in the composite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { PROXY, clientPage, play, red5Target, startInterop, stop, waitDecoding } from './interop_harness.mjs';

const SCOPE = 'live/interop';
const ROOM = 'interop';
const ALICE = { rgb: [220, 40, 40], tone: 440 };
let stack;
let host;
let running = null;  // why the conference is not running, or '' once it is

before(async () => { stack = await startInterop(); });
after(async () => { await stack?.close(); });

test('a running conference: composition composing, alice added to it', async () => {
  running = 'the conference did not start';
  host = await stack.browser.openHost(SCOPE);
  const alice = await stack.browser.openParticipant(SCOPE, 'alice', ALICE);
  await alice.waitState('waiting (waiting-room publish up)', (s) => s.state === 'waiting');
  await host.waitState('alice in the waiting room', (s) => s.waiting.includes('alice'));
  await host.waitState('the server\'s mixer regions', (s) => s.regions.length > 0);
  await host.command({ cmd: 'createComposition', width: 640, height: 360, framerate: 20, bitrate: 1000 });
  await host.waitState('the composition to be composing',
    (s) => s.compositions.some((c) => c.event === ROOM && c.state === 'composing'));
  await host.command({ cmd: 'addToConference', name: 'alice' });
  await alice.waitState('alice in the conference', (s) => s.state === 'inConference');
  running = '';
});

for (const [name, kind, target] of [
  ['whip-whep WHEPClient (offer → 201 + answer)', 'whip-whep', `${PROXY}/whep/${SCOPE}/${ROOM}`],
  ['Red5 WHEPClient (empty POST → 201 + offer → PATCH answer)', 'red5', red5Target(SCOPE, ROOM, { postEmptyOffer: true })],
]) {
  test(`${name} decodes the composite with alice's colour`, async () => {
    assert.equal(running, '', `needs the running conference of the first test: ${running}`);
    const viewer = await clientPage(stack, `composite-${kind}`);
    const played = await play(viewer, kind, target);
    assert.equal(played.error, '', `${name} failed to start: ${played.error}`);
    await waitDecoding(viewer, played.id, `${name} of the composite`, { rgb: ALICE.rgb });
    await stop(viewer, played.id);
    await viewer.page.close();
  });
}

test('the host console\'s own WHEP client still decodes the composite', async () => {
  assert.equal(running, '', `needs the running conference of the first test: ${running}`);
  await host.waitState('the composite decoding in the host console',
    (s) => s.previewMedia?.[ROOM]?.hasVideo && s.previewMedia[ROOM].stats?.framesDecoded > 0);
});
