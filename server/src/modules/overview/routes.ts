import { auditOverview, securityOverview, systemOverview } from '@civicgrid/core/api/overview';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http.js';
import * as svc from './service.js';

/** The administrators' homes: each reads with its own duty's permission, nothing more. */
export const overviewRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['overview'];
    app.get(
      '/api/overview/system',
      { config: { access: 'system:configure' }, schema: { tags, response: { 200: systemOverview } } },
      async () => svc.systemOverview(db),
    );
    app.get(
      '/api/overview/security',
      { config: { access: 'user:read' }, schema: { tags, response: { 200: securityOverview } } },
      async (req) => svc.securityOverview(db, actorOf(req)),
    );
    app.get(
      '/api/overview/audit',
      { config: { access: 'audit:read' }, schema: { tags, response: { 200: auditOverview } } },
      async () => svc.auditOverview(db),
    );
  };
