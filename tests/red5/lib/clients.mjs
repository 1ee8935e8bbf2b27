// HTTPS and WebSocket clients for the local stack's self-signed certificate, as a backend on the same
// machine would use them. `ws` comes from the browser suite's dependencies (installed by
// scripts/setup.sh), so this suite needs no install of its own.
import https from 'node:https';
import { createRequire } from 'node:module';

const WebSocket = createRequire(new URL('../../browser/package.json', import.meta.url))('ws');

// One request; resolves { status, body, json } (json is null when the body is not JSON).
export function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers: { 'Content-Type': 'application/json', ...headers }, rejectUnauthorized: false },
      (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, body: text, json });
        });
      });
    req.on('error', reject);
    if (body !== undefined) req.write(typeof body === 'string' ? body : JSON.stringify(body));
    req.end();
  });
}

// Waits for a condition, polling; throws naming what was awaited (and the last value seen) at the deadline.
export async function waitUntil(what, probe, { timeoutMs = 10000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last?.done) return last.value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last?.value)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// A Conference API socket that keeps every message, so a step can wait for the first one matching.
export async function openSocket(url) {
  const ws = new WebSocket(url, { rejectUnauthorized: false });
  const messages = [];
  const waiters = [];
  const seen = new Map(); // type → index after the last message of that type returned
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    messages.push(msg);
    for (const w of [...waiters]) if (w.check()) waiters.splice(waiters.indexOf(w), 1);
  });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return {
    messages,
    send: (msg) => ws.send(JSON.stringify(msg)),
    // The next message of `type` (after the last one of that type returned) that satisfies `predicate`.
    next(type, predicate = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const w = {
          check: () => {
            for (let i = seen.get(type) || 0; i < messages.length; ++i) {
              if (messages[i].type === type && predicate(messages[i])) {
                seen.set(type, i + 1);
                clearTimeout(w.timer);
                resolve(messages[i]);
                return true;
              }
            }
            return false;
          },
        };
        if (w.check()) return;
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no ${type} message came; got: ${JSON.stringify(messages.slice(seen.get(type) || 0))}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: () => new Promise((resolve) => { ws.once('close', resolve); ws.close(); }),
  };
}
