import {
  actionBody,
  assigneeChoices,
  assigneeQuery,
  attachment,
  batchDispatchInput,
  batchDispatchReply,
  calendarInput,
  calendarYear,
  calendarYearParam,
  caseActionParam,
  caseCategory,
  caseCounts,
  caseDetail,
  caseEventList,
  caseFilterQuery,
  caseList,
  caseListQuery,
  caseMap,
  caseMetrics,
  caseSummary,
  categoryCodeParam,
  categoryInput,
  categoryList,
  duplicateList,
  duplicatesQuery,
  metricsQuery,
  notificationIdParam,
  notificationList,
  reportCaseInput,
  revealedReporter,
} from '@civicgrid/core/api/cases';
import { idParam, okReply, pageQuery } from '@civicgrid/core/api/common';
import { myCase, myCaseList, myCaseQuery } from '@civicgrid/core/api/resident';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventBus } from '../../platform/bus.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { eventStreams } from '../../platform/events.js';
import { type FileStore, maxImageBytes, readUpload } from '../../platform/files.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import type { SmsSender } from '../../platform/notify.js';
import { actionDone, batchDispatch, type CaseDeps, performAction } from './actions/index.js';
import { assigneeChoices as choicesFor } from './assignees.js';
import {
  calendarYear as calendarOf,
  createCategory,
  listCategories,
  replaceCalendarYear,
  updateCategory,
} from './config.js';
import { exportCases } from './export.js';
import { caseMetrics as computeMetrics } from './metrics.js';
import { myCase as myCaseOf, myCases } from './myCases.js';
import { nameBook } from './names.js';
import { listNotifications, markRead } from './notifications.js';
import { photoFor, uploadPhoto } from './photos.js';
import { caseEventVisible } from './policy.js';
import { presentCategory, presentEvent, presentFile, presentSummary } from './presenter.js';
import { reportCase } from './report.js';
import * as svc from './service.js';

const tags = ['cases'];

export interface CaseRouteDeps extends AppDeps {
  files: FileStore;
  bus: EventBus;
  sms: SmsSender;
}

