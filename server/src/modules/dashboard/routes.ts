import { dashboardQuery, dashboardReply, todoReply } from '@civicgrid/core/api/dashboard';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http.js';
import { dashboard } from './service.js';
import { todos } from './todos.js';

export const dashboardRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/dashboard',
      {
        config: { access: 'metrics:read' },
        schema: { tags: ['dashboard'], querystring: dashboardQuery, response: { 200: dashboardReply } },
      },
      async (req) => dashboard(deps.db, actorOf(req), req.query.orgUnitId),
    );
    app.get(
      '/api/dashboard/todos',
      {
        config: { access: 'case:read' },
        schema: { tags: ['dashboard'], response: { 200: todoReply } },
      },
      async (req) => todos(deps.db, actorOf(req)),
    );
  };
