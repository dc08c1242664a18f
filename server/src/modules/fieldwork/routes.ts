import { intId } from '@civicgrid/core/api/common';
import {
  patrol,
  patrolEnd,
  patrolListQuery,
  patrolPointsInput,
  patrolStart,
  workLog,
  workLogInput,
  workLogListQuery,
} from '@civicgrid/core/api/fieldwork';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.js';
import { addFileVisibility } from '../../platform/files.js';
import { actorOf } from '../../platform/http.js';
import * as svc from './service.js';

const tags = ['fieldwork'];
const idParam = z.object({ id: z.string().uuid() });
const day = z.string().date('日期格式为 YYYY-MM-DD');

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
        schema: {
          tags,
          querystring: patrolListQuery,
          response: { 200: z.object({ items: z.array(patrol) }) },
        },
      },
      async (req) => ({ items: await svc.listPatrols(db, actorOf(req), req.query) }),
    );
    app.get(
      '/api/patrols/coverage',
      {
        config: { access: 'fieldwork:read' },
        schema: { tags, querystring: z.object({ gridId: intId, day }) },
      },
      async (req) => svc.gridCoverage(db, actorOf(req), req.query.gridId, req.query.day),
    );
    app.get(
      '/api/patrols/:id/track',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      async (req) => svc.patrolTrack(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/households',
      {
        config: { access: 'resident:read' },
        schema: { tags, querystring: z.object({ gridId: intId }) },
      },
      async (req) => ({ items: await svc.householdsOfGrid(db, actorOf(req), req.query.gridId) }),
    );
    app.get(
      '/api/housing-units',
      {
        config: { access: 'resident:read' },
        schema: { tags, querystring: z.object({ gridId: intId }) },
      },
      async (req) => ({ items: await svc.unitsOfGrid(db, actorOf(req), req.query.gridId) }),
    );
    app.post(
      '/api/household-visits',
      {
        config: { access: 'fieldwork:record' },
        schema: {
          tags,
          body: z.object({
            id: z.string().uuid(),
            householdId: intId,
            visitedAt: z.string().datetime({ offset: true }),
            notes: z.string().trim().min(1, '请填写走访情况').max(4000),
            photoIds: z.array(z.string().uuid()).max(9).default([]),
          }),
          response: { 201: z.object({ id: z.string() }) },
        },
      },
      async (req, reply) => reply.code(201).send(await svc.recordHouseholdVisit(db, actorOf(req), req.body)),
    );
    app.get(
      '/api/households/:id/visits',
      {
        config: { access: 'resident:read' },
        schema: { tags, params: z.object({ id: intId }) },
      },
      async (req) => ({ items: await svc.householdVisitList(db, actorOf(req), req.params.id) }),
    );
    app.get(
      '/api/worklogs/mine/:day',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: z.object({ day }), response: { 200: workLog } },
      },
      async (req) => svc.workLogOf(db, actorOf(req), req.params.day),
    );
    app.put(
      '/api/worklogs/mine/:day',
      {
        config: { access: 'fieldwork:record' },
        schema: { tags, params: z.object({ day }), body: workLogInput, response: { 200: workLog } },
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
          response: {
            200: z.object({
              items: z.array(workLog),
              missing: z.array(z.object({ userId: z.string(), userName: z.string(), day: z.string() })),
            }),
          },
        },
      },
      async (req) => svc.listWorkLogs(db, actorOf(req), req.query),
    );
  };
