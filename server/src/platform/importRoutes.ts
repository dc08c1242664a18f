import { idParam } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from './deps.js';
import { actorOf, sendXlsx } from './http.js';
import { errorReport, loadImport } from './importer.js';

const tags = ['imports'];

/** An import's progress and its error report, for whoever started it. */
export const importRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/imports/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: idParam,
          response: {
            200: z.object({
              id: z.string(),
              kind: z.string(),
              status: z.enum(['queued', 'running', 'done', 'failed']),
              fileName: z.string(),
              total: z.number(),
              imported: z.number(),
              unchanged: z.number(),
              failed: z.number(),
              message: z.string().nullable(),
              errorReportUrl: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => {
        const job = await loadImport(db, actorOf(req), req.params.id);
        return {
          id: job.id,
          kind: job.kind,
          status: job.status,
          fileName: job.fileName,
          total: job.total,
          imported: job.imported,
          unchanged: job.unchanged,
          failed: job.failed,
          message: job.message,
          errorReportUrl: job.failed > 0 ? `/api/imports/${job.id}/errors.xlsx` : null,
        };
      },
    );
    app.get(
      '/api/imports/:id/errors.xlsx',
      { config: { access: 'authenticated', rateLimit: 'export' }, schema: { tags, params: idParam } },
      async (req, reply) =>
        sendXlsx(
          reply,
          await errorReport(await loadImport(db, actorOf(req), req.params.id)),
          'import-errors.xlsx',
          '导入错误报告.xlsx',
        ),
    );
  };
