import type { ReportFigures } from '@civicgrid/core/api/reports';
import { type CaseState, caseStateNames, openStates } from '@civicgrid/core/cases/stateMachine';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db.js';
import { type Area, areaCondition } from '../../platform/scope.js';

/** A report period as instants: [start, end), and the moment "the end" is judged at. */
export interface Span {
  start: Date;
  end: Date;
  /** The end, or now while the period is still running. */
  asOf: Date;
}

const list = (states: readonly string[]) => sql.raw(states.map((s) => `'${s}'`).join(','));
const open = list(openStates);
/** Open states whose clock runs: a resolved or verified case waits on no deadline. */
const handling = list(openStates.filter((s) => s !== 'resolved' && s !== 'verified'));

/**
 * Whether a case was open at `at` with its step's deadline passed then. The step at `at`
 * follows from the trail's timestamps: not yet accepted → accept-by, not yet dispatched →
 * dispatch-by, else resolve-by. A case being handled now was open then (if reported); any
 * other was open until it was resolved, rejected, cancelled or merged.
 */
function overdueAt(at: Date): SQL {
  return sql`(reported_at < ${at}
    and (status in (${handling}) or coalesce(resolved_at, closed_at, updated_at) >= ${at})
    and case when accepted_at is null or accepted_at >= ${at} then accept_by
             when dispatched_at is null or dispatched_at >= ${at} then dispatch_by
             else resolve_by end < ${at})`;
}

/** The step deadline a case had at `at` (see overdueAt). */
function deadlineAt(at: Date): SQL {
  return sql`case when accepted_at is null or accepted_at >= ${at} then accept_by
    when dispatched_at is null or dispatched_at >= ${at} then dispatch_by else resolve_by end`;
}

/**
 * The counters behind the indicators of GLOSSARY.md for one period, by what happened in it:
 * new = reported in it; on-time rate, grid share and satisfaction over the cases closed in it;
 * fulfilment = resolved in it and verified as done ÷ resolved in it.
 */
function counters(p: string, s: Span): SQL {
  const c = (name: string, cond: SQL) =>
    sql`count(*) filter (where ${cond})::int as ${sql.raw(`${p}_${name}`)}`;
  const closed = sql`status = 'closed' and closed_at >= ${s.start} and closed_at < ${s.end}`;
  const resolved = sql`resolved_at >= ${s.start} and resolved_at < ${s.end}`;
  return sql.join(
    [
      c('reported', sql`reported_at >= ${s.start} and reported_at < ${s.end}`),
      c('closed', closed),
      c('on_time', sql`${closed} and resolved_on_time`),
      c('grid', sql`${closed} and resolved_at_level = 'grid'`),
      c('rated', sql`${closed} and rating is not null`),
      c('satisfied', sql`${closed} and rating <> 'dissatisfied'`),
      c('resolved', resolved),
      c('verified', sql`${resolved} and verified_at is not null`),
      c('overdue', overdueAt(s.asOf)),
    ],
    sql`, `,
  );
}

type Counters = Record<
  'reported' | 'closed' | 'on_time' | 'grid' | 'rated' | 'satisfied' | 'resolved' | 'verified' | 'overdue',
  number
>;

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

function figuresOf(c: Counters): ReportFigures {
  return {
    reported: c.reported,
    closed: c.closed,
    overdue: c.overdue,
    onTimeRate: rate(c.on_time, c.closed),
    fulfilmentRate: rate(c.verified, c.resolved),
    satisfactionRate: rate(c.satisfied, c.rated),
    gridResolvedShare: rate(c.grid, c.closed),
  };
}

function pick(row: Record<string, number>, p: string): Counters {
  const keys = [
    'reported',
    'closed',
    'on_time',
    'grid',
    'rated',
    'satisfied',
    'resolved',
    'verified',
    'overdue',
  ];
  return Object.fromEntries(keys.map((k) => [k, Number(row[`${p}_${k}`] ?? 0)])) as Counters;
}

