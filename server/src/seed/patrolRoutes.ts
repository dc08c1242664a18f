import type { AreaGeometry } from '@civicgrid/core/api/org';

/**
 * The walk a demo grid worker takes through their grid: lanes across it about 100 m apart
 * (farther in a large rural grid), each cut to the grid's shape and kept `inset` metres from its edge, joined end to
 * end like a lawnmower's path. Every stretch of the walk is checked to lie inside the grid
 * with `margin` metres to spare (GPS scatter stays inside too); a lane whose join would cut
 * across the edge of an irregular grid ends the walk there. Works on any polygon: the grids
 * are cut from the district's real outline and are rarely rectangles.
 */
export interface Route {
  /** Vertices in degrees, in walking order. */
  points: { lng: number; lat: number }[];
  /** Metres walked from the first vertex to each vertex (the plane's metres). */
  at: number[];
}

type XY = readonly [number, number];
type Ring = readonly XY[];

const kmPerDegLat = 110.574;
const kmPerDegLngAtEquator = 111.32;

/** Even-odd test on a ring in metres. */
function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as XY;
    const [xj, yj] = ring[j] as XY;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as XY;
    const [xj, yj] = ring[j] as XY;
    a += (xj + xi) * (yj - yi);
  }
  return Math.abs(a / 2);
}

export function walkRoute(
  area: AreaGeometry,
  opts: { gap?: number; inset?: number; margin?: number; northSouth?: boolean } = {},
): Route | null {
  const inset = opts.inset ?? 25;
  const margin = opts.margin ?? 8;
  // The largest polygon of the area, its outer ring and holes.
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  const first = polygons[0]?.[0]?.[0];
  if (!first) return null;
  const lat0 = first[1] as number;
  const lng0 = first[0] as number;
  const kx = kmPerDegLngAtEquator * 1000 * Math.cos((lat0 * Math.PI) / 180);
  const ky = kmPerDegLat * 1000;
  // North–south lanes are east–west lanes of the area turned a quarter: (x, y) ↦ (y, −x).
  const turn = opts.northSouth ?? false;
  const toXY = (p: readonly number[]): XY => {
    const x = ((p[0] as number) - lng0) * kx;
    const y = ((p[1] as number) - lat0) * ky;
    return turn ? [y, -x] : [x, y];
  };
  const toDeg = ([x, y]: XY) => {
    const [px, py] = turn ? [-y, x] : [x, y];
    return { lng: lng0 + px / kx, lat: lat0 + py / ky };
  };
  const rings = polygons
    .map((p) => p.map((r) => r.map(toXY)))
    .sort((a, b) => ringArea(b[0] ?? []) - ringArea(a[0] ?? []))[0] as Ring[];
  const [outer, ...holes] = rings;
  if (!outer || outer.length < 4) return null;
  // ~100 m in a town grid; a large rural grid is crossed in about eight lanes.
  const gap = opts.gap ?? Math.max(100, Math.sqrt(ringArea(outer)) / 8);
  const inside = (x: number, y: number) => inRing(x, y, outer) && !holes.some((h) => inRing(x, y, h));
  const clear = (x: number, y: number) =>
    inside(x, y) &&
    inside(x + margin, y) &&
    inside(x - margin, y) &&
    inside(x, y + margin) &&
    inside(x, y - margin);
  /** A straight stretch clear of the edge, checked every 5 m. */
  const clearStretch = (a: XY, b: XY) => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const n = Math.max(1, Math.ceil(len / 5));
    for (let i = 0; i <= n; i++)
      if (!clear(a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n)) return false;
    return true;
  };

  const ys = outer.map((p) => p[1]);
  const [minY, maxY] = [Math.min(...ys), Math.max(...ys)];
  const span = maxY - minY;
  // Lanes in the middle of the grid's height, at least two, `gap` apart where it is tall enough.
  const count = Math.max(2, Math.floor((span - 2 * inset) / gap) + 1);
  const step = (span - 2 * inset) / (count - 1);
  const lanes: [XY, XY][] = [];
  for (let k = 0; k < count; k++) {
    const y = minY + inset + k * step;
    // Where the lane crosses the rings, left to right; the longest inside stretch is walked.
    const xs: number[] = [];
    for (const ring of rings)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as XY;
        const [xj, yj] = ring[j] as XY;
        if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    xs.sort((a, b) => a - b);
    let best: [number, number] | null = null;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const a = (xs[i] as number) + inset;
      const b = (xs[i + 1] as number) - inset;
      if (b - a > 30 && (!best || b - a > best[1] - best[0])) best = [a, b];
    }
    if (!best) continue;
    // Trim the ends until the lane is clear of a slanting edge.
    let [a, b] = best;
    while (b - a > 30 && !clear(a, y)) a += 5;
    while (b - a > 30 && !clear(b, y)) b -= 5;
    if (b - a > 30 && clearStretch([a, y], [b, y]))
      lanes.push([
        [a, y],
        [b, y],
      ]);
  }
  // Lane after lane, entered at the nearer end; a lane the walk cannot reach without
  // crossing the edge is left out.
  const path: XY[] = [];
  for (const lane of lanes) {
    const last = path.at(-1);
    if (!last) {
      path.push(lane[0], lane[1]);
      continue;
    }
    const near =
      Math.hypot(lane[0][0] - last[0], lane[0][1] - last[1]) <=
      Math.hypot(lane[1][0] - last[0], lane[1][1] - last[1]);
    const ends: [XY, XY][] = near ? [lane, [lane[1], lane[0]]] : [[lane[1], lane[0]], lane];
    const way = ends.find(([from]) => clearStretch(last, from));
    if (way) path.push(way[0], way[1]);
  }
  if (path.length < 2) return null;
  const at = [0];
  for (let i = 1; i < path.length; i++) {
    const [a, b] = [path[i - 1] as XY, path[i] as XY];
    at.push((at[i - 1] as number) + Math.hypot(b[0] - a[0], b[1] - a[1]));
  }
  return { points: path.map(toDeg), at };
}
