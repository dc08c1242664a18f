import { goodRatingUpTo } from '@civicgrid/core/api/services';
import { applicationDoneStates } from '@civicgrid/core/services/stateMachine';
import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { applicationRatings, applications, serviceItems } from './tables.js';

const dayMs = 86_400_000;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const doneList = sql.raw(applicationDoneStates.map((s) => `'${s}'`).join(','));
const done = sql`${applications.status} in (${doneList})`;
/** The street of the unit that took it in: the second id of its path (/district/street/…/). */
const streetId = sql<string>`split_part(${applications.orgPath}, '/', 3)`;

export interface PublicServiceFigures {
  byStreet: Map<
    number,
    {
      applications: number;
      completed: number;
      onTimeRate: number | null;
      goodRatingRate: number | null;
      proxyShare: number | null;
    }
  >;
  items: { name: string; applications: number; completed: number }[];
}

/**
 * The service centre's figures for public disclosure, with no actor (the disclosure module
 * decides what is published): per street of the accepting unit and per item, the month's
 * counts and rates. Nothing of an applicant or a clerk is read.
 */
export async function publicServiceFigures(
  db: Db,
  range: { from: string; to: string },
): Promise<PublicServiceFigures> {
  const period: SQL = and(
    gte(applications.createdAt, new Date(`${range.from}T00:00:00+08:00`)),
    lt(applications.createdAt, new Date(Date.parse(`${range.to}T00:00:00+08:00`) + dayMs)),
  ) as SQL;
  const streets = await db
    .select({
      street: streetId,
      total: sql<number>`count(*)::int`,
      completed: sql<number>`(count(*) filter (where ${done}))::int`,
      onTime: sql<number>`(count(*) filter (where ${done} and ${applications.completedAt} <= ${applications.dueAt}))::int`,
      proxy: sql<number>`(count(*) filter (where ${applications.channel} = 'proxy'))::int`,
    })
    .from(applications)
    .where(period)
    .groupBy(streetId);
  const ratings = await db
    .select({
      street: streetId,
      rated: sql<number>`count(*)::int`,
      good: sql<number>`(count(*) filter (where ${applicationRatings.level} <= ${goodRatingUpTo}))::int`,
    })
    .from(applicationRatings)
    .innerJoin(applications, eq(applications.id, applicationRatings.applicationId))
    .where(period)
    .groupBy(streetId);
  const rated = new Map(ratings.map((r) => [r.street, r]));
  const items = await db
    .select({
      name: sql<string>`max(${serviceItems.name})`,
      applications: sql<number>`count(*)::int`,
      completed: sql<number>`(count(*) filter (where ${done}))::int`,
    })
    .from(applications)
    .innerJoin(
      serviceItems,
      and(eq(serviceItems.code, applications.serviceCode), eq(serviceItems.current, true)),
    )
    .where(period)
    .groupBy(applications.serviceCode)
    .orderBy(sql`count(*) desc`, applications.serviceCode)
    .limit(10);
  return {
    byStreet: new Map(
      streets.map((s) => [
        Number(s.street),
        {
          applications: s.total,
          completed: s.completed,
          onTimeRate: rate(s.onTime, s.completed),
          goodRatingRate: rate(rated.get(s.street)?.good ?? 0, rated.get(s.street)?.rated ?? 0),
          proxyShare: rate(s.proxy, s.total),
        },
      ]),
    ),
    items,
  };
}
