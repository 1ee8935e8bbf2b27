// The RTC glue (web/confhost_rtc.js) and its C++ adapters with real Chromium WebRTC, against a stand-in
// origin (lib/browser_origin.mjs: another Chromium page answering WHIP/WHEP) and the small Conference
// API server: host previews (both signalling flows) drawn as live tiles, the participant's whole
// lifecycle (waiting room → conference → removed → excluded), and the mixer composing its canvas and
// publishing it. Runs itself inside a private network namespace (ICE needs a non-loopback interface;
// no packet leaves the namespace). Waits on state, never on fixed sleeps.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchBrowser, screenshotStats, waitForFrames, waitForState, watchPage } from './lib/browser.mjs';
import { originPageHtml, startBrowserOrigin } from './lib/browser_origin.mjs';
import { startConferenceServer } from './lib/conference_server.mjs';
import { startSite } from './lib/https_site.mjs';

const SCOPE = 'live/glue';
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const close = (a, b, tolerance = 60) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) < tolerance;

if (!process.env.CONFHOST_IN_NETNS) {
  test('media glue suite (inside a private network namespace)', (t) => {
    // The namespace (loopback for the pages, a veth pair with a default route so Chromium gathers a host
    // candidate on 10.77.0.1) is the one every media suite uses: tests/lib/in_netns.sh.
    const file = fileURLToPath(import.meta.url);
    const inNetns = fileURLToPath(new URL('../lib/in_netns.sh', import.meta.url));
    const run = spawnSync('bash', [inNetns, 'node', '--test', '--test-concurrency=1', '--test-reporter=spec', file], {
      // NODE_TEST_CONTEXT would make the inner runner report to us in its child protocol.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')),
      encoding: 'utf8',
      timeout: 600000,
    });
    const output = `${run.stdout || ''}${run.stderr || ''}`;
    for (const line of output.split('\n').filter((l) => /^\s*(✔|✖|ℹ)/.test(l))) t.diagnostic(line.trim());
    assert.equal(run.status, 0, `media glue suite failed (status ${run.status} ${run.error || ''}):\n${output.slice(-6000)}`);
  });
} else {
  let site;
  let backend;
  let browser;
  let origin;

  before(async () => {
    let originRef = null;
    site = await startSite({
      routes: {
        '/origin-page': (req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(originPageHtml); },
        '/as/v1/proxy/': (req, res) => originRef.handle(req, res),
      },
    });
    backend = startConferenceServer(site.server, { regions: ['local'], waiting: { [SCOPE]: ['alice', 'bob'] } });
    browser = await launchBrowser({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
    origin = await startBrowserOrigin(browser.context);
    originRef = origin;
    await origin.open(site.origin);
    origin.publish(`${SCOPE}_wr/alice`, { color: '#ff0000', tone: 440 });
    origin.publish(`${SCOPE}_wr/bob`, { color: '#0000ff', tone: 880, flow: 'serverOffer' });
    origin.publish(`${SCOPE}/alice`, { color: '#ff0000', tone: 440 });
    origin.publish(`${SCOPE}/bob`, { color: '#0000ff', tone: 880, flow: 'serverOffer' });
    origin.publish(`${SCOPE}/glue`, { color: '#00ff00' }); // the composite the participant plays
  });

  after(async () => {
    await browser?.close();
    await backend?.close();
    await site?.close();
  });

  const settingsFor = async (page, settings) => {
    const r = await page.evaluate((s) => window.confhost.command({ cmd: 'saveSettings', settings: s }), settings);
    assert.deepEqual(r, { ok: true });
  };

  test('host previews play WHEP streams as live tiles, in both signalling flows', async () => {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${site.origin}/index.html#/settings`);
    await waitForFrames(page);
    await settingsFor(page, { scope: SCOPE, hostToken: 'glue-token', streamManagerToken: 'glue-sm' });
    await page.goto(`${site.origin}/index.html#/host`);
    const state = await waitForState(page, (s) => ['alice', 'bob'].every((n) => s.previewMedia?.[n]?.hasVideo &&
      s.previewMedia[n].stats?.framesDecoded > 5));
    assert.equal(state.previewMedia.alice.state, 'connected');
    assert.equal(state.previewMedia.bob.state, 'connected');
    // bob's origin offered (406): the console answered with PATCH application/sdp.
    assert.ok(origin.requests.some((r) => r.method === 'PATCH' && r.contentType.startsWith('application/sdp')));
    // alice's origin is standard-only: it refused the console's empty POST, then answered its offer.
    const alicePosts = origin.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`${SCOPE}_wr/alice`));
    assert.deepEqual(alicePosts.slice(0, 2).map((r) => r.status), [400, 201]);
    await waitForFrames(page);
    const red = await screenshotStats(page, 'glue-host-previews', { color: RED });
    const blue = await screenshotStats(page, 'glue-host-previews', { color: BLUE });
    assert.ok(red.matching > 2000, `alice's red preview not drawn (${red.matching} px)`);
    assert.ok(blue.matching > 2000, `bob's blue preview not drawn (${blue.matching} px)`);

    // Admitted: the conference tile shows the same live preview; bob leaves: his preview is stopped.
    await page.evaluate(() => window.confhost.command({ cmd: 'addToConference', name: 'alice' }));
    await waitForState(page, (s) => s.conference.includes('alice'));
    const bobResource = origin.resourceOf('whep', `${SCOPE}_wr/bob`);
    backend.setWaiting(SCOPE, []);
    await waitForState(page, (s) => !s.previewMedia.bob);
    await origin.waitForRequest((r) => r.method === 'DELETE' && r.path.endsWith(`/${bobResource}`));
    await waitForFrames(page);
    await screenshotStats(page, 'glue-host-conference', { color: RED });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the participant goes waiting room → conference → waiting room → excluded', async () => {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${site.origin}/index.html#/settings`);
    await waitForFrames(page);
    await settingsFor(page, { scope: SCOPE, participantStreamName: 'zed' });
    await page.goto(`${site.origin}/index.html#/participant`);
    await waitForFrames(page);
    // The page asks who you are: it starts from the saved name, a bad one is named and refused, and the
    // name typed on the page is the one that is published.
    assert.equal((await page.evaluate(() => window.confhost.state().identity)).streamName, 'zed');
    const cmd = (c) => page.evaluate((x) => window.confhost.command(x), c);
    assert.deepEqual(await cmd({ cmd: 'editIdentity', streamName: 'car ol' }), { ok: true });
    const bad = await page.evaluate(() => window.confhost.state().identity);
    assert.match(bad.problems.streamName ?? '', /^streamName: /);
    const refused = await cmd({ cmd: 'startBroadcast' });
    assert.equal(refused.ok, false);
    assert.match(refused.error, /streamName/);
    assert.deepEqual(await cmd({ cmd: 'editIdentity', streamName: 'carol' }), { ok: true });
    assert.deepEqual((await page.evaluate(() => window.confhost.state().identity)).problems, {});
    await waitForFrames(page);
    await screenshotStats(page, 'glue-participant-identity');
    assert.deepEqual(await cmd({ cmd: 'startBroadcast' }), { ok: true });
    assert.equal((await cmd({ cmd: 'editIdentity', streamName: 'dave' })).ok, false, 'the name changed while broadcasting');

    // Camera + mic to the waiting room; the origin decodes carol's camera.
    await origin.waitForRequest((r) => r.method === 'POST' && r.path === `/as/v1/proxy/whip/${SCOPE}_wr/carol` && r.status === 201);
    assert.ok(!origin.requests.some((r) => /\/(zed|car%20ol|dave)$/.test(r.path)), 'published under a name not typed');
    const waitingResource = origin.resourceOf('whip', `${SCOPE}_wr/carol`);
    await origin.page.waitForFunction((id) => window.origin.frames(id) > 5, waitingResource);
    await waitForState(page, (s) => s.state === 'waiting' && s.local.hasVideo);

    // Admitted: publish into the conference, play the composite (video only), hear the mix-minus.
    backend.setConference(SCOPE, ['carol']);
    const joined = await waitForState(page, (s) => s.state === 'inConference' && s.compositeHasVideo &&
      s.sessions.publish.rtcConnected && s.sessions.mixMinus.rtcConnected);
    assert.equal(joined.sessions.composite.state, 'connected');
    for (const path of [`/as/v1/proxy/whip/${SCOPE}/carol`, `/as/v1/proxy/whep/${SCOPE}/glue`, `/as/v1/proxy/conference/${SCOPE}/carol`]) {
      assert.ok(origin.requests.some((r) => r.method === 'POST' && r.path === path && r.status === 201), `no ${path}`);
    }
    // Exactly the mix-minus is audible: one unmuted <audio>; the composite brought no audio track.
    await page.waitForFunction(() => [...document.querySelectorAll('#media audio')].filter((a) => !a.muted && !a.paused).length === 1);
    // The probes an end-to-end test uses: the composite's colour and the mix-minus tone (660 Hz here).
    await page.waitForFunction(() => {
      const s = window.confhost.state();
      const px = window.confhost.sample(s.handles.composite, [[0.5, 0.5]]);
      const db = window.confhost.toneLevels(s.handles.mixMinus, [660, 1500]);
      return px && px[0][1] > 200 && px[0][0] < 60 && db && db[0] > -60 && db[0] > db[1] + 20;
    });
    await waitForFrames(page);
    const shot = await screenshotStats(page, 'glue-participant-conference', { color: [0, 255, 0] });
    assert.ok(shot.matching > 2000, `the green composite is not drawn (${shot.matching} px)`);

    // Removed: back to the waiting room only; the three conference sessions are deleted.
    const conferenceResources = [origin.resourceOf('whip', `${SCOPE}/carol`), origin.resourceOf('whep', `${SCOPE}/glue`),
      origin.resourceOf('conference', `${SCOPE}/carol`)];
    backend.setConference(SCOPE, []);
    await waitForState(page, (s) => s.state === 'waiting');
    for (const id of conferenceResources) await origin.waitForRequest((r) => r.method === 'DELETE' && r.path.endsWith(`/${id}`));
    assert.ok(origin.resources.has(waitingResource), 'the waiting-room publish keeps running');

    // Excluded: everything stops and the page says so.
    backend.pushExcluded(SCOPE, ['carol']);
    const excluded = await waitForState(page, (s) => s.state === 'excluded');
    assert.ok(excluded.message.length > 0);
    await origin.waitForRequest((r) => r.method === 'DELETE' && r.path.endsWith(`/${waitingResource}`));
    await waitForFrames(page);
    await screenshotStats(page, 'glue-participant-excluded');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the mixer draws the focused layout into its canvas and publishes it; presenter changes show', async () => {
    backend.setConference(SCOPE, ['alice', 'bob'], 'bob');
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${site.origin}/index.html#/mixer?scope=${SCOPE}&ws=${site.host}&layout=focused&width=640&height=360` +
      '&framerate=15&bitrate=600&mixerId=m1');
    const state = await waitForState(page, (s) => s.state === 'running' && s.render?.length === 2 &&
      s.render.every((r) => r.hasVideo));
    assert.ok(backend.connections.some((c) => c.room === SCOPE && c.mixer && /mixerId=m1/.test(c.url)));
    await origin.waitForRequest((r) => r.method === 'POST' && r.path === `/as/v1/proxy/whip/${SCOPE}/glue` && r.status === 201);
    await origin.waitForRequest((r) => r.method === 'POST' && r.path === `/as/v1/proxy/conference/${SCOPE}/glue`);
    const composite = origin.resourceOf('whip', `${SCOPE}/glue`);
    const centre = (name) => {
      const r = state.render.find((i) => i.stream === name);
      return [(r.x + r.w / 2) / 640, (r.y + r.h / 2) / 360];
    };
    assert.ok(state.render.find((i) => i.stream === 'bob').presenter);
    // The composite the origin receives: bob (blue) in the presenter tile, alice (red) in the row.
    await origin.page.waitForFunction(([id, pts, colors]) => window.origin.matches(id, pts, colors),
      [composite, [centre('bob'), centre('alice')], [BLUE, RED]]);

    // Make alice presenter: the big tile turns red.
    backend.setConference(SCOPE, ['alice', 'bob'], 'alice');
    const next = await waitForState(page, (s) => s.render.find((i) => i.stream === 'alice')?.presenter);
    const centre2 = (name) => {
      const r = next.render.find((i) => i.stream === name);
      return [(r.x + r.w / 2) / 640, (r.y + r.h / 2) / 360];
    };
    await origin.page.waitForFunction(([id, pts, colors]) => window.origin.matches(id, pts, colors),
      [composite, [centre2('alice'), centre2('bob')], [RED, BLUE]]);
    // The mixer keeps drawing: a second's window above 5 fps, and more frames since it started than one
    // window holds (the first window can close before the eleventh frame on a fast start).
    const mixer = await waitForState(page, (s) => s.outputFps > 5 && s.framesDrawn > 10);
    assert.ok(mixer.outputFps > 5 && mixer.framesDrawn > 10);
    await waitForFrames(page, 1);
    await screenshotStats(page, 'glue-mixer');
    assert.deepEqual(problems, []);
    await page.close();
  });
}
