import type { Hotspot } from '@civicgrid/core/api/briefings';
import { finalStates } from '@civicgrid/core/cases/stateMachine';
import { and, desc, gte, inArray, isNotNull, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { type Area, areaCondition } from '../../platform/scope.js';
import { casesScope } from '../cases/policy.js';
import { caseCategories, cases } from '../cases/tables.js';
import { orgUnits } from '../org/tables.js';

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
