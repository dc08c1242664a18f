import { idParam, intIdParam } from '@civicgrid/core/api/common';
import {
  casePropertyClock,
  casePropertySuggestion,
  estateInput,
  propertyPerformance as performanceReply,
  propertyCompany,
  propertyCompanyInput,
  propertyCompanyList,
  propertyCompanyQuery,
  propertyPerformanceQuery,
} from '@civicgrid/core/api/property';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { loadCase } from '../cases/service.js';
import {
  addEstate,
  companyDetail,
  listCompanies,
  propertyClockOf,
  propertyPerformance,
  registerCompany,
  suggestionFor,
} from './property.js';

/** 红管家: property companies, their estates, the company a case falls to, and their performance. */
export const propertyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const tags = ['participation'];

    app.post(
      '/api/property-companies',
      {
        config: { access: 'property:manage' },
        schema: { tags, body: propertyCompanyInput, response: { 201: propertyCompany } },
      },
      async (req, reply) =>
        reply.status(201).send(await registerCompany(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/property-companies',
      {
        config: { access: 'property:read' },
        schema: { tags, querystring: propertyCompanyQuery, response: { 200: propertyCompanyList } },
      },
      async (req) => listCompanies(db, actorOf(req), req.query),
    );
    app.get(
      '/api/property-companies/:id',
      {
        config: { access: 'property:read' },
        schema: { tags, params: intIdParam, response: { 200: propertyCompany } },
      },
      async (req) => companyDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/property-companies/:id/estates',
      {
        config: { access: 'property:manage' },
        schema: { tags, params: intIdParam, body: estateInput, response: { 201: propertyCompany } },
      },
      async (req, reply) =>
        reply.status(201).send(await addEstate(db, actorOf(req), req.params.id, req.body, requestMeta(req))),
    );
    app.get(
      '/api/property-performance',
      {
        config: { access: 'property:read' },
        schema: { tags, querystring: propertyPerformanceQuery, response: { 200: performanceReply } },
      },
      async (req) => propertyPerformance(db, actorOf(req), req.query),
    );
    app.get(
      '/api/cases/:id/property-company',
      {
        // The dispatcher of the case's level is offered the company of its estate.
        config: { access: 'case:dispatch' },
        schema: { tags, params: idParam, response: { 200: casePropertySuggestion } },
      },
      async (req) => suggestionFor(db, await loadCase(db, actorOf(req), req.params.id)),
    );
    app.get(
      '/api/cases/:id/property-clock',
      {
        // Whoever sees the case (its dispatchers, the company's staff) sees its 红管家 clock.
        config: { access: 'case:read' },
        schema: { tags, params: idParam, response: { 200: casePropertyClock } },
      },
      async (req) => propertyClockOf(db, (await loadCase(db, actorOf(req), req.params.id)).id),
    );
  };
