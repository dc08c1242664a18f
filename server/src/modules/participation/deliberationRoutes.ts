import { idParam } from '@civicgrid/core/api/common';
import {
  deliberationCreated,
  deliberationDetail,
  deliberationInput,
  deliberationList,
  deliberationListQuery,
  deliberationStepBody,
  deliberationStepParam,
  publicDeliberationList,
  publicDeliberationQuery,
} from '@civicgrid/core/api/deliberations';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  deliberationStep,
  deliberationDetail as detailOf,
  listDeliberations,
  proposeDeliberation,
  publicDeliberations,
} from './deliberations.js';

/** 议事协商 (五步民主议事): propose, the four steps after it, and the public page of outcomes. */
export const deliberationRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['participation'];

    app.post(
      '/api/deliberations',
      {
        config: { access: 'deliberation:manage' },
        schema: { tags, body: deliberationInput, response: { 201: deliberationCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await proposeDeliberation(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/deliberations',
      {
        config: { access: 'deliberation:read' },
        schema: { tags, querystring: deliberationListQuery, response: { 200: deliberationList } },
      },
      async (req) => listDeliberations(db, actorOf(req), req.query),
    );
    app.get(
      '/api/deliberations/:id',
      {
        config: { access: 'deliberation:read' },
        schema: { tags, params: idParam, response: { 200: deliberationDetail } },
      },
      async (req) => detailOf(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/deliberations/:id/actions/:step',
      {
        // Each step names its permission in core's table (the review is the department's); the
        // policy checks it after the scope (404 before 403 before 409).
        config: { access: 'deliberation:read' },
        schema: {
          tags,
          params: deliberationStepParam,
          body: deliberationStepBody.optional(),
          response: { 200: deliberationDetail },
        },
      },
      async (req) =>
        deliberationStep(db, actorOf(req), req.params.id, req.params.step, req.body, requestMeta(req)),
    );
    app.get(
      '/api/public/deliberations',
      {
        config: { access: 'public' },
        schema: { tags, querystring: publicDeliberationQuery, response: { 200: publicDeliberationList } },
      },
      async (req) => publicDeliberations(db, req.query),
    );
  };
