import { type CaseChannel, type CaseMetrics, caseChannelNames } from '@civicgrid/core/api/cases';
import { caseStates } from '@civicgrid/core/cases/stateMachine';
import { and, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { pathInScope } from '../../platform/scope.js';
import { nameBook } from './names.js';
import { caseScope } from './policy.js';
import { cases } from './tables.js';

interface Row {
  gs: number;
  gc: number;
  gch: number;
  ga: number;
  status: string | null;
  category_code: string | null;
  channel: string | null;
  area: string | null;
  n: number;
  closed: number;
  closed_on_time: number;
  resolved: number;
  verified: number;
  reworked: number;
  rated: number;
  satisfied: number;
  grid_closed: number;
  overdue: number;
  supervised: number;
  accept_h: number | null;
  dispatch_h: number | null;
  claim_h: number | null;
  resolve_h: number | null;
  close_h: number | null;
}

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const hours = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

/**
 * The indicators of GLOSSARY.md from the cases and their trail, in one pass over the
 * cases reported in the period (grouping sets: by status, category, channel, area, and
 * the totals). Area is the next level below the chosen unit.
 */
export function metricsSql(where: SQL, depth: number): SQL {
  const areaPart = depth + 2;
  return sql`
    select grouping(status)::int as gs, grouping(category_code)::int as gc, grouping(channel)::int as gch,
           grouping(area)::int as ga, status, category_code, channel, area, count(*)::int as n,
      count(*) filter (where status = 'closed')::int as closed,
      count(*) filter (where status = 'closed' and resolved_on_time)::int as closed_on_time,
      count(*) filter (where resolved_at is not null)::int as resolved,
      count(*) filter (where verified_at is not null)::int as verified,
      count(*) filter (where rework_count > 0)::int as reworked,
      count(*) filter (where rating is not null)::int as rated,
      count(*) filter (where rating in ('satisfied', 'basicallySatisfied'))::int as satisfied,
      count(*) filter (where status = 'closed' and resolved_at_level = 'grid')::int as grid_closed,
      count(*) filter (where step <> 'none' and due_at <= now())::int as overdue,
      count(*) filter (where supervised and step <> 'none')::int as supervised,
      avg(extract(epoch from accepted_at - reported_at)) / 3600 as accept_h,
      avg(extract(epoch from dispatched_at - accepted_at)) / 3600 as dispatch_h,
      avg(extract(epoch from claimed_at - dispatched_at)) / 3600 as claim_h,
      avg(extract(epoch from resolved_at - coalesce(claimed_at, dispatched_at))) / 3600 as resolve_h,
      avg(extract(epoch from closed_at - resolved_at)) filter (where status = 'closed') / 3600 as close_h
    from (
      select status, category_code, channel, split_part(org_path, '/', ${sql.raw(String(areaPart))}) as area,
             step, due_at, supervised, rating, rework_count, resolved_on_time, resolved_at_level,
             reported_at, accepted_at, dispatched_at, claimed_at, resolved_at, verified_at, closed_at
      from ${cases} where ${where}
    ) c
    group by grouping sets ((status), (category_code), (channel), (area), ())`;
}

export async function caseMetrics(
  db: Db,
  actor: Actor,
  q: { orgUnitId?: number | undefined; from?: string | undefined; to?: string | undefined },
): Promise<CaseMetrics> {
  const book = await nameBook(db);
  let basePath = actor.global ? '/' : (actor.orgPath ?? '/');
  if (q.orgUnitId !== undefined) {
    const u = book.units.get(q.orgUnitId);
    if (!u || !pathInScope(actor, u.path)) throw fieldError('orgUnitId', 'exists', '区域不存在');
    basePath = u.path;
  }
  const cond: SQL[] = [caseScope(actor)];
  if (basePath !== '/')
    cond.push(sql`${cases.orgPath} like ${sql.raw(`'${basePath.replace(/[^0-9/]/g, '')}%'`)}`);
  if (q.from) cond.push(gte(cases.reportedAt, new Date(`${q.from}T00:00:00+08:00`)));
  if (q.to) cond.push(lt(cases.reportedAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000)));
  const depth = basePath.split('/').filter(Boolean).length;
  const rows = await queryRows<Row>(db, metricsSql(and(...cond) as SQL, depth));
  const total = rows.find((r) => r.gs && r.gc && r.gch && r.ga);
  const byStatus = Object.fromEntries(caseStates.map((s) => [s, 0])) as Record<string, number>;
  for (const r of rows) if (!r.gs && r.status) byStatus[r.status] = r.n;
  const sorted = (xs: { key: string; name: string; count: number }[]) => xs.sort((a, b) => b.count - a.count);
  const t =
    total ??
    ({
      n: 0,
      closed: 0,
      closed_on_time: 0,
      resolved: 0,
      verified: 0,
      reworked: 0,
      rated: 0,
      satisfied: 0,
      grid_closed: 0,
      overdue: 0,
      supervised: 0,
      accept_h: null,
      dispatch_h: null,
      claim_h: null,
      resolve_h: null,
      close_h: null,
    } as unknown as Row);
  return {
    total: t.n,
    byStatus,
    byCategory: sorted(
      rows
        .filter((r) => !r.gc && r.category_code)
        .map((r) => ({
          key: r.category_code as string,
          name: book.categories.get(r.category_code as string)?.name ?? (r.category_code as string),
          count: r.n,
        })),
    ),
    byChannel: sorted(
      rows
        .filter((r) => !r.gch && r.channel)
        .map((r) => ({
          key: r.channel as string,
          name: caseChannelNames[r.channel as CaseChannel] ?? r.channel ?? '',
          count: r.n,
        })),
    ),
    byArea: sorted(
      rows
        .filter((r) => !r.ga && r.area)
        .map((r) => ({
          key: r.area as string,
          name: book.units.get(Number(r.area))?.name ?? (r.area as string),
          count: r.n,
        })),
    ),
    onTimeRate: rate(t.closed_on_time, t.closed),
    fulfilmentRate: rate(t.verified, t.resolved),
    satisfactionRate: rate(t.satisfied, t.rated),
    reworkRate: rate(t.reworked, t.resolved),
    gridResolvedShare: rate(t.grid_closed, t.closed),
    overdue: t.overdue,
    supervised: t.supervised,
    meanHours: {
      accept: hours(t.accept_h),
      dispatch: hours(t.dispatch_h),
      claim: hours(t.claim_h),
      resolve: hours(t.resolve_h),
      close: hours(t.close_h),
    },
  };
}
