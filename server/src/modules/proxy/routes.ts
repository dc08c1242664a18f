import { intIdParam } from '@civicgrid/core/api/common';
import {
  proxyAgentList,
  proxyAgentQuery,
  proxyApplicationCreated,
  proxyApplicationInput,
  proxyApplicationList,
  proxyApplicationListQuery,
  proxyPoint,
  proxyPointInput,
  proxyPointList,
  proxyPointListQuery,
  proxyPointMap,
  proxyPointPatch,
} from '@civicgrid/core/api/proxy';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import {
  agentCandidates,
  createProxyApplication,
  createProxyPoint,
  listProxyPoints,
  myProxyApplications,
  proxyPointMap as pointMap,
  proxyPointDetail,
  updateProxyPoint,
} from './service.js';

const tags = ['proxy'];

/** 帮办代办: the agent's intake and list, and the proxy points (代办点) with their agents. */
export const proxyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/api/proxy-applications',
      {
        config: { access: 'application:proxy' },
        schema: { tags, body: proxyApplicationInput, response: { 201: proxyApplicationCreated } },
      },
      async (req, reply) =>
        reply.status(201).send(await createProxyApplication(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/proxy-applications',
      {
        config: { access: 'application:proxy' },
        schema: { tags, querystring: proxyApplicationListQuery, response: { 200: proxyApplicationList } },
      },
      async (req) => myProxyApplications(db, actorOf(req), req.query),
    );

    app.get(
      '/api/proxy-points',
      {
        config: { access: 'place:read' },
        schema: { tags, querystring: proxyPointListQuery, response: { 200: proxyPointList } },
      },
      async (req) => listProxyPoints(db, actorOf(req), req.query),
    );
    app.get(
      '/api/proxy-points/map',
      { config: { access: 'place:read' }, schema: { tags, response: { 200: proxyPointMap } } },
      async (req) => pointMap(db, actorOf(req)),
    );
    app.get(
      '/api/proxy-points/:id',
      {
        config: { access: 'place:read' },
        schema: { tags, params: intIdParam, response: { 200: proxyPoint } },
      },
      async (req) => proxyPointDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/proxy-points',
      {
        config: { access: 'proxyPoint:write' },
        schema: { tags, body: proxyPointInput, response: { 201: proxyPoint } },
      },
      async (req, reply) =>
        reply.status(201).send(await createProxyPoint(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/proxy-points/:id',
      {
        config: { access: 'proxyPoint:write' },
        schema: { tags, params: intIdParam, body: proxyPointPatch, response: { 200: proxyPoint } },
      },
      async (req) => updateProxyPoint(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );
    app.get(
      '/api/proxy-agents',
      {
        config: { access: 'proxyPoint:write' },
        schema: { tags, querystring: proxyAgentQuery, response: { 200: proxyAgentList } },
      },
      async (req) => agentCandidates(db, actorOf(req), req.query.orgUnitId),
    );
  };
