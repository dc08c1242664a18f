import { idParam } from '@civicgrid/core/api/common';
import {
  checkInCode,
  checkInCodeState,
  checkInTokenParam,
  codeAttendance,
  teamDetail,
  teamInput,
  teamList,
  teamListQuery,
  teamMemberInput,
  teamMemberParam,
  teamPatch,
} from '@civicgrid/core/api/volunteerTeams';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  checkInByCode,
  checkOutByCode,
  issueCheckInCode,
  checkInCodeState as stateOf,
} from './checkInCodes.js';
import {
  addMember,
  createTeam,
  listTeams,
  removeMember,
  teamDetail as teamOf,
  updateTeam,
} from './volunteerTeams.js';

/**
 * 志愿服务队 (teams of the community's volunteers, their members and hours) and 扫码签到 (the
 * activity's signed QR code, scanned by the volunteer's phone on /m/checkin/{token}).
 */
export const volunteerTeamRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['participation'];

    app.post(
      '/api/volunteer-teams',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, body: teamInput, response: { 201: teamDetail } },
      },
      async (req, reply) =>
        reply.status(201).send(await createTeam(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/volunteer-teams',
      {
        config: { access: 'volunteer:read' },
        schema: { tags, querystring: teamListQuery, response: { 200: teamList } },
      },
      async (req) => listTeams(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/volunteer-teams/:id',
      {
        config: { access: 'volunteer:read' },
        schema: { tags, params: idParam, response: { 200: teamDetail } },
      },
      async (req) => teamOf(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/volunteer-teams/:id',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, params: idParam, body: teamPatch, response: { 200: teamDetail } },
      },
      async (req) => updateTeam(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/volunteer-teams/:id/members',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, params: idParam, body: teamMemberInput, response: { 201: teamDetail } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await addMember(deps, actorOf(req), req.params.id, req.body.volunteerId, requestMeta(req))),
    );
    app.delete(
      '/api/volunteer-teams/:id/members/:volunteerId',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, params: teamMemberParam, response: { 200: teamDetail } },
      },
      async (req) =>
        removeMember(deps, actorOf(req), req.params.id, req.params.volunteerId, requestMeta(req)),
    );

    app.get(
      '/api/volunteer-activities/:id/check-in-code',
      {
        config: { access: 'volunteer:manage' },
        schema: { tags, params: idParam, response: { 200: checkInCode } },
      },
      async (req) => {
        // The QR's address: the configured public one, so a forged Host header cannot put another
        // site into a printed code; the request's own otherwise (a demo, a test).
        const origin = deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? `${req.protocol}://${req.host}`;
        return issueCheckInCode(deps, actorOf(req), req.params.id, origin, requestMeta(req));
      },
    );
    app.get(
      '/api/volunteer-check-in-codes/:token',
      {
        // The scanning volunteer (volunteer:serve); the token and the activity's scope decide.
        config: { access: 'authenticated' },
        schema: { tags, params: checkInTokenParam, response: { 200: checkInCodeState } },
      },
      async (req) => stateOf(deps, actorOf(req), req.params.token),
    );
    app.post(
      '/api/volunteer-check-in-codes/:token/check-in',
      {
        config: { access: 'volunteer:serve' },
        schema: { tags, params: checkInTokenParam, response: { 200: codeAttendance } },
      },
      async (req) => checkInByCode(deps, actorOf(req), req.params.token, requestMeta(req)),
    );
    app.post(
      '/api/volunteer-check-in-codes/:token/check-out',
      {
        config: { access: 'volunteer:serve' },
        schema: { tags, params: checkInTokenParam, response: { 200: codeAttendance } },
      },
      async (req) => checkOutByCode(deps, actorOf(req), req.params.token, requestMeta(req)),
    );
  };
