// Browser smoke test of the console (issue 2): the page loads over HTTPS, the menu renders, settings
// survive a reload, the host view renders its form and validation errors, and the host view connected
// to a small Conference API server shows a waiting stream, sends `promote` when told to and shows the
// conference list pushed back. Waits on state (window.confhost), never on fixed sleeps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, screenshotStats, waitForFrames, waitForState, watchPage } from './lib/browser.mjs';
import { startConferenceServer } from './lib/conference_server.mjs';
import { startSite } from './lib/https_site.mjs';

const SCOPE = 'live/smoke';
const ERROR_RED = [240, 98, 98]; // theme::palette().bad: inline validation messages

let site;
let backend;
let browser;
let page;
let problems;

before(async () => {
  // No media server here: every WHEP preview is refused, with a reason the console must show.
  site = await startSite({
    routes: {
      '/as/v1/proxy/': (req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errorMessage: 'no media server in the smoke test' }));
      },
    },
  });
  backend = startConferenceServer(site.server, { regions: ['local'], waiting: { [SCOPE]: ['alice', 'bob'] } });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = watchPage(page);
});

after(async () => {
  await browser?.close();
  await backend?.close();
  await site?.close();
});

test('the page loads over HTTPS and the menu renders', async () => {
  const response = await page.goto(`${site.origin}/index.html#/`);
  assert.equal(response.status(), 200);
  assert.ok(page.url().startsWith('https://'), page.url());
  await waitForFrames(page);
  assert.equal(await page.evaluate(() => window.confhost.route()), 'menu');
  const shot = await screenshotStats(page, 'smoke-menu');
  // Headings, links and descriptions: far more than a blank dark page.
  assert.ok(shot.nonBackground > 3000, `menu drew only ${shot.nonBackground} non-background pixels`);
  assert.deepEqual(problems, []);
});

test('settings survive a reload', async () => {
  await page.goto(`${site.origin}/index.html#/settings`);
  await waitForFrames(page);
  const bad = await page.evaluate(() => window.confhost.command({ cmd: 'saveSettings', settings: { scope: 'no spaces allowed' } }));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /scope/);

  const saved = await page.evaluate((scope) => window.confhost.command(
    { cmd: 'saveSettings', settings: { scope, hostToken: 'smoke-token' } }), SCOPE);
  assert.deepEqual(saved, { ok: true });
  await screenshotStats(page, 'smoke-settings');

  await page.reload();
  await waitForFrames(page);
  const settings = await page.evaluate(() => window.confhost.settings());
  assert.equal(settings.scope, SCOPE);
  assert.equal(settings.hostToken, 'smoke-token');
});

test('the host view renders its form and inline validation errors', async () => {
  await page.goto(`${site.origin}/index.html#/host`);
  await waitForFrames(page);
  let state = await page.evaluate(() => window.confhost.state());
  assert.equal(state.route, 'host');
  assert.equal(state.form.preset, 'focused');
  assert.equal(state.form.width, 1280);
  assert.equal(state.form.height, 720);

  const before = await screenshotStats(page, 'smoke-host-form', { color: ERROR_RED });
  const edited = await page.evaluate(() => window.confhost.command({ cmd: 'editForm', event: 'bad event!', width: 5 }));
  assert.deepEqual(edited, { ok: true });
  state = await waitForState(page, (s) => s.formErrors.event && s.formErrors.width);
  assert.match(state.formErrors.event, /^event: must match/);
  assert.match(state.formErrors.width, /^width:/);
  await waitForFrames(page);
  const after = await screenshotStats(page, 'smoke-host-form-errors', { color: ERROR_RED });
  assert.ok(after.matching > before.matching + 200,
    `validation messages not drawn in red (${before.matching} → ${after.matching} red pixels)`);

  // Submitting an invalid form sends nothing and says why.
  const sentBefore = backend.received.length;
  const submit = await page.evaluate(() => window.confhost.command({ cmd: 'createComposition' }));
  assert.equal(submit.ok, false);
  assert.match(submit.error, /event/);
  assert.equal(backend.received.filter((m) => m.json?.type === 'createComposition').length, 0);
  assert.ok(backend.received.length >= sentBefore);
  // The digest is the Stream Manager token (empty in fresh settings): the form asks for it too.
  assert.match(state.formErrors.digest, /^digest:/);
  await page.evaluate(() => window.confhost.command({ cmd: 'editForm', event: 'smoke', width: 1280, digest: 'smoke-digest' }));
  await waitForState(page, (s) => Object.keys(s.formErrors).length === 0);
});

