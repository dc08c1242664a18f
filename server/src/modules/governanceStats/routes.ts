import { governanceStats, governanceStatsQuery } from '@civicgrid/core/api/governanceStats';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { exportGovernanceStats } from './export.js';
import { governanceStatsOf } from './service.js';

const tags = ['governance'];

/** 综治统计 (issue 16 item 8): figures only; a grid worker holds no governance:stats. */
export const governanceStatsRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/governance/stats',
      {
        config: { access: 'governance:stats' },
        schema: { tags, querystring: governanceStatsQuery, response: { 200: governanceStats } },
      },
      async (req) => governanceStatsOf(db, actorOf(req), req.query),
    );
    app.get(
      '/api/governance/stats/export.xlsx',
      {
        config: { access: 'governance:stats', rateLimit: 'export' },
        schema: { tags, querystring: governanceStatsQuery },
      },
      async (req, reply) => {
        const { file, day } = await exportGovernanceStats(db, actorOf(req), req.query, requestMeta(req));
        return sendXlsx(reply, file, `governance-stats-${day}.xlsx`, `综治统计-${day}.xlsx`);
      },
    );
  };
