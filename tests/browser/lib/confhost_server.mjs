// The real confhost-server (API only: --no-janus --no-mixers) serving a built site, on a free port of
// loopback, for browser tests and benchmarks of the static server itself. Ready once it has printed
// its "Testbed menu:" line (it listens before printing it).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { makeCertificate, repoRoot, siteDir } from './https_site.mjs';

export const serverBinary = process.env.CONFHOST_SERVER || path.join(repoRoot, 'build/native/src/server/confhost-server');

export async function startConfhostServer({ webRoot = siteDir, timeoutMs = 20000 } = {}) {
  for (const need of [serverBinary, path.join(webRoot, 'index.html')]) {
    if (!fs.existsSync(need)) throw new Error(`${need} missing: build it first (make native web)`);
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'confhost-server-'));
  // Our own certificate, so a browser can be told to trust it (trustArgs): Chromium keeps nothing in its
  // HTTP cache from a site whose certificate error was merely ignored.
  const { key, cert } = makeCertificate(runDir);
  fs.writeFileSync(path.join(runDir, 'key.pem'), key);
  fs.writeFileSync(path.join(runDir, 'cert.pem'), cert);
  const spki = execFileSync('sh', ['-c', 'openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', 'sh',
    path.join(runDir, 'cert.pem')]).toString().trim();
  const child = spawn(serverBinary, ['--port', '0', '--bind', '127.0.0.1', '--no-janus', '--no-mixers', '--no-whep-bridge',
    '--cert', path.join(runDir, 'cert.pem'), '--key', path.join(runDir, 'key.pem'),
    '--run-dir', runDir, '--web-root', webRoot, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`confhost-server did not start: ${out}${err}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Testbed menu: https:\/\/localhost:(\d+)\//.exec(out);
      if (m && /Host console: \S+\n/.test(out)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`confhost-server exited (${code}): ${out}${err}`));
    });
  });
  child.removeAllListeners('exit');
  const hostConsole = /Host console: (\S+)/.exec(out);
  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    // Chromium flags that make its certificate valid (not an ignored error) for this run.
    trustArgs: [`--ignore-certificate-errors-spki-list=${spki}`],
    // The printed link with its tokens, on 127.0.0.1.
    hostConsoleUrl: hostConsole ? hostConsole[1].replace(`https://localhost:${port}`, `https://127.0.0.1:${port}`) : '',
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
