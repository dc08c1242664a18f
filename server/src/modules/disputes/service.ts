import { isValidCreditCode, parseIdNumber } from '@civicgrid/core';
import {
  type DisputeActionBody,
  type DisputeDetail,
  type DisputeInput,
  type DisputeListQuery,
  disputeActionBodies,
} from '@civicgrid/core/api/disputes';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import {
  type DisputeAction,
  type DisputeState,
  nextDisputeState,
} from '@civicgrid/core/disputes/stateMachine';
import { disputeDeadline } from '@civicgrid/core/disputes/timeLimit';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { EventBus } from '../../platform/bus.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { publishNotifications } from '../../platform/notify.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { notifyUsers } from '../cases/notifications.js';
import { casesScope } from '../cases/policy.js';
import { locateGrid } from '../org/locator.js';
import { registerPathFollower } from '../org/service.js';
import { type ActionContext, type ActionEffect, actionHandlers } from './actions.js';
import { allowedActions, type DisputeRow, disputesScope, receptionsScope, refusal } from './policy.js';
import { type Names, presentDetail, presentSummary } from './presenter.js';
import {
  disputeEvents,
  disputeParties,
  disputes,
  mediationCommittees,
  mediators,
  receptions,
} from './tables.js';

export interface DisputeDeps {
  db: Db;
  crypto: FieldCrypto;
  bus: EventBus | null;
}

// Moving a unit carries its disputes, bodies and visits along.
registerPathFollower(async (tx, from, to) => {
  for (const [table, column] of [
    [disputes, disputes.orgPath],
    [mediationCommittees, mediationCommittees.orgPath],
    [receptions, receptions.orgPath],
  ] as const)
    await tx
      .update(table)
      .set({ orgPath: sql`${to} || substr(${column}, ${from.length + 1})` })
      .where(sql`${column} like ${`${from}%`}`);
});

const idProblems = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;

/** A party's ID number (GB 11643) or an organization's credit code (GB 32100), normalized. */
function checkPartyId(p: DisputeInput['parties'][number], i: number): string | null {
  if (p.idNumber === undefined) return null;
  const field = `parties.${i}.idNumber`;
  if (p.kind === 'organization') {
    const code = p.idNumber.toUpperCase();
    if (!isValidCreditCode(code)) throw fieldError(field, 'creditCode', 'DISPUTE_CREDIT_CODE');
    return code;
  }
  const id = parseIdNumber(p.idNumber);
  if (!id.ok) throw fieldError(field, id.problem, idProblems[id.problem]);
  return id.normalized;
}

/** Where the dispute belongs: the grid of its point when that lies in the actor's area, else the actor's unit. */
async function placeOf(db: Db, actor: Actor, location: DisputeInput['location']) {
  const hit = location ? await locateGrid(db, location.lat, location.lng) : null;
  if (hit && pathInScope(actor, hit.path))
    return { gridId: hit.gridId, orgUnitId: hit.gridId, orgPath: hit.path };
  if (actor.orgPath === null || actor.orgUnitId === null)
    throw fieldError('location', 'inArea', 'DISPUTE_NO_UNIT');
  return {
    gridId: actor.orgLevel === 'grid' ? actor.orgUnitId : null,
    orgUnitId: actor.orgUnitId,
    orgPath: actor.orgPath,
  };
}

