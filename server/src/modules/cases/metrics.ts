import { type CaseChannel, type CaseMetrics, caseChannelNames } from '@civicgrid/core/api/cases';
import { caseStates } from '@civicgrid/core/cases/stateMachine';
import { and, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
import { type NameBook, nameBook } from './names.js';
import { casesScope } from './policy.js';
import { caseStatsArea, caseStatsDimension, cases } from './tables.js';

interface Row {
  status: string;
  category_code: string;
  channel: string;
  area: number | null;
  n: number;
  closed_on_time: number;
  resolved: number;
  verified: number;
  reworked: number;
  rated: number;
  satisfied: number;
  grid_closed: number;
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
  // The area is the level below the chosen unit: streets of a district, communities of a
  // street, grids of a community — integer columns, cheaper to group by than path parts.
  const area = depth <= 1 ? 'street_id' : depth === 2 ? 'community_id' : 'grid_id';
  // Counters that only mean something for closed cases are counted in every group and
  // kept for the closed ones when rolled up: a filter on a group key costs a comparison per row.
  return sql`
    select status, category_code, channel, ${sql.raw(area)} as area,
      count(*)::int as n,
      count(*) filter (where resolved_on_time)::int as closed_on_time,
      count(resolved_at)::int as resolved,
      count(verified_at)::int as verified,
      count(*) filter (where rework_count > 0)::int as reworked,
      count(rating)::int as rated,
      count(*) filter (where rating <> 'dissatisfied')::int as satisfied,
      count(*) filter (where resolved_at_level = 'grid')::int as grid_closed,
      extract(epoch from sum(accepted_at - reported_at))::float8 as accept_s, count(accepted_at)::int as accept_n,
      extract(epoch from sum(dispatched_at - accepted_at))::float8 as dispatch_s, count(dispatched_at)::int as dispatch_n,
      extract(epoch from sum(claimed_at - dispatched_at))::float8 as claim_s, count(claimed_at)::int as claim_n,
      extract(epoch from sum(resolved_at - coalesce(claimed_at, dispatched_at)))::float8 as resolve_s,
      count(resolved_at)::int as resolve_n,
      extract(epoch from sum(closed_at - resolved_at))::float8 as close_s,
      count(resolved_at)::int as close_n
    from ${cases} where ${where}
    group by 1, 2, 3, 4`;
}

/** Open cases now late or supervised: few rows, found through the partial deadline index. */
export function openFlagsSql(where: SQL): SQL {
  return sql`
    select (select count(*) from ${cases} where step <> 'none' and due_at <= now() and ${where})::int as overdue,
      (select count(*) from ${cases} where step <> 'none' and supervised and ${where})::int as supervised`;
}

export async function caseMetrics(
  db: Db,
  actor: Actor,
  q: { orgUnitId?: number | undefined; from?: string | undefined; to?: string | undefined },
  opts: { rollup?: boolean } = {},
): Promise<CaseMetrics> {
  const book = await nameBook(db);
  const area = q.orgUnitId === undefined ? null : await resolveArea(db, actor, q.orgUnitId);
  const basePath = area?.path ?? (actor.global ? '/' : (actor.orgPath ?? '/'));
  const inArea = areaCondition(area ?? { id: null, name: null, level: null, path: basePath }, cases.orgPath);
  const period: SQL[] = [];
  if (q.from) period.push(gte(cases.reportedAt, new Date(`${q.from}T00:00:00+08:00`)));
  if (q.to) period.push(lt(cases.reportedAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000)));
  const depth = basePath.split('/').filter(Boolean).length;
  const where = and(casesScope.where(actor), inArea, ...period) as SQL;
  // A whole district (or every district) seen by someone whose jurisdiction covers it is
  // read from the daily roll-ups; anything smaller is aggregated from the cases themselves.
  const districtWide =
    opts.rollup !== false &&
    actor.permissions.has('case:read') &&
    depth <= 1 &&
    (actor.global || actor.orgPath === basePath);
  if (districtWide) {
    const day = (d: string | undefined) => (d ? d : null);
    const rows = await rollupRows(
      db,
      depth === 1 ? Number(basePath.split('/')[1]) : null,
      day(q.from),
      day(q.to),
    );
    // The jurisdiction covers the whole area here, so the area alone scopes the open flags:
    // without casesScope's "or reported by me" the deadline index answers them.
    const flagsWhere = and(inArea, ...period) as SQL;
    const [flags] = await queryRows<{ overdue: number; supervised: number }>(db, openFlagsSql(flagsWhere));
    return assemble(rows.area, rows.dims, flags, book);
  }
  return aggregateCases(db, book, where, depth);
}

/**
 * The figures of every case under `area` reported between `from` and `to` (China dates),
 * whoever asks: no jurisdiction or need-to-know applies. Only for aggregates published to
 * everyone (disclosure/service.ts); a user's view goes through `caseMetrics`.
 */
