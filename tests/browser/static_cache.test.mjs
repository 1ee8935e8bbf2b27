// The console's second visit transfers only revalidations: the real confhost-server serves the built
// site; a fresh profile loads the console once (compressed, fingerprinted module fetched once), then a
// new tab of the same profile loads it again and only index.html goes over the wire, as a 304. The
// browser trusts the server's certificate: Chromium caches nothing from a site whose certificate error
// it was told to ignore.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, waitForFrames, watchPage } from './lib/browser.mjs';
import { startConfhostServer } from './lib/confhost_server.mjs';
import { recordNetwork } from './lib/network_log.mjs';

const FINGERPRINTED = /\/confhost\.[0-9a-f]{16}\.(js|wasm)$/;

let server;
let browser;

before(async () => {
  server = await startConfhostServer();
  browser = await launchBrowser({ extraArgs: server.trustArgs });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function visit() {
  const page = await browser.context.newPage();
  const problems = watchPage(page);
  const network = await recordNetwork(page);
  await page.goto(`${server.origin}/#/`);
  await waitForFrames(page);
  assert.deepEqual(problems, []);
  await page.close();
  return network.requests().filter((r) => r.url.startsWith(server.origin));
}

let first;

test('a first visit fetches each file once, compressed, the module under fingerprinted names', async () => {
  first = await visit();
  const urls = first.map((r) => r.url);
  assert.deepEqual(urls, [...new Set(urls)], `fetched twice: ${urls.join(' ')}`);
  const module = first.filter((r) => FINGERPRINTED.test(r.url));
  assert.equal(module.length, 2, `module files: ${urls.join(' ')}`);
  for (const r of module) {
    assert.equal(r.status, 200, r.url);
    assert.equal(r.headers['content-encoding'], 'br', r.url);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', r.url);
    assert.match(r.headers.etag || '', /^"[0-9a-f]{32}"$/, r.url);
  }
  const wasm = module.find((r) => r.url.endsWith('.wasm'));
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  const page = first.find((r) => new URL(r.url).pathname === '/');
  assert.equal(page.headers['cache-control'], 'no-cache');
});

test('a second visit transfers only revalidations', async () => {
  assert.ok(first, 'the first visit ran');
  const second = await visit();
  const overTheWire = second.filter((r) => !r.fromCache);
  assert.ok(overTheWire.length > 0, 'the page itself is revalidated');
  for (const r of overTheWire) assert.equal(r.wireStatus, 304, `${r.url} answered ${r.wireStatus} on the second visit`);
  for (const r of second.filter((x) => FINGERPRINTED.test(x.url))) assert.ok(r.fromCache, `${path.basename(r.url)} not from the cache`);
  const bytes = overTheWire.reduce((sum, r) => sum + r.bytes, 0);
  assert.ok(bytes <= 20 * 1024, `second visit moved ${bytes} bytes`);
});
