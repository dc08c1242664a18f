import type { Db } from '../../platform/db.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import {
  ensureMonthlyPartitions,
  expireMonthlyPartitions,
  type MonthlyTable,
  monthPartitionName,
} from '../../platform/partitions.js';

/**
 * `device_telemetry` is partitioned by calendar month (UTC), one table per month named
 * `device_telemetry_YYYYMM` (platform/partitions.ts). A reading for a month without its
 * partition would fail to be stored (telemetry has no default partition: a reading dated far
 * off is refused rather than kept), so the partitions of this month and the next are made
 * ahead, at start and daily; retention drops whole months once their last day is older than
 * the retention period — health readings are not kept beyond it, not even detached.
 */
export const telemetryTable: MonthlyTable = { table: 'device_telemetry', column: 'ts' };

export function partitionName(d: Date): string {
  return monthPartitionName(telemetryTable.table, d);
}

/** Makes the partitions of `now`'s month and the `ahead` months after it; returns the names made. */
export async function ensureTelemetryPartitions(db: Db, now = new Date(), ahead = 1): Promise<string[]> {
  return ensureMonthlyPartitions(db, telemetryTable, { now, ahead });
}

/** Drops the monthly partitions that end before now − retention; returns how many. */
export async function dropExpiredTelemetry(db: Db, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return (await expireMonthlyPartitions(db, telemetryTable, { cutoff, mode: 'drop' })).length;
}

/** Daily: next month's partition made ahead, expired months dropped. */
export function telemetryPartitionJob(db: Db, retentionDays: number): Job {
  return defineJob({
    name: 'eldercare-telemetry-partitions',
    schedule: { everyMs: 24 * 3_600_000 },
    startDelayMs: 5_000,
    run: async () => ({
      made: (await ensureTelemetryPartitions(db)).length,
      dropped: await dropExpiredTelemetry(db, retentionDays),
    }),
  });
}
