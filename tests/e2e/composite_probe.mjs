// CompositeProbe: what a person would check by looking at a composite — which participant's colour is
// in which tile of the "focused" layout (SPEC 5) — from pixels sampled off a decoded video frame.
//
// The tile geometry is written out here independently of src/core/layout.cpp (a second statement of
// SPEC 5's rules with the same margins: 2 % of the short side, the row at most a quarter of the height,
// tiles of the canvas's shape), so the test is an oracle for the mixer rather than a copy of it.

const ROW_SHARE = 0.25;

function fit(box, aspect) {
  let w = box.w;
  let h = w / aspect;
  if (h > box.h) {
    h = box.h;
    w = h * aspect;
  }
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}

// Tile rectangles (canvas pixels) of n streams, presenter large on top, the others in one row below.
export function focusedRects(width, height, n, presenterIndex) {
  if (n <= 0) return [];
  const presenter = presenterIndex >= 0 && presenterIndex < n ? presenterIndex : 0;
  const aspect = width / height;
  const m = Math.min(0.02 * Math.min(width, height), width / (4 * (n + 1)), height / (4 * (n + 1)));
  if (n === 1) return [fit({ x: m, y: m, w: width - 2 * m, h: height - 2 * m }, aspect)];
  const others = n - 1;
  const cellW = (width - (others + 1) * m) / others;
  const rowH = Math.min(cellW / aspect, ROW_SHARE * height);
  const rowY = height - m - rowH;
  const rects = new Array(n);
  rects[presenter] = fit({ x: m, y: m, w: width - 2 * m, h: rowY - 2 * m }, aspect);
  const tile = fit({ x: 0, y: 0, w: cellW, h: rowH }, aspect);
  let x = (width - (others * tile.w + (others - 1) * m)) / 2;
  const y = rowY + (rowH - tile.h) / 2;
  for (let i = 0; i < n; i++) {
    if (i === presenter) continue;
    rects[i] = { x, y, w: tile.w, h: tile.h };
    x += tile.w + m;
  }
  return rects;
}

// Three points inside a tile, as fractions of the frame: left, middle and right at 40 % of its height
// (above the name strip along the tile's bottom and away from its outline).
export function tilePoints(rect, width, height) {
  return [0.3, 0.5, 0.7].map((fx) => [(rect.x + fx * rect.w) / width, (rect.y + 0.4 * rect.h) / height]);
}

// An evenly spaced grid of points over the whole frame (to prove a colour is nowhere in it).
export function framePoints(steps = 12) {
  const points = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) points.push([(i + 0.5) / steps, (j + 0.5) / steps]);
  }
  return points;
}

// The name of the palette colour nearest to rgb, or null when none is within `tolerance` (Euclidean).
export function nearest(rgb, palette, tolerance = 90) {
  let best = null;
  let bestDistance = Infinity;
  for (const [name, c] of Object.entries(palette)) {
    const d = Math.hypot(rgb[0] - c[0], rgb[1] - c[1], rgb[2] - c[2]);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= tolerance ? best : null;
}

export class CompositeProbe {
  // console_: the page playing the composite; handleOf(state) → its peer handle (0/undefined = none);
  // palette: {name: [r,g,b]}; size: the composition's {width, height}.
  constructor(console_, handleOf, palette, size) {
    this.console = console_;
    this.handleOf = handleOf;
    this.palette = palette;
    this.size = size;
  }

  // {tiles: [name seen in tile i (every point agrees) or null], seen: Set of names anywhere, raw}
  // for the conference `streams` with `presenter`; null before the composite has a frame.
  async look(streams, presenter) {
    const handle = this.handleOf(await this.console.state());
    if (!handle) return null;
    const { width, height } = this.size;
    const rects = focusedRects(width, height, streams.length, streams.indexOf(presenter));
    const perTile = rects.map((r) => tilePoints(r, width, height));
    const grid = framePoints();
    const all = await this.console.sample(handle, [...perTile.flat(), ...grid]);
    if (!all) return null;
    const tiles = perTile.map((points, i) => {
      const names = all.slice(i * 3, i * 3 + 3).map((rgb) => nearest(rgb, this.palette));
      return names.every((n) => n === names[0]) ? names[0] : null;
    });
    const seen = new Set(all.map((rgb) => nearest(rgb, this.palette)).filter(Boolean));
    return { tiles, seen, raw: all.slice(0, perTile.length * 3) };
  }

  // Waits until tile i shows streams[i]'s colour for every i, and no colour of `absent` shows anywhere.
  async waitFor(what, streams, presenter, { absent = [], timeoutMs = 60000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    for (;;) {
      last = await this.look(streams, presenter);
      if (last && streams.every((s, i) => last.tiles[i] === s) && absent.every((a) => !last.seen.has(a))) {
        return last;
      }
      if (Date.now() > deadline) {
        // The console's own account (its media sessions' states and reasons) says where it stuck.
        const state = JSON.stringify(await this.console.state().catch((e) => String(e))).slice(0, 2000);
        throw new Error(`timed out waiting for the composite to show ${what}: expected tiles ${JSON.stringify(streams)}` +
          ` (presenter ${presenter}), absent ${JSON.stringify(absent)}; last look: ` +
          (last ? `tiles ${JSON.stringify(last.tiles)}, seen ${JSON.stringify([...last.seen])}, pixels ${JSON.stringify(last.raw)}` : 'no frame') + `; console state: ${state}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
