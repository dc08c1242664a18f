import type { AreaGeometry } from '@civicgrid/core/api/org';
import polygonClipping, { type MultiPolygon, type Pair, type Ring } from 'polygon-clipping';

// The package is CommonJS: under Node's ES modules only its default export is there.
const { intersection, union } = polygonClipping;

/**
 * Plane partitions for the demo's areas: an area is split among seed points by their power
 * diagram (Voronoi with weights), each cell clipped to the area. Cells of one diagram tile the
 * plane, so the pieces tile the area — no gaps, no overlaps — and a child's pieces lie in its
 * parent by construction. Work is done in kilometres on a local plane (the district is 25 km
 * across, where the plane differs from the sphere by less than a metre); `Plane` converts.
 */
export type Area = MultiPolygon;

/** A seed of a power diagram: where, and a weight in km² that pushes its borders outwards. */
export interface Seed {
  x: number;
  y: number;
  weight?: number;
}

const kmPerDegLat = 110.574;
const kmPerDegLngAtEquator = 111.32;

export class Plane {
  private readonly kx: number;
  constructor(
    readonly lng0: number,
    readonly lat0: number,
  ) {
    this.kx = kmPerDegLngAtEquator * Math.cos((lat0 * Math.PI) / 180);
  }
  toKm([lng, lat]: readonly number[]): Pair {
    return [((lng as number) - this.lng0) * this.kx, ((lat as number) - this.lat0) * kmPerDegLat];
  }
  toDeg([x, y]: readonly number[]): Pair {
    return [this.lng0 + (x as number) / this.kx, this.lat0 + (y as number) / kmPerDegLat];
  }
  /** An area as GeoJSON, positions rounded to 1e-6° (≈ 0.1 m), repeated points dropped. */
  geometry(area: Area): AreaGeometry {
    const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
    const polygons = area
      .map((poly) =>
        poly
          .map((ring) => {
            const out: Pair[] = [];
            for (const p of ring) {
              const [lng, lat] = this.toDeg(p);
              const q: Pair = [r6(lng), r6(lat)];
              const last = out.at(-1);
              if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
            }
            const first = out[0] as Pair;
            const last = out.at(-1) as Pair;
            if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
            return out;
          })
          .filter((ring) => ring.length >= 4),
      )
      .filter((poly) => poly.length > 0);
    if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0] as Pair[][] };
    return { type: 'MultiPolygon', coordinates: polygons };
  }
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x0, y0] = ring[i - 1] as Pair;
    const [x1, y1] = ring[i] as Pair;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

