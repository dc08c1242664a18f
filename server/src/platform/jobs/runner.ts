import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, queryRows } from '../db.js';
import { errorForLog } from '../logging.js';
import { jobRuns } from './tables.js';

/**
 * When a job runs: every `everyMs`, or once a day at `dailyAt` ("HH:MM", China Standard
 * Time — the platform's working day, UTC+8 all year round, so no DST to handle).
 */
export type Schedule = { everyMs: number } | { dailyAt: string };

/** What a run reports: counts only, never personal data (it is logged and shown to the admin). */
export type JobCounts = Record<string, number>;

export interface JobDefinition<S extends z.ZodType> {
  /** Stable: the key of its row and of its lock; renaming a job starts its history afresh. */
  name: string;
  schedule: Schedule;
  /** The first run after start comes this much later (default: at once), whatever the table says. */
  startDelayMs?: number;
  /** Run once more when the runner stops (the audit anchor: a clean stop leaves the head anchored). */
  runOnStop?: boolean;
  /** How long a run may hold the job before another process takes a stale lease over (default 15 min). */
  leaseMs?: number;
  /** The payload a run is given; a scheduled run parses `undefined` (give the schema defaults). */
  payload?: S;
  run(payload: z.infer<S>): Promise<JobCounts | undefined>;
}

/** A registered job, its payload type erased: the runner parses the payload before the handler sees it. */
export interface Job {
  name: string;
  schedule: Schedule;
  startDelayMs: number;
  runOnStop: boolean;
  leaseMs: number;
  run(payload: unknown): Promise<JobCounts>;
}

export function defineJob<S extends z.ZodType = z.ZodUndefined>(def: JobDefinition<S>): Job {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(def.name)) throw new Error(`job name ${def.name} is not kebab-case`);
  return {
    name: def.name,
    schedule: def.schedule,
    startDelayMs: def.startDelayMs ?? 0,
    runOnStop: def.runOnStop ?? false,
    leaseMs: def.leaseMs ?? 15 * 60_000,
    run: async (payload) => {
      // Without a schema the job takes no payload: what it is given is ignored.
      const parsed: z.infer<S> = def.payload ? def.payload.parse(payload) : (undefined as z.infer<S>);
      return (await def.run(parsed)) ?? {};
    },
  };
}

const chinaOffsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;

/** The first time strictly after `after` at which the schedule fires. */
export function nextRunAfter(schedule: Schedule, after: Date): Date {
  if ('everyMs' in schedule) return new Date(after.getTime() + schedule.everyMs);
  const [h, m] = schedule.dailyAt.split(':').map(Number);
  const local = after.getTime() + chinaOffsetMs;
  const midnight = local - (((local % dayMs) + dayMs) % dayMs);
  let at = midnight + ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
  if (at <= local) at += dayMs;
  return new Date(at - chinaOffsetMs);
}