function sum(rows: Counters[]): Counters {
  const t = pick({}, 'x');
  for (const r of rows) for (const k of Object.keys(t) as (keyof Counters)[]) t[k] += r[k];
  return t;
}

/** Cases of the area, resolved in the viewer's jurisdiction by the caller (`resolveArea`). */
const inArea = (area: Area) => areaCondition(area, sql.raw('org_path'));

/**
 * Every case that can count in the two periods: reported in them, or still open, or
 * finished after the previous period began. One scan, one hash aggregate by sub-area.
 */
function touched(area: Area, prev: Span, cur: Span): SQL {
  return sql`${inArea(area)} and reported_at < ${cur.end}
    and (reported_at >= ${prev.start} or status in (${open})
      or greatest(resolved_at, closed_at, updated_at) >= ${prev.start})`;
}

export type SubAreaColumn = 'street_id' | 'community_id' | 'grid_id';

/** The figures of the period and the previous one, in total and per sub-area. */
export async function periodFigures(db: Db, area: Area, sub: SubAreaColumn, prev: Span, cur: Span) {
  const rows = await db.transaction(async (tx) => {
    // One aggregate over the area's cases: no JIT, which costs more than it saves here.
    await tx.execute(sql`set local jit = off`);
    return queryRows<Record<string, number> & { area: number | null }>(
      tx,
      sql`select ${sql.raw(sub)} as area, ${counters('c', cur)}, ${counters('p', prev)}
        from cases where ${touched(area, prev, cur)} group by 1`,
    );
  });
  const byArea = new Map<number, ReportFigures>();
  for (const r of rows) if (r.area !== null) byArea.set(Number(r.area), figuresOf(pick(r, 'c')));
  return {
    figures: figuresOf(sum(rows.map((r) => pick(r, 'c')))),
    previousFigures: figuresOf(sum(rows.map((r) => pick(r, 'p')))),
    byArea,
  };
}

/** Cases reported per category in the period and the previous one. */
export async function categoryCounts(db: Db, area: Area, prev: Span, cur: Span) {
  return queryRows<{ code: string; count: number; previous: number }>(
    db,
    sql`select category_code as code,
        count(*) filter (where reported_at >= ${cur.start})::int as count,
        count(*) filter (where reported_at < ${cur.start})::int as previous
      from cases where ${inArea(area)} and reported_at >= ${prev.start} and reported_at < ${cur.end}
      group by 1`,
  );
}

/** The period's figures per department a case of the area was dispatched to. */
export async function departmentCounts(db: Db, area: Area, cur: Span) {
  const rows = await queryRows<Record<string, number> & { id: number }>(
    db,
    sql`select d as id, ${counters('c', cur)}
      from cases, unnest(department_ids) as d
      where ${touched(area, cur, cur)} group by d`,
  );
  return rows.map((r) => {
    const c = pick(r, 'c');
    return { id: Number(r.id), cases: c.reported, ...figuresOf(c) };
  });
}

/**
 * Cases open at the end of the period with their deadline passed, latest first by lateness:
 * code, category, place and lateness only — nothing about who reported them.
 */
export async function overdueCases(db: Db, area: Area, at: Date, limit: number) {
  const due = deadlineAt(at);
  const rows = await queryRows<{
    code: string;
    category_code: string;
    grid_id: number | null;
    community_id: number | null;
    status: string;
    due: string;
    days: number;
    total: number;
  }>(
    db,
    sql`select code, category_code, grid_id, community_id, status,
        to_char(${due} at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as due,
        ceil(extract(epoch from ${at}::timestamptz - ${due}) / 86400)::int as days,
        count(*) over ()::int as total
      from cases where ${inArea(area)} and ${overdueAt(at)}
      order by ${due}, code limit ${limit}`,
  );
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({ ...r, statusName: caseStateNames[r.status as CaseState]?.zh ?? r.status })),
  };
}
