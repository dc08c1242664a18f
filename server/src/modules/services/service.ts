import { parseIdNumber } from '@civicgrid/core';
import {
  type ApplicationActionBody,
  type ApplicationDetail,
  type ApplicationInput,
  type ApplicationListQuery,
  applicationActionBodies,
} from '@civicgrid/core/api/services';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import {
  type ApplicationAction,
  type ApplicationState,
  nextApplicationState,
} from '@civicgrid/core/services/stateMachine';
import { startClock } from '@civicgrid/core/services/timeLimit';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { workCalendar } from '../cases/calendar.js';
import { registerPathFollower } from '../org/service.js';
import { checkProxy, recordProxy } from '../proxy/intake.js';
import { residents } from '../residents/tables.js';
import type { ActionHandler, ItemRow } from './actions/effect.js';
import { actionHandlers } from './actions/index.js';
import { currentItem } from './catalogue.js';
import { checkForm } from './form.js';
import { assertOwnFiles, checkMaterials, stillMissing } from './materials.js';
import { notifyApplicant } from './online.js';
import { type ApplicationRow, allowedActions, applicationsScope, refusal } from './policy.js';
import { presentDetail, presentSummary } from './presenter.js';
import { applicationEvents, applications, serviceItems } from './tables.js';
import { todoCondition } from './todos.js';

export interface ServiceDeps {
  db: Db;
  crypto: FieldCrypto;
}

// Moving a unit carries its applications along (where they were taken in and are handled).
registerPathFollower(async (tx, from, to) => {
  await tx
    .update(applications)
    .set({ orgPath: sql`${to} || substr(${applications.orgPath}, ${from.length + 1})` })
    .where(sql`${applications.orgPath} like ${`${from}%`}`);
  await tx
    .update(applications)
    .set({ handlingPath: sql`${to} || substr(${applications.handlingPath}, ${from.length + 1})` })
    .where(sql`${applications.handlingPath} like ${`${from}%`}`);
});

const idProblems = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;

const levelDepth = { district: 1, street: 2, community: 3 } as const;

/**
 * The window that takes the matter in: the actor's unit, or for a grid worker (a proxy
 * agent) the community of the grid. Its back office of the item's level handles it: the
 * path cut at that level (a street window taking a community item handles it itself).
 */
function windowOf(actor: Actor, level: keyof typeof levelDepth) {
  if (actor.orgPath === null) throw fieldError('orgUnitId', 'required', 'APPLICATION_NO_WINDOW');
  const ids = actor.orgPath.split('/').filter(Boolean);
  const own = actor.orgLevel === 'grid' ? ids.slice(0, -1) : ids;
  const handling = own.slice(0, Math.min(levelDepth[level], own.length));
  const pathOf = (xs: string[]) => `/${xs.join('/')}/`;
  return {
    orgUnitId: Number(own.at(-1)),
    orgPath: pathOf(own),
    handlingUnitId: Number(handling.at(-1)),
    handlingPath: pathOf(handling),
  };
}

/** An application number: BJ, the China-local date, six random digits (unique in the table). */
function applicationCode(now: number): string {
  const digits = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  return `BJ${localDay(now).replaceAll('-', '')}${digits}`;
}

function created(r: ApplicationRow) {
  return {
    id: r.id,
    code: r.code,
    status: r.status as 'accepted' | 'incomplete',
    dueDate: r.dueAt ? localDay(r.dueAt.getTime()) : null,
  };
}

/**
 * 一窗受理: check the applicant's ID number, the item, its materials and form; take the
 * application in as accepted (the clock starts) or incomplete (a required material is
 * missing: the clock waits for 补正). The same idempotency key from the same user finds the
 * application already taken in (a unique key, so a burst of retries makes one row).
 */
