import type { Dashboard } from '@civicgrid/core/api/dashboard';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { finalStates } from '@civicgrid/core/cases/stateMachine';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { queryRows } from '../../platform/db.js';
import { caseMetrics } from '../cases/metrics.js';
import { nameBook } from '../cases/names.js';
import { caseStatsArea, caseStatsClosed, caseStatsDepartment, cases } from '../cases/tables.js';
import { governanceSummaryOf } from '../governanceStats/service.js';
import { dashboardView } from './policy.js';
import { presentDashboard } from './presenter.js';

const finals = sql.raw(finalStates.map((s) => `'${s}'`).join(','));

type RollupTable = typeof caseStatsArea | typeof caseStatsClosed | typeof caseStatsDepartment;

/** The roll-up rows of a path: every district ('/'), one district or one street. */
function rollupArea(t: RollupTable, path: string): SQL {
  const [district, street] = path.split('/').filter(Boolean).map(Number);
  if (district === undefined) return sql`true`;
  return street === undefined
    ? sql`${t.districtId} = ${district}`
    : sql`${t.districtId} = ${district} and ${t.streetId} = ${street}`;
}

/** Today's tiles from the roll-ups: reported today, and open / overdue / supervised now. */
function rollupToday(db: Db, path: string, today: string) {
  const a = caseStatsArea;
  return queryRows<{ reported: number; open: number; overdue: number; supervised: number }>(
    db,
    sql`select coalesce(sum(${a.n}) filter (where ${a.day} = ${today}), 0)::int as reported,
      coalesce(sum(${a.n}) filter (where ${a.status} not in (${finals})), 0)::int as open,
      coalesce(sum(${a.overdue}) filter (where ${a.status} not in (${finals})), 0)::int as overdue,
      coalesce(sum(${a.supervised}) filter (where ${a.status} not in (${finals})), 0)::int as supervised
    from ${a} where ${rollupArea(a, path)}`,
  );
}

const dayMs = 86_400_000;

/**
 * The console's home for leaders and dispatchers: today's counts, the month's rates, trends,
 * breakdowns and rankings for the viewer's jurisdiction (or an area in it).
 */
export async function dashboard(
  db: Db,
  actor: Actor,
  orgUnitId: number | undefined,
  opts: { rollup?: boolean } = {},
): Promise<Dashboard> {
  const [book, view] = await Promise.all([nameBook(db), dashboardView(db, actor, orgUnitId, opts)]);
  const { area, within, fromRollups } = view;
  const path = area.path;
  const areaId = area.id;
  const today = localDay(Date.now());
  const todayStart = new Date(`${today}T00:00:00+08:00`);
  const from30 = localDay(Date.now() - 29 * dayMs);
  const from30Start = new Date(`${from30}T00:00:00+08:00`);
  const yearFirstDay = `${localDay(Date.now() - 334 * dayMs).slice(0, 7)}-01`;
  const yearStart = new Date(`${yearFirstDay}T00:00:00+08:00`);
  // 综治中心's block (issue 16 item 8): figures for whoever may read 综治统计, of the same area —
  // read beside the case figures, not after them.
  const governanceRead =
    actor.permissions.has('governance:stats') && !view.ofDepartment
      ? governanceSummaryOf(db, actor, areaId ?? undefined)
      : undefined;
  const [counts, trend, closedTrend, months, departments, metrics, governance] = await Promise.all([
    fromRollups
      ? rollupToday(db, path, today)
      : queryRows<{ reported: number; open: number; overdue: number; supervised: number }>(
          db,
          sql`select
        count(*) filter (where ${cases.reportedAt} >= ${todayStart})::int as reported,
        count(*) filter (where ${cases.status} not in (${finals}))::int as open,
        count(*) filter (where ${cases.overdue} and ${cases.status} not in (${finals}))::int as overdue,
        count(*) filter (where ${cases.supervised} and ${cases.status} not in (${finals}))::int as supervised
      from ${cases} where ${within} and (${cases.status} not in (${finals}) or ${cases.reportedAt} >= ${todayStart})`,
        ),
    fromRollups
      ? queryRows<{ day: string; n: number }>(
          db,
          sql`select day, sum(n)::int as n from ${caseStatsArea}
            where ${rollupArea(caseStatsArea, path)} and day >= ${from30} group by day`,
        )
      : queryRows<{ day: string; n: number }>(
          db,
          sql`select to_char(${cases.reportedAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n
        from ${cases} where ${within} and ${cases.reportedAt} >= ${from30Start} group by 1`,
        ),
    fromRollups
      ? queryRows<{ day: string; n: number }>(
          db,
          sql`select day, sum(n)::int as n from ${caseStatsClosed}
            where ${rollupArea(caseStatsClosed, path)} and day >= ${from30} group by day`,
        )
      : queryRows<{ day: string; n: number }>(
          db,
          sql`select to_char(${cases.closedAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n
        from ${cases} where ${within} and ${cases.closedAt} >= ${from30Start} and ${cases.status} = 'closed' group by 1`,
        ),
    fromRollups
      ? queryRows<{ month: string; n: number }>(
          db,
          sql`select substr(day, 1, 7) as month, sum(n)::int as n from ${caseStatsArea}
            where ${rollupArea(caseStatsArea, path)} and day >= ${yearFirstDay} group by 1 order by 1`,
        )
      : queryRows<{ month: string; n: number }>(
          db,
          sql`select to_char(${cases.reportedAt} at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n
        from ${cases} where ${within} and ${cases.reportedAt} >= ${yearStart} group by 1 order by 1`,
        ),
    fromRollups
      ? queryRows<{ id: number; n: number; on_time: number; resolved: number }>(
          db,
          sql`select department_id as id, sum(n)::int as n, sum(closed_on_time)::int as on_time, sum(resolved)::int as resolved
            from ${caseStatsDepartment} where ${rollupArea(caseStatsDepartment, path)} and day >= ${from30}
            group by department_id having sum(n) > 0`,
        )
      : queryRows<{ id: number; n: number; on_time: number; resolved: number }>(
          db,
          sql`select d as id, count(*)::int as n,
          count(*) filter (where ${cases.resolvedOnTime})::int as on_time,
          count(*) filter (where ${cases.resolvedOnTime} is not null)::int as resolved
        from ${cases}, unnest(${cases.departmentIds}) as d
        where ${within} and ${cases.reportedAt} >= ${from30Start} group by d`,
        ),
    caseMetrics(db, actor, { ...(areaId ? { orgUnitId: areaId } : {}), from: from30, to: today }),
    governanceRead,
  ]);
  const days = Array.from({ length: 30 }, (_, i) => localDay(Date.now() - (29 - i) * dayMs));
  const reply = presentDashboard(actor, view, book, {
    counts,
    days,
    trend,
    closedTrend,
    months,
    departments,
    metrics,
  });
  return governance ? { ...reply, governance } : reply;
}
