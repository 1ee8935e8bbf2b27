// Red5 compatibility: this suite plays the reference backend (backend-mixer-testbeds of Red5 Pro's
// nodejs-mixer-backend) and a Red5 Pro live app against the real confhost-server, from their public
// documentation only: the reference's conference-api.md and README, and Red5 Pro's Stream Manager 4.0
// composition API and webhook pages. What the reference does with the Stream Manager, in order:
//   - it POSTs /streammanager/api/4.0/composition and keeps the answer;
//   - it files the composition under the path of the final mixer (destinationMixerName "");
//   - it polls GET /composition/<event> until the mixers are composing;
// and the live app sends {event: stream-published|stream-unpublished, guid: <app>/<room>/<stream>} to
// the webhook URL it was configured with, unable to sign it. Each step asserts what the reference needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startStack } from './lib/stack.mjs';
import { request, openSocket, waitUntil } from './lib/clients.mjs';

const ROOM = 'live/r5room';
const WAITING = `${ROOM}_wr`;
const EVENT = 'r5event';
const PEOPLE = ['alice', 'bob', 'carol'];

let stack;
let api;
let host;
let kept;         // the Stream Manager's answer to the POST, as the reference keeps it
const filed = {}; // the reference's compositions, by the final mixer's path
const mixerSockets = [];

const red5Webhook = (event, guid, url = stack.webhookUrl) =>
  request(url, { method: 'POST', body: { event, guid, clusterNodeType: 'TYPE_OFF' } });

const mixingPage = () => `https://localhost:${stack.port}/index.html#/mixer?scope=${ROOM}`;
const compositionRequest = () => ({
  event: EVENT,
  transcodeComposition: false,
  digest: stack.smToken,
  // A composition of compositions: the first mixer feeds the final one.
  mixers: [
    { mixerName: 'part1', mixingPage: mixingPage(), streamName: 'r5room_part1', path: ROOM, width: 640, height: 360,
      framerate: 15, bitrate: 800, doForward: true, destinationMixerName: 'final' },
    { mixerName: 'final', mixingPage: mixingPage(), streamName: 'r5room', path: ROOM, width: 1280, height: 720,
      framerate: 30, bitrate: 1500, doForward: true, destinationMixerName: '' },
  ],
  location: ['local'],
});

// What the reference reads back from every composition answer: each mixer as it asked for it, plus
// the id and state the Stream Manager added.
function assertEchoesDefinitions(answer, states) {
  const asked = compositionRequest();
  assert.equal(answer.event, asked.event);
  assert.equal(answer.mixers.length, asked.mixers.length);
  asked.mixers.forEach((mixer, i) => {
    const got = answer.mixers[i];
    for (const field of Object.keys(mixer)) assert.deepEqual(got[field], mixer[field], `mixers[${i}].${field}`);
    assert.equal(typeof got.id, 'string');
    assert.ok(got.id.length > 0, `mixers[${i}].id`);
    assert.ok(states.includes(got.state), `mixers[${i}].state is ${got.state}, expected one of ${states}`);
  });
  assert.notEqual(answer.mixers[0].id, answer.mixers[1].id);
}

before(async () => {
  stack = await startStack();
  api = `https://localhost:${stack.port}/streammanager/api/4.0`;
  host = await openSocket(`wss://localhost:${stack.port}/?testbed=conference&room=${WAITING}&host=true&mixer=false&hostToken=${stack.hostToken}`);
  await host.next('activeCompositions');
});

after(async () => {
  for (const s of mixerSockets) await s.close();
  if (host) await host.close();
  if (stack) await stack.stop();
});

test('the stack prints a webhook URL that a Red5 Pro live app can be configured with', () => {
  assert.match(stack.webhookUrl ?? '', new RegExp(`^https://localhost:${stack.port}/webhook\\?token=[0-9a-f]{32}$`));
  assert.match(stack.announced, /Webhook URL: \S+ \(token generated\)/);
});

test('stream-published webhooks at that URL put the participants in the waiting room', async () => {
  for (const name of PEOPLE) {
    const r = await red5Webhook('stream-published', `${WAITING}/${name}`);
    assert.equal(r.status, 200, r.body);
  }
  await host.next('active', (m) => m.room === WAITING && PEOPLE.every((n) => m.streams.includes(n)));
});

test('webhooks without the credential or with a body the stack cannot read are refused, naming why, and change nothing', async () => {
  const bare = stack.webhookUrl.replace(/\?.*$/, '');
  let r = await red5Webhook('stream-published', `${WAITING}/mallory`, bare);
  assert.equal(r.status, 401);
  assert.match(r.json.error, /^credential: missing/);
  r = await red5Webhook('stream-published', `${WAITING}/mallory`, `${bare}?token=${'0'.repeat(32)}`);
  assert.equal(r.status, 401);
  assert.match(r.json.error, /^token: wrong webhook token/);
  r = await red5Webhook('stream-published', 'mallory');
  assert.equal(r.status, 400);
  assert.match(r.json.error, /^guid: 'mallory' is not <app>\/<room>\/<stream>/);
  r = await red5Webhook('stream-subscribed', `${WAITING}/alice`);
  assert.equal(r.status, 400);
  assert.match(r.json.error, /^event: unknown event 'stream-subscribed'/);
  host.send({ type: 'getActiveStreams' });
  const listed = await host.next('activeStreams');
  assert.deepEqual([...listed.streams].sort(), PEOPLE);
});

