// Every request a page makes, as Chromium's network stack saw it (CDP Network domain): URL, status,
// whether it was answered from the browser's cache, the response headers and the bytes on the wire.
// `status` is what the page got (a revalidated cache entry shows its stored 200); `wireStatus` is what
// the server sent (304 for that revalidation), 0 when nothing went over the wire.
export async function recordNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    byId.set(e.requestId, { url: e.request.url, method: e.request.method, status: 0, wireStatus: 0, fromCache: false, bytes: 0, headers: {}, done: false });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.fromCache = r.fromCache || !!e.response.fromDiskCache || !!e.response.fromPrefetchCache;
    r.headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.wireStatus = e.statusCode;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.done = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.done = true;
  });
  return {
    cdp,
    requests: () => [...byId.values()],
    // Answers that came over the network (not from the browser's cache), and their bytes.
    transfers: () => [...byId.values()].filter((r) => !r.fromCache && r.status !== 0),
    bytesOnWire: () => [...byId.values()].filter((r) => !r.fromCache).reduce((sum, r) => sum + r.bytes, 0),
  };
}
