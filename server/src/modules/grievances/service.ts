import { parseIdNumber } from '@civicgrid/core';
import {
  type GrievanceActionBody,
  type GrievanceDetail,
  type GrievanceInput,
  type GrievanceListQuery,
  grievanceActionBodies,
} from '@civicgrid/core/api/grievances';
import type { AuditPayload } from '@civicgrid/core/audit/payloads';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { acknowledgeDeadline, answerDeadline } from '@civicgrid/core/grievances/clock';
import {
  type GrievanceAction,
  type GrievanceState,
  grievanceFinalStates,
  nextGrievanceState,
} from '@civicgrid/core/grievances/stateMachine';
import { and, asc, count, desc, eq, inArray, notInArray, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { workCalendar } from '../cases/calendar.js';
import { registerPathFollower } from '../org/service.js';
import type { ActionHandler } from './actions/effect.js';
import { actionHandlers } from './actions/index.js';
import { allowedActions, type GrievanceRow, grievancesScope, refusal } from './policy.js';
import { presentDetail, presentSummary } from './presenter.js';
import { grievanceEvents, grievances } from './tables.js';

export interface GrievanceDeps {
  db: Db;
  crypto: FieldCrypto;
}

// Moving a unit carries its grievances along (where they were registered and are handled).
registerPathFollower(async (tx, from, to) => {
  await tx
    .update(grievances)
    .set({ orgPath: sql`${to} || substr(${grievances.orgPath}, ${from.length + 1})` })
    .where(sql`${grievances.orgPath} like ${`${from}%`}`);
  await tx
    .update(grievances)
    .set({ handlingPath: sql`${to} || substr(${grievances.handlingPath}, ${from.length + 1})` })
    .where(sql`${grievances.handlingPath} like ${`${from}%`}`);
});

const idProblems = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;

/** A grievance number: XF, the China-local date, six random digits (unique in the table). */
function grievanceCode(now: number): string {
  const digits = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  return `XF${localDay(now).replaceAll('-', '')}${digits}`;
}

/** The unit that registers it: the one asked for (in the jurisdiction), else the actor's own. */
async function registeringUnit(db: Db, actor: Actor, orgUnitId: number | undefined) {
  if (orgUnitId !== undefined) {
    const area = await resolveArea(db, actor, orgUnitId);
    return { orgUnitId: area.id as number, orgPath: area.path };
  }
  if (actor.orgUnitId === null || actor.orgPath === null)
    throw fieldError('orgUnitId', 'required', 'GRIEVANCE_NO_UNIT');
  return { orgUnitId: actor.orgUnitId, orgPath: actor.orgPath };
}

function created(r: GrievanceRow, answerBy: string) {
  return { id: r.id, code: r.code, deadlines: { acknowledgeBy: r.acknowledgeBy, answerBy } };
}

/** The audit row of a grievance step or read, in the caller's transaction. */
function audit<A extends 'grievance.registered' | 'grievance.action' | 'grievance.read'>(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  targetId: string | undefined,
  payload: AuditPayload<A>,
) {
  return appendAudit(
    tx,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'grievance', targetId }, payload),
  );
}

/**
 * Registers a letter, visit, call or online grievance: the 15 days to tell the person start
 * today; the answer's 60 days are shown as if it were accepted today (the latest it can be
 * until it is). The same idempotency key from the same user finds the one already made.
 */
