import { recordAuditDetachment } from './audit/detach.js';
import { type AuditSeal, sealOf } from './audit/trail.js';
import type { Config } from './config.js';
import type { Db } from './db.js';
import { defineJob, type Job } from './jobs/runner.js';
import {
  type EnsureOptions,
  ensureMonthlyPartitions,
  expireMonthlyPartitions,
  type MonthlyTable,
  monthsBefore,
} from './partitions.js';

/**
 * The history tables partitioned by month (migration `history_partitions`), each with a
 * DEFAULT partition as the safety net: the audit trail, case events and patrol tracks. Device
 * telemetry is partitioned too but kept by its module (eldercare/partitions.ts: dropped, not
 * detached, after TELEMETRY_RETENTION_DAYS).
 */
export const historyTables = {
  audit: { table: 'audit_log', column: 'at' },
  caseEvents: { table: 'case_events', column: 'at' },
  patrolPoints: { table: 'patrol_points', column: 'at' },
} as const satisfies Record<string, MonthlyTable>;

export type HistoryTable = keyof typeof historyTables;

/** Months each table stays attached; 0 = never detached. The audit trail's is ≥ 6 (config.ts refuses less). */
export type HistoryRetention = Record<HistoryTable, number>;

export const historyRetentionOf = (config: Config): HistoryRetention => ({
  audit: config.AUDIT_RETENTION_MONTHS,
  caseEvents: config.CASE_EVENTS_RETENTION_MONTHS,
  patrolPoints: config.PATROL_POINTS_RETENTION_MONTHS,
});

/** Makes this month's and next month's partitions of every history table (and back to `since`). */
export async function ensureHistoryPartitions(db: Db, opts: EnsureOptions = {}): Promise<number> {
  let made = 0;
  for (const t of Object.values(historyTables)) made += (await ensureMonthlyPartitions(db, t, opts)).length;
  return made;
}

/**
 * Detaches the months that ended before now − retention, oldest first. The audit trail's
 * retention may never be under six months, whatever the caller passes; its cut is recorded
 * (audit/detach.ts) so the chain still verifies from there.
 */
export async function detachExpiredHistory(
  db: Db,
  retention: HistoryRetention,
  now = new Date(),
  seal: AuditSeal = sealOf(db),
): Promise<number> {
  if (retention.audit < 6) throw new Error('AUDIT_RETENTION_MONTHS must be at least 6 (等保)');
  let detached = 0;
  for (const [key, t] of Object.entries(historyTables) as [HistoryTable, MonthlyTable][]) {
    const months = retention[key];
    if (months <= 0) continue;
    const before =
      key === 'audit'
        ? (tx: Db, p: { name: string; from: Date; to: Date }) => recordAuditDetachment(tx, seal, p, now)
        : undefined;
    const gone = await expireMonthlyPartitions(db, t, {
      cutoff: monthsBefore(now, months),
      mode: 'detach',
      ...(before ? { before } : {}),
    });
    detached += gone.length;
  }
  return detached;
}

/** Daily: the coming month's partitions made ahead (and strays in a default moved out), expired months detached. */
export function historyPartitionJob(db: Db, retention: HistoryRetention): Job {
  return defineJob({
    name: 'history-partitions',
    schedule: { dailyAt: '02:10' },
    startDelayMs: 5_000,
    run: async () => ({
      made: await ensureHistoryPartitions(db),
      detached: await detachExpiredHistory(db, retention),
    }),
  });
}