test('connected to a Conference API server, the host admits a waiting stream', async () => {
  const state = await waitForState(page, (s) => s.sockets.waitingRoom.state === 'open' &&
    s.sockets.conference.state === 'open' && s.waiting.includes('alice') && s.waiting.includes('bob'));
  assert.deepEqual(state.conference, []);
  // Both sockets carry the host credential and the rooms of SPEC 4.1.
  const rooms = backend.connections.map((c) => [c.room, c.host, c.mixer, c.hostToken]).sort();
  assert.deepEqual(rooms.slice(-2), [[SCOPE, true, false, 'smoke-token'], [`${SCOPE}_wr`, true, false, 'smoke-token']]);
  // A preview per visible stream; the server's 404 reason reaches the console (non-2xx bodies reach C++).
  const previews = await waitForState(page, (s) => ['alice', 'bob'].every((n) => s.previewMedia[n] &&
    s.previewMedia[n].state === 'failed' && /no media server in the smoke test/.test(s.previewMedia[n].reason)));
  assert.equal(previews.previewMedia.alice.scope, `${SCOPE}_wr`);
  await waitForFrames(page);
  const waitingShot = await screenshotStats(page, 'smoke-host-waiting');
  assert.ok(waitingShot.nonBackground > 5000);

  const result = await page.evaluate(() => window.confhost.command({ cmd: 'addToConference', name: 'alice' }));
  assert.deepEqual(result, { ok: true });
  const promote = await backend.waitForMessage((m) => m.json?.type === 'promote');
  assert.equal(promote.room, `${SCOPE}_wr`, 'commands go on the waiting-room socket');
  assert.deepEqual(promote.json, { type: 'promote', room: SCOPE, streamName: 'alice' });

  const admitted = await waitForState(page, (s) => s.conference.length === 1 && s.conference[0] === 'alice');
  assert.equal(admitted.presenter, 'alice');
  assert.deepEqual(admitted.waiting, ['bob']);
  await waitForFrames(page);
  await screenshotStats(page, 'smoke-host-conference');
  assert.deepEqual(problems, []);
});

test('the host runs the room from the keyboard (focus, add, present, the ? overlay) and reorders by drag', async () => {
  const key = async (k) => { await page.keyboard.press(k); await waitForFrames(page, 2); };
  const until = (what, pred) => waitForState(page, pred).catch(async (e) => {
    const x = await page.evaluate(() => window.confhost.state());
    throw new Error(`${what}: ${e.message}; keyboard ${JSON.stringify(x.keyboard)}, waiting ${x.waiting}, conference ${x.conference}, presenter ${x.presenter}`);
  });
  await key('ArrowUp');
  let s = await until('step', (x) => x.keyboard.list === 'waiting' && x.keyboard.stream === 'bob');
  await key('a');
  const promote = await backend.waitForMessage((m) => m.json?.type === 'promote' && m.json.streamName === 'bob');
  assert.equal(promote.room, `${SCOPE}_wr`);
  // The focus follows bob into the conference; → and ← move along it, P makes the focused one presenter.
  s = await until('step', (x) => x.conference.includes('bob') && x.keyboard.list === 'conference' && x.keyboard.stream === 'bob');
  await key('ArrowLeft');
  await until('step', (x) => x.keyboard.stream === 'alice');
  await key('ArrowRight');
  await key('p');
  await backend.waitForMessage((m) => m.json?.type === 'presenter' && m.json.streamName === 'bob');
  await key('Shift+?');
  s = await until('step', (x) => x.keyboard.helpOpen);
  const shot = await screenshotStats(page, 'smoke-host-keyboard-help');
  assert.ok(shot.nonBackground > 5000);
  await key('Escape');
  s = await until('step', (x) => !x.keyboard.helpOpen && x.keyboard.stream === 'bob');
  // Reorder by drag: alice's tile dropped on bob's moves alice to bob's place, with the `order` message.
  const { conference, conferenceTiles: tiles } = await page.evaluate(() => window.confhost.state());
  assert.deepEqual(conference, ['alice', 'bob']);
  const centre = (t) => [t.x + t.w / 2, t.y + t.h * 0.75];  // below the toolbar's buttons
  await page.mouse.move(...centre(tiles.alice));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {  // a drag, as a hand makes it: several moves, a frame each
    const [x0, y0] = centre(tiles.alice);
    const [x1, y1] = centre(tiles.bob);
    await page.mouse.move(x0 + ((x1 - x0) * i) / 8, y0 + ((y1 - y0) * i) / 8);
    await waitForFrames(page, 1);
  }
  await page.mouse.up();
  const order = await backend.waitForMessage((m) => m.json?.type === 'order');
  assert.equal(order.json.streamName, 'alice');
  assert.equal(order.json.order, 1);

  // The same keys through automation: a malformed one is refused naming the field, and sends nothing.
  const sent = backend.received.length;
  assert.match((await page.evaluate(() => window.confhost.command({ cmd: 'key', key: 'x', shift: 1 }))).error, /^shift: /);
  assert.match((await page.evaluate(() => window.confhost.command({ cmd: 'key', key: 'q' }))).error, /^key: unknown key 'q'/);
  await waitForFrames(page);
  assert.equal(backend.received.length, sent);
  assert.deepEqual(problems, []);
});
