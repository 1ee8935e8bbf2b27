// The test pages' own web server, on another origin than the confhost server (http://127.0.0.1:<port>,
// a secure context for Chromium), like a third-party player's site: every WHIP/WHEP request the clients
// make is cross-origin, so the proxy's CORS answers are part of what is tested.
//
// It serves the three npm clients exactly as published, from node_modules (tests/interop/package-lock.json
// pins them): Red5's UMD build (window.red5prosdk) and whip-whep's ES modules as files; Eyevinn's ES build
// imports the bare names "events" and "sdp-transform" (CommonJS packages a browser cannot import), so it
// alone is bundled with those two dependencies by esbuild, unchanged otherwise.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, 'node_modules');
const require = createRequire(path.join(here, 'package.json'));

function missingClients() {
  return new Error(`tests/interop/node_modules is incomplete: run 'cd tests/interop && npm ci' (scripts/setup.sh does)`);
}

async function eyevinnBundle() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw missingClients();
  }
  const out = await esbuild.build({
    entryPoints: [path.join(modules, '@eyevinn/whip-web-client/dist/whip-client.m.js')],
    bundle: true, format: 'esm', write: false, logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

export async function servePages(port = 0) {
  const file = (p) => () => readFileSync(p);
  const files = {
    '/client.html': [file(path.join(here, 'client.html')), 'text/html'],
    '/interop_page.mjs': [file(path.join(here, 'interop_page.mjs')), 'text/javascript'],
    '/lib/red5pro-sdk.min.js': [file(path.join(modules, 'red5pro-webrtc-sdk/red5pro-sdk.min.js')), 'text/javascript'],
    '/lib/whip-whep/whip.js': [file(path.join(modules, 'whip-whep/whip.js')), 'text/javascript'],
    '/lib/whip-whep/whep.js': [file(path.join(modules, 'whip-whep/whep.js')), 'text/javascript'],
  };
  for (const [, [read]] of Object.entries(files)) {
    try { read(); } catch { throw missingClients(); }
  }
  const eyevinn = await eyevinnBundle();
  files['/lib/eyevinn-whip-client.mjs'] = [() => eyevinn, 'text/javascript'];

  const server = http.createServer((req, res) => {
    const entry = files[new URL(req.url, 'http://x').pathname];
    if (!entry) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': `${entry[1]}; charset=utf-8`, 'Cache-Control': 'no-store' });
    res.end(entry[0]());
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((r) => server.close(r)) };
}
