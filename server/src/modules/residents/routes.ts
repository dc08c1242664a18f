import { idParam, intIdParam } from '@civicgrid/core/api/common';
import { importStarted } from '@civicgrid/core/api/imports';
import {
  resident,
  residentCaseList,
  residentExportQuery,
  residentHousehold,
  residentInput,
  residentList,
  residentListQuery,
  residentMove,
  residentMoveList,
  residentPatch,
  residentTagCreated,
  residentTagInput,
  residentTagList,
  residentTagListQuery,
  residentTagPatch,
  residentTagUpdated,
  revealedResident,
} from '@civicgrid/core/api/residents';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { startImport } from '../../platform/importer.js';
import { readImportUpload } from '../../platform/importRoutes.js';
import { hitRateLimit } from '../../platform/rateLimit.js';
import { nameBook } from '../cases/names.js';
import { householdOf } from '../places/households.js';
import { residentImport, residentTemplate } from './imports.js';
import { exportResidents, listResidents } from './list.js';
import { presentResident, type ResidentRow } from './presenter.js';
import * as svc from './service.js';
import * as tagLibrary from './tags.js';

const tags = ['residents'];

export const residentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, crypto } = deps;
    const present = async (row: ResidentRow) => presentResident(row, crypto, await nameBook(db));

    const residentSpec = residentImport(crypto);

    // ——— 人口标签库 ———
    app.get(
      '/api/resident-tags',
      {
        // Whoever works with residents, and the admin who keeps the library.
        config: { access: 'authenticated' },
        schema: {
          tags,
          querystring: residentTagListQuery,
          response: { 200: residentTagList },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        if (!actor.permissions.has('resident:read') && !actor.permissions.has('resident:configure'))
          throw new AppError('FORBIDDEN');
        return { items: await tagLibrary.listResidentTags(db, { all: req.query.all === 'true' }) };
      },
    );
    app.post(
      '/api/resident-tags',
      {
        config: { access: 'resident:configure' },
        schema: { tags, body: residentTagInput, response: { 201: residentTagCreated } },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await tagLibrary.createResidentTag(db, actorOf(req), requestMeta(req), req.body)),
    );
    app.patch(
      '/api/resident-tags/:id',
      {
        config: { access: 'resident:configure' },
        schema: { tags, params: intIdParam, body: residentTagPatch, response: { 200: residentTagUpdated } },
      },
      async (req) =>
        tagLibrary.updateResidentTag(db, actorOf(req), requestMeta(req), req.params.id, req.body),
    );
    app.get(
      '/api/imports/templates/residents.xlsx',
      { config: { access: 'resident:write' }, schema: { tags } },
      async (_req, reply) =>
        sendXlsx(reply, await residentTemplate(crypto), 'residents-template.xlsx', '实有人口导入模板.xlsx'),
    );
    app.post(
      '/api/imports/residents',
      {
        config: { access: 'resident:write' },
        schema: { tags, response: { 202: importStarted } },
      },
      async (req, reply) => {
        const file = await readImportUpload(req);
        const id = await startImport(db, residentSpec.kind, actorOf(req), file, requestMeta(req));
        return reply.code(202).send({ id });
      },
    );
    app.get(
      '/api/residents',
      {
        config: { access: 'resident:read' },
        schema: {
          tags,
          querystring: residentListQuery,
          response: { 200: residentList },
        },
      },
      async (req) => {
        await limitNumberLookups(deps, req);
        return listResidents(deps, actorOf(req), req.query);
      },
    );
    app.post(
      '/api/residents',
      {
        config: { access: 'resident:write' },
        schema: { tags, body: residentInput, response: { 201: resident } },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await present(await svc.createResident(deps, actorOf(req), req.body, requestMeta(req)))),
    );
    app.get(
      '/api/residents/export.xlsx',
      {
        // With reveal=true the service also requires pii:reveal (and audits each person).
        config: { access: 'resident:read', rateLimit: 'export' },
        schema: { tags, querystring: residentExportQuery },
      },
      async (req, reply) => {
        await limitNumberLookups(deps, req);
        const { reveal, ...filters } = req.query;
        return sendXlsx(
          reply,
          await exportResidents(
            deps,
            actorOf(req),
            { ...filters, page: 1, pageSize: 200 },
            { reveal: reveal === 'true' },
            requestMeta(req),
          ),
          'residents.xlsx',
          reveal === 'true' ? '实有人口（含完整身份证号）.xlsx' : '实有人口.xlsx',
        );
      },
    );
    app.get(
      '/api/residents/:id/cases',
      {
        config: { access: 'resident:read' },
        schema: {
          tags,
          params: idParam,
          response: { 200: residentCaseList },
        },
      },
      async (req) => ({ items: await svc.casesOf(db, actorOf(req), req.params.id) }),
    );
    app.get(
      '/api/residents/:id/household',
      {
        config: { access: 'resident:read' },
        schema: { tags, params: idParam, response: { 200: residentHousehold } },
      },
      async (req) => {
        const row = await svc.loadResident(db, actorOf(req), req.params.id);
        return { household: await householdOf(db, actorOf(req), row.householdId) };
      },
    );
    app.get(
      '/api/residents/:id',
      { config: { access: 'resident:read' }, schema: { tags, params: idParam, response: { 200: resident } } },
      async (req) => present(await svc.loadResident(db, actorOf(req), req.params.id)),
    );
    app.patch(
      '/api/residents/:id',
      {
        config: { access: 'resident:write' },
        schema: { tags, params: idParam, body: residentPatch, response: { 200: resident } },
      },
      async (req) =>
        present(await svc.updateResident(deps, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.post(
      '/api/residents/:id/move',
      {
        config: { access: 'resident:write' },
        schema: { tags, params: idParam, body: residentMove, response: { 200: resident } },
      },
      async (req) =>
        present(
          await svc.moveResident(
            deps,
            actorOf(req),
            req.params.id,
            req.body.gridId,
            req.body.note,
            requestMeta(req),
          ),
        ),
    );
    app.get(
      '/api/residents/:id/moves',
      {
        config: { access: 'resident:read' },
        schema: {
          tags,
          params: idParam,
          response: { 200: residentMoveList },
        },
      },
      async (req) => ({ items: await svc.movesOf(db, actorOf(req), req.params.id) }),
    );
    app.post(
      '/api/residents/:id/reveal',
      {
        config: { access: 'pii:reveal', rateLimit: 'reveal' },
        schema: { tags, params: idParam, response: { 200: revealedResident } },
      },
      async (req) => svc.revealResident(deps, actorOf(req), req.params.id, requestMeta(req)),
    );
  };

/** A search by an exact ID or phone number counts against the user's lookup budget. */
async function limitNumberLookups(
  deps: AppDeps,
  req: FastifyRequest & { query: { idNumber?: string | undefined; phone?: string | undefined } },
): Promise<void> {
  if (req.query.idNumber || req.query.phone)
    await hitRateLimit(deps.db, 'numberLookup', `user:${actorOf(req).userId}`);
}
