import { screenCaseList, screenFeed, screenFeedQuery, screenGridList } from '@civicgrid/core/api/screen';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http.js';
import { screenFeed as feed, screenCases, screenGrids } from './service.js';

const tags = ['screen'];

/**
 * The big screen's three reads. The reply schemas are strict lists of fields, so nothing
 * a service might add by mistake (a reporter, a phone) ever leaves the server.
 */
export const screenRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/screen/grids',
      { config: { access: 'metrics:read' }, schema: { tags, response: { 200: screenGridList } } },
      async (req) => ({ items: await screenGrids(deps.db, actorOf(req)) }),
    );
    app.get(
      '/api/screen/cases',
      { config: { access: 'metrics:read' }, schema: { tags, response: { 200: screenCaseList } } },
      async (req) => screenCases(deps.db, actorOf(req)),
    );
    app.get(
      '/api/screen/feed',
      {
        config: { access: 'metrics:read' },
        schema: { tags, querystring: screenFeedQuery, response: { 200: screenFeed } },
      },
      async (req) => ({ items: await feed(deps.db, actorOf(req), req.query.after) }),
    );
  };
