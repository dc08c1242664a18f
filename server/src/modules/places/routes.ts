import { intIdParam, pageOf } from '@civicgrid/core/api/common';
import {
  building,
  buildingInput,
  buildingListQuery,
  facility,
  facilityInput,
  facilityListQuery,
  householdInput,
  householdMemberInput,
  housingUnit,
  housingUnitInput,
  housingUses,
  organization,
  organizationInput,
  organizationListQuery,
  placesMapQuery,
} from '@civicgrid/core/api/places';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { readUpload } from '../../platform/files.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { maxImportBytes, startImport } from '../../platform/importer.js';
import { buildingImport, buildingTemplate, organizationImport, organizationTemplate } from './imports.js';
import * as svc from './service.js';

const tags = ['places'];
const accepted = { 202: z.object({ id: z.string() }) };

export const placeRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, crypto } = deps;
    const orgSpec = organizationImport(crypto);
    const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 50 MB');

    // ------------------------------------------------------------ imports
    app.get(
      '/api/imports/templates/buildings.xlsx',
      { config: { access: 'place:write' }, schema: { tags } },
      async (_req, reply) =>
        sendXlsx(reply, await buildingTemplate(), 'buildings-template.xlsx', '实有房屋导入模板.xlsx'),
    );
    app.get(
      '/api/imports/templates/organizations.xlsx',
      { config: { access: 'place:write' }, schema: { tags } },
      async (_req, reply) =>
        sendXlsx(
          reply,
          await organizationTemplate(crypto),
          'organizations-template.xlsx',
          '实有单位导入模板.xlsx',
        ),
    );
    app.post(
      '/api/imports/buildings',
      { config: { access: 'place:write' }, schema: { tags, response: accepted } },
      async (req, reply) => {
        const file = await readUpload(req, maxImportBytes, tooLarge);
        return reply
          .code(202)
          .send({ id: await startImport(db, buildingImport.kind, actorOf(req), file, requestMeta(req)) });
      },
    );
    app.post(
      '/api/imports/organizations',
      { config: { access: 'place:write' }, schema: { tags, response: accepted } },
      async (req, reply) => {
        const file = await readUpload(req, maxImportBytes, tooLarge);
        return reply
          .code(202)
          .send({ id: await startImport(db, orgSpec.kind, actorOf(req), file, requestMeta(req)) });
      },
    );

    // ------------------------------------------------------------ buildings and housing
    app.get(
      '/api/buildings',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: buildingListQuery, response: { 200: pageOf(building) } },
      },
      async (req) => svc.listBuildings(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/buildings/export.xlsx',
      {
        config: { access: 'place:read', rateLimit: 'export' },
        schema: { tags, querystring: buildingListQuery.omit({ page: true, pageSize: true }) },
      },
      async (req, reply) =>
        sendXlsx(
          reply,
          await svc.exportBuildings(
            deps,
            actorOf(req),
            { ...req.query, page: 1, pageSize: 200 },
            requestMeta(req),
          ),
          'buildings.xlsx',
          '实有房屋.xlsx',
        ),
    );
    app.post(
      '/api/buildings',
      {
        config: { access: 'place:write' },
        schema: { tags, body: buildingInput, response: { 201: building } },
      },
      async (req, reply) =>
        reply.code(201).send(await svc.createBuilding(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/buildings/:id',
      {
        config: { access: 'place:read' },
        schema: {
          tags,
          params: intIdParam,
          response: { 200: z.object({ building, units: z.array(housingUnit) }) },
        },
      },
      async (req) => svc.buildingDetail(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/buildings/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: buildingInput.omit({ gridId: true }).partial(),
          response: { 200: building },
        },
      },
      async (req) => svc.updateBuilding(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/buildings/:id/units',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: housingUnitInput,
          response: { 201: z.object({ id: z.number(), code: z.string() }) },
        },
      },
      async (req, reply) => {
        const u = await svc.createHousingUnit(deps, actorOf(req), req.params.id, req.body, requestMeta(req));
        return reply.code(201).send({ id: u.id, code: u.code });
      },
    );
    app.patch(
      '/api/housing-units/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: z.object({
            use: z.enum(housingUses).optional(),
            area: z.number().positive().max(100_000).optional(),
          }),
          response: { 200: z.object({ id: z.number(), use: z.string() }) },
        },
      },
      async (req) => {
        const u = await svc.updateHousingUnit(deps, actorOf(req), req.params.id, req.body, requestMeta(req));
        return { id: (u as { id: number }).id, use: (u as { use: string }).use };
      },
    );

    // ------------------------------------------------------------ households
    app.post(
      '/api/households',
      {
        config: { access: 'resident:write' },
        schema: {
          tags,
          body: householdInput,
          response: { 201: z.object({ id: z.number(), code: z.string() }) },
        },
      },
      async (req, reply) => {
        const h = await svc.createHousehold(deps, actorOf(req), req.body, requestMeta(req));
        return reply.code(201).send({ id: h.id, code: h.code });
      },
    );
    app.put(
      '/api/households/:id/members',
      {
        config: { access: 'resident:write' },
        schema: {
          tags,
          params: intIdParam,
          body: householdMemberInput,
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req) => {
        await svc.setHouseholdMember(
          deps,
          actorOf(req),
          req.params.id,
          req.body.residentId,
          req.body.relationToHead,
          requestMeta(req),
        );
        return { ok: true as const };
      },
    );
    app.delete(
      '/api/households/:id/members/:residentId',
      {
        config: { access: 'resident:write' },
        schema: {
          tags,
          params: z.object({ id: intIdParam.shape.id, residentId: z.string().uuid() }),
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req) => {
        await svc.setHouseholdMember(
          deps,
          actorOf(req),
          req.params.id,
          req.params.residentId,
          null,
          requestMeta(req),
        );
        return { ok: true as const };
      },
    );

    app.put(
      '/api/residents/:id/household',
      {
        config: { access: 'resident:write' },
        schema: {
          tags,
          params: z.object({ id: z.string().uuid() }),
          body: z.object({
            housingUnitId: intIdParam.shape.id,
            relationToHead: z.string().trim().min(1, '请填写与户主关系').max(20),
          }),
          response: { 200: z.object({ householdId: z.number() }) },
        },
      },
      async (req) => {
        const h = await svc.settleResident(deps, actorOf(req), req.params.id, req.body, requestMeta(req));
        return { householdId: h.id };
      },
    );

    // ------------------------------------------------------------ organizations
    app.get(
      '/api/organizations',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: organizationListQuery, response: { 200: pageOf(organization) } },
      },
      async (req) => svc.listOrganizations(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/organizations/export.xlsx',
      {
        config: { access: 'place:read', rateLimit: 'export' },
        schema: { tags, querystring: organizationListQuery.omit({ page: true, pageSize: true }) },
      },
      async (req, reply) =>
        sendXlsx(
          reply,
          await svc.exportOrganizations(
            deps,
            actorOf(req),
            { ...req.query, page: 1, pageSize: 200 },
            requestMeta(req),
          ),
          'organizations.xlsx',
          '实有单位.xlsx',
        ),
    );
    app.post(
      '/api/organizations',
      {
        config: { access: 'place:write' },
        schema: { tags, body: organizationInput, response: { 201: organization } },
      },
      async (req, reply) =>
        reply.code(201).send(await svc.createOrganization(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/organizations/:id',
      {
        config: { access: 'place:read' },
        schema: { tags, params: intIdParam, response: { 200: organization } },
      },
      async (req) => svc.getOrganization(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/organizations/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: organizationInput.omit({ creditCode: true, gridId: true }).partial(),
          response: { 200: organization },
        },
      },
      async (req) => svc.updateOrganization(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    // ------------------------------------------------------------ facilities
    app.get(
      '/api/facilities',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: facilityListQuery, response: { 200: pageOf(facility) } },
      },
      async (req) => svc.listFacilities(deps, actorOf(req), req.query),
    );
    app.post(
      '/api/facilities',
      {
        config: { access: 'place:write' },
        schema: { tags, body: facilityInput, response: { 201: facility } },
      },
      async (req, reply) =>
        reply.code(201).send(await svc.createFacility(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/facilities/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: facilityInput.pick({ name: true, state: true, owner: true, lng: true, lat: true }).partial(),
          response: { 200: facility },
        },
      },
      async (req) => svc.updateFacility(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    // ------------------------------------------------------------ map
    app.get(
      '/api/places/map',
      { config: { access: 'place:read' }, schema: { tags, querystring: placesMapQuery } },
      async (req) =>
        svc.placesMap(
          db,
          actorOf(req),
          req.query.bbox ? req.query.bbox.split(',').map(Number) : null,
          req.query.layers.split(','),
        ),
    );
  };
