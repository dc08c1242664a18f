import type { Db } from '../../platform/db.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import { anonymiseExpiredCare } from './service.js';

/** The retention job: hourly, first ten seconds after start (the boot's own work goes first). */
export function careRetentionJob(db: Db): Job {
  return defineJob({
    name: 'care-retention',
    schedule: { everyMs: 3_600_000 },
    startDelayMs: 10_000,
    run: async () => ({ anonymised: await anonymiseExpiredCare(db) }),
  });
}
