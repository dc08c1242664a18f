import { goodRatingUpTo, type serviceMetrics, type serviceMetricsQuery } from '@civicgrid/core/api/services';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { areaCondition, resolveArea } from '../../platform/scope.js';
import { applicationsScope } from './policy.js';
import { applicationRatings, applications, serviceItems } from './tables.js';

const dayMs = 86_400_000;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/**
 * The service centre's figures for an area and period (by the day taken in, China time):
 * applications, those done (issued or collected), the share done by their due time, per item.
 * 好评率 is the share of 非常满意 and 满意 among the rated: null until there are any.
 */
export async function serviceMetricsOf(
  db: Db,
  actor: Actor,
  q: z.infer<typeof serviceMetricsQuery>,
): Promise<z.infer<typeof serviceMetrics>> {
  const area = await resolveArea(db, actor, q.orgUnitId);
  const period = [
    q.from ? gte(applications.createdAt, new Date(`${q.from}T00:00:00+08:00`)) : undefined,
    q.to ? lt(applications.createdAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + dayMs)) : undefined,
  ];
  const done = sql`${applications.status} in ('issued', 'collected')`;
  const rows = await db
    .select({
      code: applications.serviceCode,
      name: sql<string>`max(${serviceItems.name})`,
      total: sql<number>`count(*)::int`,
      completed: sql<number>`(count(*) filter (where ${done}))::int`,
      onTime: sql<number>`(count(*) filter (where ${done} and ${applications.completedAt} <= ${applications.dueAt}))::int`,
    })
    .from(applications)
    .innerJoin(
      serviceItems,
      and(eq(serviceItems.code, applications.serviceCode), eq(serviceItems.current, true)),
    )
    .where(and(applicationsScope.where(actor), areaCondition(area, applications.orgPath), ...period))
    .groupBy(applications.serviceCode)
    .orderBy(sql`count(*) desc`, applications.serviceCode);
  // 好评率: 非常满意 and 满意 among the rated applications of the same area and period.
  const [ratings] = await db
    .select({
      rated: sql<number>`count(*)::int`,
      good: sql<number>`(count(*) filter (where ${applicationRatings.level} <= ${goodRatingUpTo}))::int`,
    })
    .from(applicationRatings)
    .innerJoin(applications, eq(applications.id, applicationRatings.applicationId))
    .where(and(applicationsScope.where(actor), areaCondition(area, applications.orgPath), ...period));
  const sum = (k: 'total' | 'completed' | 'onTime') => rows.reduce((s, r) => s + r[k], 0);
  return {
    total: sum('total'),
    completed: sum('completed'),
    onTimeRate: rate(sum('onTime'), sum('completed')),
    goodRatingRate: rate(ratings?.good ?? 0, ratings?.rated ?? 0),
    byService: rows.map((r) => ({
      code: r.code,
      name: r.name,
      total: r.total,
      completed: r.completed,
      onTimeRate: rate(r.onTime, r.completed),
    })),
  };
}
