import type { AreaGeometry } from '@civicgrid/core/api/org';
import { bboxOf, pointInGeometry } from '@civicgrid/core/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { countyDivisions } from '../divisions.js';
import { seeded } from '../geometry.js';
import { type DemoAreas, demoAreas, kundulunOutline } from './demoAreas.js';

const { streets, communities } = countyDivisions('150203');
let areas: DemoAreas;
beforeAll(() => {
  areas = demoAreas(streets, communities);
});

type Ring = number[][];
const ringsOf = (g: AreaGeometry): Ring[] =>
  g.type === 'Polygon' ? (g.coordinates as Ring[]) : (g.coordinates.flat() as Ring[]);

/** Area in km² on the local plane (shoelace; holes count negative by orientation). */
function km2(g: AreaGeometry): number {
  const kx = 111.32 * Math.cos((40.69 * Math.PI) / 180);
  let sum = 0;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys)
    for (const [i, ring] of poly.entries()) {
      let a = 0;
      for (let k = 1; k < ring.length; k++) {
        const [x0, y0] = ring[k - 1] as number[];
        const [x1, y1] = ring[k] as number[];
        a += (x0 as number) * (y1 as number) - (x1 as number) * (y0 as number);
      }
      sum += (i === 0 ? 1 : -1) * Math.abs(a / 2);
    }
  return sum * kx * 110.574;
}

/** Distance in degrees from a point to the nearest edge of an area. */
function distanceToEdge(x: number, y: number, g: AreaGeometry): number {
  let best = Infinity;
  for (const ring of ringsOf(g))
    for (let k = 1; k < ring.length; k++) {
      const [ax, ay] = ring[k - 1] as [number, number];
      const [bx, by] = ring[k] as [number, number];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
    }
  return best;
}

/** Whether a child lies within its parent: every corner inside, or on the border (±0.2 m). */
function within(child: AreaGeometry, parent: AreaGeometry): boolean {
  return ringsOf(child).every((ring) =>
    ring.every(
      ([x, y]) =>
        pointInGeometry(x as number, y as number, parent) ||
        distanceToEdge(x as number, y as number, parent) < 2e-6,
    ),
  );
}

describe('the outline of 昆都仑区', () => {
  it('is one closed counter-clockwise ring of about the district’s 301 km², near Baotou', () => {
    const ring = kundulunOutline();
    expect(ring.length).toBeGreaterThan(300);
    expect(ring[0]).toEqual(ring.at(-1));
    const g: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
    const area = km2(g);
    expect(area).toBeGreaterThan(290);
    expect(area).toBeLessThan(330);
    const box = bboxOf(g);
    expect(box.minX).toBeGreaterThan(109.5);
    expect(box.maxX).toBeLessThan(110);
    expect(box.minY).toBeGreaterThan(40.5);
    expect(box.maxY).toBeLessThan(40.9);
  });
});

describe('the demo areas', () => {
  const allGrids = () =>
    communities.flatMap((c) =>
      (areas.grids.get(c.code) ?? []).map((g, i) => ({ ...g, community: c.code, street: c.parentCode, i })),
    );

  it('give every street, community and grid one polygon', () => {
    expect(areas.district).toEqual({ type: 'Polygon', coordinates: [kundulunOutline()] });
    expect(areas.streets.size).toBe(16);
    expect(areas.communities.size).toBe(112);
    for (const g of [...areas.streets.values(), ...areas.communities.values()])
      expect(g.type).toBe('Polygon');
    for (const c of communities) {
      const grids = areas.grids.get(c.code) ?? [];
      expect(grids.length, c.name).toBeGreaterThanOrEqual(3);
      expect(grids.length, c.name).toBeLessThanOrEqual(6);
      for (const g of grids) {
        expect(g.geometry.type).toBe('Polygon');
        expect(g.householdsTarget).toBeGreaterThanOrEqual(200);
        expect(g.householdsTarget).toBeLessThanOrEqual(400);
      }
    }
  });

  it('nest: each grid lies in its community, each community in its street, each street in the district', () => {
    for (const s of streets)
      expect(within(areas.streets.get(s.code) as AreaGeometry, areas.district), s.name).toBe(true);
    for (const c of communities) {
      const community = areas.communities.get(c.code) as AreaGeometry;
      expect(within(community, areas.streets.get(c.parentCode) as AreaGeometry), c.name).toBe(true);
      for (const g of areas.grids.get(c.code) ?? []) expect(within(g.geometry, community), c.name).toBe(true);
    }
  });

  it('add up: the children of each area cover its surface (to rounding: 0.1 %)', () => {
    const close = (children: AreaGeometry[], parent: AreaGeometry, what: string) => {
      const sum = children.reduce((s, g) => s + km2(g), 0);
      expect(Math.abs(sum - km2(parent)) / km2(parent), what).toBeLessThan(1e-3);
    };
    close([...areas.streets.values()], areas.district, '昆都仑区');
    for (const s of streets)
      close(
        communities
          .filter((c) => c.parentCode === s.code)
          .map((c) => areas.communities.get(c.code) as AreaGeometry),
        areas.streets.get(s.code) as AreaGeometry,
        s.name,
      );
    for (const c of communities)
      close(
        (areas.grids.get(c.code) ?? []).map((g) => g.geometry),
        areas.communities.get(c.code) as AreaGeometry,
        c.name,
      );
  });

  it('put every point of the district in exactly one grid, of the right community and street', () => {
    const grids = allGrids().map((g) => ({ ...g, box: bboxOf(g.geometry) }));
    const district = areas.district;
    const box = bboxOf(district);
    const rand = seeded('sample points');
    let checked = 0;
    while (checked < 3000) {
      const x = box.minX + (box.maxX - box.minX) * rand();
      const y = box.minY + (box.maxY - box.minY) * rand();
      if (!pointInGeometry(x, y, district)) continue;
      checked++;
      const hits = grids.filter(
        (g) =>
          x >= g.box.minX &&
          x <= g.box.maxX &&
          y >= g.box.minY &&
          y <= g.box.maxY &&
          pointInGeometry(x, y, g.geometry),
      );
      // A point a hair from a border (rounding to 1e-6°) may fall either way; nothing else may.
      if (hits.length !== 1 && grids.some((g) => distanceToEdge(x, y, g.geometry) < 2e-6)) continue;
      expect(hits, `${x},${y}`).toHaveLength(1);
      const [hit] = hits as [(typeof grids)[number]];
      expect(pointInGeometry(x, y, areas.communities.get(hit.community) as AreaGeometry)).toBe(true);
      expect(pointInGeometry(x, y, areas.streets.get(hit.street) as AreaGeometry)).toBe(true);
    }
  });

  it('are the same on every start', () => {
    const again = demoAreas(streets, communities);
    expect(again.streets).toEqual(areas.streets);
    expect(again.grids.get('150203012027')).toEqual(areas.grids.get('150203012027'));
  });

  it('keep the city dense and the hills open: urban streets are small, the two towns large', () => {
    const byName = new Map(streets.map((s) => [s.name, km2(areas.streets.get(s.code) as AreaGeometry)]));
    for (const town of ['卜尔汉图镇', '昆河镇']) expect(byName.get(town)).toBeGreaterThan(50);
    for (const street of ['少先路街道', '阿尔丁大街街道', '林荫路街道'])
      expect(byName.get(street)).toBeLessThan(8);
  });
});
