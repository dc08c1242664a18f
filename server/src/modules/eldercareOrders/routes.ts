import { idParam, intIdParam } from '@civicgrid/core/api/common';
import {
  billQuery,
  callerReveal,
  elderServiceList,
  elderServiceQuery,
  order,
  orderActionBody,
  orderActionParams,
  orderInput,
  orderList,
  orderQuery,
  orderStats,
  orderStatsQuery,
  provider,
  providerInput,
  providerList,
  providerPatch,
  providerQuery,
  providerSuggestionList,
  screenEldercare,
} from '@civicgrid/core/api/eldercareOrders';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.js';
import { addFileVisibility } from '../../platform/files.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import {
  createOrder,
  listOrders,
  orderAction,
  orderDetail,
  orderFileVisible,
  revealCaller,
  suggestProviders,
} from './orders.js';
import {
  createProvider,
  listElderServices,
  listProviders,
  providerDetail,
  updateProvider,
} from './providers.js';
import { screenEldercare as screenPanel } from './screenPanel.js';
import { exportBill, orderStats as statsOf } from './stats.js';

const tags = ['eldercareOrders'];

/** 12349 为老服务: the service list, providers (服务商), orders, statistics and monthly bills. */
export const eldercareOrderRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const orderDeps = { db, crypto: deps.crypto, config: deps.config };
    addFileVisibility(orderFileVisible);

    app.get(
      '/api/eldercare/services',
      {
        config: { access: 'eldercareOrder:read' },
        schema: { tags, querystring: elderServiceQuery, response: { 200: elderServiceList } },
      },
      async (req) => listElderServices(db, req.query.kind),
    );

    app.get(
      '/api/providers',
      {
        config: { access: 'eldercareOrder:dispatch' },
        schema: { tags, querystring: providerQuery, response: { 200: providerList } },
      },
      async (req) => listProviders(db, actorOf(req), req.query),
    );
    app.get(
      '/api/providers/:id',
      {
        config: { access: 'eldercareOrder:dispatch' },
        schema: { tags, params: intIdParam, response: { 200: provider } },
      },
      async (req) => providerDetail(db, actorOf(req), req.params.id),
    );
    app.post(
      '/api/providers',
      {
        config: { access: 'provider:manage' },
        schema: { tags, body: providerInput, response: { 201: provider } },
      },
      async (req, reply) =>
        reply.status(201).send(await createProvider(db, actorOf(req), req.body, requestMeta(req))),
    );
    app.patch(
      '/api/providers/:id',
      {
        config: { access: 'provider:manage' },
        schema: { tags, params: intIdParam, body: providerPatch, response: { 200: provider } },
      },
      async (req) => updateProvider(db, actorOf(req), req.params.id, req.body, requestMeta(req)),
    );

    app.post(
      '/api/eldercare/orders',
      {
        config: { access: 'eldercareOrder:dispatch' },
        schema: { tags, body: orderInput, response: { 201: order } },
      },
      async (req, reply) =>
        reply.status(201).send(await createOrder(orderDeps, actorOf(req), req.body, requestMeta(req))),
    );
    app.get(
      '/api/eldercare/orders',
      {
        config: { access: 'eldercareOrder:read' },
        schema: { tags, querystring: orderQuery, response: { 200: orderList } },
      },
      async (req) => listOrders(orderDeps, actorOf(req), req.query),
    );
    app.get(
      '/api/eldercare/orders/:id',
      {
        config: { access: 'eldercareOrder:read' },
        schema: { tags, params: idParam, response: { 200: order } },
      },
      async (req) => orderDetail(orderDeps, actorOf(req), req.params.id),
    );
    app.get(
      '/api/eldercare/orders/:id/suggestions',
      {
        config: { access: 'eldercareOrder:dispatch' },
        schema: { tags, params: idParam, response: { 200: providerSuggestionList } },
      },
      async (req) => suggestProviders(orderDeps, actorOf(req), req.params.id),
    );
    app.post(
      '/api/eldercare/orders/:id/caller',
      {
        config: { access: 'pii:reveal', rateLimit: 'reveal' },
        schema: { tags, params: idParam, response: { 200: callerReveal } },
      },
      async (req) => revealCaller(orderDeps, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.post(
      '/api/eldercare/orders/:id/actions/:action',
      {
        // Each action names its permission in the workflow table (dispatcher or provider staff);
        // the policy checks it after the scope (404 before 403 before 409).
        config: { access: 'eldercareOrder:read' },
        schema: { tags, params: orderActionParams, body: orderActionBody, response: { 200: order } },
      },
      async (req) =>
        orderAction(orderDeps, actorOf(req), req.params.id, req.params.action, req.body, requestMeta(req)),
    );

    // The big screen's eldercare panel: counts of the viewer's jurisdiction, nobody named.
    app.get(
      '/api/screen/eldercare',
      { config: { access: 'metrics:read' }, schema: { tags, response: { 200: screenEldercare } } },
      async (req) => screenPanel(db, actorOf(req)),
    );
    app.get(
      '/api/eldercare/order-stats',
      {
        config: { access: 'eldercareOrder:dispatch' },
        schema: { tags, querystring: orderStatsQuery, response: { 200: orderStats } },
      },
      async (req) => statsOf(db, actorOf(req), req.query.month),
    );
    app.get(
      '/api/eldercare/bills/export.xlsx',
      {
        config: { access: 'eldercareOrder:dispatch', rateLimit: 'export' },
        schema: { tags, querystring: billQuery },
      },
      async (req, reply) => {
        const { file } = await exportBill(db, actorOf(req), req.query, requestMeta(req));
        return sendXlsx(
          reply,
          file,
          `eldercare-bill-${req.query.month}.xlsx`,
          `12349月度账单-${req.query.month}.xlsx`,
        );
      },
    );
  };