/** Area in km² (holes subtract). */
export function areaOf(area: Area): number {
  return area.reduce(
    (s, poly) => s + poly.reduce((t, ring, i) => t + (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0),
    0,
  );
}

/** The area-weighted centroid of an area's outer rings. */
export function centroidOf(area: Area): Pair {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of area) {
    const ring = poly[0] as Ring;
    for (let i = 1; i < ring.length; i++) {
      const [x0, y0] = ring[i - 1] as Pair;
      const [x1, y1] = ring[i] as Pair;
      const f = x0 * y1 - x1 * y0;
      a += f;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
    }
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function inRing([x, y]: Pair, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Pair;
    const [xj, yj] = ring[j] as Pair;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function contains(area: Area, p: Pair): boolean {
  return area.some(([outer, ...holes]) => inRing(p, outer as Ring) && !holes.some((h) => inRing(p, h)));
}

function bounds(area: Area): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of area)
    for (const [x, y] of poly[0] as Ring) {
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
  return b;
}

/** A point drawn uniformly from the area (rejection sampling in its bounding box). */
export function samplePoint(area: Area, rand: () => number): Pair {
  const [w, s, e, n] = bounds(area);
  for (let i = 0; i < 10_000; i++) {
    const p: Pair = [w + (e - w) * rand(), s + (n - s) * rand()];
    if (contains(area, p)) return p;
  }
  throw new Error('no point found inside the area');
}

/** Keeps the side of the line a·x + b·y ≤ c of a convex ring (Sutherland–Hodgman, one edge). */
function clipHalfPlane(ring: Pair[], a: number, b: number, c: number): Pair[] {
  const out: Pair[] = [];
  const side = (p: Pair) => a * p[0] + b * p[1] - c;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i] as Pair;
    const q = ring[(i + 1) % ring.length] as Pair;
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/**
 * The power cells of the seeds within a convex frame: cell i is where |x − pᵢ|² − wᵢ is the
 * least. Each cell is the frame cut by one half-plane per other seed, so it is convex.
 */
export function powerCells(seeds: Seed[], frame: Pair[]): Pair[][] {
  return seeds.map((p, i) => {
    let cell = frame;
    for (const [j, q] of seeds.entries()) {
      if (j === i || cell.length === 0) continue;
      // |x−p|² − wp ≤ |x−q|² − wq  ⇔  2(q−p)·x ≤ |q|² − |p|² − wq + wp
      const a = 2 * (q.x - p.x);
      const b = 2 * (q.y - p.y);
      const c = q.x ** 2 + q.y ** 2 - p.x ** 2 - p.y ** 2 - (q.weight ?? 0) + (p.weight ?? 0);
      cell = clipHalfPlane(cell, a, b, c);
    }
    return cell;
  });
}

/**
 * Splits an area among seeds: piece i is the area within seed i's power cell (maybe empty).
 * Where a concave border cuts a cell in two, the smaller part goes to the neighbour it
 * touches, so that every piece of a connected area is one polygon.
 */
export function partition(area: Area, seeds: Seed[]): Area[] {
  const pieces = cellsOf(area, seeds);
  for (const [i, piece] of pieces.entries()) {
    if (piece.length < 2) continue;
    const [main, ...rest] = [...piece].sort((a, b) => areaOf([b]) - areaOf([a]));
    pieces[i] = [main as Area[number]];
    for (const fragment of rest) {
      const [fx, fy] = centroidOf([fragment]);
      const neighbours = pieces
        .map((other, j) => {
          const q = seeds[j] as Seed;
          return { other, j, d: (q.x - fx) ** 2 + (q.y - fy) ** 2 };
        })
        .filter(({ other, j }) => j !== i && other.length > 0)
        .sort((a, b) => a.d - b.d);
      const taker = neighbours.find(({ other }) => union(other, [fragment]).length <= other.length);
      if (taker) pieces[taker.j] = union(taker.other, [fragment]);
      else pieces[i] = [...(pieces[i] as Area), fragment];
    }
  }
  return pieces;
}

function cellsOf(area: Area, seeds: Seed[]): Area[] {
  const [w, s, e, n] = bounds(area);
  const pad = Math.max(e - w, n - s);
  const frame: Pair[] = [
    [w - pad, s - pad],
    [e + pad, s - pad],
    [e + pad, n + pad],
    [w - pad, n + pad],
  ];
  if (seeds.length === 1) return [area];
  // Corners snapped to the millimetre: two neighbours compute their shared corner apart, and
  // must agree on it exactly for their pieces to meet without a hair's gap.
  const snap = (v: number) => Math.round(v * 1e6) / 1e6;
  return powerCells(seeds, frame).map((cell) => {
    if (cell.length < 3) return [];
    const ring = cell.map(([x, y]): Pair => [snap(x), snap(y)]);
    return intersection(area, [[...ring, ring[0] as Pair]]);
  });
}

/**
 * `count` seeds spread evenly over an area: random points moved a few times to the centre of
 * the part of the area nearest to them (Lloyd's relaxation, on a sample of points rather than
 * on exact cells), which gives cells of similar size and rounded shape — what a planner
 * drawing grids of 200–400 households by hand tends towards.
 */
export function spreadSeeds(area: Area, count: number, rand: () => number, rounds = 4): Seed[] {
  const sample = Array.from({ length: 80 * count }, () => samplePoint(area, rand));
  const seeds = sample.slice(0, count).map(([x, y]) => ({ x, y }));
  for (let r = 0; r < rounds && count > 1; r++) {
    const sums = seeds.map(() => ({ x: 0, y: 0, n: 0 }));
    for (const [x, y] of sample) {
      let best = 0;
      let bestD = Infinity;
      for (const [i, s] of seeds.entries()) {
        const d = (x - s.x) ** 2 + (y - s.y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      const acc = sums[best] as { x: number; y: number; n: number };
      acc.x += x;
      acc.y += y;
      acc.n++;
    }
    for (const [i, acc] of sums.entries()) if (acc.n) seeds[i] = { x: acc.x / acc.n, y: acc.y / acc.n };
  }
  return seeds;
}
