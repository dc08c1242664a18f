import type { serviceMetrics, serviceMetricsQuery } from '@civicgrid/core/api/services';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { areaCondition, resolveArea } from '../../platform/scope.js';
import { applicationsScope } from './policy.js';
import { applications, serviceItems } from './tables.js';

const dayMs = 86_400_000;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/**
 * The service centre's figures for an area and period (by the day taken in, China time):
 * applications, those done (issued or collected), the share done by their due time, per item.
 * 好评率 waits for ratings (the 好差评 step): null until there are any.
 */
export async function serviceMetricsOf(
  db: Db,
  actor: Actor,
  q: z.infer<typeof serviceMetricsQuery>,
): Promise<z.infer<typeof serviceMetrics>> {
  const area = await resolveArea(db, actor, q.orgUnitId);
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
    .where(
      and(
        applicationsScope.where(actor),
        areaCondition(area, applications.orgPath),
        q.from ? gte(applications.createdAt, new Date(`${q.from}T00:00:00+08:00`)) : undefined,
        q.to ? lt(applications.createdAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + dayMs)) : undefined,
      ),
    )
    .groupBy(applications.serviceCode)
    .orderBy(sql`count(*) desc`, applications.serviceCode);
  const sum = (k: 'total' | 'completed' | 'onTime') => rows.reduce((s, r) => s + r[k], 0);
  return {
    total: sum('total'),
    completed: sum('completed'),
    onTimeRate: rate(sum('onTime'), sum('completed')),
    goodRatingRate: null,
    byService: rows.map((r) => ({
      code: r.code,
      name: r.name,
      total: r.total,
      completed: r.completed,
      onTimeRate: rate(r.onTime, r.completed),
    })),
  };
}
