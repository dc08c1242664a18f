import { disclosure, disclosureQuery } from '@civicgrid/core/api/disclosure';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { publicDisclosure } from './service.js';

/** 公开 (public disclosure, no login): the published figures of disclosure/service.ts. */
export const disclosureRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/public/disclosure',
      {
        config: { access: 'public' },
        schema: {
          tags: ['public'],
          querystring: disclosureQuery,
          response: { 200: disclosure },
        },
      },
      async (req) => publicDisclosure(db, req.query.month),
    );
  };
