import { idParam, intIdParam } from '@civicgrid/core/api/common';
import {
  eligibleAgentList,
  eligibleAgentQuery,
  myProxyRequest,
  myProxyRequestList,
  myProxyRequestQuery,
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
  proxyRequestInput,
  proxyRequestList,
  proxyRequestListQuery,
  proxyRequestView,
} from '@civicgrid/core/api/proxy';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { createProxyRequest, listProxyRequests, myProxyRequests, proxyRequestAction } from './requests.js';
import {
  agentCandidates,
  createProxyApplication,
  createProxyPoint,
  eligibleAgents,
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

    // ——— 请网格员帮办: the resident's request from /r, taken up by his grid's workers
    app.post(
      '/api/my/proxy-requests',
      {
        config: { access: 'authenticated' },
        schema: { tags, body: proxyRequestInput, response: { 201: myProxyRequest } },
      },
      async (req, reply) =>
        reply.status(201).send(await createProxyRequest(deps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/my/proxy-requests',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: myProxyRequestQuery, response: { 200: myProxyRequestList } },
      },
      async (req) => myProxyRequests(db, actorOf(req), req.query),
    );
    app.get(
      '/api/proxy-requests',
      {
        config: { access: 'application:proxy' },
        schema: { tags, querystring: proxyRequestListQuery, response: { 200: proxyRequestList } },
      },
      async (req) => listProxyRequests(deps, actorOf(req), req.query),
    );
    app.post(
      '/api/proxy-requests/:id/actions/take',
      {
        config: { access: 'application:proxy' },
        schema: { tags, params: idParam, response: { 200: proxyRequestView } },
      },
      async (req) => proxyRequestAction(deps, actorOf(req), req.params.id, 'take', requestMeta(req)),
    );
    app.post(
      '/api/proxy-requests/:id/actions/cancel',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: proxyRequestView } },
      },
      async (req) => proxyRequestAction(deps, actorOf(req), req.params.id, 'cancel', requestMeta(req)),
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
    app.get(
      '/api/proxy-agents/eligible',
      {
        config: { access: 'application:intake' },
        schema: { tags, querystring: eligibleAgentQuery, response: { 200: eligibleAgentList } },
      },
      async (req) => eligibleAgents(db, actorOf(req), req.query.residentId),
    );
  };
