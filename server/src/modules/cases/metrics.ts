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
  status: string;
  category_code: string;
  channel: string;
  area: string;
  n: number;
  closed_on_time: number;
  resolved: number;
  verified: number;
  reworked: number;
  rated: number;
  satisfied: number;
  grid_closed: number;
  overdue: number;
  supervised: number;
  accept_s: number | null;
  accept_n: number;
  dispatch_s: number | null;
  dispatch_n: number;
  claim_s: number | null;
  claim_n: number;
  resolve_s: number | null;
  resolve_n: number;
  close_s: number | null;
  close_n: number;
}

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const hours = (seconds: number, n: number) => (n > 0 ? Math.round((seconds / n / 3600) * 10) / 10 : null);

/**
 * The indicators of GLOSSARY.md from the cases and their trail, in one pass over the
 * cases reported in the period: one hash aggregate by (status, category, channel, area)
 * carrying every counter, rolled up into the breakdowns in memory. (Grouping sets would
 * keep five hash tables with every aggregate each — five times the work per row.)
 * Durations are summed as intervals and turned into seconds once per group.
 */
export function metricsSql(where: SQL, depth: number): SQL {
  const areaPart = depth + 2;
  return sql`
    select status, category_code, channel, split_part(org_path, '/', ${sql.raw(String(areaPart))}) as area,
      count(*)::int as n,
      count(*) filter (where status = 'closed' and resolved_on_time)::int as closed_on_time,
      count(resolved_at)::int as resolved,
      count(verified_at)::int as verified,
      count(*) filter (where rework_count > 0)::int as reworked,
      count(rating)::int as rated,
      count(*) filter (where rating in ('satisfied', 'basicallySatisfied'))::int as satisfied,
      count(*) filter (where status = 'closed' and resolved_at_level = 'grid')::int as grid_closed,
      count(*) filter (where step <> 'none' and due_at <= now())::int as overdue,
      count(*) filter (where supervised and step <> 'none')::int as supervised,
      extract(epoch from sum(accepted_at - reported_at))::float8 as accept_s, count(accepted_at)::int as accept_n,
      extract(epoch from sum(dispatched_at - accepted_at))::float8 as dispatch_s, count(dispatched_at)::int as dispatch_n,
      extract(epoch from sum(claimed_at - dispatched_at))::float8 as claim_s, count(claimed_at)::int as claim_n,
      extract(epoch from sum(resolved_at - coalesce(claimed_at, dispatched_at)))::float8 as resolve_s,
      count(resolved_at)::int as resolve_n,
      extract(epoch from sum(closed_at - resolved_at) filter (where status = 'closed'))::float8 as close_s,
      count(resolved_at) filter (where status = 'closed')::int as close_n
    from ${cases} where ${where}
    group by 1, 2, 3, 4`;
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
  const t = {
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
  };
  const spans = { accept: [0, 0], dispatch: [0, 0], claim: [0, 0], resolve: [0, 0], close: [0, 0] };
  const byStatus = Object.fromEntries(caseStates.map((s) => [s, 0])) as Record<string, number>;
  const byCategory = new Map<string, number>();
  const byChannel = new Map<string, number>();
  const byArea = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const r of rows) {
    t.n += r.n;
    if (r.status === 'closed') t.closed += r.n;
    t.closed_on_time += r.closed_on_time;
    t.resolved += r.resolved;
    t.verified += r.verified;
    t.reworked += r.reworked;
    t.rated += r.rated;
    t.satisfied += r.satisfied;
    t.grid_closed += r.grid_closed;
    t.overdue += r.overdue;
    t.supervised += r.supervised;
    for (const k of ['accept', 'dispatch', 'claim', 'resolve', 'close'] as const) {
      const span = spans[k];
      span[0] = (span[0] ?? 0) + Number(r[`${k}_s`] ?? 0);
      span[1] = (span[1] ?? 0) + r[`${k}_n`];
    }
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    add(byCategory, r.category_code, r.n);
    add(byChannel, r.channel, r.n);
    if (r.area) add(byArea, r.area, r.n);
  }
  const list = (m: Map<string, number>, name: (k: string) => string) =>
    [...m].map(([key, count]) => ({ key, name: name(key), count })).sort((a, b) => b.count - a.count);
  const mean = (k: keyof typeof spans) => hours(spans[k][0] ?? 0, spans[k][1] ?? 0);
  return {
    total: t.n,
    byStatus,
    byCategory: list(byCategory, (k) => book.categories.get(k)?.name ?? k),
    byChannel: list(byChannel, (k) => caseChannelNames[k as CaseChannel] ?? k),
    byArea: list(byArea, (k) => book.units.get(Number(k))?.name ?? k),
    onTimeRate: rate(t.closed_on_time, t.closed),
    fulfilmentRate: rate(t.verified, t.resolved),
    satisfactionRate: rate(t.satisfied, t.rated),
    reworkRate: rate(t.reworked, t.resolved),
    gridResolvedShare: rate(t.grid_closed, t.closed),
    overdue: t.overdue,
    supervised: t.supervised,
    meanHours: {
      accept: mean('accept'),
      dispatch: mean('dispatch'),
      claim: mean('claim'),
      resolve: mean('resolve'),
      close: mean('close'),
    },
  };
}