export interface JobLog {
  debug(o: object, msg: string): void;
  info(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/** What one attempt came to: it ran (ok or not), another process holds it, or it is not due yet. */
export type Attempt =
  | { outcome: 'ran'; ok: boolean; counts: JobCounts; error: string | null; nextRunAt: Date }
  | { outcome: 'busy' }
  | { outcome: 'notDue'; nextRunAt: Date };

export interface JobStatus {
  name: string;
  schedule: Schedule;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
  lastError: string | null;
  lastResult: JobCounts | null;
  nextRunAt: Date | null;
  runningSince: Date | null;
}

export interface JobRunner {
  register(job: Job): void;
  jobs(): Job[];
  /** Starts the timers (unref'd: they never keep the process alive). */
  start(): void;
  /** Runs a job now, due or not, unless a run of it is going on somewhere. */
  runNow(name: string, payload?: unknown): Promise<Attempt>;
  /** The registered jobs with their last and next run, in registration order. */
  status(): Promise<JobStatus[]>;
  /** Stops the timers and waits for running jobs (and then the `runOnStop` ones). */
  stop(): Promise<void>;
}

/** Advisory lock keys of jobs live under their own first key, apart from the single-key locks. */
const lockSpace = 0x63676a62;

/** FNV-1a, as a signed 32-bit integer: the lock's second key, stable across processes and releases. */
export function jobLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(name, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Claims a run: under the job's transaction-scoped advisory lock (so two processes never
 * claim at once), checks that no lease is live and — unless forced — that the job is due,
 * then takes the lease. The handler then runs outside any transaction: on PGlite a
 * transaction held across the handler would block the handler's own queries.
 */
async function claim(db: Db, job: Job, now: Date, force: boolean): Promise<Attempt | { outcome: 'claimed' }> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${lockSpace}, ${jobLockKey(job.name)}) as ok`,
    );
    if (!lock?.ok) return { outcome: 'busy' as const };
    const [row] = await tx.select().from(jobRuns).where(eq(jobRuns.name, job.name));
    if (row?.runningSince && now.getTime() - row.runningSince.getTime() < job.leaseMs)
      return { outcome: 'busy' as const };
    if (!force && row?.nextRunAt && row.nextRunAt > now)
      return { outcome: 'notDue' as const, nextRunAt: row.nextRunAt };
    const set = { lastRunAt: now, runningSince: now, nextRunAt: nextRunAfter(job.schedule, now) };
    await tx
      .insert(jobRuns)
      .values({ name: job.name, ...set })
      .onConflictDoUpdate({ target: jobRuns.name, set });
    return { outcome: 'claimed' as const };
  });
}

/** Records the end of a run and gives the lease back (only the lease this run took). */
async function finish(
  db: Db,
  job: Job,
  started: Date,
  counts: JobCounts,
  error: string | null,
): Promise<Date> {
  const end = new Date();
  const planned = nextRunAfter(job.schedule, started);
  // A run longer than the interval goes again from its end, not in a burst of missed turns.
  const next = planned > end ? planned : nextRunAfter(job.schedule, end);
  await db
    .update(jobRuns)
    .set({ lastFinishedAt: end, lastError: error, lastResult: counts, nextRunAt: next, runningSince: null })
    .where(and(eq(jobRuns.name, job.name), eq(jobRuns.runningSince, started)));
  return next;
}

/** Timers beyond this are clamped (setTimeout's limit is about 24.8 days). */
const maxDelayMs = 2 ** 31 - 1;

export function createJobRunner({ db, log }: { db: Db; log: JobLog }): JobRunner {
  const registered = new Map<string, Job>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<Attempt>>();
  let started = false;
  let stopping = false;

  async function execute(job: Job, payload: unknown, force: boolean): Promise<Attempt> {
    const now = new Date();
    const claimed = await claim(db, job, now, force);
    if (claimed.outcome !== 'claimed') return claimed;
    log.debug({ job: job.name }, 'job started');
    let counts: JobCounts = {};
    let error: string | null = null;
    try {
      counts = await job.run(payload);
    } catch (err) {
      const e = errorForLog(err);
      error = `${e.type}: ${e.message}`;
      log.error({ job: job.name, err }, 'job failed');
    }
    const nextRunAt = await finish(db, job, now, counts, error);
    const durationMs = Date.now() - now.getTime();
    // A sweep that found nothing every 30 s would drown the log at info.
    const quiet = error === null && Object.values(counts).every((n) => n === 0);
    if (quiet) log.debug({ job: job.name, durationMs, ...counts }, 'job finished');
    else if (error === null) log.info({ job: job.name, durationMs, ...counts }, 'job finished');
    return { outcome: 'ran', ok: error === null, counts, error, nextRunAt };
  }

  /** One run at a time per job in this process; the lease keeps the other processes off it. */
  function attempt(job: Job, payload: unknown, force: boolean): Promise<Attempt> {
    const current = running.get(job.name);
    if (current) return Promise.resolve({ outcome: 'busy' });
    const run = execute(job, payload, force).finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  }

  function plan(job: Job, delayMs: number, force: boolean) {
    if (stopping) return;
    const timer = setTimeout(() => void tick(job, force), Math.min(Math.max(delayMs, 0), maxDelayMs));
    timer.unref();
    timers.set(job.name, timer);
  }

  async function tick(job: Job, force: boolean) {
    let next: Date;
    try {
      const result = await attempt(job, undefined, force);
      // Busy: another process runs it now; look again at its next turn.
      next = result.outcome === 'busy' ? nextRunAfter(job.schedule, new Date()) : result.nextRunAt;
    } catch (err) {
      // The database was unreachable (or the claim failed): try again at the next turn.
      log.error({ job: job.name, err }, 'job could not be claimed or recorded');
      next = nextRunAfter(job.schedule, new Date());
    }
    plan(job, next.getTime() - Date.now(), false);
  }

  return {
    register(job) {
      if (registered.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
      registered.set(job.name, job);
      if (started) plan(job, job.startDelayMs, true);
    },
    jobs: () => [...registered.values()],
    start() {
      if (started) return;
      started = true;
      // The first turn after start runs whatever the table says, as the loops before the
      // runner did: a sweep at boot catches up after downtime, an anchor seals the head.
      for (const job of registered.values()) plan(job, job.startDelayMs, true);
    },
    async runNow(name, payload) {
      const job = registered.get(name);
      if (!job) throw new Error(`no job ${name}`);
      return attempt(job, payload, true);
    },
    async status() {
      const list = [...registered.values()];
      if (list.length === 0) return [];
      const rows = await db
        .select()
        .from(jobRuns)
        .where(
          inArray(
            jobRuns.name,
            list.map((j) => j.name),
          ),
        );
      const byName = new Map(rows.map((r) => [r.name, r]));
      return list.map((job) => {
        const r = byName.get(job.name);
        return {
          name: job.name,
          schedule: job.schedule,
          lastRunAt: r?.lastRunAt ?? null,
          lastFinishedAt: r?.lastFinishedAt ?? null,
          lastError: r?.lastError ?? null,
          lastResult: r?.lastResult ?? null,
          nextRunAt: r?.nextRunAt ?? null,
          runningSince: r?.runningSince ?? null,
        };
      });
    },
    async stop() {
      stopping = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(running.values());
      if (!started) return;
      started = false;
      for (const job of registered.values()) {
        if (!job.runOnStop) continue;
        try {
          await attempt(job, undefined, true);
        } catch (err) {
          log.error({ job: job.name, err }, 'job could not be claimed or recorded');
        }
      }
    },
  };
}