export async function createApplication(
  deps: ServiceDeps,
  actor: Actor,
  input: ApplicationInput,
  meta: RequestMeta,
  /** More writes that belong to the intake (a proxy request's link): in its transaction. */
  within?: (tx: Db, row: ApplicationRow) => Promise<void>,
) {
  const { db, crypto } = deps;
  const id = parseIdNumber(input.applicant.idNumber);
  if (!id.ok) throw fieldError('applicant.idNumber', id.problem, idProblems[id.problem]);
  const item = await currentItem(db, input.serviceCode);
  if (!item) throw fieldError('serviceCode', 'exists', 'SERVICE_UNKNOWN');
  const materials = checkMaterials(input.materials, item);
  await assertOwnFiles(
    db,
    actor.userId,
    materials.map((m) => m.fileId),
  );
  const form = checkForm(input.form, item.formFields);
  const where = windowOf(actor, item.level);
  const cal = await workCalendar(db);
  const now = Date.now();
  const missing = stillMissing(materials);
  const status: ApplicationState = missing.length ? 'incomplete' : 'accepted';
  const clock = status === 'accepted' ? startClock(cal, now, item.timeLimitDays) : null;
  const idIdx = crypto.blindIndex(id.normalized);
  // 帮办代办: the agent and the resident's consent, checked before anything is written.
  const proxy = await checkProxy(db, actor, input, idIdx);
  // The resident file of the applicant, when there is one (read only: residents owns it).
  const [resident] = await db
    .select({ id: residents.id })
    .from(residents)
    .where(eq(residents.idNumberIdx, idIdx));
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(applications)
      .values({
        code: applicationCode(now),
        serviceItemId: item.id,
        serviceCode: item.code,
        status,
        channel: input.channel,
        applicantName: input.applicant.name,
        applicantIdEnc: crypto.encrypt(id.normalized),
        applicantIdIdx: idIdx,
        applicantIdTail: id.normalized.slice(-4),
        applicantPhoneEnc: input.applicant.phone ? crypto.encrypt(input.applicant.phone) : null,
        residentId: resident?.id ?? null,
        materials,
        form,
        missing,
        ...where,
        departmentId: item.departmentId,
        acceptedAt: clock ? new Date(now) : null,
        dueAt: clock ? new Date(clock.dueAt) : null,
        warnAt: clock ? new Date(clock.warnAt) : null,
        createdBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      .onConflictDoNothing({ target: [applications.createdBy, applications.idempotencyKey] })
      .returning();
    if (!inserted) return null;
    await tx.insert(applicationEvents).values({
      applicationId: inserted.id,
      action: 'intake',
      fromState: null,
      toState: status,
      actorId: actor.userId,
      data: missing.length ? { missing } : null,
      at: new Date(now),
    });
    if (proxy) await recordProxy(tx, inserted.id, status, proxy, actor.userId, now);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'application.created',
      targetType: 'application',
      targetId: inserted.id,
      payload: { code: inserted.code, serviceCode: item.code, channel: input.channel, status },
    });
    if (within) await within(tx, inserted);
    return inserted;
  });
  if (row) return created(row);
  const [again] = await db
    .select()
    .from(applications)
    .where(
      and(eq(applications.createdBy, actor.userId), eq(applications.idempotencyKey, input.idempotencyKey)),
    );
  if (!again) throw new AppError('CONFLICT');
  return created(again);
}

function parseBody<A extends ApplicationAction>(action: A, raw: unknown): ApplicationActionBody<A> {
  const parsed = applicationActionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as ApplicationActionBody<A>;
}

async function itemOf(db: Db, id: number): Promise<ItemRow> {
  const [item] = await db.select().from(serviceItems).where(eq(serviceItems.id, id));
  return item as ItemRow;
}

/**
 * One step of an application, in one transaction: lock it (404 outside the actor's sight),
 * refuse what the policy refuses (403/409), parse the action's body, let the action decide
 * its effect, write it with its trail event, audit.
 */
