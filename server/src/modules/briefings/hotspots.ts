import type { BuildingHotspot, Hotspot } from '@civicgrid/core/api/briefings';
import { finalStates } from '@civicgrid/core/cases/stateMachine';
import { and, desc, gte, inArray, isNotNull, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { type Area, areaCondition } from '../../platform/scope.js';
import { casesScope } from '../cases/policy.js';
import { caseCategories, cases } from '../cases/tables.js';
import { orgUnits } from '../org/tables.js';
import { buildings } from '../places/tables.js';

/** Three times is a pattern, not chance (issue 16: 热点 is the same category in one grid ≥3 times). */
export const hotspotThreshold = 3;

/**
 * 热点: the same category reported in the same grid `hotspotThreshold` or more times in the
 * last `days` days, in the area and among the cases the actor may see (the cases module's
 * scope), most frequent first, with the cases. Cases merged into another count once (the
 * duplicate is not a new occurrence). Cases carry no building, so the grid is the place.
 */
export async function hotspots(db: Db, actor: Actor, area: Area, days: number): Promise<Hotspot[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  const where: SQL | undefined = and(
    casesScope.where(actor),
    areaCondition(area, cases.orgPath),
    gte(cases.reportedAt, since),
    isNotNull(cases.gridId),
    notInArray(
      cases.status,
      finalStates.filter((s) => s === 'merged'),
    ),
  );
  const rows = await db
    .select({
      categoryCode: cases.categoryCode,
      gridId: sql<number>`${cases.gridId}`,
      count: sql<number>`count(*)::int`,
      caseIds: sql<string[]>`array_agg(${cases.id} order by ${cases.reportedAt})`,
    })
    .from(cases)
    .where(where)
    .groupBy(cases.categoryCode, cases.gridId)
    .having(sql`count(*) >= ${hotspotThreshold}`)
    .orderBy(desc(sql`count(*)`), cases.categoryCode)
    .limit(200);
  if (!rows.length) return [];
  const [cats, grids] = await Promise.all([
    db
      .select({ code: caseCategories.code, name: caseCategories.name })
      .from(caseCategories)
      .where(inArray(caseCategories.code, [...new Set(rows.map((r) => r.categoryCode))])),
    db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(inArray(orgUnits.id, [...new Set(rows.map((r) => r.gridId))])),
  ]);
  const catName = new Map(cats.map((c) => [c.code, c.name]));
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  return rows.map((r) => ({
    categoryCode: r.categoryCode,
    categoryName: catName.get(r.categoryCode) ?? null,
    gridId: Number(r.gridId),
    gridName: gridName.get(Number(r.gridId)) ?? null,
    count: Number(r.count),
    caseIds: r.caseIds,
  }));
}

/** A case within this many metres of a building's point happened at that building. */
export const buildingRadiusMetres = 50;

/**
 * 热点 by building (楼栋): where a problem keeps coming back to one place, the grid is too
 * coarse for the meeting to act on. A case with a point belongs to the nearest building of
 * its grid within `buildingRadiusMetres`; a case with an address only, to that address
 * (spaces ignored). The same category at the same place `hotspotThreshold` or more times in
 * `days` days is a hot spot; scope, window and merged cases as for the grid's (an address-only
 * case reported by a community has no grid and still counts here).
 */
export async function buildingHotspots(
  db: Db,
  actor: Actor,
  area: Area,
  days: number,
): Promise<BuildingHotspot[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  // Degrees of latitude per metre; a longitude degree shrinks by cos(lat).
  const r = buildingRadiusMetres / 111_320;
  const dist = sql`((${buildings.lat} - ${cases.lat}) ^ 2 + ((${buildings.lng} - ${cases.lng}) * cos(radians(${cases.lat}))) ^ 2)`;
  const building = sql<number | null>`(select ${buildings.id} from ${buildings}
    where ${buildings.gridId} = ${cases.gridId} and ${dist} <= ${r * r}
    order by ${dist} limit 1)`;
  const rows = await db
    .select({
      id: cases.id,
      categoryCode: cases.categoryCode,
      gridId: cases.gridId,
      address: cases.address,
      buildingId: building,
    })
    .from(cases)
    .where(
      and(
        casesScope.where(actor),
        areaCondition(area, cases.orgPath),
        gte(cases.reportedAt, since),
        notInArray(
          cases.status,
          finalStates.filter((s) => s === 'merged'),
        ),
      ),
    )
    .orderBy(cases.reportedAt)
    .limit(20_000);
  const groups = new Map<
    string,
    {
      categoryCode: string;
      gridId: number;
      buildingId: number | null;
      address: string | null;
      caseIds: string[];
    }
  >();
  for (const c of rows) {
    const address = c.address?.replace(/\s+/g, '') || null;
    const buildingId = c.buildingId === null ? null : Number(c.buildingId);
    if (buildingId === null && !address) continue;
    const key = `${c.categoryCode}|${buildingId !== null ? `b${buildingId}` : `a${address}`}`;
    const g = groups.get(key) ?? {
      categoryCode: c.categoryCode,
      gridId: Number(c.gridId),
      buildingId,
      address,
      caseIds: [],
    };
    g.caseIds.push(c.id);
    groups.set(key, g);
  }
  const hot = [...groups.values()]
    .filter((g) => g.caseIds.length >= hotspotThreshold)
    .sort((a, b) => b.caseIds.length - a.caseIds.length || a.categoryCode.localeCompare(b.categoryCode))
    .slice(0, 200);
  if (!hot.length) return [];
  const buildingIds = [...new Set(hot.flatMap((h) => (h.buildingId === null ? [] : [h.buildingId])))];
  const [cats, grids, named] = await Promise.all([
    db
      .select({ code: caseCategories.code, name: caseCategories.name })
      .from(caseCategories)
      .where(inArray(caseCategories.code, [...new Set(hot.map((h) => h.categoryCode))])),
    db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(inArray(orgUnits.id, [...new Set(hot.flatMap((h) => (h.gridId === null ? [] : [h.gridId])))])),
    buildingIds.length
      ? db
          .select({ id: buildings.id, name: buildings.name, address: buildings.address })
          .from(buildings)
          .where(inArray(buildings.id, buildingIds))
      : Promise.resolve([]),
  ]);
  const catName = new Map(cats.map((c) => [c.code, c.name]));
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const buildingOf = new Map(named.map((b) => [b.id, b]));
  return hot.map((h) => {
    const b = h.buildingId === null ? undefined : buildingOf.get(h.buildingId);
    return {
      categoryCode: h.categoryCode,
      categoryName: catName.get(h.categoryCode) ?? null,
      gridId: h.gridId,
      gridName: h.gridId === null ? null : (gridName.get(h.gridId) ?? null),
      buildingId: h.buildingId,
      place: b ? `${b.address}${b.address.endsWith(b.name) ? '' : ` ${b.name}`}` : (h.address ?? ''),
      count: h.caseIds.length,
      caseIds: h.caseIds,
    };
  });
}

/** Open cases in the area that are overdue or under supervision (督办), for the agenda. */
export async function casesNeedingAttention(db: Db, actor: Actor, area: Area) {
  return db
    .select({
      id: cases.id,
      code: cases.code,
      description: cases.description,
      overdue: cases.overdue,
      supervised: cases.supervised,
    })
    .from(cases)
    .where(
      and(
        casesScope.where(actor),
        areaCondition(area, cases.orgPath),
        notInArray(cases.status, [...finalStates]),
        sql`(${cases.overdue} or ${cases.supervised})`,
      ),
    )
    .orderBy(desc(cases.supervised), cases.dueAt)
    .limit(50);
}