export const caseRoutes =
  (routeDeps: CaseRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const deps: CaseDeps & CaseRouteDeps = { ...routeDeps, log: app.log };
    const { db } = deps;
    const streams = eventStreams(deps.bus);
    app.addHook('preClose', async () => streams.closeAll());

    // ——— categories and calendar ———
    app.get(
      '/api/case-categories',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: categoryList } } },
      async () => {
        const book = await nameBook(db);
        return { items: (await listCategories(db)).map((c) => presentCategory(c, book)) };
      },
    );
    app.post(
      '/api/case-categories',
      {
        config: { access: 'case:configure' },
        schema: { tags, body: categoryInput, response: { 201: caseCategory } },
      },
      async (req, reply) => {
        const row = await createCategory(db, actorOf(req), req.body, requestMeta(req));
        return reply.code(201).send(presentCategory(row, await nameBook(db)));
      },
    );
    app.patch(
      '/api/case-categories/:code',
      {
        config: { access: 'case:configure' },
        schema: {
          tags,
          params: categoryCodeParam,
          body: categoryInput.partial(),
          response: { 200: caseCategory },
        },
      },
      async (req) =>
        presentCategory(
          await updateCategory(db, actorOf(req), req.params.code, req.body, requestMeta(req)),
          await nameBook(db),
        ),
    );
    app.get(
      '/api/calendar/:year',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: calendarYearParam, response: { 200: calendarYear } },
      },
      async (req) => calendarOf(db, req.params.year),
    );
    app.put(
      '/api/calendar/:year',
      {
        config: { access: 'case:configure' },
        schema: { tags, params: calendarYearParam, body: calendarInput, response: { 200: calendarYear } },
      },
      async (req) => replaceCalendarYear(db, actorOf(req), req.params.year, req.body.days, requestMeta(req)),
    );

    // ——— photos ———
    app.post(
      '/api/files',
      { config: { access: 'authenticated' }, schema: { tags, response: { 201: attachment } } },
      async (req, reply) => {
        const { data } = await readUpload(req, maxImageBytes, () => new AppError('FILE_TOO_LARGE'));
        const row = await uploadPhoto(db, deps.files, actorOf(req), data, requestMeta(req));
        return reply.code(201).send(presentFile(row));
      },
    );
    const sendFile =
      (thumb: boolean) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
        const f = await photoFor(db, actorOf(req), req.params.id);
        const data = await deps.files.read(thumb ? f.thumbKey : f.storageKey);
        return reply
          .type(thumb ? 'image/jpeg' : f.mime)
          .header('cache-control', 'private, max-age=86400, immutable')
          .send(data);
      };
    app.get(
      '/api/files/:id',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      sendFile(false),
    );
    app.get(
      '/api/files/:id/thumb',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam } },
      sendFile(true),
    );

    // ——— cases ———
    app.post(
      '/api/cases',
      {
        config: { access: 'case:report' },
        schema: { tags, body: reportCaseInput, response: { 200: caseSummary, 201: caseSummary } },
      },
      async (req, reply) => {
        const { row, created } = await reportCase(deps, actorOf(req), req.body, requestMeta(req));
        const book = await nameBook(db);
        return reply.code(created ? 201 : 200).send(presentSummary(row, book, new Map()));
      },
    );
    app.get(
      '/api/cases',
      {
        config: { access: 'case:read' },
        schema: { tags, querystring: caseListQuery, response: { 200: caseList } },
      },
      async (req) => svc.listCases(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/cases/counts',
      { config: { access: 'case:read' }, schema: { tags, response: { 200: caseCounts } } },
      async (req) => svc.caseCounts(db, actorOf(req)),
    );
    app.get(
      '/api/cases/map',
      {
        config: { access: 'case:read' },
        schema: { tags, querystring: caseFilterQuery, response: { 200: caseMap } },
      },
      async (req) => svc.caseMap(db, actorOf(req), req.query),
    );
    app.get(
      '/api/cases/export.xlsx',
      {
        config: { access: 'case:read', rateLimit: 'export' },
        schema: { tags, querystring: caseFilterQuery },
      },
      async (req, reply) => {
        const { file, day } = await exportCases(db, actorOf(req), req.query, requestMeta(req));
        return sendXlsx(reply, file, `cases-${day}.xlsx`, `事件清单-${day}.xlsx`);
      },
    );
    app.get(
      '/api/cases/duplicates',
      {
        config: { access: 'case:report' },
        schema: { tags, querystring: duplicatesQuery, response: { 200: duplicateList } },
      },
      async (req) => ({
        items: await svc.nearbyOpen(db, actorOf(req), req.query.categoryCode, req.query.lat, req.query.lng),
      }),
    );
    app.post(
      '/api/cases/batch-dispatch',
      {
        config: { access: 'case:dispatch' },
        schema: { tags, body: batchDispatchInput, response: { 200: batchDispatchReply } },
      },
      async (req) => batchDispatch(deps, actorOf(req), req.body, requestMeta(req)),
    );
    // ——— a resident's own reports ("my matters", /r) ———
    app.get(
      '/api/my/cases',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: myCaseQuery, response: { 200: myCaseList } },
      },
      async (req) => myCases(db, actorOf(req), req.query),
    );
    app.get(
      '/api/my/cases/:id',
      { config: { access: 'authenticated' }, schema: { tags, params: idParam, response: { 200: myCase } } },
      async (req) => myCaseOf(db, actorOf(req), req.params.id),
    );
    app.get(
      '/api/cases/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: caseDetail } },
      },
      async (req) => svc.caseDetail(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/api/cases/:id/events',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: idParam, response: { 200: caseEventList } },
      },
      async (req) => {
        const { events, photos } = await svc.caseEventsOf(db, actorOf(req), req.params.id);
        const byId = new Map(photos.map((p) => [p.id, p]));
        return { items: events.map((e) => presentEvent(e, byId)) };
      },
    );
    app.post(
      '/api/cases/:id/reporter/reveal',
      {
        config: { access: 'pii:reveal', rateLimit: 'reveal' },
        schema: { tags, params: idParam, response: { 200: revealedReporter } },
      },
      async (req) => svc.revealReporter(deps, actorOf(req), req.params.id, requestMeta(req)),
    );
    app.get(
      '/api/cases/:id/assignees',
      {
        config: { access: 'case:dispatch' },
        schema: { tags, params: idParam, querystring: assigneeQuery, response: { 200: assigneeChoices } },
      },
      async (req) => choicesFor(db, actorOf(req), req.params.id, req.query.q),
    );
    app.post(
      '/api/cases/:id/actions/:action',
      {
        // Each action's own permission is checked by the workflow policy, and its body is
        // parsed with the action's own schema.
        config: { access: 'authenticated' },
        schema: { tags, params: caseActionParam, body: actionBody.optional(), response: { 200: caseDetail } },
      },
      async (req) => {
        const { id, action } = req.params;
        const actor = actorOf(req);
        // An action sent again with the same Idempotency-Key (a phone retrying after a lost
        // reply) is not done twice: the case is answered as it stands.
        const key = req.headers['idempotency-key'];
        const clientKey = typeof key === 'string' && key.length > 0 ? key.slice(0, 100) : null;
        if (clientKey && (await actionDone(db, actor, id, clientKey))) return svc.caseDetail(deps, actor, id);
        try {
          await performAction(deps, actor, id, action, req.body, requestMeta(req), clientKey);
        } catch (e) {
          // The same key arriving twice at once: the second waits for the first (the case row
          // is locked), then fails on its state or on the key — either way the action is done.
          if (!(clientKey && (await actionDone(db, actor, id, clientKey)))) throw e;
        }
        return svc.caseDetail(deps, actor, id);
      },
    );

    // ——— metrics ———
    app.get(
      '/api/metrics/cases',
      {
        config: { access: 'metrics:read' },
        schema: { tags, querystring: metricsQuery, response: { 200: caseMetrics } },
      },
      async (req) => computeMetrics(db, actorOf(req), req.query),
    );

    // ——— notifications ———
    app.get(
      '/api/notifications',
      {
        config: { access: 'authenticated' },
        schema: { tags, querystring: pageQuery, response: { 200: notificationList } },
      },
      async (req) => listNotifications(db, actorOf(req).userId, req.query.page, req.query.pageSize),
    );
    app.post(
      '/api/notifications/:id/read',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: notificationIdParam, response: { 200: okReply } },
      },
      async (req) => {
        await markRead(db, actorOf(req).userId, req.params.id);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/notifications/read-all',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: okReply } } },
      async (req) => {
        await markRead(db, actorOf(req).userId);
        return { ok: true as const };
      },
    );
    app.get(
      '/api/notifications/stream',
      { config: { access: 'authenticated' }, schema: { tags } },
      async (req, reply) => {
        const actor = actorOf(req);
        streams.open(req, reply, (e) => {
          if (e.type === 'notification')
            return e.userId === actor.userId ? { event: 'notification', data: e.notification } : null;
          if (e.type !== 'case') return null;
          // Case changes go to everyone who may see the case, so their lists refresh.
          return caseEventVisible(actor, e)
            ? { event: 'case', data: { id: e.id, code: e.code, status: e.status } }
            : null;
        });
      },
    );
  };
