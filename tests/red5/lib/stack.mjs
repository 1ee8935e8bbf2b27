// The real confhost-server for the Red5-compatibility suite, started the way an operator would point a
// Red5 Pro deployment at it: on a free port, without Janus (no media flows here), with its webhook
// secret and webhook token generated and read from what it prints at start. Mixer nodes are on, but
// their "browser" is a stand-in that records the URL it was launched with and waits to be killed, so
// the suite can open each mixer's socket the way the mixer page does, with the secret the page got.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER = process.env.CONFHOST_SERVER || join(ROOT, 'build/native/src/server/confhost-server');

export async function startStack({ smToken = 'red5-sm-token', hostToken = 'red5-host-token' } = {}) {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run 'make native' (or set CONFHOST_SERVER)`);
  const dir = mkdtempSync(join(tmpdir(), 'confhost-red5-'));
  const webRoot = join(dir, 'site');
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>mixing page stand-in</title>');
  const urls = join(dir, 'mixer-urls.txt');
  const browser = join(dir, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nfor last; do :; done\nprintf '%s\\n' "$last" >> '${urls}'\nexec sleep 600\n`);
  chmodSync(browser, 0o755);

  const child = spawn(SERVER, ['--port', '0', '--no-janus', '--run-dir', join(dir, 'run'), '--web-root', webRoot,
    '--mixer-browser', browser, '--sm-token', smToken, '--host-token', hostToken, '--log-level', 'warn'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const announced = await new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`confhost-server did not announce itself:\n${out}\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/Host token: .*\n/.test(out)) {
        clearTimeout(timer);
        resolveStart(out);
      }
    });
    child.on('exit', (code) => reject(new Error(`confhost-server exited (${code}):\n${out}\n${err}`)));
  });
  const port = Number(/Testbed menu: https:\/\/localhost:(\d+)\//.exec(announced)[1]);
  const webhookUrl = /Webhook URL: (\S+)/.exec(announced)?.[1];
  const webhookSecret = /Webhook secret: (\S+)/.exec(announced)?.[1];

  return {
    port,
    smToken,
    hostToken,
    webhookUrl,
    webhookSecret,
    announced,
    log: () => err,
    // The URLs mixer nodes were launched with, in launch order.
    launchedUrls: () => (existsSync(urls) ? readFileSync(urls, 'utf8').split('\n').filter(Boolean) : []),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
