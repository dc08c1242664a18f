import { intId } from '@civicgrid/core/api/common';
import { dashboardReply } from '@civicgrid/core/api/dashboard';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http.js';
import { dashboard } from './service.js';

export const dashboardRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/dashboard',
      {
        config: { access: 'metrics:read' },
        schema: {
          tags: ['dashboard'],
          querystring: z.object({ orgUnitId: intId.optional() }),
          response: { 200: dashboardReply },
        },
      },
      async (req) => dashboard(deps.db, actorOf(req), req.query.orgUnitId),
    );
  };
