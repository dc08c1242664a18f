import type { CaseMetrics } from '@civicgrid/core/api/cases';
import { todoViews } from '@civicgrid/core/api/cases';
import type { Dashboard, Todos } from '@civicgrid/core/api/dashboard';
import type { Actor } from '../../platform/auth/actor.js';
import type { NameBook } from '../cases/names.js';
import type { DashboardView } from './policy.js';

export interface DashboardRows {
  counts: { reported: number; open: number; overdue: number; supervised: number }[];
  /** The last 30 China days, oldest first, and the counts found for them. */
  days: string[];
  trend: { day: string; n: number }[];
  closedTrend: { day: string; n: number }[];
  months: { month: string; n: number }[];
  departments: { id: number; n: number; on_time: number; resolved: number }[];
  metrics: CaseMetrics;
}

/**
 * The home's reply from its aggregate rows: no case and no person leaves through it, only
 * counts and the names of areas, categories and departments.
 */
export function presentDashboard(
  actor: Actor,
  view: DashboardView,
  book: NameBook,
  rows: DashboardRows,
): Dashboard {
  const { ofDepartment, area } = view;
  const { metrics } = rows;
  const byDay = new Map(rows.trend.map((r) => [r.day, r.n]));
  const closedByDay = new Map(rows.closedTrend.map((r) => [r.day, r.n]));
  const head = ofDepartment
    ? {
        scope: 'department' as const,
        area: { id: null, name: actor.departmentName ?? book.departments.get(actor.departmentId ?? 0) ?? '' },
      }
    : {
        scope: 'area' as const,
        area: { id: area.id, name: area.id ? (book.units.get(area.id)?.name ?? '') : '全部' },
      };
  return {
    ...head,
    today: rows.counts[0] ?? { reported: 0, open: 0, overdue: 0, supervised: 0 },
    rates: {
      onTimeRate: metrics.onTimeRate,
      fulfilmentRate: metrics.fulfilmentRate,
      satisfactionRate: metrics.satisfactionRate,
      gridResolvedShare: ofDepartment ? null : metrics.gridResolvedShare,
    },
    trend: rows.days.map((day) => ({
      day,
      reported: byDay.get(day) ?? 0,
      closed: closedByDay.get(day) ?? 0,
    })),
    months: rows.months.map((m) => ({ month: m.month, reported: m.n })),
    byCategory: metrics.byCategory.slice(0, 10),
    byChannel: metrics.byChannel,
    // Rankings of areas and departments are for those who dispatch across them.
    areas: ofDepartment ? [] : [...metrics.byArea].sort((a, b) => b.count - a.count),
    departments: (ofDepartment ? [] : rows.departments)
      .map((d) => ({
        id: d.id,
        name: book.departments.get(d.id) ?? String(d.id),
        count: d.n,
        onTimeRate: d.resolved ? d.on_time / d.resolved : null,
      }))
      .sort((a, b) => b.count - a.count),
  };
}

/** 我的待办 from its one counting row (`v0`… per view, and `total`). */
export function presentTodos(row: Record<string, number> | undefined): Todos {
  return {
    total: row?.total ?? 0,
    tiles: todoViews.map((view, i) => ({ view, count: row?.[`v${i}`] ?? 0 })),
  };
}