export async function performAction<A extends ApplicationAction>(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  action: A,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<ApplicationDetail> {
  const { db } = deps;
  const cal = await workCalendar(db);
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, applicationsScope, id, { forUpdate: true });
    const item = await itemOf(tx, row.serviceItemId);
    const refused = refusal(actor, row, action, item);
    if (refused) throw refused;
    const body = parseBody(action, rawBody);
    const from = row.status as ApplicationState;
    const to = nextApplicationState(action, from) ?? from;
    const now = Date.now();
    const handler: ActionHandler<A> = actionHandlers[action];
    const effect = await handler({ tx, actor, row, item, cal, now }, body);
    await tx
      .update(applications)
      .set({ ...effect.set, status: to, updatedAt: new Date(now) })
      .where(eq(applications.id, row.id));
    await tx.insert(applicationEvents).values({
      applicationId: row.id,
      action,
      fromState: from,
      toState: to,
      actorId: actor.userId,
      note: effect.note ?? null,
      data: effect.data ?? null,
      at: new Date(now),
    });
    // The resident who applied online hears of it (his notification, in this transaction).
    await notifyApplicant(tx, row, action, actor.userId);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'application.action',
      targetType: 'application',
      targetId: row.id,
      payload: { action, from, to },
    });
  });
  // The actor may no longer see it (transferred across): the reply is then the 404 of a
  // record gone from sight, after the step was done — so answer with what was written.
  return applicationDetail(deps, actor, id).catch(async (e) => {
    if (!(e instanceof AppError) || e.code !== 'NOT_FOUND') throw e;
    const [row] = await db.select().from(applications).where(eq(applications.id, id));
    const r = row as ApplicationRow;
    return presentDetail(r, await itemOf(db, r.serviceItemId), [], [], deps.crypto);
  });
}

export async function applicationDetail(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<ApplicationDetail> {
  const { db } = deps;
  const row = await loadScoped(db, actor, applicationsScope, id);
  const [item, events, cal] = await Promise.all([
    itemOf(db, row.serviceItemId),
    db
      .select({ e: applicationEvents, actorName: users.displayName })
      .from(applicationEvents)
      .leftJoin(users, eq(users.id, applicationEvents.actorId))
      .where(eq(applicationEvents.applicationId, row.id))
      .orderBy(asc(applicationEvents.at), asc(applicationEvents.id)),
    workCalendar(db),
  ]);
  return presentDetail(
    row,
    item,
    events.map((x) => ({ ...x.e, actorName: x.actorName })),
    allowedActions(actor, row, item),
    deps.crypto,
    cal,
    events.some((x) => x.e.action === 'rate'),
  );
}

/** The running clock is past its due time: accepted, not yet decided, due before now. */
export const overdueSql = sql`(${applications.status} = 'accepted' and coalesce(${applications.dueAt} <= now(), false))`;
/** 临期: the running clock is past 80 % of its time, not yet past the due time. */
export const warningSql = sql`(${applications.status} = 'accepted' and coalesce(${applications.warnAt} <= now() and ${applications.dueAt} > now(), false))`;

export async function listApplications(deps: ServiceDeps, actor: Actor, q: ApplicationListQuery) {
  const { db } = deps;
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const cond: (SQL | undefined)[] = [
    q.status ? eq(applications.status, q.status) : undefined,
    q.serviceCode ? eq(applications.serviceCode, q.serviceCode) : undefined,
    area ? areaCondition(area, applications.orgPath) : undefined,
    q.overdue === undefined ? undefined : q.overdue ? overdueSql : sql`not ${overdueSql}`,
    q.warning === undefined ? undefined : q.warning ? warningSql : sql`not ${warningSql}`,
    q.todo ? todoCondition(actor, q.todo) : undefined,
  ];
  const { items, total } = await listScoped(db, actor, applicationsScope, {
    where: and(...cond),
    orderBy: [desc(applications.createdAt), desc(applications.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const ids = [...new Set(items.map((r) => r.serviceItemId))];
  const versions = ids.length
    ? await db
        .select({ id: serviceItems.id, name: serviceItems.name, version: serviceItems.version })
        .from(serviceItems)
        .where(inArray(serviceItems.id, ids))
    : [];
  const byId = new Map(versions.map((v) => [v.id, v]));
  const now = Date.now();
  return {
    items: items.map((r) =>
      presentSummary(r, byId.get(r.serviceItemId) ?? { name: r.serviceCode, version: 0 }, now),
    ),
    total,
  };
}