export async function createGrievance(
  deps: GrievanceDeps,
  actor: Actor,
  input: GrievanceInput,
  meta: RequestMeta,
  /** The caller's open transaction (a visit at the desk registered as a grievance). */
  within?: Db,
) {
  const { crypto } = deps;
  const db = within ?? deps.db;
  let idNumber: string | null = null;
  if (input.person.idNumber !== undefined) {
    const id = parseIdNumber(input.person.idNumber);
    if (!id.ok) throw fieldError('person.idNumber', id.problem, idProblems[id.problem]);
    idNumber = id.normalized;
  }
  const unit = await registeringUnit(db, actor, input.orgUnitId);
  const cal = await workCalendar(db);
  const now = Date.now();
  const today = localDay(now);
  const ack = acknowledgeDeadline(cal, today);
  const answerBy = answerDeadline(cal, today).due;
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(grievances)
      .values({
        code: grievanceCode(now),
        channel: input.channel,
        subject: input.subject,
        content: input.content,
        personName: input.person.name,
        personIdEnc: idNumber ? crypto.encrypt(idNumber) : null,
        personIdTail: idNumber ? idNumber.slice(-4) : null,
        personPhoneEnc: input.person.phone ? crypto.encrypt(input.person.phone) : null,
        status: 'registered',
        ...unit,
        handlingUnitId: unit.orgUnitId,
        handlingPath: unit.orgPath,
        receivedOn: today,
        acknowledgeBy: ack.due,
        dueStep: 'acknowledge',
        dueOn: ack.due,
        warnOn: ack.warn,
        createdBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      .onConflictDoNothing({ target: [grievances.createdBy, grievances.idempotencyKey] })
      .returning();
    if (!inserted) return null;
    await tx.insert(grievanceEvents).values({
      grievanceId: inserted.id,
      action: 'register',
      fromState: null,
      toState: 'registered',
      actorId: actor.userId,
      data: { channel: input.channel },
      at: new Date(now),
    });
    await audit(tx, actor, meta, 'grievance.registered', inserted.id, {
      code: inserted.code,
      channel: input.channel,
    });
    return inserted;
  });
  if (row) return created(row, answerBy);
  const [again] = await db
    .select()
    .from(grievances)
    .where(and(eq(grievances.createdBy, actor.userId), eq(grievances.idempotencyKey, input.idempotencyKey)));
  if (!again) throw new AppError('CONFLICT');
  return created(again, again.answerBy ?? answerDeadline(cal, again.receivedOn).due);
}

function parseBody<A extends GrievanceAction>(action: A, raw: unknown): GrievanceActionBody<A> {
  const parsed = grievanceActionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as GrievanceActionBody<A>;
}

/**
 * One step of a grievance, in one transaction: lock it (404 outside sight), refuse what the
 * policy refuses (403, then 409), parse the body, let the action decide its effect, write it
 * with its trail event, audit.
 */
export async function performAction<A extends GrievanceAction>(
  deps: GrievanceDeps,
  actor: Actor,
  id: string,
  action: A,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<GrievanceDetail> {
  const { db } = deps;
  const cal = await workCalendar(db);
  const now = Date.now();
  const today = localDay(now);
  const row = await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, grievancesScope, id, { forUpdate: true });
    const refused = refusal(actor, row, action);
    if (refused) throw refused;
    const body = parseBody(action, rawBody);
    const from = row.status as GrievanceState;
    const to = nextGrievanceState(action, from) ?? from;
    const handler: ActionHandler<A> = actionHandlers[action];
    const effect = await handler({ tx, actor, row, cal, today }, body);
    const [updated] = await tx
      .update(grievances)
      .set({ ...effect.set, status: to, updatedAt: new Date(now) })
      .where(eq(grievances.id, row.id))
      .returning();
    await tx.insert(grievanceEvents).values({
      grievanceId: row.id,
      action,
      fromState: from,
      toState: to,
      actorId: actor.userId,
      note: effect.note ?? null,
      data: effect.data ?? null,
      at: new Date(now),
    });
    await audit(tx, actor, meta, 'grievance.action', row.id, { action, from, to });
    return updated as GrievanceRow;
  });
  // Handed to a department or a unit outside the actor's sight: answer with what was written.
  if (!grievancesScope.visible(actor, row)) return presentDetail(row, [], [], deps.crypto, today);
  return grievanceDetail(deps, actor, id, meta);
}

async function eventsOf(db: Db, id: string) {
  const rows = await db
    .select({ e: grievanceEvents, actorName: users.displayName })
    .from(grievanceEvents)
    .leftJoin(users, eq(users.id, grievanceEvents.actorId))
    .where(eq(grievanceEvents.grievanceId, id))
    .orderBy(asc(grievanceEvents.at), asc(grievanceEvents.id));
  return rows.map((x) => ({ ...x.e, actorName: x.actorName }));
}

/** One grievance, its trail and what the actor may do now; the read is audited. */
export async function grievanceDetail(
  deps: GrievanceDeps,
  actor: Actor,
  id: string,
  meta: RequestMeta,
): Promise<GrievanceDetail> {
  const { db } = deps;
  const row = await loadScoped(db, actor, grievancesScope, id);
  await db.transaction((tx) => audit(tx, actor, meta, 'grievance.read', row.id, {}));
  return presentDetail(
    row,
    await eventsOf(db, row.id),
    allowedActions(actor, row),
    deps.crypto,
    localDay(Date.now()),
  );
}

