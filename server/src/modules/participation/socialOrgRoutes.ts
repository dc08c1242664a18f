import { idParam } from '@civicgrid/core/api/common';
import {
  incubationInput,
  milestoneDoneInput,
  milestoneParam,
  revealedContact,
  socialOrg,
  socialOrgDetail,
  socialOrgInput,
  socialOrgList,
  socialOrgPatch,
  socialOrgQuery,
  socialProjectActionBody,
  socialProjectActionParam,
  socialProjectCreated,
  socialProjectDetail,
  socialProjectInput,
  socialProjectList,
  socialProjectQuery,
  spendingInput,
} from '@civicgrid/core/api/socialOrgs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import {
  exportSocialOrgs,
  listSocialOrgs,
  socialOrgDetail as orgOf,
  recordIncubation,
  registerSocialOrg,
  revealSocialOrgContact,
  updateSocialOrg,
} from './socialOrgs.js';
import {
  applyProject,
  completeMilestone,
  listProjects,
  projectAction,
  projectDetail,
  recordSpending,
} from './socialProjects.js';

/**
 * 社会组织 (registry and incubation) and 公益创投 (projects bought from them: 申报 → 立项 → 实施 →
 * 结项 / 终止, milestones with evidence, spending against the budget).
 */
export const socialOrgRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['participation'];

    app.get(
      '/api/social-orgs',
      {
        config: { access: 'socialOrg:read' },
        schema: { tags, querystring: socialOrgQuery, response: { 200: socialOrgList } },
      },
      async (req) => listSocialOrgs(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/social-orgs/export.xlsx',
      {
        config: { access: 'socialOrg:read', rateLimit: 'export' },
        schema: { tags, querystring: socialOrgQuery.omit({ page: true, pageSize: true }) },
      },
      async (req, reply) =>
        sendXlsx(
          reply,
          await exportSocialOrgs(
            deps,
            actorOf(req),
            { ...req.query, page: 1, pageSize: 200 },
            requestMeta(req),
          ),
          'social-orgs.xlsx',
          '社会组织名录.xlsx',
        ),
    );
    app.post(
      '/api/social-orgs',
      {
        config: { access: 'socialOrg:manage' },
        schema: { tags, body: socialOrgInput, response: { 201: socialOrg } },
      },
      async (req, reply) =>
        reply.status(201).send(await registerSocialOrg(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/social-orgs/:id',
      {
        config: { access: 'socialOrg:read' },
        schema: { tags, params: idParam, response: { 200: socialOrgDetail } },
      },
      async (req) => orgOf(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/social-orgs/:id',
      {
        config: { access: 'socialOrg:manage' },
        schema: { tags, params: idParam, body: socialOrgPatch, response: { 200: socialOrgDetail } },
      },
      async (req) => updateSocialOrg(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/social-orgs/:id/reveal',
      {
        config: { access: 'pii:reveal', rateLimit: 'reveal' },
        schema: { tags, params: idParam, response: { 200: revealedContact } },
      },
      async (req) => revealSocialOrgContact(deps, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.post(
      '/api/social-orgs/:id/incubations',
      {
        config: { access: 'socialOrg:manage' },
        schema: { tags, params: idParam, body: incubationInput, response: { 200: socialOrgDetail } },
      },
      async (req) => recordIncubation(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    app.post(
      '/api/social-projects',
      {
        config: { access: 'socialOrg:manage' },
        schema: { tags, body: socialProjectInput, response: { 201: socialProjectCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await applyProject(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/social-projects',
      {
        config: { access: 'socialOrg:read' },
        schema: { tags, querystring: socialProjectQuery, response: { 200: socialProjectList } },
      },
      async (req) => listProjects(db, actorOf(req), req.query),
    );
    app.get(
      '/api/social-projects/:id',
      {
        config: { access: 'socialOrg:read' },
        schema: { tags, params: idParam, response: { 200: socialProjectDetail } },
      },
      async (req) => projectDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/social-projects/:id/actions/:action',
      {
        // Each action names its permission in core's table (立项、结项、终止 the buyer's); the
        // policy checks it after the scope (404 before 403 before 409).
        config: { access: 'socialOrg:read' },
        schema: {
          tags,
          params: socialProjectActionParam,
          body: socialProjectActionBody.optional(),
          response: { 200: socialProjectDetail },
        },
      },
      async (req) =>
        projectAction(db, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );
    app.post(
      '/api/social-projects/:id/milestones/:milestoneId/done',
      {
        config: { access: 'socialOrg:manage' },
        schema: {
          tags,
          params: milestoneParam,
          body: milestoneDoneInput,
          response: { 200: socialProjectDetail },
        },
      },
      async (req) =>
        completeMilestone(
          db,
          actorOf(req),
          req.params.id,
          req.params.milestoneId,
          req.body,
          requestMeta(req),
        ),
    );
    app.post(
      '/api/social-projects/:id/spendings',
      {
        config: { access: 'socialOrg:manage' },
        schema: { tags, params: idParam, body: spendingInput, response: { 200: socialProjectDetail } },
      },
      async (req) => recordSpending(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
  };
