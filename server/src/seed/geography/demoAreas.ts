import { readFileSync } from 'node:fs';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import type { Pair } from 'polygon-clipping';
import type { Division } from '../divisions.js';
import { seeded } from '../geometry.js';
import { type Area, Plane, partition, type Seed, spreadSeeds } from './partition.js';

/**
 * The demo's geography: 昆都仑区's real outline, split into areas for its real streets, each
 * street into its communities, each community into grids. Only the outline is surveyed (see
 * kundulun.geojson); the inner borders are generated, deterministic from the division codes,
 * so every fresh start draws the same map.
 */
export interface DemoAreas {
  district: AreaGeometry;
  streets: Map<string, AreaGeometry>;
  communities: Map<string, AreaGeometry>;
  /** Grids of each community, in code order (…001, …002, …). */
  grids: Map<string, { geometry: AreaGeometry; householdsTarget: number }[]>;
}

/**
 * Where each street's area is centred (longitude, latitude) and how far it reaches (the
 * weight of its power cell, km²). Placed by hand after the district's layout: the city's
 * thirteen 街道 packed in the south-east between the 昆都仑河 and 青山区, the steel works
 * (包钢) west of the river, 昆河镇 over the western plain and 卜尔汉图镇 over the northern
 * hills — few and large areas where few people live. Approximate, not surveyed borders.
 */
const streetCentres: Record<string, [number, number, number]> = {
  昆北街道: [109.836, 40.694, 3],
  前进道街道: [109.802, 40.677, 0],
  团结大街街道: [109.824, 40.676, 0],
  市府东路街道: [109.849, 40.674, 0],
  鞍山道街道: [109.796, 40.661, 0],
  阿尔丁大街街道: [109.818, 40.66, 0],
  少先路街道: [109.843, 40.658, 0],
  沼潭街道: [109.789, 40.645, 0],
  白云路街道: [109.81, 40.644, 0],
  林荫路街道: [109.83, 40.643, 0],
  昆工路街道: [109.797, 40.627, 0],
  友谊大街街道: [109.82, 40.626, 0],
  黄河西路街道: [109.815, 40.604, 1],
  包钢厂区办事处: [109.742, 40.652, 2],
  昆河镇: [109.664, 40.67, 10],
  卜尔汉图镇: [109.77, 40.757, 30],
};

const outlineFile = new URL('./kundulun.geojson', import.meta.url);

/** The district outline (longitude, latitude), as committed by scripts/decode-outline.mjs. */
export function kundulunOutline(): Pair[] {
  const fc = JSON.parse(readFileSync(outlineFile, 'utf8')) as {
    features: { geometry: { type: 'Polygon'; coordinates: Pair[][] } }[];
  };
  const ring = fc.features[0]?.geometry.coordinates[0];
  if (!ring) throw new Error('kundulun.geojson has no outline');
  return ring;
}

/** How many grids a community has, and their household targets: 3–6 grids of 200–400. */
function gridPlan(communityCode: string): number[] {
  const rand = seeded(communityCode);
  const count = 3 + Math.floor(rand() * 4);
  return Array.from({ length: count }, () => 200 + Math.floor(rand() * 201));
}

export function demoAreas(streets: Division[], communities: Division[]): DemoAreas {
  const outline = kundulunOutline();
  const plane = new Plane(109.78, 40.68);
  const district: Area = [[outline.map((p) => plane.toKm(p))]];

  const streetSeeds: Seed[] = streets.map((s) => {
    const at = streetCentres[s.name];
    if (!at) throw new Error(`no centre for street ${s.name}`);
    const [x, y] = plane.toKm(at);
    return { x, y, weight: at[2] };
  });
  const streetAreas = partition(district, streetSeeds);

  const out: DemoAreas = {
    district: { type: 'Polygon', coordinates: [outline] },
    streets: new Map(),
    communities: new Map(),
    grids: new Map(),
  };
  for (const [i, s] of streets.entries()) {
    const streetArea = streetAreas[i] as Area;
    if (!streetArea.length) throw new Error(`street ${s.name} has no area`);
    out.streets.set(s.code, plane.geometry(streetArea));
    const mine = communities.filter((c) => c.parentCode === s.code);
    const communityAreas = partition(streetArea, spreadSeeds(streetArea, mine.length, seeded(s.code)));
    for (const [j, c] of mine.entries()) {
      const communityArea = communityAreas[j] as Area;
      if (!communityArea.length) throw new Error(`community ${c.name} has no area`);
      out.communities.set(c.code, plane.geometry(communityArea));
      const plan = gridPlan(c.code);
      const gridAreas = partition(
        communityArea,
        spreadSeeds(communityArea, plan.length, seeded(`${c.code}/grids`)),
      );
      out.grids.set(
        c.code,
        gridAreas.map((g, k) => {
          if (!g.length) throw new Error(`grid ${k + 1} of ${c.name} has no area`);
          return { geometry: plane.geometry(g), householdsTarget: plan[k] as number };
        }),
      );
    }
  }
  return out;
}
