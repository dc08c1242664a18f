import { idParam, intIdParam } from '@civicgrid/core/api/common';
import {
  gridCoverage,
  gridCoverageQuery,
  gridHouseholdList,
  gridHousingUnitList,
  gridQuery,
  householdVisitInput,
  householdVisitList,
  householdVisitRecorded,
  patrol,
  patrolEnd,
  patrolList,
  patrolListQuery,
  patrolPointsInput,
  patrolStart,
  patrolTrackReply,
  workDayParams,
  workLog,
  workLogInput,
  workLogList,
  workLogListQuery,
} from '@civicgrid/core/api/fieldwork';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { addFileVisibility } from '../../platform/files.js';
import { actorOf } from '../../platform/http.js';
import * as svc from './service.js';

const tags = ['fieldwork'];

export const fieldworkRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // A visit's photos are seen by whoever may see the visit.
    addFileVisibility(svc.householdFileVisible);
    const { db } = deps;
    app.post(
      '/api/patrols',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, body: patrolStart, response: { 200: patrol } },
      },
      async (req) => svc.startPatrol(db, actorOf(req), req.body),
    );
    app.post(
      '/api/patrols/:id/points',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: idParam, body: patrolPointsInput, response: { 200: patrol } },
      },
      async (req) => svc.addPoints(db, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/api/patrols/:id/end',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: idParam, body: patrolEnd, response: { 200: patrol } },
      },
      async (req) => svc.endPatrol(db, actorOf(req), req.params.id, req.body.endedAt),
    );
    app.get(
      '/api/patrols',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: patrolListQuery, response: { 200: patrolList } },
      },
      async (req) => ({ items: await svc.listPatrols(db, actorOf(req), req.query) }),
    );
    app.get(
      '/api/patrols/coverage',
      {
        config: { access: 'fieldwork:read' },
        schema: { tags, querystring: gridCoverageQuery, response: { 200: gridCoverage } },
      },
      async (req) => svc.gridCoverage(db, actorOf(req), req.query.gridId, req.query.day),
    );
    app.get(
      '/api/patrols/:id/track',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: patrolTrackReply } },
      },
      async (req) => svc.patrolTrack(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/households',
      {
        config: { access: 'resident:read' },
        schema: { tags, querystring: gridQuery, response: { 200: gridHouseholdList } },
      },
      async (req) => ({ items: await svc.householdsOfGrid(db, actorOf(req), req.query.gridId) }),
    );
    app.get(
      '/api/housing-units',
      {
        config: { access: 'resident:read' },
        schema: { tags, querystring: gridQuery, response: { 200: gridHousingUnitList } },
      },
      async (req) => ({ items: await svc.unitsOfGrid(db, actorOf(req), req.query.gridId) }),
    );
    app.post(
      '/api/household-visits',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, body: householdVisitInput, response: { 201: householdVisitRecorded } },
      },
      async (req, reply) => reply.code(201).send(await svc.recordHouseholdVisit(db, actorOf(req), req.body)),
    );
    app.get(
      '/api/households/:id/visits',
      {
        config: { access: 'resident:read' },
        schema: { tags, params: intIdParam, response: { 200: householdVisitList } },
      },
      async (req) => ({ items: await svc.householdVisitList(db, actorOf(req), req.params.id) }),
    );
    app.get(
      '/api/worklogs/mine/:day',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: workDayParams, response: { 200: workLog } },
      },
      async (req) => svc.workLogOf(db, actorOf(req), req.params.day),
    );
    app.put(
      '/api/worklogs/mine/:day',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: workDayParams, body: workLogInput, response: { 200: workLog } },
      },
      async (req) => svc.submitWorkLog(db, actorOf(req), req.params.day, req.body.notes),
    );
    app.get(
      '/api/worklogs',
      {
        config: { access: 'fieldwork:read' },
        schema: {
          tags,
          querystring: workLogListQuery,
          response: { 200: workLogList },
        },
      },
      async (req) => svc.listWorkLogs(db, actorOf(req), req.query),
    );
  };
