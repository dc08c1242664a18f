import type { AreaGeometry } from '@civicgrid/core/api/org';

/**
 * Where an area's name goes, and from which zoom: plain functions (no MapLibre, no React),
 * shared by the console maps, the big screen and the field app's picker.
 */
type Ring = readonly (readonly number[])[];

/** Kilometres per degree of latitude, and of longitude at the district's latitude. */
const kmPerDegLat = 110.574;
const kmPerDegLng = (lat: number) => 111.32 * Math.cos((lat * Math.PI) / 180);

function outerRings(g: AreaGeometry): Ring[] {
  return g.type === 'Polygon' ? [g.coordinates[0] as Ring] : g.coordinates.map((p) => p[0] as Ring);
}

function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x0 = 0, y0 = 0] = ring[i - 1] ?? [];
    const [x1 = 0, y1 = 0] = ring[i] ?? [];
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

/** Area in km² of the outer rings (holes are rare in drawn areas and ignored here). */
export function areaKm2(g: AreaGeometry): number {
  return outerRings(g).reduce((s, ring) => {
    const lat = (ring[0]?.[1] as number) ?? 40;
    return s + Math.abs(signedArea(ring)) * kmPerDegLat * kmPerDegLng(lat);
  }, 0);
}

function inside(x: number, y: number, ring: Ring): boolean {
  let r = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) r = !r;
  }
  return r;
}

/** Squared distance to the ring's nearest edge, with longitude scaled to be comparable. */
function edgeDistance2(x: number, y: number, ring: Ring, kx: number): number {
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const [ax = 0, ay = 0] = ring[i - 1] ?? [];
    const [bx = 0, by = 0] = ring[i] ?? [];
    const dx = (bx - ax) * kx;
    const dy = by - ay;
    const px = (x - ax) * kx;
    const py = y - ay;
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, (px - t * dx) ** 2 + (py - t * dy) ** 2);
  }
  return best;
}

/**
 * A point well inside the area for its name: the point farthest from the border found on a
 * coarse grid refined twice (an approximate pole of inaccessibility). A centroid can fall
 * outside a bent area, or hug a border; this point does neither.
 */
export function labelPoint(g: AreaGeometry): [number, number] {
  const ring = outerRings(g).sort((a, b) => Math.abs(signedArea(b)) - Math.abs(signedArea(a)))[0] ?? [];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  let [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const kx = kmPerDegLng((s + n) / 2) / kmPerDegLat;
  let best: [number, number] = [(w + e) / 2, (s + n) / 2];
  let bestD = -1;
  const steps = 8;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i <= steps; i++)
      for (let j = 0; j <= steps; j++) {
        const x = w + ((e - w) * i) / steps;
        const y = s + ((n - s) * j) / steps;
        if (!inside(x, y, ring)) continue;
        const d = edgeDistance2(x, y, ring, kx);
        if (d > bestD) {
          bestD = d;
          best = [x, y];
        }
      }
    const hw = (e - w) / steps;
    const hh = (n - s) / steps;
    [w, e, s, n] = [best[0] - hw, best[0] + hw, best[1] - hh, best[1] + hh];
  }
  return best;
}

/**
 * The zoom from which a name fits inside its area: where the area is about `px` pixels
 * across. MapLibre's zoom z shows the world 512·2ᶻ pixels wide, so one pixel is
 * 78 271.5·cos(lat)/2ᶻ metres.
 */
export function labelMinZoom(g: AreaGeometry, px = 64): number {
  const side = Math.sqrt(Math.max(areaKm2(g), 1e-6)) * 1000;
  const lat = (outerRings(g)[0]?.[0]?.[1] as number) ?? 40;
  const metresPerPixelAtZ0 = 78_271.5 * Math.cos((lat * Math.PI) / 180);
  return Math.log2((metresPerPixelAtZ0 * px) / side);
}

/** A grid's short name on the map: 保利新华社区第1网格 → 第1网格 (its community is labelled too). */
export function shortGridName(name: string): string {
  return name.replace(/^.+(?=第\d+网格$)/, '');
}
