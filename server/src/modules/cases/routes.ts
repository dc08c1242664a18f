import { createHash } from 'node:crypto';
import {
  actionBodies,
  assigneeChoices,
  assigneeQuery,
  attachment,
  batchDispatchInput,
  calendarDay,
  caseActionParam,
  caseCategory,
  caseChannelNames,
  caseDetail,
  caseEvent,
  caseListQuery,
  caseMetrics,
  caseSummary,
  caseViews,
  categoryInput,
  metricsQuery,
  notification,
  ratingNames,
  reportCaseInput,
} from '@civicgrid/core/api/cases';
import { idParam, okReply, pageQuery } from '@civicgrid/core/api/common';
import { caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import {
  type FileStore,
  fileVisibleThroughModules,
  maxImageBytes,
  readUpload,
} from '../../platform/files.js';
import { actorOf, requestMeta, sendXlsx } from '../../platform/http.js';
import type { SmsSender } from '../../platform/notify.js';
import { pathInScope } from '../../platform/scope.js';
import {
  calendarYear,
  createCategory,
  listCategories,
  replaceCalendarYear,
  updateCategory,
} from './config.js';
import { caseMetrics as computeMetrics } from './metrics.js';
import { nameBook } from './names.js';
import { canSeeCase } from './policy.js';
import { presentCategory, presentEvent, presentFile, presentSummary } from './presenter.js';
import * as svc from './service.js';
import { cases, files, notifications } from './tables.js';

const tags = ['cases'];

export interface CaseRouteDeps extends AppDeps {
  files: FileStore;
  bus: EventBus;
  sms: SmsSender;
}

const codeParam = z.object({ code: z.string().max(16) });
const yearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const filterQuery = caseListQuery.omit({ page: true, pageSize: true, sort: true });

export const caseRoutes =
  (deps: CaseRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    // Open event streams end when the server stops, so shutdown does not wait on them.
    const streams = new Set<import('node:http').ServerResponse>();
    app.addHook('preClose', async () => {
      for (const r of streams) r.end();
    });

    // ——— categories and calendar ———
    app.get(
      '/api/case-categories',
      {
        config: { access: 'authenticated' },
        schema: { tags, response: { 200: z.object({ items: z.array(caseCategory) }) } },
      },
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
        schema: { tags, params: codeParam, body: categoryInput.partial(), response: { 200: caseCategory } },
      },
      async (req) =>
        presentCategory(
          await updateCategory(db, actorOf(req), req.params.code, req.body, requestMeta(req)),
          await nameBook(db),
        ),
    );
    const calendarReply = z.object({ year: z.number().int(), days: z.array(calendarDay) });
    app.get(
      '/api/calendar/:year',
      {
        config: { access: 'authenticated' },
        schema: { tags, params: yearParam, response: { 200: calendarReply } },
      },
      async (req) => calendarYear(db, req.params.year),
    );
    app.put(
      '/api/calendar/:year',
      {
        config: { access: 'case:configure' },
        schema: {
          tags,
          params: yearParam,
          body: z.object({ days: z.array(calendarDay).max(366) }),
          response: { 200: calendarReply },
        },
      },
      async (req) => replaceCalendarYear(db, actorOf(req), req.params.year, req.body.days, requestMeta(req)),
    );

    // ——— photos ———
    app.post(
      '/api/files',
      { config: { access: 'authenticated' }, schema: { tags, response: { 201: attachment } } },
      async (req, reply) => {
        const { data: buf } = await readUpload(req, maxImageBytes, () => new AppError('FILE_TOO_LARGE'));
        const actor = actorOf(req);
        // The same photo sent again by the same person (a retried upload from the field app)
        // is the same file, as long as nothing has taken it yet.
        const sha256 = createHash('sha256').update(buf).digest('hex');
        const [again] = await db
          .select()
          .from(files)
          .where(and(eq(files.ownerId, actor.userId), eq(files.sha256, sha256), isNull(files.caseId)))
          .limit(1);
        if (again) return reply.code(201).send(presentFile(again));
        const stored = await deps.files.saveImage(buf);
        const row = await db.transaction(async (tx) => {
          const [f] = await tx
            .insert(files)
            .values({ ...stored, ownerId: actor.userId })
            .returning();
          await appendAudit(tx, auditActorOf(actor, requestMeta(req)), {
            action: 'file.uploaded',
            targetType: 'file',
            targetId: f?.id,
            payload: { mime: stored.mime, size: stored.size },
          });
          return f as typeof files.$inferSelect;
        });
        return reply.code(201).send(presentFile(row));
      },
    );
    const sendFile =
      (thumb: boolean) =>
      async (
        req: { params: { id: string } } & Parameters<typeof actorOf>[0],
        reply: import('fastify').FastifyReply,
      ) => {
        const actor = actorOf(req);
        const [f] = await db.select().from(files).where(eq(files.id, req.params.id));
        if (!f) throw new AppError('NOT_FOUND');
        // A photo is visible to whoever uploaded it and to whoever may see its case…
        if (f.ownerId !== actor.userId) {
          const [c] = f.caseId ? await db.select().from(cases).where(eq(cases.id, f.caseId)) : [];
          // …or, for a photo another module's record holds (a care or household visit), to
          // whoever that module says may see the record.
          if (!c || !canSeeCase(actor, c)) {
            if (f.caseId || !(await fileVisibleThroughModules(db, actor, f.id)))
              throw new AppError('NOT_FOUND');
          }
        }
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
        const { row, created } = await svc.reportCase(deps, actorOf(req), req.body, requestMeta(req));
        const book = await nameBook(db);
        return reply.code(created ? 201 : 200).send(presentSummary(row, book, new Map()));
      },
    );
    app.get(
      '/api/cases',
      {
        config: { access: 'case:read' },
        schema: {
          tags,
          querystring: caseListQuery,
          response: { 200: z.object({ items: z.array(caseSummary), total: z.number() }) },
        },
      },
      async (req) => svc.listCases(deps, actorOf(req), req.query),
    );
    app.get(
      '/api/cases/counts',
      {
        config: { access: 'case:read' },
        schema: { tags, response: { 200: z.record(z.enum(caseViews), z.number().int()) } },
      },
      async (req) => svc.caseCounts(db, actorOf(req)),
    );
    app.get(
      '/api/cases/map',
      {
        config: { access: 'case:read' },
        schema: {
          tags,
          querystring: filterQuery,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  code: z.string(),
                  lat: z.number(),
                  lng: z.number(),
                  status: z.string(),
                  overdue: z.boolean(),
                  categoryName: z.string(),
                }),
              ),
              truncated: z.boolean(),
            }),
          },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const limit = 20_000;
        const where = and(
          svc.listConditions(actor, req.query),
          await svc.orgUnitCondition(db, req.query.orgUnitId),
          sql`${cases.lat} is not null`,
        );
        const rows = await db
          .select({
            id: cases.id,
            code: cases.code,
            lat: cases.lat,
            lng: cases.lng,
            status: cases.status,
            categoryCode: cases.categoryCode,
            overdue: sql<boolean>`(${cases.step} <> 'none' and ${cases.dueAt} <= now())`,
          })
          .from(cases)
          .where(where)
          .orderBy(desc(cases.reportedAt))
          .limit(limit + 1);
        const book = await nameBook(db);
        return {
          items: rows.slice(0, limit).map((r) => ({
            id: r.id,
            code: r.code,
            lat: r.lat as number,
            lng: r.lng as number,
            status: r.status,
            overdue: Boolean(r.overdue),
            categoryName: book.categories.get(r.categoryCode)?.name ?? r.categoryCode,
          })),
          truncated: rows.length > limit,
        };
      },
    );
    app.get(
      '/api/cases/export.xlsx',
      { config: { access: 'case:read', rateLimit: 'export' }, schema: { tags, querystring: filterQuery } },
      async (req, reply) => {
        const actor = actorOf(req);
        const max = 50_000;
        const where = and(
          svc.listConditions(actor, req.query),
          await svc.orgUnitCondition(db, req.query.orgUnitId),
        );
        const rows = await db.select().from(cases).where(where).orderBy(desc(cases.reportedAt)).limit(max);
        const book = await nameBook(db);
        const wb = new ExcelJS.Workbook();
        wb.creator = 'CivicGrid';
        const ws = wb.addWorksheet('事件');
        ws.columns = [
          { header: '事件编号', key: 'code', width: 20 },
          { header: '状态', key: 'status', width: 10 },
          { header: '分类', key: 'category', width: 16 },
          { header: '来源', key: 'channel', width: 12 },
          { header: '描述', key: 'description', width: 50 },
          { header: '地址', key: 'address', width: 24 },
          { header: '街道', key: 'street', width: 14 },
          { header: '社区', key: 'community', width: 18 },
          { header: '网格', key: 'grid', width: 22 },
          { header: '承办', key: 'assignee', width: 14 },
          { header: '上报时间', key: 'reportedAt', width: 20 },
          { header: '当前时限', key: 'dueAt', width: 20 },
          { header: '超期', key: 'overdue', width: 6 },
          { header: '督办', key: 'supervised', width: 6 },
          { header: '结案时间', key: 'closedAt', width: 20 },
          { header: '评价', key: 'rating', width: 10 },
        ];
        ws.getRow(1).font = { bold: true };
        const fmt = (iso: string | null) =>
          iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';
        for (const r of rows) {
          // The same presenter as the list: no reporter data leaves in the export.
          const s = presentSummary(r, book, new Map());
          ws.addRow({
            code: s.code,
            status: caseStateNames[s.status].zh,
            category: s.categoryName,
            channel: caseChannelNames[s.channel],
            description: s.description,
            address: s.address ?? '',
            street: s.streetName ?? '',
            community: s.communityName ?? '',
            grid: s.gridName ?? '',
            assignee: s.assignee?.name ?? '',
            reportedAt: fmt(s.reportedAt),
            dueAt: fmt(s.deadlines.dueAt),
            overdue: s.overdue ? '是' : '',
            supervised: s.supervised ? '是' : '',
            closedAt: fmt(s.closedAt),
            rating: r.rating ? ratingNames[r.rating as keyof typeof ratingNames] : '',
          });
        }
        await db.transaction((tx) =>
          appendAudit(tx, auditActorOf(actor, requestMeta(req)), {
            action: 'case.exported',
            payload: { rows: rows.length, filters: Object.keys(req.query) },
          }),
        );
        const buf = Buffer.from(await wb.xlsx.writeBuffer());
        const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
        return sendXlsx(reply, buf, `cases-${day}.xlsx`, `事件清单-${day}.xlsx`);
      },
    );
    app.get(
      '/api/cases/duplicates',
      {
        config: { access: 'case:report' },
        schema: {
          tags,
          querystring: z.object({
            lat: z.coerce.number().min(-90).max(90),
            lng: z.coerce.number().min(-180).max(180),
            categoryCode: z.string().max(16),
          }),
          response: { 200: z.object({ items: caseDetail.shape.duplicates }) },
        },
      },
      async (req) => ({
        items: await svc.nearbyOpen(db, actorOf(req), req.query.categoryCode, req.query.lat, req.query.lng),
      }),
    );
    app.post(
      '/api/cases/batch-dispatch',
      {
        config: { access: 'case:dispatch' },
        schema: {
          tags,
          body: batchDispatchInput,
          response: {
            200: z.object({
              succeeded: z.array(z.string()),
              failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
            }),
          },
        },
      },
      async (req) => svc.batchDispatch(deps, actorOf(req), req.body, requestMeta(req)),
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
        schema: { tags, params: idParam, response: { 200: z.object({ items: z.array(caseEvent) }) } },
      },
      async (req) => {
        const { events, photos } = await svc.caseEventsOf(db, actorOf(req), req.params.id);
        const byId = new Map(photos.map((p) => [p.id, p]));
        return { items: events.map((e) => presentEvent(e, byId)) };
      },
    );
    app.get(
      '/api/cases/:id/assignees',
      {
        config: { access: 'case:dispatch' },
        schema: { tags, params: idParam, querystring: assigneeQuery, response: { 200: assigneeChoices } },
      },
      async (req) => svc.assigneeChoices(db, actorOf(req), req.params.id, req.query.q),
    );
    app.post(
      '/api/cases/:id/actions/:action',
      {
        // Each action's own permission is checked by the workflow policy.
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: caseActionParam,
          body: z.record(z.string(), z.unknown()).optional(),
          response: { 200: caseDetail },
        },
      },
      async (req) => {
        const { id, action } = req.params;
        const parsed = actionBodies[action].safeParse(req.body ?? {});
        if (!parsed.success) {
          const errors = parsed.error.issues.map((i) => ({
            field: i.path.join('.') || 'body',
            rule: i.code,
            message: i.message,
          }));
          throw new AppError('VALIDATION', errors[0]?.message, errors);
        }
        const actor = actorOf(req);
        // An action sent again with the same Idempotency-Key (a phone retrying after a lost
        // reply) is not done twice: the case is answered as it stands.
        const key = req.headers['idempotency-key'];
        const clientKey = typeof key === 'string' && key.length > 0 ? key.slice(0, 100) : null;
        if (clientKey && (await svc.actionDone(db, actor, id, clientKey)))
          return svc.caseDetail(deps, actor, id);
        try {
          await svc.performAction(deps, actor, id, action, parsed.data as never, requestMeta(req), clientKey);
        } catch (e) {
          // The same key arriving twice at once: the second waits for the first (the case row
          // is locked), then fails on its state or on the key — either way the action is done.
          if (!(clientKey && (await svc.actionDone(db, actor, id, clientKey)))) throw e;
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
        schema: {
          tags,
          querystring: pageQuery,
          response: {
            200: z.object({ items: z.array(notification), total: z.number(), unread: z.number() }),
          },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const mine = eq(notifications.userId, actor.userId);
        const [rows, [total], [unread]] = await Promise.all([
          db
            .select()
            .from(notifications)
            .where(mine)
            .orderBy(desc(notifications.id))
            .limit(req.query.pageSize)
            .offset((req.query.page - 1) * req.query.pageSize),
          db.select({ n: count() }).from(notifications).where(mine),
          db
            .select({ n: count() })
            .from(notifications)
            .where(and(mine, isNull(notifications.readAt))),
        ]);
        return {
          items: rows.map((r) => ({
            ...r,
            createdAt: r.createdAt.toISOString(),
            readAt: r.readAt?.toISOString() ?? null,
          })),
          total: Number(total?.n ?? 0),
          unread: Number(unread?.n ?? 0),
        };
      },
    );
    app.post(
      '/api/notifications/:id/read',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: okReply },
        },
      },
      async (req) => {
        await db
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(eq(notifications.id, req.params.id), eq(notifications.userId, actorOf(req).userId)));
        return { ok: true as const };
      },
    );
    app.post(
      '/api/notifications/read-all',
      { config: { access: 'authenticated' }, schema: { tags, response: { 200: okReply } } },
      async (req) => {
        await db
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(eq(notifications.userId, actorOf(req).userId), isNull(notifications.readAt)));
        return { ok: true as const };
      },
    );
    app.get(
      '/api/notifications/stream',
      { config: { access: 'authenticated' }, schema: { tags } },
      async (req, reply) => {
        const actor = actorOf(req);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 3000\n\n');
        const send = (event: string, data: unknown) =>
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const unsubscribe = deps.bus.subscribe((e) => {
          if (e.type === 'notification' && e.userId === actor.userId) send('notification', e.notification);
          // Case changes go to everyone who may see the case, so their lists refresh.
          if (
            e.type === 'case' &&
            ((actor.permissions.has('case:read') && pathInScope(actor, e.orgPath)) ||
              (actor.departmentId !== null && e.departmentIds.includes(actor.departmentId)))
          )
            send('case', { id: e.id, code: e.code, status: e.status });
        });
        const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
        streams.add(res);
        req.raw.on('close', () => {
          clearInterval(ping);
          unsubscribe();
          streams.delete(res);
        });
      },
    );
  };
