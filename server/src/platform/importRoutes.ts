import { idParam } from '@civicgrid/core/api/common';
import { importJob } from '@civicgrid/core/api/imports';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.js';
import { fieldError } from './errors.js';
import { readUpload } from './files.js';
import { actorOf, sendXlsx } from './http.js';
import { errorReport, loadImport, maxImportBytes } from './importer.js';

const tags = ['imports'];

/** The spreadsheet of an import request (`POST /api/imports/<kind>`): one file, at most 50 MB. */
export function readImportUpload(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
  return readUpload(req, maxImportBytes, () =>
    fieldError('file', 'maxSize', 'IMPORT_FILE_TOO_LARGE', { maxMb: maxImportBytes / (1024 * 1024) }),
  );
}

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
          response: { 200: importJob },
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
