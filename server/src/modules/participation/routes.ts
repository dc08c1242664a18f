import { idParam } from '@civicgrid/core/api/common';
import {
  dualRegistration,
  dualRegistrationInput,
  dualRegistrationList,
  dualRegistrationQuery,
  jointMeeting,
  jointMeetingInput,
  jointMeetingList,
  jointMeetingQuery,
} from '@civicgrid/core/api/dualRegistrations';
import { participationResults, participationResultsQuery } from '@civicgrid/core/api/participationResults';
import {
  whistle,
  whistleInput,
  whistleList,
  whistleListQuery,
  whistleReportInput,
} from '@civicgrid/core/api/whistles';
import {
  publicGridList,
  publicGridQuery,
  publicWishList,
  publicWishQuery,
  wishActionBody,
  wishActionParam,
  wishCreated,
  wishDetail,
  wishInput,
  wishList,
  wishListQuery,
} from '@civicgrid/core/api/wishes';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { deliberationPublicRoutes } from './deliberationPublicRoutes.js';
import { deliberationRoutes } from './deliberationRoutes.js';
import { listDual, listJointMeetings, recordJointMeeting, registerDual } from './dualRegistrations.js';
import { partyOrgRoutes } from './partyOrgRoutes.js';
import { participationResults as resultsOf } from './results.js';
import { socialOrgRoutes } from './socialOrgRoutes.js';
import { volunteerRoutes } from './volunteerRoutes.js';
import { listWhistles, raiseWhistle, reportToWhistle, whistleDetail } from './whistles.js';
import {
  wishDetail as detailOf,
  listWishes,
  postWish,
  publicGrids,
  publicWishes,
  wishAction,
} from './wishes.js';

/**
 * 共建共治: micro-wishes (群众点单、网格派单、党员接单、反馈评价) and 街道吹哨、部门报到; deliberation
 * (议事协商) and volunteers (志愿者, 志愿活动) in plugins of their own.
 */
export const participationRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['participation'];

    app.post(
      '/api/wishes',
      { config: { access: 'wish:post' }, schema: { tags, body: wishInput, response: { 201: wishCreated } } },
      async (req, reply) =>
        reply.status(201).send(await postWish(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/wishes',
      // A resident's own, a grid's, a volunteer's community wall: the scope decides what is listed.
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: wishListQuery, response: { 200: wishList } },
      },
      async (req) => listWishes(db, actorOf(req), req.query),
    );
    app.get(
      '/api/wishes/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: wishDetail } },
      },
      async (req) => detailOf(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/wishes/:id/actions/:action',
      {
        // Each action names its permission (and whose it must be) in core's table; the policy
        // checks it after the scope (404 before 403 before 409, as for cases).
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: wishActionParam,
          body: wishActionBody.optional(),
          response: { 200: wishDetail },
        },
      },
      async (req) =>
        wishAction(db, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );
    app.get(
      '/api/public/wishes',
      {
        config: { access: 'public' },
        schema: { tags, querystring: publicWishQuery, response: { 200: publicWishList } },
      },
      async (req) => publicWishes(db, req.query),
    );
    // 双报到: units and in-service party members registered with a community, and its joint meetings.
    app.post(
      '/api/dual-registrations',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, body: dualRegistrationInput, response: { 201: dualRegistration } },
      },
      async (req, reply) =>
        reply.status(201).send(await registerDual(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/dual-registrations',
      {
        config: { access: 'volunteer:read' },
        schema: { tags, querystring: dualRegistrationQuery, response: { 200: dualRegistrationList } },
      },
      async (req) => listDual(db, actorOf(req), req.query),
    );
    app.post(
      '/api/joint-meetings',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, body: jointMeetingInput, response: { 201: jointMeeting } },
      },
      async (req, reply) =>
        reply.status(201).send(await recordJointMeeting(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/joint-meetings',
      {
        config: { access: 'volunteer:read' },
        schema: { tags, querystring: jointMeetingQuery, response: { 200: jointMeetingList } },
      },
      async (req) => listJointMeetings(db, actorOf(req), req.query),
    );
    // 共建共治成果: the month's figures and published outcomes for the public results page.
    app.get(
      '/api/public/participation/results',
      {
        config: { access: 'public' },
        schema: { tags, querystring: participationResultsQuery, response: { 200: participationResults } },
      },
      async (req) => resultsOf(db, req.query),
    );
    app.get(
      '/api/public/grids',
      {
        config: { access: 'public' },
        schema: { tags, querystring: publicGridQuery, response: { 200: publicGridList } },
      },
      async (req) => publicGrids(db, req.query.communityId),
    );

    app.post(
      '/api/whistles',
      {
        config: { access: 'whistle:raise' },
        schema: { tags, body: whistleInput, response: { 201: whistle } },
      },
      async (req, reply) =>
        reply.status(201).send(await raiseWhistle(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/whistles',
      {
        config: { access: 'whistle:read' },
        schema: { tags, querystring: whistleListQuery, response: { 200: whistleList } },
      },
      async (req) => listWhistles(db, actorOf(req), req.query),
    );
    app.get(
      '/api/whistles/:id',
      { config: { access: 'whistle:read' }, schema: { tags, params: idParam, response: { 200: whistle } } },
      async (req) => whistleDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/whistles/:id/reports',
      {
        config: { access: 'whistle:report' },
        schema: { tags, params: idParam, body: whistleReportInput, response: { 200: whistle } },
      },
      async (req) => reportToWhistle(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    await app.register(deliberationRoutes(deps));
    await app.register(deliberationPublicRoutes(deps));
    await app.register(volunteerRoutes(deps));
    await app.register(partyOrgRoutes(deps));
    await app.register(socialOrgRoutes(deps));
  };