export async function publicAreaMetrics(
  db: Db,
  area: Area,
  q: { from: string; to: string },
): Promise<CaseMetrics> {
  const where = and(
    areaCondition(area, cases.orgPath),
    gte(cases.reportedAt, new Date(`${q.from}T00:00:00+08:00`)),
    lt(cases.reportedAt, new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000)),
  ) as SQL;
  return aggregateCases(db, await nameBook(db), where, area.path.split('/').filter(Boolean).length);
}

/** The indicators aggregated from the cases themselves (`where` already scoped). */
async function aggregateCases(db: Db, book: NameBook, where: SQL, depth: number): Promise<CaseMetrics> {
  // One aggregate over up to a year of cases: enough memory to hash it, and no JIT
  // compilation, which costs more than it saves at this size.
  const [rows, flags] = await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`set local jit = off`);
    return [
      await queryRows<Row>(tx, metricsSql(where, depth)),
      (await queryRows<{ overdue: number; supervised: number }>(tx, openFlagsSql(where)))[0],
    ] as const;
  });
  const dims: DimRow[] = [];
  for (const r of rows) {
    dims.push(
      { dimension: 'category', key: r.category_code, n: r.n },
      { dimension: 'channel', key: r.channel, n: r.n },
    );
  }
  return assemble(rows, dims, flags, book);
}

type AreaRow = Omit<Row, 'category_code' | 'channel'>;
interface DimRow {
  dimension: 'category' | 'channel';
  key: string;
  n: number;
}

/** The roll-ups of a district (or of all, with `districtId` null) for a range of China dates. */
export async function rollupRows(db: Db, districtId: number | null, from: string | null, to: string | null) {
  const cond = (t: { districtId: AnyPgColumn; day: AnyPgColumn }) =>
    and(
      districtId === null ? undefined : eq(t.districtId, districtId),
      from ? gte(t.day, from) : undefined,
      to ? lte(t.day, to) : undefined,
    );
  const a = caseStatsArea;
  const sum = (c: AnyPgColumn) => sql<number>`sum(${c})::float8`;
  const [area, dims] = await Promise.all([
    db
      .select({
        status: a.status,
        area: a.streetId,
        n: sum(a.n),
        closed_on_time: sum(a.closedOnTime),
        resolved: sum(a.resolved),
        verified: sum(a.verified),
        reworked: sum(a.reworked),
        rated: sum(a.rated),
        satisfied: sum(a.satisfied),
        grid_closed: sum(a.gridClosed),
        accept_s: sum(a.acceptS),
        accept_n: sum(a.acceptN),
        dispatch_s: sum(a.dispatchS),
        dispatch_n: sum(a.dispatchN),
        claim_s: sum(a.claimS),
        claim_n: sum(a.claimN),
        resolve_s: sum(a.resolveS),
        resolve_n: sum(a.resolveN),
        close_s: sum(a.closeS),
        close_n: sum(a.closeN),
      })
      .from(a)
      .where(cond(a))
      .groupBy(a.status, a.streetId),
    db
      .select({
        dimension: caseStatsDimension.dimension,
        key: caseStatsDimension.key,
        n: sum(caseStatsDimension.n),
      })
      .from(caseStatsDimension)
      .where(cond(caseStatsDimension))
      .groupBy(caseStatsDimension.dimension, caseStatsDimension.key),
  ]);
  return {
    area: area.map((r) => ({ ...r, area: r.area === 0 ? null : r.area })) as AreaRow[],
    dims: dims.filter((d) => Number(d.n) !== 0) as DimRow[],
  };
}

function assemble(
  rows: AreaRow[],
  dims: DimRow[],
  flags: { overdue: number; supervised: number } | undefined,
  book: Awaited<ReturnType<typeof nameBook>>,
): CaseMetrics {
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
  t.overdue = flags?.overdue ?? 0;
  t.supervised = flags?.supervised ?? 0;
  for (const r of rows) {
    const closed = r.status === 'closed';
    t.n += r.n;
    if (closed) {
      t.closed += r.n;
      t.closed_on_time += r.closed_on_time;
      t.grid_closed += r.grid_closed;
    }
    t.resolved += r.resolved;
    t.verified += r.verified;
    t.reworked += r.reworked;
    t.rated += r.rated;
    t.satisfied += r.satisfied;
    for (const k of ['accept', 'dispatch', 'claim', 'resolve', 'close'] as const) {
      if (k === 'close' && !closed) continue;
      const span = spans[k];
      span[0] = (span[0] ?? 0) + Number(r[`${k}_s`] ?? 0);
      span[1] = (span[1] ?? 0) + r[`${k}_n`];
    }
    byStatus[r.status] = (byStatus[r.status] ?? 0) + Number(r.n);
    if (r.area !== null) add(byArea, String(r.area), r.n);
  }
  for (const d of dims) add(d.dimension === 'category' ? byCategory : byChannel, d.key, Number(d.n));
  const list = (m: Map<string, number>, name: (k: string) => string) =>
    [...m]
      .filter(([, count]) => count !== 0)
      .map(([key, count]) => ({ key, name: name(key), count }))
      .sort((a, b) => b.count - a.count);
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
