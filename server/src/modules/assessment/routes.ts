import {
  assessmentRulesQuery,
  assessmentRulesReply,
  assessmentRulesSave,
  departmentEvaluationInput,
  departmentEvaluationList,
  departmentEvaluationQuery,
  scorecardQuery,
  scorecardReply,
} from '@civicgrid/core/api/assessment';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readDbOf } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import * as svc from './service.js';

const tags = ['assessment'];

export const assessmentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/assessment/scorecards',
      {
        config: { access: 'assessment:read' },
        schema: { tags, querystring: scorecardQuery, response: { 200: scorecardReply } },
      },
      async (req) => svc.scorecard(readDbOf(deps), actorOf(req), req.query),
    );
    app.get(
      '/api/assessment/scorecards/export.xlsx',
      {
        config: { access: 'assessment:read', rateLimit: 'export' },
        schema: { tags, querystring: scorecardQuery },
      },
      async (req, reply) => {
        const { data, card } = await svc.exportScorecard(deps.db, actorOf(req), requestMeta(req), req.query);
        return sendXlsx(reply, data, `scorecard-${card.from}.xlsx`, `考核计分-${card.label}.xlsx`);
      },
    );
    app.get(
      '/api/assessment/rules',
      {
        config: { access: 'assessment:read' },
        schema: { tags, querystring: assessmentRulesQuery, response: { 200: assessmentRulesReply } },
      },
      async (req) => svc.getRules(deps.db, actorOf(req), req.query.orgUnitId),
    );
    app.put(
      '/api/assessment/rules',
      {
        config: { access: 'assessment:configure' },
        schema: { tags, body: assessmentRulesSave, response: { 200: assessmentRulesReply } },
      },
      async (req) =>
        svc.saveRules(deps.db, actorOf(req), requestMeta(req), req.body.districtId, req.body.rules),
    );
    app.get(
      '/api/assessment/department-evaluations',
      {
        config: { access: 'assessment:read' },
        schema: {
          tags,
          querystring: departmentEvaluationQuery,
          response: { 200: departmentEvaluationList },
        },
      },
      async (req) => svc.listEvaluations(deps.db, req.query.period, req.query.start),
    );
    app.put(
      '/api/assessment/department-evaluations',
      {
        config: { access: 'assessment:configure' },
        schema: { tags, body: departmentEvaluationInput, response: { 200: departmentEvaluationList } },
      },
      async (req) => svc.enterEvaluation(deps.db, actorOf(req), requestMeta(req), req.body),
    );
  };
