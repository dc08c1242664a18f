import type {
  ParticipationResults,
  ParticipationResultsQuery,
} from '@civicgrid/core/api/participationResults';
import { publicWishTitle } from '@civicgrid/core/participation/wishes';
import { eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { orgUnits } from '../org/tables.js';

/** This month in Beijing time, as YYYY-MM. */
function thisMonth(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

const one = (n: unknown) => Math.round(Number(n ?? 0) * 10) / 10;

/**
 * The month's 共建共治 results for the public page: counts over wishes, volunteer attendance and
 * deliberations in the unit (or everywhere), and the texts the committees published. Nothing here
 * names a person: the tables' names and phones are never selected.
 */
export async function participationResults(
  db: Db,
  q: ParticipationResultsQuery,
): Promise<ParticipationResults> {
  const month = q.month ?? thisMonth();
  let prefix = '/';
  if (q.orgUnitId !== undefined) {
    const [unit] = await db
      .select({ path: orgUnits.path })
      .from(orgUnits)
      .where(eq(orgUnits.id, q.orgUnitId));
    if (!unit) throw new AppError('NOT_FOUND');
    prefix = unit.path;
  }
  const like = `${prefix}%`;
  const from = sql`((${`${month}-01`})::timestamp at time zone 'Asia/Shanghai')`;
  const to = sql`(((${`${month}-01`})::timestamp + interval '1 month') at time zone 'Asia/Shanghai')`;
  const [wishRow, volRow, delRow, outcomes, communities] = await Promise.all([
    queryRows<{ posted: number; fulfilled: number; rating: number | null }>(
      db,
      sql`select
          count(*) filter (where created_at >= ${from} and created_at < ${to})::int as posted,
          count(*) filter (where fulfilled_at >= ${from} and fulfilled_at < ${to})::int as fulfilled,
          avg(rating) filter (where rated_at >= ${from} and rated_at < ${to}) as rating
        from wishes where org_path like ${like}
          and (created_at >= ${from} or fulfilled_at >= ${from} or rated_at >= ${from})`,
    ),
    queryRows<{ minutes: number; people: number; activities: number }>(
      db,
      sql`select
          (select coalesce(sum(a.minutes), 0)::int from volunteer_attendances a
            join volunteer_activities v on v.id = a.activity_id
            where v.org_path like ${like} and a.checked_out_at >= ${from} and a.checked_out_at < ${to}) as minutes,
          (select count(distinct a.volunteer_id)::int from volunteer_attendances a
            join volunteer_activities v on v.id = a.activity_id
            where v.org_path like ${like} and a.checked_out_at >= ${from} and a.checked_out_at < ${to}) as people,
          (select count(*)::int from volunteer_activities v
            where v.org_path like ${like} and v.status <> 'cancelled'
              and v.starts_at >= ${from} and v.starts_at < ${to}) as activities`,
    ),
    queryRows<{ published: number; adopted: number }>(
      db,
      sql`select count(*)::int as published,
          count(*) filter (where review_passed is true)::int as adopted
        from deliberations where org_path like ${like} and status = 'published'
          and published_at >= ${from} and published_at < ${to}`,
    ),
    queryRows<{
      id: string;
      title: string;
      unit_name: string;
      adopted: boolean;
      decision: string | null;
      published_at: Date | string;
    }>(
      db,
      sql`select d.id, d.title, u.name as unit_name, (d.review_passed is true) as adopted, d.decision,
          d.published_at
        from deliberations d join org_units u on u.id = d.org_unit_id
        where d.org_path like ${like} and d.status = 'published'
          and d.published_at >= ${from} and d.published_at < ${to}
        order by d.published_at desc, d.id desc limit 20`,
    ),
    queryRows<{ name: string; fulfilled: number; minutes: number }>(
      db,
      sql`with c as (
          select id, name, path from org_units where level = 'community' and path like ${like}
        ), w as (
          select c.id, count(*)::int as n from wishes x join c on x.org_path like c.path || '%'
          where x.fulfilled_at >= ${from} and x.fulfilled_at < ${to} group by c.id
        ), h as (
          select c.id, sum(a.minutes)::int as m from volunteer_attendances a
            join volunteer_activities v on v.id = a.activity_id
            join c on v.org_path like c.path || '%'
          where a.checked_out_at >= ${from} and a.checked_out_at < ${to} group by c.id
        )
        select c.name, coalesce(w.n, 0) as fulfilled, coalesce(h.m, 0) as minutes
        from c left join w on w.id = c.id left join h on h.id = c.id
        where w.n is not null or h.m is not null
        order by coalesce(w.n, 0) desc, coalesce(h.m, 0) desc, c.name limit 50`,
    ),
  ]);
  const w = wishRow[0];
  const v = volRow[0];
  const d = delRow[0];
  return {
    month,
    wishes: {
      posted: w?.posted ?? 0,
      fulfilled: w?.fulfilled ?? 0,
      averageRating: w?.rating === null || w?.rating === undefined ? null : one(w.rating),
    },
    volunteers: {
      hours: one((v?.minutes ?? 0) / 60),
      people: v?.people ?? 0,
      activities: v?.activities ?? 0,
    },
    deliberations: { published: d?.published ?? 0, adopted: d?.adopted ?? 0 },
    outcomes: outcomes.map((o) => ({
      id: o.id,
      title: publicWishTitle(o.title),
      orgUnitName: o.unit_name,
      outcome: o.adopted ? 'adopted' : 'rejected',
      decision: o.decision === null ? null : publicWishTitle(o.decision),
      publishedAt: new Date(o.published_at).toISOString(),
    })),
    communities: communities.map((c) => ({
      name: c.name,
      wishesFulfilled: c.fulfilled,
      volunteerHours: one(c.minutes / 60),
    })),
  };
}
