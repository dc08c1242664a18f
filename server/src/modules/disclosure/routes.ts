import { disclosure, disclosureQuery, serviceDisclosure } from '@civicgrid/core/api/disclosure';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { publicDisclosure } from './service.js';
import { publicServiceDisclosure } from './services.js';

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
    app.get(
      '/api/public/disclosure/services',
      {
        config: { access: 'public' },
        schema: {
          tags: ['public'],
          querystring: disclosureQuery,
          response: { 200: serviceDisclosure },
        },
      },
      async (req) => publicServiceDisclosure(db, req.query.month),
    );
  };
