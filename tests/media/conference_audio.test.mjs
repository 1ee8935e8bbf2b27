// Mix-minus (SPEC 4.4, 4.5): three conference joins sending 450, 710 and 1750 Hz each hear the other
// two tones and not their own, measured with an FFT (AnalyserNode) of the audio they receive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { PROXY, debugState, launchBrowser, mediaPage, waitFor } from './harness.mjs';

const SCOPE = 'live/audioroom';
// No tone may be a sum, difference or harmonic of the others: with 440/880/1320 the mix of 440 and 880
// carries an intermodulation product at exactly 1320 Hz (seen at −36 dB), which the third join then
// "hears" as if it were its own tone.
const TONES = { ann: 450, ben: 710, cat: 1750 };
let browser;

before(async () => {
  await waitFor('Janus to be connected', async () => (await debugState()).janus.connected, { timeoutMs: 20000 });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

test('each of three conference joins hears the other two and not itself', async () => {
  const joins = {};
  for (const [name, frequency] of Object.entries(TONES)) {
    const page = await mediaPage(browser.context);
    const r = await page.evaluate(([u, f]) => mediaTest.join(u, { frequency: f }), [`${PROXY}/conference/${SCOPE}/${name}`, frequency]);
    assert.equal(r.status, 201, r.error);
    joins[name] = { page, id: r.id };
  }
  for (const [name, { page, id }] of Object.entries(joins)) {
    await page.waitForFunction((i) => mediaTest.state(i).connectionState === 'connected', id, { timeout: 15000 });
    const s = await page.evaluate((i) => mediaTest.state(i), id);
    console.log(`# ${name}: join POST → connected ${s.connectMs.toFixed(0)} ms`);
  }
  const freqs = Object.values(TONES);
  for (const [name, { page, id }] of Object.entries(joins)) {
    const own = TONES[name];
    const others = freqs.filter((f) => f !== own);
    // Wait until both other tones stand clear of this participant's own tone (the mix needs a moment
    // after connecting); then assert the margin on that measurement.
    let heard = null;
    const levels = await waitFor(`${name} to hear ${others}`, async () => {
      heard = await page.evaluate(([i, f]) => mediaTest.levels(i, f), [id, freqs]);
      return heard && others.every((f) => heard[f] > -60 && heard[f] > heard[own] + 30) ? heard : null;
    }, { timeoutMs: 20000 }).catch((e) => {
      throw new Error(`${e.message}; last levels ${JSON.stringify(heard)}`);
    });
    console.log(`# ${name} (${own} Hz) hears: ${freqs.map((f) => `${f} Hz ${levels[f].toFixed(1)} dB`).join(', ')}`);
    for (const f of others) assert.ok(levels[f] > levels[own] + 30, `${name}: ${f} Hz must be well above its own ${own} Hz`);
  }
  for (const { page, id } of Object.values(joins)) {
    assert.equal(await page.evaluate((i) => mediaTest.stop(i), id), 200);
    await page.close();
  }
  await waitFor('no resources or handles left', async () => {
    const d = await debugState();
    return d.resources.length === 0 && d.janus.handles === 0;
  });
});
