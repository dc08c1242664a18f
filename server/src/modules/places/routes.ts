import { idParam, intIdParam, okReply, pageOf } from '@civicgrid/core/api/common';
import { importStarted } from '@civicgrid/core/api/imports';
import {
  building,
  buildingDetail,
  buildingInput,
  buildingListQuery,
  buildingPatch,
  createdWithCode,
  facility,
  facilityInput,
  facilityListQuery,
  facilityPatch,
  householdInput,
  householdMemberInput,
  householdMemberParams,
  housingUnitInput,
  housingUnitPatch,
  housingUnitUpdated,
  organization,
  organizationInput,
  organizationListQuery,
  organizationPatch,
  placeMap,
  placesMapQuery,
  residentSettled,
  residentSettlement,
} from '@civicgrid/core/api/places';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import { startImport } from '../../platform/importer.js';
import { readImportUpload } from '../../platform/importRoutes.js';
import * as buildings from './buildings.js';
import * as facilities from './facilities.js';
import * as households from './households.js';
import { buildingImport, buildingTemplate } from './imports.js';
import { placesMap } from './map.js';
import { organizationImport, organizationTemplate } from './organizationImports.js';
import * as organizations from './organizations.js';

const tags = ['places'];
const accepted = { 202: importStarted };

export const placeRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, crypto } = deps;
    const orgSpec = organizationImport(crypto);

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
        const file = await readImportUpload(req);
        return reply
          .code(202)
          .send({ id: await startImport(db, buildingImport.kind, actorOf(req), file, requestMeta(req)) });
      },
    );
    app.post(
      '/api/imports/organizations',
      { config: { access: 'place:write' }, schema: { tags, response: accepted } },
      async (req, reply) => {
        const file = await readImportUpload(req);
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
      async (req) => buildings.listBuildings(deps, actorOf(req), req.query),
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
          await buildings.exportBuildings(deps, actorOf(req), req.query, requestMeta(req)),
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
        reply.code(201).send(await buildings.createBuilding(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/buildings/:id',
      {
        config: { access: 'place:read' },
        schema: {
          tags,
          params: intIdParam,
          response: { 200: buildingDetail },
        },
      },
      async (req) => buildings.buildingDetail(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/buildings/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: buildingPatch,
          response: { 200: building },
        },
      },
      async (req) => buildings.updateBuilding(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.post(
      '/api/buildings/:id/units',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: housingUnitInput,
          response: { 201: createdWithCode },
        },
      },
      async (req, reply) => {
        const u = await buildings.createHousingUnit(
          deps,
          actorOf(req),
          req.params.id,
          req.body,
          requestMeta(req),
        );
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
          body: housingUnitPatch,
          response: { 200: housingUnitUpdated },
        },
      },
      async (req) => {
        const u = await buildings.updateHousingUnit(
          deps,
          actorOf(req),
          req.params.id,
          req.body,
          requestMeta(req),
        );
        return { id: u.id, use: u.use };
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
          response: { 201: createdWithCode },
        },
      },
      async (req, reply) => {
        const h = await households.createHousehold(deps, actorOf(req), req.body, requestMeta(req));
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
          response: { 200: okReply },
        },
      },
      async (req) => {
        await households.setHouseholdMember(
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
          params: householdMemberParams,
          response: { 200: okReply },
        },
      },
      async (req) => {
        await households.setHouseholdMember(
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
          params: idParam,
          body: residentSettlement,
          response: { 200: residentSettled },
        },
      },
      async (req) => {
        const h = await households.settleResident(
          deps,
          actorOf(req),
          req.params.id,
          req.body,
          requestMeta(req),
        );
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
      async (req) => organizations.listOrganizations(deps, actorOf(req), req.query),
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
          await organizations.exportOrganizations(
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
        reply
          .code(201)
          .send(await organizations.createOrganization(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/organizations/:id',
      {
        config: { access: 'place:read' },
        schema: { tags, params: intIdParam, response: { 200: organization } },
      },
      async (req) => organizations.getOrganization(deps, actorOf(req), req.params.id),
    );
    app.patch(
      '/api/organizations/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: organizationPatch,
          response: { 200: organization },
        },
      },
      async (req) =>
        organizations.updateOrganization(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    // ------------------------------------------------------------ facilities
    app.get(
      '/api/facilities',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: facilityListQuery, response: { 200: pageOf(facility) } },
      },
      async (req) => facilities.listFacilities(deps, actorOf(req), req.query),
    );
    app.post(
      '/api/facilities',
      {
        config: { access: 'place:write' },
        schema: { tags, body: facilityInput, response: { 201: facility } },
      },
      async (req, reply) =>
        reply.code(201).send(await facilities.createFacility(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/facilities/:id',
      {
        config: { access: 'place:write' },
        schema: {
          tags,
          params: intIdParam,
          body: facilityPatch,
          response: { 200: facility },
        },
      },
      async (req) => facilities.updateFacility(deps, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    // ------------------------------------------------------------ map
    app.get(
      '/api/places/map',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: placesMapQuery, response: { 200: placeMap } },
      },
      async (req) =>
        placesMap(
          db,
          actorOf(req),
          req.query.bbox ? req.query.bbox.split(',').map(Number) : null,
          req.query.layers.split(','),
        ),
    );
  };
