import { type JobView, jobList } from '@civicgrid/core/api/jobs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
  (runner: JobRunner): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['platform'];
    app.get(
      '/api/admin/jobs',
      { config: { access: 'system:configure' }, schema: { tags, response: { 200: jobList } } },
      async () => ({ items: (await runner.status()).map(presentJob) }),
    );
  };
