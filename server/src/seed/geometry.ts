import type { AreaGeometry } from '@civicgrid/core/api/org';
import { bboxOf, pointInGeometry } from '@civicgrid/core/geo';

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

/**
 * A random point inside an area (a grid, a community), rounded to 1e-6°. Demo grids are
 * polygons of any shape, so a point drawn from the bounding box is kept only when inside.
 */
/**
 * A point inside `area` chosen by two draws `u`, `v` of the caller's random stream: the stream
 * advances exactly as the old bounding-box draw did, so every other generated fact of the demo
 * (households, dwellings, people) stays the same while the point lands inside the polygon.
 */
export function pointInAreaFrom(area: AreaGeometry, u: number, v: number): { lng: number; lat: number } {
  return pointInArea(area, seeded(`${u}:${v}`));
}

export function pointInArea(area: AreaGeometry, rand: () => number): { lng: number; lat: number } {
  const box = bboxOf(area);
  for (let i = 0; i < 1000; i++) {
    const lng = Math.round((box.minX + (box.maxX - box.minX) * rand()) * 1e6) / 1e6;
    const lat = Math.round((box.minY + (box.maxY - box.minY) * rand()) * 1e6) / 1e6;
    if (pointInGeometry(lng, lat, area)) return { lng, lat };
  }
  throw new Error('no point found inside the area');
}
