import {
  careCase,
  careCaseClose,
  careCaseDetail,
  careCaseInput,
  careCaseList,
  careCasePatch,
  careCategoryInput,
  careCategoryList,
  careCategoryListed,
  careCategoryParams,
  careCategoryUpdate,
  careListQuery,
  careVisitInput,
  careWorkerList,
  careWorkersQuery,
} from '@civicgrid/core/api/care';
import { idParam, pageOf } from '@civicgrid/core/api/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { addFileVisibility } from '../../platform/files.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import * as svc from './service.js';

const tags = ['care'];

export const careRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // A visit's photos are seen by whoever may see the visit.
    addFileVisibility(svc.careFileVisible);
    const { db } = deps;
    const present = (c: Awaited<ReturnType<typeof svc.listCareCategories>>[number]) => ({
      code: c.code,
      name: c.name,
      description: c.description,
      visitDays: c.visitDays,
      retentionDays: c.retentionDays,
      active: c.active,
      sort: c.sort,
    });

    app.get(
      '/api/care/categories',
      {
        // Read by those who keep care cases and by the admin who configures the categories.
        config: { access: 'authenticated' },
        schema: { tags, response: { 200: careCategoryList } },
      },
      async (req) => {
        const { permissions } = actorOf(req);
        if (!permissions.has('care:read') && !permissions.has('care:configure'))
          throw new AppError('FORBIDDEN');
        return { items: (await svc.listCareCategories(db)).map(present) };
      },
    );
    app.post(
      '/api/care/categories',
      {
        config: { access: 'care:configure' },
        schema: { tags, body: careCategoryInput, response: { 201: careCategoryListed } },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(present(await svc.saveCareCategory(db, actorOf(req), req.body, requestMeta(req), 'create'))),
    );
    app.put(
      '/api/care/categories/:code',
      {
        config: { access: 'care:configure' },
        schema: {
          tags,
          params: careCategoryParams,
          body: careCategoryUpdate,
          response: { 200: careCategoryListed },
        },
      },
      async (req) =>
        present(
          await svc.saveCareCategory(
            db,
            actorOf(req),
            { ...req.body, code: req.params.code },
            requestMeta(req),
            'update',
          ),
        ),
    );
    app.get(
      '/api/care/cases',
      {
        config: { access: 'care:read' },
        schema: { tags, querystring: careListQuery, response: { 200: pageOf(careCase) } },
      },
      async (req) => svc.listCareCases(db, actorOf(req), req.query, requestMeta(req)),
    );
    app.post(
      '/api/care/cases',
      {
        config: { access: 'care:write' },
        schema: { tags, body: careCaseInput, response: { 201: careCaseDetail } },
      },
      async (req, reply) =>
        reply.code(201).send(await svc.openCareCase(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/care/cases/:id',
      {
        config: { access: 'care:read' },
        schema: { tags, params: idParam, response: { 200: careCaseDetail } },
      },
      async (req) => svc.getCareCase(db, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.patch(
      '/api/care/cases/:id',
      {
        config: { access: 'care:write' },
        schema: { tags, params: idParam, body: careCasePatch, response: { 200: careCaseDetail } },
      },
      async (req) => svc.updateCareCase(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/care/cases/:id/close',
      {
        config: { access: 'care:write' },
        schema: { tags, params: idParam, body: careCaseClose, response: { 200: careCaseDetail } },
      },
      async (req) => svc.closeCareCase(db, actorOf(req), req.params.id, req.body.reason, requestMeta(req)),
    );
    app.post(
      '/api/care/cases/:id/visits',
      {
        config: { access: 'care:write' },
        schema: { tags, params: idParam, body: careVisitInput, response: { 201: careCaseDetail } },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await svc.recordVisit(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.get(
      '/api/care/todo',
      {
        config: { access: 'care:read' },
        schema: { tags, response: { 200: careCaseList } },
      },
      async (req) => ({ items: await svc.careTodo(db, actorOf(req)) }),
    );
    app.get(
      '/api/care/workers',
      {
        config: { access: 'care:write' },
        schema: { tags, querystring: careWorkersQuery, response: { 200: careWorkerList } },
      },
      async (req) => ({ items: await svc.workersOfGrid(db, actorOf(req), req.query.gridId) }),
    );
    app.get(
      '/api/residents/:id/care',
      {
        config: { access: 'resident:read' },
        schema: { tags, params: idParam, response: { 200: careCaseList } },
      },
      async (req) => {
        const { loadResident } = await import('../residents/service.js');
        await loadResident(db, actorOf(req), req.params.id);
        return { items: await svc.careOfResident(db, actorOf(req), req.params.id, requestMeta(req)) };
      },
    );
  };
