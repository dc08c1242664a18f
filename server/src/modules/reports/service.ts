import type { ReportContent, ReportFormat, ReportKind } from '@civicgrid/core/api/reports';
import { isWorkday, localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, gte, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { type Area, areaCondition } from '../../platform/scope.js';
import { activeUsersWith } from '../accounts/users.js';
import { workCalendar } from '../cases/calendar.js';
import { type NameBook, nameBook } from '../cases/names.js';
import { workLogs } from '../fieldwork/tables.js';
import { departments } from '../org/tables.js';
import {
  categoryCounts,
  departmentCounts,
  overdueCases,
  periodFigures,
  type Span,
  type SubAreaColumn,
} from './figures.js';
import { reportArea } from './policy.js';
import { presentReport } from './presenter.js';
import { rankings } from './ranking.js';

const dayMs = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** A period as China dates (both ends included) with its label. */
export interface Period {
  from: string;
  to: string;
  label: string;
}

function span(p: Period, now = Date.now()): Span {
  const end = startOf(addDays(p.to, 1));
  return { start: startOf(p.from), end, asOf: new Date(Math.min(end.getTime(), now)) };
}

/** The Monday-based week containing `day`, labelled by its ISO 8601 week number. */
export function weekOf(day: string): Period {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  const from = addDays(day, -((dow + 6) % 7));
  const to = addDays(from, 6);
  // ISO 8601: week 1 is the week with the year's first Thursday.
  const thursday = addDays(from, 3);
  const year = Number(thursday.slice(0, 4));
  const n =
    Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / dayMs / 7) + 1;
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return { from, to, label: `${year}年第${n}周（${md(from)}—${md(to)}）` };
}

export function monthOf(month: string): Period {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: `${month}-01`, to: addDays(next, -1), label: `${y}年${m}月` };
}

const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

const subAreaOf: Record<string, { column: SubAreaColumn; label: string }> = {
  district: { column: 'street_id', label: '街道' },
  street: { column: 'community_id', label: '社区' },
  community: { column: 'grid_id', label: '网格' },
  grid: { column: 'grid_id', label: '网格' },
};

/**
 * Who missed their work log (工作日志) on a working day of the period: active grid workers
 * (fieldwork:record) of the area, the working days up to the end of the period or yesterday,
 * whichever is earlier — the same rule as the work-log page.
 */
async function missingWorkLogs(db: Db, book: NameBook, area: Area, p: Period) {
  const cal = await workCalendar(db);
  const yesterday = localDay(Date.now() - dayMs);
  const last = [p.to, yesterday].sort()[0] as string;
  const days: string[] = [];
  for (let d = p.from; d <= last; d = addDays(d, 1)) if (isWorkday(cal, d)) days.push(d);
  const workers = await activeUsersWith(db, 'fieldwork:record', area.path);
  const logged = days.length
    ? await db
        .select({ userId: workLogs.userId, days: sql<string[]>`array_agg(${workLogs.day})` })
        .from(workLogs)
        .where(and(areaCondition(area, workLogs.orgPath), gte(workLogs.day, p.from), lte(workLogs.day, last)))
        .groupBy(workLogs.userId)
    : [];
  const have = new Map(logged.map((l) => [l.userId, new Set(l.days)]));
  const items = workers
    .map((w) => {
      const missed = days.filter((d) => !have.get(w.id)?.has(d));
      return {
        name: w.name,
        areaName: w.orgUnitId ? (book.units.get(w.orgUnitId)?.name ?? '') : '',
        expected: days.length,
        missing: missed.length,
        days: missed,
      };
    })
    .filter((w) => w.missing > 0)
    .sort((a, b) => b.missing - a.missing || a.areaName.localeCompare(b.areaName, 'zh'));
  return { workdays: days.length, workers: workers.length, items };
}

/** Enough for any real list; the PDF shows the first hundred of them. */
const overdueListed = 1000;

async function buildReport(
  db: Db,
  actor: Actor,
  kind: ReportKind,
  orgUnitId: number | undefined,
  cur: Period,
  prev: Period,
): Promise<ReportContent> {
  if (cur.from > localDay(Date.now()))
    throw fieldError(kind === 'weeklyReview' ? 'week' : 'month', 'notFuture', 'REPORT_PERIOD_FUTURE');
  const book = await nameBook(db);
  const area = await reportArea(db, book, actor, orgUnitId);
  const sub = subAreaOf[area.level] ?? { column: 'grid_id' as const, label: '网格' };
  const [c, p] = [span(cur), span(prev)];
  const bulletin = kind === 'monthlyBulletin';
  const [figures, categories, depts, deptList, overdue, missingLogs, ranks] = await Promise.all([
    periodFigures(db, area, sub.column, p, c),
    categoryCounts(db, area, p, c),
    bulletin ? departmentCounts(db, area, c) : Promise.resolve([]),
    bulletin ? db.select().from(departments) : Promise.resolve([]),
    overdueCases(db, area, c.asOf, overdueListed),
    missingWorkLogs(db, book, area, cur),
    rankings(db, actor, {
      period: bulletin ? 'month' : 'week',
      start: cur.from,
      orgUnitId: area.id,
      departments: bulletin,
    }),
  ]);
  return presentReport({
    kind,
    book,
    area,
    subAreaLabel: sub.label,
    period: cur,
    previous: prev,
    figures,
    categories,
    departments: bulletin ? { list: deptList, counts: depts, scores: ranks.departments } : null,
    ranking: ranks.workers,
    missingLogs,
    overdue,
  });
}

/** 周讲评: the week containing `week` against the week before. */
export function weeklyReview(db: Db, actor: Actor, q: { orgUnitId?: number | undefined; week: string }) {
  const cur = weekOf(q.week);
  return buildReport(db, actor, 'weeklyReview', q.orgUnitId, cur, weekOf(addDays(cur.from, -7)));
}

/** 月通报: the month against the month before. */
export function monthlyBulletin(db: Db, actor: Actor, q: { orgUnitId?: number | undefined; month: string }) {
  return buildReport(
    db,
    actor,
    'monthlyBulletin',
    q.orgUnitId,
    monthOf(q.month),
    monthOf(previousMonth(q.month)),
  );
}

/** Reports hold aggregates and staff names only; who took which one is still on record. */
export function recordReportTaken(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  r: ReportContent,
  format: ReportFormat,
) {
  return db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'assessment.exported',
      targetType: 'orgUnit',
      targetId: r.area.id,
      payload: { report: r.kind, format, from: r.period.from, to: r.period.to },
    }),
  );
}
