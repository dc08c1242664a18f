import type { ReportContent } from '@civicgrid/core/api/reports';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { type ScoreRow, scorecard } from '../assessment/service.js';

const listed = 10;

type Ranked = ScoreRow & { score: number; rank: number };

/** The top ten and the bottom ten of a worker scorecard, for the 讲评 (every worker is scored). */
export function workerRanking(rows: ScoreRow[]): NonNullable<ReportContent['ranking']> {
  const sorted = rows
    .filter((r): r is Ranked => r.rank !== null && r.score !== null)
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name, 'zh'));
  const items = new Map<string, string>();
  for (const r of sorted) for (const i of r.items) if (!items.has(i.key)) items.set(i.key, i.label);
  const line = (r: Ranked) => ({
    rank: r.rank,
    name: r.name,
    areaName: r.areaName,
    score: r.score,
    points: Object.fromEntries(r.items.map((i) => [i.key, i.points])),
  });
  return {
    total: sorted.length,
    items: [...items].map(([key, label]) => ({ key, label })),
    top: sorted.slice(0, listed).map(line),
    // Those already listed at the top are not listed again at the bottom.
    bottom: sorted.slice(Math.max(listed, sorted.length - listed)).map(line),
  };
}

/**
 * The scorecards of the assessment module that the reports show: grid workers, and for the
 * bulletin departments. This is the one place the reports call that module.
 */
export async function rankings(
  db: Db,
  actor: Actor,
  q: { period: 'week' | 'month'; start: string; orgUnitId: number; departments: boolean },
): Promise<{
  workers: ReportContent['ranking'];
  departments: Map<number, { score: number | null; rank: number | null }> | null;
}> {
  const card = (level: 'worker' | 'department') =>
    scorecard(db, actor, { level, period: q.period, start: q.start, orgUnitId: q.orgUnitId });
  const [workers, departments] = await Promise.all([
    card('worker'),
    q.departments ? card('department') : Promise.resolve(null),
  ]);
  return {
    workers: workerRanking(workers.rows),
    departments: departments
      ? new Map(departments.rows.map((d) => [Number(d.id), { score: d.score, rank: d.rank }]))
      : null,
  };
}