test('demoting or banning the presenter makes the next stream in conference order the presenter', async () => {
  for (const name of PEOPLE) host.send({ type: 'promote', room: ROOM, streamName: name });
  let conference = await host.next('conference', (m) => m.streams.length === 3);
  assert.deepEqual(conference.streams, PEOPLE);
  assert.equal(conference.presenter, 'alice');
  host.send({ type: 'demote', room: ROOM, streamName: 'alice' });
  conference = await host.next('conference', (m) => !m.streams.includes('alice'));
  assert.deepEqual(conference.streams, ['bob', 'carol']);
  assert.equal(conference.presenter, 'bob');
  host.send({ type: 'exclude', room: ROOM, streamName: 'bob' });
  conference = await host.next('conference', (m) => !m.streams.includes('bob'));
  assert.deepEqual(conference.streams, ['carol']);
  assert.equal(conference.presenter, 'carol');
});

test('POST /composition answers with every mixer as it was defined, plus its id and state', async () => {
  const unauthorized = await request(`${api}/composition`, { method: 'POST', body: compositionRequest() });
  assert.equal(unauthorized.status, 401);
  assert.match(unauthorized.json.errorMessage, /accessToken/);
  const r = await request(`${api}/composition?accessToken=${stack.smToken}`, { method: 'POST', body: compositionRequest() });
  assert.equal(r.status, 200, r.body);
  assertEchoesDefinitions(r.json, ['pending']);
  kept = r.json;
});

test("the reference can file the composition under its final mixer's path", async () => {
  const finals = kept.mixers.filter((m) => m.destinationMixerName === '');
  assert.equal(finals.length, 1, 'exactly one mixer has no destination');
  filed[finals[0].path] = kept;
  assert.equal(filed[ROOM]?.event, EVENT);
  // The host of that room sees it too, on its own socket.
  await host.next('activeCompositions', (m) => m.list.some((c) => c.event === EVENT));
});

test('GET /composition/<event> reaches composing once the mixer pages connect and their composites publish', async () => {
  // Each mixer page connects with the id and the secret its launch URL carried, as the mixer page does.
  for (const mixer of kept.mixers) {
    const url = await waitUntil(`the launch of mixer ${mixer.id}`, () => {
      const hit = stack.launchedUrls().find((u) => u.includes(`mixerId=${mixer.id}&`));
      return { done: Boolean(hit), value: hit };
    });
    const secret = /[?&]mixerSecret=([^&]+)/.exec(url)[1];
    assert.ok(!mixer.mixingPage.includes(secret) && !JSON.stringify(kept).includes(secret), 'the secret is never in an answer');
    mixerSockets.push(await openSocket(`wss://localhost:${stack.port}/?testbed=conference&room=${mixer.path}&host=false&mixer=true&mixerId=${mixer.id}&mixerSecret=${secret}`));
  }
  // The Red5 live app reports each composite stream as it starts.
  for (const mixer of kept.mixers) {
    const r = await red5Webhook('stream-published', `${mixer.path}/${mixer.streamName}`);
    assert.equal(r.status, 200, r.body);
  }
  const composing = await waitUntil('every mixer composing', async () => {
    const r = await request(`${api}/composition/${EVENT}?accessToken=${stack.smToken}`);
    assert.equal(r.status, 200, r.body);
    assertEchoesDefinitions(r.json, ['pending', 'inservice', 'composing']);
    return { done: r.json.mixers.every((m) => m.state === 'composing'), value: r.json };
  });
  assert.deepEqual(composing.mixers.map((m) => m.id), kept.mixers.map((m) => m.id));
  assert.ok(composing.mixers.every((m) => m.isWebSocketConnected === true));
});

test('GET /composition lists the composition in the same shape', async () => {
  const r = await request(`${api}/composition?accessToken=${stack.smToken}`);
  assert.equal(r.status, 200);
  const listed = r.json.find((c) => c.event === EVENT);
  assert.ok(listed, 'the composition is listed');
  assertEchoesDefinitions(listed, ['composing']);
});

test('stream-unpublished of the composite takes its mixer out of composing, and DELETE ends the composition', async () => {
  const finalMixer = kept.mixers.find((m) => m.destinationMixerName === '');
  const r = await red5Webhook('stream-unpublished', `${finalMixer.path}/${finalMixer.streamName}`);
  assert.equal(r.status, 200, r.body);
  const after = await request(`${api}/composition/${EVENT}?accessToken=${stack.smToken}`);
  assert.equal(after.json.mixers.find((m) => m.id === finalMixer.id).state, 'inservice');
  const del = await request(`${api}/composition/${EVENT}?accessToken=${stack.smToken}`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.equal((await request(`${api}/composition/${EVENT}?accessToken=${stack.smToken}`)).status, 404);
  await host.next('activeCompositions', (m) => !m.list.some((c) => c.event === EVENT));
});

test('stream-unpublished webhooks empty the waiting room and the conference', async () => {
  for (const name of ['alice', 'carol']) {
    const r = await red5Webhook('stream-unpublished', `${WAITING}/${name}`);
    assert.equal(r.status, 200, r.body);
  }
  const conference = await host.next('conference', (m) => m.streams.length === 0);
  assert.equal(conference.presenter, undefined);
  await host.next('active', (m) => m.room === WAITING && m.streams.length === 0);
});
