import {
  hotlineCallback,
  hotlineCallbackList,
  hotlineCallbackParam,
  hotlineCallbackQuery,
  hotlineCategoryParam,
  hotlineMapping,
  hotlineMappingInput,
  hotlineMappingList,
  hotlineOrder,
  hotlineOrderReply,
  hotlineSecretInput,
  hotlineSecretReply,
  hotlineSettings,
  hotlineSettingsInput,
} from '@civicgrid/core/api/integrations';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../platform/http.js';
import type { CaseDeps } from '../cases/actions/apply.js';
import { listCallbacks, resendCallback } from './callbacks.js';
import { deleteMapping, listMappings, saveMapping } from './mappings.js';
import { receiveOrder } from './orders.js';
import { currentSecret, type HotlineDefaults, rotateSecret, saveSettings, settingsView } from './settings.js';
import { verify } from './signature.js';

const tags = ['integrations'];
const adminAccess = 'system:configure' as const;

/** Requests whose signature was checked over their raw body. */
const signed = new WeakSet<FastifyRequest>();

/**
 * Signed work orders in: public, the signature is the credential. In a context of its own,
 * so its JSON parser — which checks the signature over the raw bytes before parsing them —
 * serves this route only.
 */
const orderRoutes =
  (deps: CaseDeps, defaults: HotlineDefaults): FastifyPluginAsyncZod =>
  async (app) => {
    // The secret in force at this request: set in the console, else HOTLINE_SECRET.
    const secretNow = () => currentSecret(deps.db, deps.crypto, defaults);
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      async (req: FastifyRequest, body: Buffer) => {
        verify(await secretNow(), req.headers, body);
        signed.add(req);
        return JSON.parse(body.toString('utf8'));
      },
    );

    app.post(
      '/api/integrations/hotline/orders',
      {
        config: { access: 'public', rateLimit: 'hotlineWebhook' },
        // A request without a JSON body meets no parser: its signature is checked here.
        preValidation: async (req) => {
          if (!signed.has(req)) verify(await secretNow(), req.headers, Buffer.alloc(0));
        },
        schema: {
          tags,
          body: hotlineOrder,
          response: { 200: hotlineOrderReply, 201: hotlineOrderReply },
        },
      },
      async (req, reply) => {
        const { caseId, code, created } = await receiveOrder(deps, req.body, requestMeta(req));
        return reply.status(created ? 201 : 200).send({ caseId, code });
      },
    );
  };

/** The 12345 bridge: orders in (above), the category mapping and the dead-letter list for the admin. */
export const hotlineRoutes =
  (deps: CaseDeps, defaults: HotlineDefaults): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    await app.register(orderRoutes(deps, defaults));

    // The bridge's settings: the callback address, and the shared secret (set or rotated,
    // shown once in the reply, stored encrypted, never returned afterwards).
    app.get(
      '/api/integrations/hotline/settings',
      { config: { access: adminAccess }, schema: { tags, response: { 200: hotlineSettings } } },
      async () => settingsView(db, defaults),
    );
    app.put(
      '/api/integrations/hotline/settings',
      {
        config: { access: adminAccess },
        schema: { tags, body: hotlineSettingsInput, response: { 200: hotlineSettings } },
      },
      async (req) => saveSettings(db, actorOf(req), req.body, defaults, requestMeta(req)),
    );
    app.post(
      '/api/integrations/hotline/settings/secret',
      {
        config: { access: adminAccess },
        schema: { tags, body: hotlineSecretInput, response: { 200: hotlineSecretReply } },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return rotateSecret(db, deps.crypto, actorOf(req), req.body.secret, requestMeta(req));
      },
    );

    app.get(
      '/api/integrations/hotline/mappings',
      { config: { access: adminAccess }, schema: { tags, response: { 200: hotlineMappingList } } },
      async () => listMappings(db),
    );
    app.put(
      '/api/integrations/hotline/mappings',
      {
        config: { access: adminAccess },
        schema: { tags, body: hotlineMappingInput, response: { 200: hotlineMapping } },
      },
      async (req) => saveMapping(db, actorOf(req), req.body, requestMeta(req)),
    );
    app.delete(
      '/api/integrations/hotline/mappings/:category',
      { config: { access: adminAccess }, schema: { tags, params: hotlineCategoryParam } },
      async (req, reply) => {
        await deleteMapping(db, actorOf(req), req.params.category, requestMeta(req));
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/integrations/hotline/callbacks',
      {
        config: { access: adminAccess },
        schema: { tags, querystring: hotlineCallbackQuery, response: { 200: hotlineCallbackList } },
      },
      async (req) => listCallbacks(db, req.query),
    );
    app.post(
      '/api/integrations/hotline/callbacks/:id/resend',
      {
        config: { access: adminAccess },
        schema: { tags, params: hotlineCallbackParam, response: { 200: hotlineCallback } },
      },
      async (req) => resendCallback(db, actorOf(req), req.params.id, requestMeta(req)),
    );
  };
