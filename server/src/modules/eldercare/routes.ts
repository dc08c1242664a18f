import { idParam } from '@civicgrid/core/api/common';
import {
  alert,
  alertActionBody,
  alertActionParams,
  alertList,
  alertQuery,
  device,
  deviceCreated,
  deviceImeiParam,
  deviceInput,
  deviceList,
  deviceQuery,
  elderProfile,
  elderProfileInput,
  ingestReply,
  ingestStats,
  residentIdParam,
  telemetryPush,
  track,
  trackQuery,
  vitals,
} from '@civicgrid/core/api/eldercare';
import { elderList, elderListQuery } from '@civicgrid/core/api/elders';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventBus } from '../../platform/bus.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { eventStreams } from '../../platform/events.js';
import { actorOf, requestMeta } from '../../platform/http.js';
import { listElders } from './elders.js';
import { liveEventVisible } from './policy.js';
import type { Eldercare } from './runtime.js';
import * as svc from './service.js';

const tags = ['eldercare'];

declare module 'fastify' {
  interface FastifyInstance {
    /** The wearables' ingestion (eldercare): main.ts hands it to the MQTT broker it starts. */
    eldercare: Eldercare;
  }
}

/** IMEI and secret from HTTP Basic, or from the X-Device-Secret header beside the path's IMEI. */
function deviceSecret(req: FastifyRequest, imei: string): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const plain = Buffer.from(auth.slice(6), 'base64').toString();
    const at = plain.indexOf(':');
    if (at < 0 || plain.slice(0, at) !== imei) return null;
    return plain.slice(at + 1);
  }
  const h = req.headers['x-device-secret'];
  return typeof h === 'string' ? h : null;
}

export const eldercareRoutes =
  (deps: AppDeps & { bus: EventBus; eldercare: Eldercare }): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const { ingest } = deps.eldercare;
    const streams = eventStreams(deps.bus);
    app.addHook('onClose', async () => streams.closeAll());

    app.post(
      '/api/devices',
      {
        config: { access: 'eldercare:write' },
        schema: { tags, body: deviceInput, response: { 201: deviceCreated } },
      },
      async (req, reply) => {
        const out = await svc.registerDevice(deps, actorOf(req), req.body, requestMeta(req));
        ingest.forget(out.imei);
        return reply.code(201).send(out);
      },
    );
    app.get(
      '/api/devices',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, querystring: deviceQuery, response: { 200: deviceList } },
      },
      async (req) => svc.listDevices(db, actorOf(req), req.query),
    );
    app.get(
      '/api/devices/:id',
      { config: { access: 'eldercare:read' }, schema: { tags, params: idParam, response: { 200: device } } },
      async (req) => svc.deviceDetail(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/devices/:id/track',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, params: idParam, querystring: trackQuery, response: { 200: track } },
      },
      async (req) => svc.deviceTrack(db, actorOf(req), req.params.id, req.query.date),
    );
    app.get(
      '/api/devices/:id/vitals',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, params: idParam, querystring: trackQuery, response: { 200: vitals } },
      },
      async (req) => svc.deviceVitals(db, actorOf(req), req.params.id, req.query.date, requestMeta(req)),
    );
    // Devices that push over HTTP: the same payloads as MQTT; the device is its own credential.
    app.post(
      '/api/devices/:id/telemetry',
      {
        config: { access: 'public' },
        schema: {
          tags,
          params: deviceImeiParam,
          body: telemetryPush,
          response: { 202: ingestReply },
        },
      },
      async (req, reply) => {
        const imei = req.params.id;
        const secret = deviceSecret(req, imei);
        if (!secret || !(await ingest.authenticate(imei, secret))) throw new AppError('DEVICE_AUTH_FAILED');
        const body = req.body as Record<string, unknown> | null;
        const topic = body && typeof body === 'object' && 'type' in body ? 'event' : 'telemetry';
        const out = await ingest.handle(imei, topic, body);
        if (out.reason === 'rateLimited') throw new AppError('DEVICE_RATE_LIMITED');
        if (!out.accepted)
          throw fieldError('body', out.reason ?? 'invalid', 'DEVICE_MESSAGE_REJECTED', {
            reason: out.reason ?? '',
          });
        return reply.code(202).send({ accepted: true });
      },
    );

    app.get(
      '/api/alerts',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, querystring: alertQuery, response: { 200: alertList } },
      },
      async (req) => svc.listAlerts(db, actorOf(req), req.query),
    );
    app.post(
      '/api/alerts/:id/actions/:action',
      {
        config: { access: 'eldercare:alert' },
        schema: { tags, params: alertActionParams, body: alertActionBody, response: { 200: alert } },
      },
      async (req) => svc.alertAction(db, actorOf(req), req.params.id, req.params.action, requestMeta(req)),
    );

    app.get(
      '/api/eldercare/stats',
      { config: { access: 'eldercare:read' }, schema: { tags, response: { 200: ingestStats } } },
      async () => ({ ...ingest.stats(), brokerClients: deps.eldercare.broker()?.clients() ?? null }),
    );
    // The live map: positions and alerts of the devices the user may see.
    app.get(
      '/api/eldercare/stream',
      { config: { access: 'eldercare:read' }, schema: { tags } },
      async (req, reply) => {
        const actor = actorOf(req);
        streams.open(req, reply, (e) =>
          e.type === 'eldercare' && liveEventVisible(actor, e.orgPath)
            ? {
                event: 'eldercare',
                data: {
                  kind: e.kind,
                  deviceId: e.deviceId,
                  lat: e.lat,
                  lng: e.lng,
                  ...(e.alertId ? { alertId: e.alertId, alertKind: e.alertKind } : {}),
                },
              }
            : null,
        );
      },
    );

    app.get(
      '/api/elders',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, querystring: elderListQuery, response: { 200: elderList } },
      },
      async (req) => listElders(deps.db, actorOf(req), req.query),
    );
    app.get(
      '/api/elders/:residentId/profile',
      {
        config: { access: 'eldercare:read' },
        schema: { tags, params: residentIdParam, response: { 200: elderProfile } },
      },
      async (req) => svc.elderProfile(deps, actorOf(req), req.params.residentId, requestMeta(req)),
    );
    app.put(
      '/api/elders/:residentId/profile',
      {
        config: { access: 'eldercare:write' },
        schema: { tags, params: residentIdParam, body: elderProfileInput, response: { 200: elderProfile } },
      },
      async (req) =>
        svc.saveElderProfile(deps, actorOf(req), req.params.residentId, req.body, requestMeta(req)),
    );
  };
