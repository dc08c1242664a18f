import { intIdParam } from '@civicgrid/core/api/common';
import {
  department,
  departmentCreate,
  departmentList,
  departmentUpdate,
  gridFeatureList,
  gridTeamUpdate,
  includeRetiredQuery,
  mapAreaList,
  orgTree,
  orgUnit,
  orgUnitCreate,
  orgUnitMove,
  orgUnitUpdate,
} from '@civicgrid/core/api/org';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { invalidateNames } from '../cases/names.js';
import { createDepartment, listDepartments, updateDepartment } from './departments.js';
import { invalidateGridIndex } from './locator.js';
import { presentDepartment, presentGrid, presentUnit } from './presenter.js';
import * as org from './service.js';

const tags = ['org'];

export const orgRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // Any change to the tree may move a grid's boundary: the point-in-grid index is rebuilt.
    app.addHook('onResponse', async (req, reply) => {
      if (req.method !== 'GET' && reply.statusCode < 400) {
        invalidateGridIndex();
        invalidateNames();
      }
    });
    app.get(
      '/api/org/tree',
      {
        config: { access: 'org:read' },
        schema: { tags, querystring: includeRetiredQuery, response: { 200: orgTree } },
      },
      async (req) => org.orgTree(db, actorOf(req), req.query.includeRetired === 'true'),
    );

    app.get(
      '/api/org/units/:id',
      { config: { access: 'org:read' }, schema: { tags, params: intIdParam, response: { 200: orgUnit } } },
      async (req) => {
        const unit = await org.loadUnit(db, actorOf(req), req.params.id);
        return presentUnit(unit, unit.level === 'grid' ? await org.teamOf(db, unit.id) : []);
      },
    );

    app.get(
      '/api/org/units/:id/grids',
      {
        config: { access: 'org:read' },
        schema: { tags, params: intIdParam, response: { 200: gridFeatureList } },
      },
      async (req) => ({ items: (await org.gridsUnder(db, actorOf(req), req.params.id)).map(presentGrid) }),
    );

    app.get(
      '/api/org/areas',
      { config: { access: 'org:read' }, schema: { tags, response: { 200: mapAreaList } } },
      async (req) => ({ items: await org.mapAreas(db, actorOf(req)) }),
    );

    app.post(
      '/api/org/units',
      { config: { access: 'org:write' }, schema: { tags, body: orgUnitCreate, response: { 201: orgUnit } } },
      async (req, reply) =>
        reply
          .status(201)
          .send(presentUnit(await org.createUnit(db, actorOf(req), req.body, requestMeta(req)))),
    );

    app.patch(
      '/api/org/units/:id',
      {
        config: { access: 'org:write' },
        schema: { tags, params: intIdParam, body: orgUnitUpdate, response: { 200: orgUnit } },
      },
      async (req) =>
        presentUnit(await org.updateUnit(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );

    app.post(
      '/api/org/units/:id/move',
      {
        config: { access: 'org:write' },
        schema: { tags, params: intIdParam, body: orgUnitMove, response: { 200: orgUnit } },
      },
      async (req) =>
        presentUnit(await org.moveUnit(db, actorOf(req), req.params.id, req.body.parentId, requestMeta(req))),
    );

    app.post(
      '/api/org/units/:id/retire',
      { config: { access: 'org:write' }, schema: { tags, params: intIdParam, response: { 200: orgUnit } } },
      async (req) => presentUnit(await org.retireUnit(db, actorOf(req), req.params.id, requestMeta(req))),
    );

    app.put(
      '/api/org/units/:id/team',
      {
        config: { access: 'org:write' },
        schema: { tags, params: intIdParam, body: gridTeamUpdate, response: { 200: orgUnit } },
      },
      async (req) => {
        const grid = await org.setTeam(db, actorOf(req), req.params.id, req.body.members, requestMeta(req));
        return presentUnit(grid, await org.teamOf(db, grid.id));
      },
    );

    // Every signed-in user may read the department list: dispatch forms need it.
    app.get(
      '/api/departments',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: includeRetiredQuery, response: { 200: departmentList } },
      },
      async (req) => ({
        items: (await listDepartments(db, req.query.includeRetired === 'true')).map(presentDepartment),
      }),
    );

    app.post(
      '/api/departments',
      {
        config: { access: 'department:write' },
        schema: { tags, body: departmentCreate, response: { 201: department } },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(presentDepartment(await createDepartment(db, actorOf(req), req.body, requestMeta(req)))),
    );

    app.patch(
      '/api/departments/:id',
      {
        config: { access: 'department:write' },
        schema: { tags, params: intIdParam, body: departmentUpdate, response: { 200: department } },
      },
      async (req) =>
        presentDepartment(
          await updateDepartment(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
        ),
    );
  };
