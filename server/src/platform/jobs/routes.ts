import { type JobView, jobList, jobNameParam, jobRunResult } from '@civicgrid/core/api/jobs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appendAudit } from '../audit/trail.js';
import { auditActorOf } from '../auth/service.js';
import type { Db } from '../db.js';
import { AppError } from '../errors.js';
import { actorOf, requestMeta } from '../http.js';
import type { JobRunner, JobStatus } from './runner.js';

/** A job's row as the admin sees it: times as ISO strings, a run in progress told apart. */
export function presentJob(s: JobStatus): JobView {
  const finished =
    s.lastFinishedAt && s.lastRunAt && s.lastFinishedAt >= s.lastRunAt ? s.lastFinishedAt : null;
  return {
    name: s.name,
    schedule: s.schedule,
    lastRun: s.lastRunAt
      ? {
          startedAt: s.lastRunAt.toISOString(),
          finishedAt: finished?.toISOString() ?? null,
          durationMs: finished ? finished.getTime() - s.lastRunAt.getTime() : null,
          ok: finished ? s.lastError === null : null,
          error: finished ? s.lastError : null,
          counts: finished ? (s.lastResult ?? {}) : {},
        }
      : null,
    running: s.runningSince !== null,
    nextRunAt: s.nextRunAt?.toISOString() ?? null,
  };
}

/** The timed jobs, for the system admin (system configuration is the system admin's duty). */
export const jobRoutes =
  (runner: JobRunner, db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['platform'];
    app.get(
      '/api/admin/jobs',
      { config: { access: 'system:configure' }, schema: { tags, response: { 200: jobList } } },
      async () => ({ items: (await runner.status()).map(presentJob) }),
    );
    app.post(
      '/api/admin/jobs/:name/run',
      {
        config: { access: 'system:configure' },
        schema: { tags, params: jobNameParam, response: { 200: jobRunResult } },
      },
      async (req) => {
        const { name } = req.params;
        if (!runner.jobs().some((j) => j.name === name)) throw new AppError('NOT_FOUND');
        // Waits for the run: the reply says how it went. A run going on (here or on another
        // server) is not started twice.
        const attempt = await runner.runNow(name);
        const ran = attempt.outcome === 'ran';
        await appendAudit(db, auditActorOf(actorOf(req), requestMeta(req)), {
          action: 'job.ranManually',
          targetType: 'job',
          targetId: name,
          payload: { outcome: attempt.outcome, ok: ran ? attempt.ok : null },
        });
        const status = (await runner.status()).find((s) => s.name === name);
        if (!status) throw new AppError('NOT_FOUND');
        return { outcome: ran ? ('ran' as const) : ('busy' as const), job: presentJob(status) };
      },
    );
  };
