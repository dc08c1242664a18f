import { desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, createTestDatabase, type TestContext } from '../../test/harness.js';
import { auditLog } from '../audit/tables.js';
import type { Database } from '../db.js';
import { createJobRunner, defineJob, type JobRunner, nextRunAfter } from './runner.js';
import { jobRuns } from './tables.js';

const quiet = { debug: () => undefined, info: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise and the function that settles it: a handler that runs until the test lets it go. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { opened, open };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

describe('the jobs runner', () => {
  let database: Database;
  const runners: JobRunner[] = [];
  const runner = () => {
    const r = createJobRunner({ db: database.db, log: quiet });
    runners.push(r);
    return r;
  };
  const rowOf = async (name: string) =>
    (await database.db.select().from(jobRuns).where(eq(jobRuns.name, name)))[0];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(() => database.close());

  it('runs a job at start and then on its schedule, and records the last and the next run', async () => {
    const r = runner();
    let runs = 0;
    r.register(defineJob({ name: 'tick', schedule: { everyMs: 40 }, run: async () => ({ n: ++runs }) }));
    r.start();
    await until(() => runs >= 3);
    await r.stop();
    const row = await rowOf('tick');
    expect(row?.lastError).toBeNull();
    expect(row?.runningSince).toBeNull();
    expect(row?.lastResult).toEqual({ n: runs });
    // The next turn is one interval after the start (or after the end, had the run been longer).
    expect((row?.nextRunAt?.getTime() ?? 0) - (row?.lastRunAt.getTime() ?? 0)).toBeGreaterThanOrEqual(40);
  });

  it('two runners on one database never run the same job at once', async () => {
    const release = gate();
    let active = 0;
    let most = 0;
    let runs = 0;
    const job = () =>
      defineJob({
        name: 'slow',
        schedule: { everyMs: 20 },
        run: async () => {
          runs++;
          active++;
          most = Math.max(most, active);
          await release.opened;
          active--;
          return {};
        },
      });
    const a = runner();
    const b = runner();
    a.register(job());
    b.register(job());
    a.start();
    b.start();
    await until(() => runs === 1);
    // Both runners tick several times while the one run holds the job.
    await sleep(200);
    expect(runs).toBe(1);
    expect(await b.runNow('slow')).toEqual({ outcome: 'busy' });
    expect(await a.runNow('slow')).toEqual({ outcome: 'busy' });
    release.open();
    await until(() => runs >= 3);
    expect(most).toBe(1);
  });

  it('a failing job records its error and runs again at its next turn', async () => {
    const r = runner();
    let runs = 0;
    // The second run waits until the test has read the first one's error, so a fast second
    // turn cannot clear the error before the test looks.
    const seen = gate();
    r.register(
      defineJob({
        name: 'flaky',
        schedule: { everyMs: 30 },
        run: async () => {
          runs++;
          if (runs === 1) throw new Error('collector unreachable');
          await seen.opened;
          return { done: 1 };
        },
      }),
    );
    r.start();
    await until(async () => (await rowOf('flaky'))?.lastError != null);
    expect((await rowOf('flaky'))?.lastError).toBe('Error: collector unreachable');
    seen.open();
    await until(() => runs >= 2);
    await until(async () => (await rowOf('flaky'))?.lastError === null);
    expect((await rowOf('flaky'))?.lastResult).toEqual({ done: 1 });
  });

  it('stop waits for a running job, then runs the ones that run at stop', async () => {
    const release = gate();
    const order: string[] = [];
    const r = runner();
    r.register(
      defineJob({
        name: 'long',
        schedule: { everyMs: 60_000 },
        run: async () => {
          order.push('long started');
          await release.opened;
          order.push('long finished');
          return {};
        },
      }),
    );
    r.register(
      defineJob({
        name: 'seal',
        schedule: { everyMs: 60_000 },
        startDelayMs: 60_000,
        runOnStop: true,
        run: async () => {
          order.push('seal');
          return {};
        },
      }),
    );
    r.start();
    await until(() => order.length === 1);
    let stopped = false;
    const stopping = r.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(order).toEqual(['long started', 'long finished', 'seal']);
  });

  it('runners share the schedule: a job one of them ran is not due for the other', async () => {
    let runs = 0;
    const job = defineJob({ name: 'shared', schedule: { everyMs: 50 }, run: async () => ({ n: ++runs }) });
    const a = runner();
    const b = runner();
    a.register(job);
    b.register(job);
    a.start();
    b.start();
    await sleep(1000);
    await Promise.all([a.stop(), b.stop()]);
    // About 20 turns of 50 ms, plus each runner's run at start; two own clocks would give ~40.
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(28);
  });

  it('a manual run does not wait for the turn', async () => {
    let runs = 0;
    const r = runner();
    r.register(
      defineJob({ name: 'hourly', schedule: { everyMs: 3_600_000 }, run: async () => ({ n: ++runs }) }),
    );
    expect(await r.runNow('hourly')).toMatchObject({ outcome: 'ran', ok: true, counts: { n: 1 } });
    expect(await r.runNow('hourly')).toMatchObject({ outcome: 'ran', ok: true, counts: { n: 2 } });
  });

  it('validates a payload before the handler sees it', async () => {
    const r = runner();
    const seen: number[] = [];
    r.register(
      defineJob({
        name: 'with-payload',
        schedule: { everyMs: 3_600_000 },
        payload: z.object({ days: z.number().int().positive().default(7) }).default({ days: 7 }),
        run: async ({ days }) => {
          seen.push(days);
          return { days };
        },
      }),
    );
    expect(await r.runNow('with-payload')).toMatchObject({ outcome: 'ran', ok: true });
    expect(await r.runNow('with-payload', { days: 3 })).toMatchObject({ outcome: 'ran', ok: true });
    expect(await r.runNow('with-payload', { days: -1 })).toMatchObject({ outcome: 'ran', ok: false });
    expect(seen).toEqual([7, 3]);
  });

  it('a daily job runs next at its time in China Standard Time', () => {
    const at3 = { dailyAt: '03:00' };
    // 02:59 in Beijing is 18:59 UTC the day before.
    expect(nextRunAfter(at3, new Date('2026-05-01T18:59:00Z')).toISOString()).toBe(
      '2026-05-01T19:00:00.000Z',
    );
    expect(nextRunAfter(at3, new Date('2026-05-01T19:00:00Z')).toISOString()).toBe(
      '2026-05-02T19:00:00.000Z',
    );
  });
});

describe('GET /api/admin/jobs', () => {
  let t: TestContext;
  let admin: Session;
  let worker: Session;

  beforeAll(async () => {
    t = await createTestApp();
    const territory = await makeTerritory(t.deps.db);
    await makeUser(t.deps, { username: 'sysadmin', roles: ['systemAdmin'], orgUnit: territory.district });
    await makeUser(t.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    admin = await login(t.app, 'sysadmin');
    worker = await login(t.app, 'worker');
  });
  afterAll(() => t.close());

  it('lists the platform jobs with their schedule, last run and next run to the system admin', async () => {
    const before = (await admin.get('/api/admin/jobs')).json();
    expect(before.items.map((j: { name: string }) => j.name)).toEqual([
      'case-deadlines',
      'care-retention',
      'wish-escalation',
      'property-clock',
      'application-deadlines',
      'audit-anchor',
      'history-partitions',
      'eldercare-telemetry-partitions',
      'eldercare-offline-devices',
      'routing-train',
      'hotline-callbacks',
    ]);
    expect(before.items[0]).toMatchObject({ schedule: { everyMs: 30_000 }, lastRun: null, running: false });
    await t.app.jobs.runNow('care-retention');
    const after = (await admin.get('/api/admin/jobs')).json();
    const care = after.items.find((j: { name: string }) => j.name === 'care-retention');
    expect(care).toMatchObject({
      schedule: { everyMs: 3_600_000 },
      lastRun: { ok: true, error: null, counts: { anonymised: 0 } },
      running: false,
    });
    expect(care.lastRun.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(care.nextRunAt) - Date.parse(care.lastRun.startedAt)).toBe(3_600_000);
  });

  it('runs a job now for the system admin, audited, and says so when it is running already', async () => {
    const res = await admin.post('/api/admin/jobs/case-deadlines/run', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      outcome: 'ran',
      job: { name: 'case-deadlines', lastRun: { ok: true, counts: { warned: 0, overdue: 0, escalated: 0 } } },
    });
    const [row] = await t.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'job.ranManually'))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row).toMatchObject({
      targetType: 'job',
      targetId: 'case-deadlines',
      actorName: 'sysadmin',
      payload: { outcome: 'ran', ok: true },
    });
    // A run another server holds: the lease is live, nothing starts.
    await t.deps.db
      .update(jobRuns)
      .set({ runningSince: new Date() })
      .where(eq(jobRuns.name, 'case-deadlines'));
    const busy = await admin.post('/api/admin/jobs/case-deadlines/run', {});
    expect(busy.json()).toMatchObject({ outcome: 'busy', job: { running: true } });
    await t.deps.db.update(jobRuns).set({ runningSince: null }).where(eq(jobRuns.name, 'case-deadlines'));
    expect((await admin.post('/api/admin/jobs/no-such-job/run', {})).statusCode).toBe(404);
  });

  it('is refused to a role without system configuration', async () => {
    expect((await worker.get('/api/admin/jobs')).statusCode).toBe(403);
    expect((await worker.post('/api/admin/jobs/case-deadlines/run', {})).statusCode).toBe(403);
  });
});
