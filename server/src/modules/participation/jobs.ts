import type { Db } from '../../platform/db.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import { escalateUnclaimedWishes } from './wishes.js';

/** 微心愿 unclaimed past the limit are told to their community: hourly, after the boot's own work. */
export function wishEscalationJob(db: Db): Job {
  return defineJob({
    name: 'wish-escalation',
    schedule: { everyMs: 3_600_000 },
    startDelayMs: 20_000,
    run: async () => ({ escalated: await escalateUnclaimedWishes(db) }),
  });
}