/** A dispute number: TJ, the China-local date, six random digits (unique in the table). */
function disputeCode(now: number): string {
  return `TJ${localDay(now).replaceAll('-', '')}${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
}

/**
 * The people told of a red dispute at once: those of its street and its district who read
 * disputes (seed 002: 大事不出社区 — and what may not stay there goes up the same hour).
 */
async function streetAndDistrict(tx: Db, orgPath: string): Promise<string[]> {
  const [district, street] = orgPath.split('/').filter(Boolean).map(Number);
  const units = [district, street].filter((x): x is number => x !== undefined);
  if (units.length === 0) return [];
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(
        inArray(users.orgUnitId, units),
        isNull(users.disabledAt),
        sql`${roles.permissions} ? 'dispute:read'`,
      ),
    );
  return rows.map((r) => r.id);
}

function created(r: DisputeRow) {
  return { id: r.id, code: r.code, status: 'registered' as const, deadline: r.deadline };
}

async function checkLinks(deps: DisputeDeps, actor: Actor, input: DisputeInput) {
  if (input.caseId !== undefined)
    await loadScoped(deps.db, actor, casesScope, input.caseId).catch(() => {
      throw fieldError('caseId', 'exists', 'DISPUTE_CASE_UNKNOWN');
    });
  if (input.receptionId !== undefined)
    await loadScoped(deps.db, actor, receptionsScope, input.receptionId).catch(() => {
      throw fieldError('receptionId', 'exists', 'DISPUTE_RECEPTION_UNKNOWN');
    });
}

/**
 * 登记: the parties (both sides, their PII encrypted), the facts, where, the risk. Red goes to
 * the street and the district in the same transaction. The same idempotency key from the same
 * user finds the dispute already registered.
 */
export async function createDispute(deps: DisputeDeps, actor: Actor, input: DisputeInput, meta: RequestMeta) {
  const { db, crypto } = deps;
  if (
    !input.parties.some((p) => p.role === 'applicant') ||
    !input.parties.some((p) => p.role === 'respondent')
  )
    throw fieldError('parties', 'sides', 'DISPUTE_PARTIES_SIDES');
  const ids = input.parties.map(checkPartyId);
  await checkLinks(deps, actor, input);
  const place = await placeOf(db, actor, input.location);
  const now = Date.now();
  const told: Awaited<ReturnType<typeof notifyUsers>> = [];
  const row = await db.transaction(async (tx) => {
    let inserted: DisputeRow | undefined;
    for (let draw = 0; draw < 10 && !inserted; draw++) {
      [inserted] = await tx
        .insert(disputes)
        .values({
          code: disputeCode(now),
          type: input.type,
          description: input.description,
          riskLevel: input.riskLevel,
          source: input.source,
          status: 'registered',
          location: input.location ?? null,
          ...place,
          // Provisional until acceptance restarts the clock: 30 days from today.
          deadline: disputeDeadline(now),
          caseId: input.caseId ?? null,
          receptionId: input.receptionId ?? null,
          createdBy: actor.userId,
          idempotencyKey: input.idempotencyKey,
          createdAt: new Date(now),
          updatedAt: new Date(now),
        })
        .onConflictDoNothing()
        .returning();
      if (!inserted) {
        const [again] = await tx
          .select({ id: disputes.id })
          .from(disputes)
          .where(
            and(eq(disputes.createdBy, actor.userId), eq(disputes.idempotencyKey, input.idempotencyKey)),
          );
        if (again) return null;
      }
    }
    if (!inserted) throw new AppError('CONFLICT');
    await tx.insert(disputeParties).values(
      input.parties.map((p, i) => {
        const id = ids[i] ?? null;
        return {
          disputeId: inserted.id,
          position: i,
          kind: p.kind,
          role: p.role,
          name: p.name,
          idEnc: id ? crypto.encrypt(id) : null,
          idIdx: id ? crypto.blindIndex(id) : null,
          phoneEnc: p.phone ? crypto.encrypt(p.phone) : null,
        };
      }),
    );
    await tx.insert(disputeEvents).values({
      disputeId: inserted.id,
      action: 'register',
      fromState: null,
      toState: 'registered',
      actorId: actor.userId,
      data: { riskLevel: input.riskLevel, source: input.source },
      at: new Date(now),
    });
    if (input.receptionId !== undefined)
      await tx
        .update(receptions)
        .set({ disputeId: inserted.id, status: 'done', doneAt: new Date(now) })
        .where(eq(receptions.id, input.receptionId));
    const auditActor = auditActorOf(actor, meta);
    await appendAudit(tx, auditActor, {
      action: 'dispute.created',
      targetType: 'dispute',
      targetId: inserted.id,
      payload: {
        code: inserted.code,
        type: input.type,
        riskLevel: input.riskLevel,
        source: input.source,
        parties: input.parties.length,
      },
    });
    if (input.riskLevel === 'red') {
      const rows = await notifyUsers(tx, await streetAndDistrict(tx, inserted.orgPath), {
        kind: 'disputeRed',
        title: `红色矛盾纠纷 ${inserted.code}`,
        body: '一起红色风险矛盾纠纷已登记，请及时研判处置。',
      });
      told.push(...rows);
      await appendAudit(tx, auditActor, {
        action: 'dispute.redAlert',
        targetType: 'dispute',
        targetId: inserted.id,
        payload: { code: inserted.code, notified: rows.length },
      });
    }
    return inserted;
  });
  if (deps.bus) publishNotifications(deps.bus, told);
  if (row) return created(row);
  const [again] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.createdBy, actor.userId), eq(disputes.idempotencyKey, input.idempotencyKey)));
  if (!again) throw new AppError('CONFLICT');
  return created(again);
}

function parseBody<A extends DisputeAction>(action: A, raw: unknown): DisputeActionBody<A> {
  const parsed = disputeActionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as DisputeActionBody<A>;
}

/**
 * One step of a dispute, in one transaction: lock it (404 outside sight), refuse what the
 * policy refuses (403/409), parse the body, let the action decide, write it with its trail
 * event and audit row.
 */
export async function performAction<A extends DisputeAction>(
  deps: DisputeDeps,
  actor: Actor,
  id: string,
  action: A,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<DisputeDetail> {
  await deps.db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, disputesScope, id, { forUpdate: true });
    const refused = refusal(actor, row, action);
    if (refused) throw refused;
    const body = parseBody(action, rawBody);
    const from = row.status as DisputeState;
    const performed = action === 'followUp' ? (body as DisputeActionBody<'followUp'>).performed : undefined;
    const to = nextDisputeState(action, from, performed) ?? from;
    const now = Date.now();
    const handler = actionHandlers[action] as unknown as (
      ctx: ActionContext,
      body: DisputeActionBody<A>,
    ) => Promise<ActionEffect> | ActionEffect;
    const effect = await handler({ tx, actor, row, now }, body);
    await tx
      .update(disputes)
      .set({
        ...effect.set,
        status: to,
        closedAt: to === 'closed' ? new Date(now) : null,
        updatedAt: new Date(now),
      })
      .where(eq(disputes.id, row.id));
    await tx.insert(disputeEvents).values({
      disputeId: row.id,
      action,
      fromState: from,
      toState: to,
      actorId: actor.userId,
      note: effect.note ?? null,
      data: effect.data ?? null,
      at: new Date(now),
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'dispute.action',
      targetType: 'dispute',
      targetId: row.id,
      payload: { action, from, to },
    });
  });
  return disputeDetail(deps, actor, id);
}

async function namesOf(db: Db, rows: DisputeRow[]): Promise<Map<string, Names>> {
  const mIds = [...new Set(rows.map((r) => r.mediatorId).filter((x): x is number => x !== null))];
  const cIds = [...new Set(rows.map((r) => r.committeeId).filter((x): x is number => x !== null))];
  const [ms, cs] = await Promise.all([
    mIds.length
      ? db
          .select({ id: mediators.id, name: mediators.name })
          .from(mediators)
          .where(inArray(mediators.id, mIds))
      : [],
    cIds.length
      ? db
          .select({ id: mediationCommittees.id, name: mediationCommittees.name })
          .from(mediationCommittees)
          .where(inArray(mediationCommittees.id, cIds))
      : [],
  ]);
  const m = new Map(ms.map((x) => [x.id, x.name]));
  const c = new Map(cs.map((x) => [x.id, x.name]));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        mediatorName: r.mediatorId === null ? null : (m.get(r.mediatorId) ?? null),
        committeeName: r.committeeId === null ? null : (c.get(r.committeeId) ?? null),
      },
    ]),
  );
}

async function partiesOf(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(disputeParties).where(inArray(disputeParties.disputeId, ids));
}

export async function disputeDetail(deps: DisputeDeps, actor: Actor, id: string): Promise<DisputeDetail> {
  const { db } = deps;
  const row = await loadScoped(db, actor, disputesScope, id);
  const [parties, names, events] = await Promise.all([
    partiesOf(db, [row.id]),
    namesOf(db, [row]),
    db
      .select({ e: disputeEvents, actorName: users.displayName })
      .from(disputeEvents)
      .leftJoin(users, eq(users.id, disputeEvents.actorId))
      .where(eq(disputeEvents.disputeId, row.id))
      .orderBy(asc(disputeEvents.at), asc(disputeEvents.id)),
  ]);
  return presentDetail(
    row,
    parties,
    names.get(row.id) ?? { mediatorName: null, committeeName: null },
    events.map((x) => ({ ...x.e, actorName: x.actorName })),
    allowedActions(actor, row),
    deps.crypto,
  );
}

export async function listDisputes(deps: DisputeDeps, actor: Actor, q: DisputeListQuery) {
  const { db } = deps;
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const cond: (SQL | undefined)[] = [
    q.status ? eq(disputes.status, q.status) : undefined,
    q.type ? eq(disputes.type, q.type) : undefined,
    q.riskLevel ? eq(disputes.riskLevel, q.riskLevel) : undefined,
    q.caseId ? eq(disputes.caseId, q.caseId) : undefined,
    area ? areaCondition(area, disputes.orgPath) : undefined,
  ];
  const { items, total } = await listScoped(db, actor, disputesScope, {
    where: and(...cond),
    orderBy: [desc(disputes.createdAt), desc(disputes.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const [parties, names] = await Promise.all([
    partiesOf(
      db,
      items.map((r) => r.id),
    ),
    namesOf(db, items),
  ]);
  const now = Date.now();
  return {
    items: items.map((r) =>
      presentSummary(
        r,
        parties.filter((p) => p.disputeId === r.id),
        names.get(r.id) ?? { mediatorName: null, committeeName: null },
        now,
      ),
    ),
    total,
  };
}
