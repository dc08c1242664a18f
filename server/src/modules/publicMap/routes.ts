import { publicReportList, publicReportQuery } from '@civicgrid/core/api/publicReports';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { publicReports } from './service.js';

/** The public map of reports (FixMyStreet-like): open to anyone, counted per address like Open311's reads. */
export const publicMapRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/public/reports',
      {
        config: { access: 'public', rateLimit: 'open311Read' },
        schema: { tags: ['public'], querystring: publicReportQuery, response: { 200: publicReportList } },
      },
      async (req) => publicReports(deps.db, req.query),
    );
  };
