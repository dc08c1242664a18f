import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One row per timed job, kept by the jobs runner: the last run and the next one. Shared by
 * every server process, so a job run by one of them is not due again for the others.
 */
export const jobRuns = pgTable('job_runs', {
  name: text('name').primaryKey(),
  /** Start of the latest run (still going while `running_since` is set). */
  lastRunAt: ts('last_run_at').notNull(),
  lastFinishedAt: ts('last_finished_at'),
  /** Null when the last run succeeded; the error's kind and message otherwise (no statement, no data). */
  lastError: text('last_error'),
  /** The counts the handler returned (cases warned, rows anonymised, …). */
  lastResult: jsonb('last_result').$type<Record<string, number>>(),
  nextRunAt: ts('next_run_at'),
  /**
   * Set while a process runs the job: the lease that keeps the others off it. A process that
   * died mid-run leaves it set; after the job's lease time another may take over.
   */
  runningSince: ts('running_since'),
});
