import { z } from 'zod';

/** When a job runs: every `everyMs`, or daily at `dailyAt` (HH:MM, China Standard Time). */
export const jobSchedule = z.union([
  z.object({ everyMs: z.number().int().positive() }),
  z.object({ dailyAt: z.string().regex(/^\d{2}:\d{2}$/) }),
]);
export type JobSchedule = z.infer<typeof jobSchedule>;

/** One timed job as the system admin sees it: what it is, its last run and its next. */
export const jobView = z.object({
  /** Stable name (`case-deadlines`, `care-retention`, `audit-anchor`); the console names it in words. */
  name: z.string(),
  schedule: jobSchedule,
  /** Null: never run on this installation. */
  lastRun: z
    .object({
      startedAt: z.string(),
      /** Null while it runs (or when the process running it died). */
      finishedAt: z.string().nullable(),
      durationMs: z.number().int().nullable(),
      ok: z.boolean().nullable(),
      /** The error's kind and message, never data. */
      error: z.string().nullable(),
      /** What the run counted (cases warned, rows anonymised, …). */
      counts: z.record(z.string(), z.number()),
    })
    .nullable(),
  running: z.boolean(),
  nextRunAt: z.string().nullable(),
});
export type JobView = z.infer<typeof jobView>;

/** `GET /api/admin/jobs` (system:configure). */
export const jobList = z.object({ items: z.array(jobView) });
export type JobList = z.infer<typeof jobList>;

/** `POST /api/admin/jobs/{name}/run` (system:configure): what the run came to. */
export const jobRunResult = z.object({
  /** `busy`: it is running now (here or on another server); nothing was started. */
  outcome: z.enum(['ran', 'busy']),
  job: jobView,
});
export type JobRunResult = z.infer<typeof jobRunResult>;

/** The job a run-now names. */
export const jobNameParam = z.object({ name: z.string().max(64) });
