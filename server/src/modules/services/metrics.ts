import { goodRatingUpTo, type ServiceMetrics, type serviceMetricsQuery } from '@civicgrid/core/api/services';
import { elapsed, minutesPerWorkday } from '@civicgrid/core/calendar/workCalendar';
import { applicationDoneStates } from '@civicgrid/core/services/stateMachine';
import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { workCalendar } from '../cases/calendar.js';
import { orgUnits } from '../org/tables.js';
import { applicationsScope } from './policy.js';
import { overdueSql, warningSql } from './service.js';
import { applicationRatings, applications, serviceItems } from './tables.js';

const dayMs = 86_400_000;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

const doneList = sql.raw(applicationDoneStates.map((s) => `'${s}'`).join(','));
/** 办结: the result is out (issued, then perhaps collected). */
const done = sql`${applications.status} in (${doneList})`;
const onTime = sql`${done} and ${applications.completedAt} <= ${applications.dueAt}`;

const counts = {
  total: sql<number>`count(*)::int`,
  completed: sql<number>`(count(*) filter (where ${done}))::int`,
  onTime: sql<number>`(count(*) filter (where ${onTime}))::int`,
};

/**
 * The area of the figures: the one asked for, else the actor's own; a department's handler has
 * no area of his own, and his figures are those of the applications sent to his department
 * (the applications scope), wherever they were taken in.
 */
async function areaOf(db: Db, actor: Actor, orgUnitId: number | undefined): Promise<Area> {
  if (orgUnitId === undefined && actor.orgUnitId === null && actor.departmentId !== null)
    return { id: null, name: null, level: null, path: '/' };
  return resolveArea(db, actor, orgUnitId);
}

/** The applications an actor may read in an area and period (by the China day taken in). */
function within(actor: Actor, area: Area, q: z.infer<typeof serviceMetricsQuery>): SQL {
  return and(
    applicationsScope.where(actor),
    areaCondition(area, applications.orgPath),
    q.from ? gte(applications.createdAt, new Date(`${q.from}T00:00:00+08:00`)) : undefined,
    q.to ? lt(applications.createdAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + dayMs)) : undefined,
  ) as SQL;
}

/**
 * The service centre's figures for an area and period (by the day taken in, China time):
 * applications, those done (issued or collected), the share done by their due time, per item,
 * unit, channel, state and clerk; those now overdue or in their last 20 %; the mean working
 * days to the result (the clock's stops while waiting for material left out); the proxy share.
 * 好评率 is the share of 非常满意 and 满意 among the rated: null until there are any.
 */
export async function serviceMetricsOf(
  db: Db,
  actor: Actor,
  q: z.infer<typeof serviceMetricsQuery>,
): Promise<ServiceMetrics> {
  const area = await areaOf(db, actor, q.orgUnitId);
  const where = within(actor, area, q);
  const byService = await db
    .select({ code: applications.serviceCode, name: sql<string>`max(${serviceItems.name})`, ...counts })
    .from(applications)
    .innerJoin(
      serviceItems,
      and(eq(serviceItems.code, applications.serviceCode), eq(serviceItems.current, true)),
    )
    .where(where)
    .groupBy(applications.serviceCode)
    .orderBy(sql`count(*) desc`, applications.serviceCode);
  const byUnit = await db
    .select({ id: applications.orgUnitId, name: sql<string>`max(${orgUnits.name})`, ...counts })
    .from(applications)
    .innerJoin(orgUnits, eq(orgUnits.id, applications.orgUnitId))
    .where(where)
    .groupBy(applications.orgUnitId)
    .orderBy(sql`count(*) desc`, applications.orgUnitId);
  const byChannel = await db
    .select({ channel: applications.channel, total: counts.total })
    .from(applications)
    .where(where)
    .groupBy(applications.channel)
    .orderBy(sql`count(*) desc`);
  const byStatus = await db
    .select({ status: applications.status, total: counts.total })
    .from(applications)
    .where(where)
    .groupBy(applications.status)
    .orderBy(sql`count(*) desc`);
  const day = sql<string>`to_char(${applications.createdAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
  const byClerk = await db
    .select({
      userId: applications.createdBy,
      name: sql<string>`max(${users.displayName})`,
      day,
      total: counts.total,
    })
    .from(applications)
    .innerJoin(users, eq(users.id, applications.createdBy))
    .where(where)
    .groupBy(applications.createdBy, day)
    .orderBy(day, sql`count(*) desc`);
  const [now] = await db
    .select({
      overdue: sql<number>`(count(*) filter (where ${overdueSql}))::int`,
      warning: sql<number>`(count(*) filter (where ${warningSql}))::int`,
    })
    .from(applications)
    .where(where);
  const [ratings] = await db
    .select({
      rated: sql<number>`count(*)::int`,
      good: sql<number>`(count(*) filter (where ${applicationRatings.level} <= ${goodRatingUpTo}))::int`,
    })
    .from(applicationRatings)
    .innerJoin(applications, eq(applications.id, applicationRatings.applicationId))
    .where(where);
  const sum = (k: 'total' | 'completed' | 'onTime') => byService.reduce((s, r) => s + r[k], 0);
  const total = sum('total');
  const proxy = byChannel.find((c) => c.channel === 'proxy')?.total ?? 0;
  return {
    total,
    completed: sum('completed'),
    onTimeRate: rate(sum('onTime'), sum('completed')),
    goodRatingRate: rate(ratings?.good ?? 0, ratings?.rated ?? 0),
    overdue: now?.overdue ?? 0,
    warning: now?.warning ?? 0,
    rated: ratings?.rated ?? 0,
    meanWorkingDays: await meanWorkingDays(db, where),
    proxyShare: rate(proxy, total),
    byService: byService.map((r) => ({
      code: r.code,
      name: r.name,
      total: r.total,
      completed: r.completed,
      onTimeRate: rate(r.onTime, r.completed),
    })),
    byUnit: byUnit.map((r) => ({
      id: r.id,
      name: r.name,
      total: r.total,
      completed: r.completed,
      onTimeRate: rate(r.onTime, r.completed),
    })),
    byChannel,
    byStatus: byStatus as ServiceMetrics['byStatus'],
    byClerk,
  };
}

/**
 * Working days from acceptance to the result, on the work calendar, less the working minutes
 * the clock stood still for 补正 (the applicant's delay is not the office's); one decimal.
 */
async function meanWorkingDays(db: Db, where: SQL): Promise<number | null> {
  const rows = await db
    .select({
      acceptedAt: applications.acceptedAt,
      completedAt: applications.completedAt,
      pausedMinutes: applications.pausedMinutes,
    })
    .from(applications)
    .where(
      and(
        where,
        done,
        sql`${applications.acceptedAt} is not null`,
        sql`${applications.completedAt} is not null`,
      ),
    );
  if (rows.length === 0) return null;
  const cal = await workCalendar(db);
  const perDay = minutesPerWorkday(cal);
  let minutes = 0;
  for (const r of rows) {
    const worked =
      elapsed(cal, r.acceptedAt?.getTime() ?? 0, r.completedAt?.getTime() ?? 0, 'working') / 60_000;
    minutes += Math.max(0, worked - r.pausedMinutes);
  }
  return Math.round((minutes / perDay / rows.length) * 10) / 10;
}

/** Applications of the actor's area running past their due time now, whenever taken in (the dashboard's tile). */
export async function overdueApplications(db: Db, actor: Actor, orgUnitId?: number): Promise<number> {
  const area = await areaOf(db, actor, orgUnitId);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .where(and(applicationsScope.where(actor), areaCondition(area, applications.orgPath), overdueSql));
  return row?.n ?? 0;
}
