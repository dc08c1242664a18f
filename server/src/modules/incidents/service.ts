import {
  type IncidentDetail,
  type IncidentInput,
  type IncidentListQuery,
  incidentLevelNames,
  type incidentLogInput,
  type incidentTaskInput,
  incidentTypeNames,
  type RosterDay,
} from '@civicgrid/core/api/incidents';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lte, type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { deliverSms, publishNotifications, type SmsSender } from '../../platform/notify.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { notifyUsers } from '../cases/notifications.js';
import { locateGrid } from '../org/locator.js';
import { registerPathFollower } from '../org/service.js';
import { departments, orgUnits } from '../org/tables.js';
import { recipients } from './notify.js';
import { incidentsScope } from './policy.js';
import { incidentLogs, incidentNotifications, incidents, incidentTasks, onCallRosters } from './tables.js';

export interface IncidentDeps {
  db: Db;
  crypto: FieldCrypto;
  bus: EventBus;
  sms: SmsSender;
  log: Pick<FastifyBaseLogger, 'warn'>;
}
type IncidentRow = typeof incidents.$inferSelect;

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(incidents)
    .set({ orgPath: sql`${to} || substr(${incidents.orgPath}, ${from.length + 1})` })
    .where(sql`${incidents.orgPath} like ${`${from}%`}`);
});

const audit = (tx: Db, actor: Actor, meta: RequestMeta, entry: Parameters<typeof appendAudit>[2]) =>
  appendAudit(tx, auditActorOf(actor, meta), entry);

/** The unit an emergency is reported at: the reporter's own; a grid worker's is his community. */
async function reportingUnit(db: Db, actor: Actor): Promise<{ id: number; path: string }> {
  if (actor.orgUnitId === null || actor.orgPath === null)
    throw fieldError('orgUnitId', 'required', 'INCIDENT_NO_UNIT');
  if (actor.orgLevel !== 'grid') return { id: actor.orgUnitId, path: actor.orgPath };
  const [u] = await db
    .select({ parentId: orgUnits.parentId })
    .from(orgUnits)
    .where(eq(orgUnits.id, actor.orgUnitId));
  const parent = u?.parentId ?? actor.orgUnitId;
  return { id: parent, path: `${actor.orgPath.split('/').slice(0, -2).join('/')}/` };
}

