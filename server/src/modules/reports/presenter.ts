import type { ReportContent, ReportKind } from '@civicgrid/core/api/reports';
import type { NameBook } from '../cases/names.js';
import type { departments } from '../org/tables.js';
import type { categoryCounts, departmentCounts, overdueCases, periodFigures } from './figures.js';
import type { ReportArea } from './policy.js';

/** What a report is built from: the area, its periods and the figures read for them. */
export interface ReportRows {
  kind: ReportKind;
  book: NameBook;
  area: ReportArea;
  subAreaLabel: string;
  period: ReportContent['period'];
  previous: ReportContent['previous'];
  figures: Awaited<ReturnType<typeof periodFigures>>;
  categories: Awaited<ReturnType<typeof categoryCounts>>;
  /** The bulletin's departments; the weekly review has none. */
  departments: {
    list: (typeof departments.$inferSelect)[];
    counts: Awaited<ReturnType<typeof departmentCounts>>;
    scores: Map<number, { score: number | null; rank: number | null }> | null;
  } | null;
  ranking: ReportContent['ranking'];
  missingLogs: ReportContent['missingLogs'];
  overdue: Awaited<ReturnType<typeof overdueCases>>;
}

/**
 * The report's content, the one shape both the PDF and the workbook are drawn from. It holds
 * aggregates and the names of staff (the ranking and missing work logs are about their work);
 * overdue cases appear by code, category and area, never by reporter or text.
 */
export function presentReport(r: ReportRows): ReportContent {
  const { kind, book, area, figures } = r;
  const bulletin = kind === 'monthlyBulletin';
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
    period: r.period,
    previous: r.previous,
    generatedAt: new Date().toISOString(),
    figures: figures.figures,
    previousFigures: figures.previousFigures,
    subAreaLabel: r.subAreaLabel,
    subAreas,
    categories: r.categories
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, 10)
      .map((x) => ({ ...x, name: book.categories.get(x.code)?.name ?? x.code })),
    departments: r.departments
      ? departmentRows(r.departments.list, r.departments.counts, r.departments.scores)
      : [],
    ranking: r.ranking,
    missingLogs: r.missingLogs,
    overdueCases: {
      total: r.overdue.total,
      items: r.overdue.rows.map((o) => ({
        code: o.code,
        categoryName: book.categories.get(o.category_code)?.name ?? o.category_code,
        areaName: book.units.get(o.grid_id ?? o.community_id ?? 0)?.name ?? area.name,
        status: o.statusName,
        dueAt: o.due,
        daysOverdue: o.days,
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
