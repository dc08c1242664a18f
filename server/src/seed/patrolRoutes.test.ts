import type { AreaGeometry } from '@civicgrid/core/api/org';
import { distanceM, pointInGeometry } from '@civicgrid/core/geo';
import { describe, expect, it } from 'vitest';
import { walkRoute } from './patrolRoutes.js';

/** An L-shaped grid of about 800 m × 800 m near Baotou, its notch to the north-east. */
const lShape: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [109.8, 40.6],
      [109.8095, 40.6],
      [109.8095, 40.6036],
      [109.8047, 40.6036],
      [109.8047, 40.6072],
      [109.8, 40.6072],
      [109.8, 40.6],
    ],
  ],
};

/** Every 2 m along the route, as a phone would pass. */
function along(route: NonNullable<ReturnType<typeof walkRoute>>) {
  const out: { lng: number; lat: number }[] = [];
  for (let i = 1; i < route.points.length; i++) {
    const a = route.points[i - 1] as { lng: number; lat: number };
    const b = route.points[i] as { lng: number; lat: number };
    const n = Math.ceil(distanceM(a, b) / 2);
    for (let k = 0; k <= n; k++)
      out.push({ lng: a.lng + ((b.lng - a.lng) * k) / n, lat: a.lat + ((b.lat - a.lat) * k) / n });
  }
  return out;
}

describe('a demo patrol’s walk', () => {
  it.each([false, true])(
    'stays inside an irregular grid, lanes about 100 m apart (north–south: %s)',
    (northSouth) => {
      const route = walkRoute(lShape, { northSouth });
      expect(route).not.toBeNull();
      const r = route as NonNullable<typeof route>;
      for (const p of along(r)) expect(pointInGeometry(p.lng, p.lat, lShape), `${p.lng},${p.lat}`).toBe(true);
      // Lanes over ~750 m of an ~800 m grid, plus the joins: several kilometres of walk.
      expect(r.at.at(-1)).toBeGreaterThan(3000);
      // The metres it counts are the metres walked (within 1 %).
      for (let i = 1; i < r.points.length; i++) {
        const d = distanceM(r.points[i - 1] as never, r.points[i] as never);
        expect(Math.abs((r.at[i] as number) - (r.at[i - 1] as number) - d)).toBeLessThan(0.01 * d + 0.5);
      }
    },
  );

  it('walks the largest part of a grid in two pieces, and gives up on a sliver', () => {
    const two: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [109.9, 40.6],
            [109.9012, 40.6],
            [109.9012, 40.6009],
            [109.9, 40.6009],
            [109.9, 40.6],
          ],
        ],
        lShape.type === 'Polygon' ? lShape.coordinates : [],
      ],
    };
    const route = walkRoute(two) as NonNullable<ReturnType<typeof walkRoute>>;
    expect(along(route).every((p) => pointInGeometry(p.lng, p.lat, lShape))).toBe(true);
    const sliver: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [109.8, 40.6],
          [109.81, 40.6],
          [109.81, 40.6002],
          [109.8, 40.6002],
          [109.8, 40.6],
        ],
      ],
    };
    expect(walkRoute(sliver)).toBeNull();
  });
});
