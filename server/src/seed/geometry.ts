import type { AreaGeometry } from '@civicgrid/core/api/org';

/** An axis-aligned rectangle in degrees: west, south, east, north. */
export interface Rect {
  w: number;
  s: number;
  e: number;
  n: number;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function rectPolygon(r: Rect): AreaGeometry {
  const [w, s, e, n] = [r6(r.w), r6(r.s), r6(r.e), r6(r.n)];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

/** Splits a rectangle into `count` cells row by row; the last row's cells widen to fill it. */
export function tile(r: Rect, count: number): Rect[] {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const h = (r.n - r.s) / rows;
  const out: Rect[] = [];
  for (let row = 0; row < rows; row++) {
    const inRow = row === rows - 1 ? count - cols * (rows - 1) : cols;
    const w = (r.e - r.w) / inRow;
    for (let c = 0; c < inRow; c++) {
      out.push({ w: r.w + c * w, e: r.w + (c + 1) * w, n: r.n - row * h, s: r.n - (row + 1) * h });
    }
  }
  return out;
}

/** Splits a rectangle into vertical strips whose widths follow `weights`. */
export function strips(r: Rect, weights: number[]): Rect[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r.w;
  return weights.map((wt, i) => {
    const e = i === weights.length - 1 ? r.e : x + ((r.e - r.w) * wt) / total;
    const cell = { w: x, e, s: r.s, n: r.n };
    x = e;
    return cell;
  });
}

/** A small deterministic generator (mulberry32), seeded from a code, so reruns match. */
export function seeded(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
