import { bboxOf, type Geometry, pointInGeometry } from '@civicgrid/core/geo';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import RBush from 'rbush';
import type { Db } from '../../platform/db.js';
import { orgUnits } from './tables.js';

interface GridEntry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: number;
  path: string;
  geometry: Geometry;
}

export interface GridHit {
  gridId: number;
  path: string;
}

/**
 * Which grid a point falls in (DESIGN.md §2: an in-memory R-tree of the grid polygons,
 * so no PostGIS is needed). The index is rebuilt lazily after the org module changes a
 * grid, and at most a minute old when another server process changed it.
 */
let index: { tree: RBush<GridEntry>; builtAt: number } | null = null;
let building: Promise<RBush<GridEntry>> | null = null;
const maxAgeMs = 60_000;

export function invalidateGridIndex(): void {
  index = null;
}

async function build(db: Db): Promise<RBush<GridEntry>> {
  const rows = await db
    .select({ id: orgUnits.id, path: orgUnits.path, geometry: orgUnits.geometry })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt), isNotNull(orgUnits.geometry)));
  const tree = new RBush<GridEntry>();
  tree.load(
    rows.map((r) => {
      const geometry = r.geometry as Geometry;
      return { ...bboxOf(geometry), id: r.id, path: r.path, geometry };
    }),
  );
  return tree;
}

export async function locateGrid(db: Db, lat: number, lng: number): Promise<GridHit | null> {
  let tree = index && Date.now() - index.builtAt < maxAgeMs ? index.tree : null;
  if (!tree) {
    building ??= build(db).finally(() => {
      building = null;
    });
    tree = await building;
    index = { tree, builtAt: Date.now() };
  }
  const candidates = tree.search({ minX: lng, minY: lat, maxX: lng, maxY: lat });
  // Overlapping drawings are possible; the smallest matching grid is the most specific.
  const hit = candidates
    .filter((c) => pointInGeometry(lng, lat, c.geometry))
    .sort((a, b) => (a.maxX - a.minX) * (a.maxY - a.minY) - (b.maxX - b.minX) * (b.maxY - b.minY))[0];
  return hit ? { gridId: hit.id, path: hit.path } : null;
}
