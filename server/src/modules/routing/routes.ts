import { idParam } from '@civicgrid/core/api/common';
import { routingModelStatus, routingSuggestion } from '@civicgrid/core/api/routing';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db.js';
import { actorOf } from '../../platform/http.js';
import { routingStatus, suggestionFor } from './suggest.js';

/** 智能派单: the suggestion on a case for its dispatcher, and the model's figures for the configurer. */
export const routingRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['cases'];
    app.get(
      '/api/cases/:id/routing-suggestion',
      {
        config: { access: 'case:dispatch' },
        schema: { tags, params: idParam, response: { 200: routingSuggestion } },
      },
      async (req) => suggestionFor(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/routing/model',
      { config: { access: 'case:configure' }, schema: { tags, response: { 200: routingModelStatus } } },
      async () => routingStatus(db),
    );
  };