function incidentCode(now: number): string {
  return `YJ${localDay(now).replaceAll('-', '')}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/**
 * 报告突发事件: the incident is written and, in the same transaction, the people on duty at
 * the unit, its leaders on duty and the leaders on duty one level up are told — each once
 * (in-app now; a text to each phone after the commit).
 */
export async function reportIncident(
  deps: IncidentDeps,
  actor: Actor,
  input: IncidentInput,
  meta: RequestMeta,
) {
  const { db } = deps;
  const unit = await reportingUnit(db, actor);
  const hit = await locateGrid(db, input.location.lat, input.location.lng);
  const now = new Date();
  const { row, told, notified } = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(incidents)
      .values({
        code: incidentCode(now.getTime()),
        type: input.type,
        level: input.level,
        description: input.description,
        lat: input.location.lat,
        lng: input.location.lng,
        gridId: hit && pathInScope(actor, hit.path) ? hit.gridId : null,
        orgUnitId: unit.id,
        orgPath: unit.path,
        status: 'active',
        reportedBy: actor.userId,
        reportedAt: now,
      })
      .returning();
    const r = row as IncidentRow;
    const people = await recipients(tx, unit.id, localDay(now.getTime()));
    const notified = people.length
      ? await tx
          .insert(incidentNotifications)
          .values(
            people.map((p) => ({
              incidentId: r.id,
              userId: p.userId,
              notifiedAs: p.as,
              orgUnitId: p.orgUnitId,
              notifiedAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ userId: incidentNotifications.userId, at: incidentNotifications.notifiedAt })
      : [];
    const told = await notifyUsers(
      tx,
      notified.map((n) => n.userId),
      {
        kind: 'incident',
        title: `突发事件 ${incidentTypeNames[input.type]} ${incidentLevelNames[input.level]}`,
        body: `${r.code}：${input.description.slice(0, 100)}`,
      },
    );
    await tx
      .insert(incidentLogs)
      .values({ incidentId: r.id, kind: 'report', text: input.description, actorId: actor.userId, at: now });
    await audit(tx, actor, meta, {
      action: 'incident.reported',
      targetType: 'incident',
      targetId: r.id,
      payload: { code: r.code, type: input.type, level: input.level, notified: notified.length },
    });
    return { row: r, told, notified };
  });
  publishNotifications(deps.bus, told);
  const phones = notified.length
    ? await db
        .select({ phoneEnc: users.phoneEnc })
        .from(users)
        .where(
          and(
            inArray(
              users.id,
              notified.map((n) => n.userId),
            ),
            isNotNull(users.phoneEnc),
          ),
        )
    : [];
  await deliverSms(
    deps.sms,
    deps.log,
    phones.map((p) => ({
      phone: deps.crypto.decrypt(p.phoneEnc as string),
      text: `【应急值班】${incidentTypeNames[input.type]}（${incidentLevelNames[input.level]}）${row.code}，请立即登录平台确认。`,
      ref: row.code,
    })),
  );
  return {
    id: row.id,
    code: row.code,
    notified: notified.map((n) => ({ userId: n.userId, at: n.at.toISOString() })),
  };
}

/** 确认收到: the notified person's own notice, timed once (a second acknowledgement keeps the first time). */
export async function acknowledge(db: Db, actor: Actor, id: string, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const [n] = await tx
      .select()
      .from(incidentNotifications)
      .where(and(eq(incidentNotifications.incidentId, id), eq(incidentNotifications.userId, actor.userId)))
      .for('update');
    if (!n) throw new AppError('NOT_FOUND');
    if (n.acknowledgedAt) return { acknowledgedAt: n.acknowledgedAt.toISOString() };
    const at = new Date();
    await tx
      .update(incidentNotifications)
      .set({ acknowledgedAt: at })
      .where(eq(incidentNotifications.id, n.id));
    await audit(tx, actor, meta, {
      action: 'incident.acknowledged',
      targetType: 'incident',
      targetId: id,
      payload: {},
    });
    return { acknowledgedAt: at.toISOString() };
  });
}

async function loadActive(tx: Db, actor: Actor, id: string) {
  const row = await loadScoped(tx, actor, incidentsScope, id, { forUpdate: true });
  if (row.status === 'closed') throw new AppError('INCIDENT_CLOSED');
  return row;
}

export async function addLog(
  db: Db,
  actor: Actor,
  id: string,
  input: z.infer<typeof incidentLogInput>,
  meta: RequestMeta,
) {
  await db.transaction(async (tx) => {
    const row = await loadActive(tx, actor, id);
    await tx
      .insert(incidentLogs)
      .values({ incidentId: row.id, kind: input.kind, text: input.text, actorId: actor.userId });
    await audit(tx, actor, meta, {
      action: 'incident.logged',
      targetType: 'incident',
      targetId: row.id,
      payload: { kind: input.kind },
    });
  });
}

export async function addTask(
  db: Db,
  actor: Actor,
  id: string,
  input: z.infer<typeof incidentTaskInput>,
  meta: RequestMeta,
) {
  const dueAt = new Date(input.dueAt);
  if (dueAt.getTime() <= Date.now()) throw fieldError('dueAt', 'future', 'INCIDENT_TASK_PAST');
  await db.transaction(async (tx) => {
    const row = await loadActive(tx, actor, id);
    const [d] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, input.departmentId));
    if (!d) throw fieldError('departmentId', 'exists', 'INCIDENT_DEPARTMENT_UNKNOWN');
    await tx
      .insert(incidentTasks)
      .values({ incidentId: row.id, departmentId: d.id, title: input.title, dueAt, createdBy: actor.userId });
    await tx
      .insert(incidentLogs)
      .values({ incidentId: row.id, kind: 'order', text: `交办任务：${input.title}`, actorId: actor.userId });
    await audit(tx, actor, meta, {
      action: 'incident.taskAssigned',
      targetType: 'incident',
      targetId: row.id,
      payload: { departmentId: d.id, dueAt: dueAt.toISOString() },
    });
  });
}

export async function finishTask(
  db: Db,
  actor: Actor,
  id: string,
  taskId: number,
  note: string | undefined,
  meta: RequestMeta,
) {
  await db.transaction(async (tx) => {
    const row = await loadActive(tx, actor, id);
    const [task] = await tx
      .select()
      .from(incidentTasks)
      .where(and(eq(incidentTasks.id, taskId), eq(incidentTasks.incidentId, row.id)))
      .for('update');
    if (!task) throw new AppError('NOT_FOUND');
    if (task.doneAt) throw new AppError('INCIDENT_TASK_DONE');
    await tx
      .update(incidentTasks)
      .set({ doneAt: new Date(), note: note ?? null })
      .where(eq(incidentTasks.id, task.id));
    await audit(tx, actor, meta, {
      action: 'incident.taskDone',
      targetType: 'incident',
      targetId: row.id,
      payload: { taskId },
    });
  });
}

export async function closeIncident(db: Db, actor: Actor, id: string, summary: string, meta: RequestMeta) {
  await db.transaction(async (tx) => {
    const row = await loadActive(tx, actor, id);
    const now = new Date();
    await tx
      .update(incidents)
      .set({ status: 'closed', summary, closedAt: now })
      .where(eq(incidents.id, row.id));
    await tx
      .insert(incidentLogs)
      .values({ incidentId: row.id, kind: 'note', text: '处置结束', actorId: actor.userId, at: now });
    await audit(tx, actor, meta, {
      action: 'incident.closed',
      targetType: 'incident',
      targetId: row.id,
      payload: {},
    });
  });
}

async function unitNames(db: Db, ids: number[]) {
  if (!ids.length) return new Map<number, string>();
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(inArray(orgUnits.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function notifiedCounts(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { n: number; ack: number }>();
  const rows = await db
    .select({
      id: incidentNotifications.incidentId,
      n: count(),
      ack: sql<number>`count(${incidentNotifications.acknowledgedAt})::int`,
    })
    .from(incidentNotifications)
    .where(inArray(incidentNotifications.incidentId, ids))
    .groupBy(incidentNotifications.incidentId);
  return new Map(rows.map((r) => [r.id, { n: Number(r.n), ack: Number(r.ack) }]));
}

function summaryOf(r: IncidentRow, unitName: string | null, c: { n: number; ack: number } | undefined) {
  return {
    id: r.id,
    code: r.code,
    type: r.type,
    level: r.level,
    description: r.description,
    location: { lat: r.lat, lng: r.lng },
    status: r.status,
    orgUnitId: r.orgUnitId,
    orgUnitName: unitName,
    reportedAt: r.reportedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    notifiedCount: c?.n ?? 0,
    acknowledgedCount: c?.ack ?? 0,
  };
}

export async function listIncidents(db: Db, actor: Actor, q: IncidentListQuery) {
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const cond: (SQL | undefined)[] = [
    q.status ? eq(incidents.status, q.status) : undefined,
    q.type ? eq(incidents.type, q.type) : undefined,
    area ? areaCondition(area, incidents.orgPath) : undefined,
  ];
  const { items, total } = await listScoped(db, actor, incidentsScope, {
    where: and(...cond),
    orderBy: [desc(incidents.reportedAt), desc(incidents.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const [names, counts] = await Promise.all([
    unitNames(db, [...new Set(items.map((r) => r.orgUnitId))]),
    notifiedCounts(
      db,
      items.map((r) => r.id),
    ),
  ]);
  return { items: items.map((r) => summaryOf(r, names.get(r.orgUnitId) ?? null, counts.get(r.id))), total };
}

export async function incidentDetail(db: Db, actor: Actor, id: string): Promise<IncidentDetail> {
  const row = await loadScoped(db, actor, incidentsScope, id);
  const [names, counts, told, logs, tasks] = await Promise.all([
    unitNames(db, [row.orgUnitId]),
    notifiedCounts(db, [row.id]),
    db
      .select({ n: incidentNotifications, name: users.displayName, unitName: orgUnits.name })
      .from(incidentNotifications)
      .innerJoin(users, eq(users.id, incidentNotifications.userId))
      .leftJoin(orgUnits, eq(orgUnits.id, incidentNotifications.orgUnitId))
      .where(eq(incidentNotifications.incidentId, row.id))
      .orderBy(asc(incidentNotifications.id)),
    db
      .select({ l: incidentLogs, actorName: users.displayName })
      .from(incidentLogs)
      .leftJoin(users, eq(users.id, incidentLogs.actorId))
      .where(eq(incidentLogs.incidentId, row.id))
      .orderBy(asc(incidentLogs.at), asc(incidentLogs.id)),
    db
      .select({ t: incidentTasks, departmentName: departments.name })
      .from(incidentTasks)
      .innerJoin(departments, eq(departments.id, incidentTasks.departmentId))
      .where(eq(incidentTasks.incidentId, row.id))
      .orderBy(asc(incidentTasks.id)),
  ]);
  const now = Date.now();
  const active = row.status === 'active';
  const command = active && actor.permissions.has('incident:command');
  const mine = told.find((x) => x.n.userId === actor.userId);
  return {
    ...summaryOf(row, names.get(row.orgUnitId) ?? null, counts.get(row.id)),
    summary: row.summary,
    notifications: told.map(({ n, name, unitName }) => ({
      userId: n.userId,
      name,
      as: n.notifiedAs,
      unitName,
      at: n.notifiedAt.toISOString(),
      acknowledgedAt: n.acknowledgedAt?.toISOString() ?? null,
      secondsToAcknowledge: n.acknowledgedAt
        ? Math.round((n.acknowledgedAt.getTime() - n.notifiedAt.getTime()) / 1000)
        : null,
    })),
    logs: logs.map(({ l, actorName }) => ({
      id: l.id,
      kind: l.kind,
      text: l.text,
      actorName,
      at: l.at.toISOString(),
    })),
    tasks: tasks.map(({ t, departmentName }) => ({
      id: t.id,
      departmentId: t.departmentId,
      departmentName,
      title: t.title,
      dueAt: t.dueAt.toISOString(),
      doneAt: t.doneAt?.toISOString() ?? null,
      note: t.note,
      overdue: t.doneAt === null && t.dueAt.getTime() < now,
    })),
    allowedActions: [
      ...(mine && !mine.n.acknowledgedAt ? (['acknowledge'] as const) : []),
      ...(command ? (['log', 'task', 'close'] as const) : []),
    ],
  };
}

/** The closed incident with its log and tasks, for the summary report. */
export async function closedIncident(db: Db, actor: Actor, id: string) {
  const detail = await incidentDetail(db, actor, id);
  if (detail.status !== 'closed') throw new AppError('INCIDENT_NOT_CLOSED');
  return detail;
}

// ——— 值班表

export async function roster(db: Db, actor: Actor, orgUnitId: number, from: string, to: string) {
  await resolveArea(db, actor, orgUnitId);
  const rows = await db
    .select({
      day: onCallRosters.day,
      role: onCallRosters.role,
      userId: onCallRosters.userId,
      name: users.displayName,
    })
    .from(onCallRosters)
    .innerJoin(users, eq(users.id, onCallRosters.userId))
    .where(
      and(eq(onCallRosters.orgUnitId, orgUnitId), gte(onCallRosters.day, from), lte(onCallRosters.day, to)),
    )
    .orderBy(asc(onCallRosters.day), asc(onCallRosters.id));
  const days = new Map<
    string,
    { day: string; onCall: { userId: string; name: string }[]; leaders: { userId: string; name: string }[] }
  >();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, onCall: [], leaders: [] };
    (r.role === 'leader' ? d.leaders : d.onCall).push({ userId: r.userId, name: r.name });
    days.set(r.day, d);
  }
  return { items: [...days.values()] };
}

/** A unit's day of the roster, replaced whole (its people on duty and its leaders). */
export async function setRoster(db: Db, actor: Actor, input: RosterDay, meta: RequestMeta) {
  await resolveArea(db, actor, input.orgUnitId);
  const everyone = [...input.onCall, ...input.leaders];
  if (new Set(everyone).size !== everyone.length) throw fieldError('leaders', 'distinct', 'ROSTER_TWICE');
  if (everyone.length) {
    const found = await db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, everyone), sql`${users.disabledAt} is null`));
    if (found.length !== everyone.length) throw fieldError('onCall', 'exists', 'ROSTER_USER_UNKNOWN');
  }
  await db.transaction(async (tx) => {
    await tx
      .delete(onCallRosters)
      .where(and(eq(onCallRosters.orgUnitId, input.orgUnitId), eq(onCallRosters.day, input.day)));
    const rows = [
      ...input.onCall.map((userId) => ({ userId, role: 'onCall' as const })),
      ...input.leaders.map((userId) => ({ userId, role: 'leader' as const })),
    ];
    if (rows.length)
      await tx
        .insert(onCallRosters)
        .values(rows.map((r) => ({ ...r, orgUnitId: input.orgUnitId, day: input.day })));
    await audit(tx, actor, meta, {
      action: 'roster.updated',
      targetType: 'orgUnit',
      targetId: input.orgUnitId,
      payload: {
        orgUnitId: input.orgUnitId,
        day: input.day,
        onCall: input.onCall.length,
        leaders: input.leaders.length,
      },
    });
  });
  return roster(db, actor, input.orgUnitId, input.day, input.day);
}
