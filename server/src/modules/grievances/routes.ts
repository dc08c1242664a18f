import { idParam } from '@civicgrid/core/api/common';
import {
  grievanceActionBody,
  grievanceActionParam,
  grievanceCreated,
  grievanceDetail,
  grievanceInput,
  grievanceList,
  grievanceListQuery,
  grievanceStats,
  grievanceStatsQuery,
} from '@civicgrid/core/api/grievances';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { answerPdf } from './documents.js';
import {
  createGrievance,
  grievanceDetail as detailOf,
  listGrievances,
  performAction,
  grievanceStats as statsOf,
} from './service.js';

const tags = ['grievances'];

/** 信访事项: registered, told, answered in writing, reviewed — on the 条例's clock. */
export const grievanceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/grievances',
      {
        config: { access: 'grievance:intake' },
        schema: { tags, body: grievanceInput, response: { 201: grievanceCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createGrievance(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/grievances',
      {
        config: { access: 'grievance:read' },
        schema: { tags, querystring: grievanceListQuery, response: { 200: grievanceList } },
      },
      async (req) => listGrievances(deps, actorOf(req), req.query, requestMeta(req)),
    );
    app.get(
      '/api/grievances/stats',
      {
        config: { access: 'grievance:read' },
        schema: { tags, querystring: grievanceStatsQuery, response: { 200: grievanceStats } },
      },
      async (req) => statsOf(deps, actorOf(req), req.query.orgUnitId),
    );
    app.get(
      '/api/grievances/:id',
      {
        config: { access: 'grievance:read' },
        schema: { tags, params: idParam, response: { 200: grievanceDetail } },
      },
      async (req) => detailOf(deps, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.post(
      '/api/grievances/:id/actions/:action',
      {
        // Each action names its own permission in the workflow table; the policy checks it
        // after the scope (404 before 403, as for cases).
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: grievanceActionParam,
          body: grievanceActionBody.optional(),
          response: { 200: grievanceDetail },
        },
      },
      async (req) =>
        performAction(deps, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );
    app.get(
      '/api/grievances/:id/answer.pdf',
      { config: { access: 'grievance:read' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const { pdf, code } = await answerPdf(deps, actorOf(req), req.params.id, requestMeta(req));
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(`${code}-处理意见书.pdf`, `${code}-answer.pdf`))
          .send(pdf);
      },
    );
  };