/** A loaded grievance for a document, the read audited with the document's name. */
export async function grievanceForDocument(deps: GrievanceDeps, actor: Actor, id: string, meta: RequestMeta) {
  const row = await loadScoped(deps.db, actor, grievancesScope, id);
  if (row.answeredOn === null || row.opinion === null) throw new AppError('GRIEVANCE_NOT_ANSWERED');
  await deps.db.transaction((tx) => audit(tx, actor, meta, 'grievance.read', row.id, { document: 'answer' }));
  return row;
}

const open = notInArray(grievances.status, [...grievanceFinalStates]);
/** The China date of now, in SQL (the database's clock, as the rows' days are China dates). */
const todaySql = sql`(now() at time zone 'Asia/Shanghai')::date`;
const overdueSql = sql`(${grievances.dueOn} is not null and ${grievances.dueOn} < ${todaySql})`;
const warningSql = sql`(${grievances.dueOn} is not null and ${grievances.dueOn} >= ${todaySql} and ${grievances.warnOn} <= ${todaySql})`;

async function areaWhere(db: Db, actor: Actor, orgUnitId: number | undefined): Promise<SQL | undefined> {
  if (orgUnitId === undefined) return undefined;
  const area = await resolveArea(db, actor, orgUnitId);
  return areaCondition(area, grievances.orgPath);
}

/** The grievances in sight, newest first; the ids read are audited. */
export async function listGrievances(
  deps: GrievanceDeps,
  actor: Actor,
  q: GrievanceListQuery,
  meta: RequestMeta,
) {
  const { db } = deps;
  const cond: (SQL | undefined)[] = [
    q.status ? eq(grievances.status, q.status) : undefined,
    q.channel ? eq(grievances.channel, q.channel) : undefined,
    await areaWhere(db, actor, q.orgUnitId),
    q.deadline === 'overdue' ? overdueSql : q.deadline === 'warning' ? warningSql : undefined,
  ];
  const { items, total } = await listScoped(db, actor, grievancesScope, {
    where: and(...cond),
    orderBy: [desc(grievances.createdAt), desc(grievances.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  if (items.length)
    await db.transaction((tx) =>
      audit(tx, actor, meta, 'grievance.read', undefined, { grievances: items.map((r) => r.id) }),
    );
  const today = localDay(Date.now());
  return { items: items.map((r) => presentSummary(r, today)), total };
}

/** Figures over the grievances in sight: open, near a deadline, overdue, each step on time. */
export async function grievanceStats(deps: GrievanceDeps, actor: Actor, orgUnitId: number | undefined) {
  const { db } = deps;
  const where = and(grievancesScope.where(actor), await areaWhere(db, actor, orgUnitId));
  const n = (cond: SQL) => sql<number>`count(*) filter (where ${cond})::int`;
  const [r] = await db
    .select({
      total: count(),
      open: n(open as SQL),
      warning: n(warningSql),
      overdue: n(overdueSql),
      acknowledged: n(sql`${grievances.acknowledgedOn} is not null`),
      acknowledgedOnTime: n(sql`${grievances.acknowledgedOn} <= ${grievances.acknowledgeBy}`),
      answered: n(sql`${grievances.answeredOn} is not null`),
      answeredOnTime: n(sql`${grievances.answeredOn} <= ${grievances.answerBy}`),
      rated: n(sql`${grievances.satisfaction} is not null`),
      satisfied: n(inArray(grievances.satisfaction, ['satisfied', 'basicallySatisfied'])),
    })
    .from(grievances)
    .where(where);
  return { ...(r as NonNullable<typeof r>), total: Number(r?.total ?? 0) };
}

/**
 * Grievances whose running deadline is near or past, for the briefing's agenda (会商研判):
 * read through this module's scope, so the agenda shows only what the actor may see.
 */
export async function grievancesNearDeadline(db: Db, actor: Actor, areaPath: string) {
  const rows = await db
    .select()
    .from(grievances)
    .where(
      and(
        grievancesScope.where(actor),
        sql`${grievances.orgPath} like ${`${areaPath}%`}`,
        sql`(${warningSql} or ${overdueSql})`,
      ),
    )
    .orderBy(asc(grievances.dueOn))
    .limit(50);
  const today = localDay(Date.now());
  return rows.map((r) => presentSummary(r, today));
}
