import { idParam } from '@civicgrid/core/api/common';
import {
  activityDetail,
  activityInput,
  activityList,
  activityListQuery,
  attendance,
  checkInInput,
  checkOutInput,
  signUpInput,
  volunteerDetail,
  volunteerInput,
  volunteerList,
  volunteerListQuery,
} from '@civicgrid/core/api/volunteers';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheet.js';
import { volunteerStatementPdf } from './volunteerStatement.js';
import {
  activityDetail as activityOf,
  checkIn,
  checkOut,
  createActivity,
  listActivities,
  listVolunteers,
  registerVolunteer,
  signUp,
  volunteerDetail as volunteerOf,
} from './volunteers.js';
import { volunteerTeamRoutes } from './volunteerTeamRoutes.js';

/**
 * 志愿者 and 志愿活动: the registry, activities, sign-up, check-in and check-out at the place.
 * Sign-up and check-in/out are staff's (volunteer:manage) for the volunteers they see, or a
 * volunteer's (volunteer:serve) for himself: the service decides which.
 */
export const volunteerRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['participation'];
    await app.register(volunteerTeamRoutes(deps));

    app.post(
      '/api/volunteers',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, body: volunteerInput, response: { 201: volunteerDetail } },
      },
      async (req, reply) =>
        reply.status(201).send(await registerVolunteer(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/volunteers',
      {
        config: { access: 'volunteer:read' },
        schema: { tags, querystring: volunteerListQuery, response: { 200: volunteerList } },
      },
      async (req) => listVolunteers(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/volunteers/:id',
      {
        // Staff of his area, or the volunteer himself (his hours statement): the scope decides.
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: volunteerDetail } },
      },
      async (req) => volunteerOf(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/api/volunteers/:id/statement.pdf',
      // 志愿服务时长证明: for the same readers as the volunteer's detail.
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      async (req, reply) => {
        const { pdf } = await volunteerStatementPdf(deps.db, actorOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition('志愿服务时长证明.pdf', 'volunteer-hours.pdf'))
          .send(pdf);
      },
    );
    app.post(
      '/api/volunteer-activities',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, body: activityInput, response: { 201: activityDetail } },
      },
      async (req, reply) =>
        reply.status(201).send(await createActivity(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/volunteer-activities',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: activityListQuery, response: { 200: activityList } },
      },
      async (req) => listActivities(db, actorOf(req), req.query),
    );
    app.get(
      '/api/volunteer-activities/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: activityDetail } },
      },
      async (req) => activityOf(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/volunteer-activities/:id/sign-ups',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, body: signUpInput, response: { 201: activityDetail } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await signUp(db, actorOf(req), req.params.id, req.body.volunteerId, requestMeta(req))),
    );
    app.post(
      '/api/volunteer-activities/:id/check-in',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, body: checkInInput, response: { 200: attendance } },
      },
      async (req) => checkIn(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/volunteer-activities/:id/check-out',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, body: checkOutInput, response: { 200: attendance } },
      },
      async (req) => checkOut(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
  };
