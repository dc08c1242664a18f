import type { ReportContent, ReportKind } from '@civicgrid/core/api/reports';
import { isWorkday, localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, gte, lte, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
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

/** The reported area: one in the viewer's jurisdiction, or the viewer's own unit (the root for a global viewer). */
async function areaOf(db: Db, book: NameBook, actor: Actor, orgUnitId: number | undefined) {
  let id = orgUnitId ?? actor.orgUnitId;
  if (id === null && actor.global) id = [...book.units].find(([, u]) => u.parentId === null)?.[0] ?? null;
  if (id === null || id === undefined) throw fieldError('orgUnitId', 'required', 'REPORT_AREA_REQUIRED');
  const area = await resolveArea(db, actor, id);
  return { ...area, id, name: area.name ?? '', level: area.level ?? '' };
}

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
  const area = await areaOf(db, book, actor, orgUnitId);
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
  const children = [...book.units]
    .filter(([, u]) => u.parentId === area.id)
    .map(([id, u]) => ({ id, name: u.name }));
  const zero = {
    reported: 0,
    closed: 0,
    overdue: 0,
    onTimeRate: null,
    fulfilmentRate: null,
    satisfactionRate: null,
    gridResolvedShare: null,
  };
  const subAreas = (children.length ? children : [{ id: area.id, name: area.name }])
    .map((u) => ({ id: u.id, name: u.name, ...(figures.byArea.get(u.id) ?? zero) }))
    .sort((a, b) => b.reported - a.reported || a.name.localeCompare(b.name, 'zh'));
  return {
    kind,
    title: `${area.name}网格化服务管理工作${bulletin ? '月通报' : '周讲评'}`,
    area: { id: area.id, name: area.name, level: area.level },
    period: cur,
    previous: prev,
    generatedAt: new Date().toISOString(),
    figures: figures.figures,
    previousFigures: figures.previousFigures,
    subAreaLabel: sub.label,
    subAreas,
    categories: categories
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, 10)
      .map((x) => ({ ...x, name: book.categories.get(x.code)?.name ?? x.code })),
    departments: bulletin ? departmentRows(deptList, depts, ranks.departments) : [],
    ranking: ranks.workers,
    missingLogs,
    overdueCases: {
      total: overdue.total,
      items: overdue.rows.map((r) => ({
        code: r.code,
        categoryName: book.categories.get(r.category_code)?.name ?? r.category_code,
        areaName: book.units.get(r.grid_id ?? r.community_id ?? 0)?.name ?? area.name,
        status: r.statusName,
        dueAt: r.due,
        daysOverdue: r.days,
      })),
    },
  };
}

/** Every department in service or with cases, with its scorecard where there is one. */
function departmentRows(
  list: (typeof departments.$inferSelect)[],
  counts: Awaited<ReturnType<typeof departmentCounts>>,
  scores: Map<number, { score: number | null; rank: number | null }> | null,
): ReportContent['departments'] {
  const byId = new Map(counts.map((d) => [d.id, d]));
  return list
    .filter((d) => d.retiredAt === null || byId.has(d.id))
    .map(({ id, name }) => {
      const c = byId.get(id);
      const s = scores?.get(id);
      return {
        id,
        name,
        cases: c?.cases ?? 0,
        closed: c?.closed ?? 0,
        onTimeRate: c?.onTimeRate ?? null,
        fulfilmentRate: c?.fulfilmentRate ?? null,
        satisfactionRate: c?.satisfactionRate ?? null,
        score: s?.score ?? null,
        rank: s?.rank ?? null,
      };
    })
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || b.cases - a.cases || a.id - b.id);
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
