import { parseIdNumber } from '@civicgrid/core';
import type {
  ReceptionInput,
  ReceptionRoute,
  receptionFinishInput,
  receptionListQuery,
  receptionSummaryQuery,
} from '@civicgrid/core/api/disputes';
import { receptionRoutes } from '@civicgrid/core/api/disputes';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, asc, count, eq, max, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { casesScope } from '../cases/policy.js';
import { residents } from '../residents/tables.js';
import { receptionsScope } from './policy.js';
import { presentReception } from './presenter.js';
import type { DisputeDeps } from './service.js';
import { receptions } from './tables.js';

type ReceptionRow = typeof receptions.$inferSelect;

const idProblems = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;
/** Routes whose answer is given at the desk: the visit is done when it is recorded with one. */
const answeredAtDesk: readonly ReceptionRoute[] = ['legalConsultation', 'legalAid', 'answered'];

async function receivedByName(db: Db, userId: string) {
  const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return u?.name ?? null;
}

/**
 * 群众接待: the visitor (the resident file found by the ID number, or a new person — the ID
 * number and phone encrypted either way), the matter and where it goes. The day's queue
 * number is the next of the unit's day. A legal question or one answered on the spot is done
 * when recorded with its answer; a dispute, grievance or case waits until it is taken on
 * (the dispute's registration links itself; a grievance is registered in the grievances
 * module and linked here with `finish`).
 */
export async function recordReception(
  deps: DisputeDeps,
  actor: Actor,
  input: ReceptionInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  if (actor.orgPath === null || actor.orgUnitId === null)
    throw fieldError('orgUnitId', 'required', 'DISPUTE_NO_UNIT');
  let idNumber: string | null = null;
  if (input.visitor.idNumber !== undefined) {
    const id = parseIdNumber(input.visitor.idNumber);
    if (!id.ok) throw fieldError('visitor.idNumber', id.problem, idProblems[id.problem]);
    idNumber = id.normalized;
  }
  const idIdx = idNumber ? crypto.blindIndex(idNumber) : null;
  const [resident] = idIdx
    ? await db.select({ id: residents.id }).from(residents).where(eq(residents.idNumberIdx, idIdx))
    : [];
  const done = answeredAtDesk.includes(input.route) && !!input.answer;
  const now = Date.now();
  const today = localDay(now);
  const unitId = actor.orgUnitId;
  const orgPath = actor.orgPath;
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db.transaction(async (tx) => {
      const [last] = await tx
        .select({ n: max(receptions.number) })
        .from(receptions)
        .where(and(eq(receptions.orgUnitId, unitId), eq(receptions.visitDay, today)));
      const [inserted] = await tx
        .insert(receptions)
        .values({
          orgUnitId: unitId,
          orgPath,
          visitDay: today,
          number: (last?.n ?? 0) + 1,
          visitorName: input.visitor.name,
          idEnc: idNumber ? crypto.encrypt(idNumber) : null,
          idIdx,
          phoneEnc: input.visitor.phone ? crypto.encrypt(input.visitor.phone) : null,
          residentId: resident?.id ?? null,
          matter: input.matter,
          route: input.route,
          answer: input.answer ?? null,
          status: done ? 'done' : 'waiting',
          receivedBy: actor.userId,
          idempotencyKey: input.idempotencyKey,
          visitedAt: new Date(now),
          doneAt: done ? new Date(now) : null,
        })
        .onConflictDoNothing()
        .returning();
      if (!inserted) return null;
      await appendAudit(tx, auditActorOf(actor, meta), {
        action: 'reception.recorded',
        targetType: 'reception',
        targetId: inserted.id,
        payload: { route: input.route, resident: resident !== undefined },
      });
      return inserted;
    });
    if (row) return presentReception(row, actor.displayName, crypto);
    const [again] = await db
      .select()
      .from(receptions)
      .where(
        and(eq(receptions.receivedBy, actor.userId), eq(receptions.idempotencyKey, input.idempotencyKey)),
      );
    if (again) return presentReception(again, await receivedByName(db, again.receivedBy), crypto);
    // Another desk took the same queue number at the same moment: draw again.
  }
  throw new AppError('CONFLICT');
}

/** The day's queue of the area: waiting first, by number. */
export async function listReceptions(deps: DisputeDeps, actor: Actor, q: z.infer<typeof receptionListQuery>) {
  const { db, crypto } = deps;
  const area = await resolveArea(db, actor, q.orgUnitId);
  const day = q.day ?? localDay(Date.now());
  const { items, total } = await listScoped(db, actor, receptionsScope, {
    where: and(eq(receptions.visitDay, day), areaCondition(area, receptions.orgPath)),
    orderBy: [sql`${receptions.status} = 'done'`, asc(receptions.number)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = new Map<string, string | null>();
  for (const r of items)
    if (!names.has(r.receivedBy)) names.set(r.receivedBy, await receivedByName(db, r.receivedBy));
  return { items: items.map((r) => presentReception(r, names.get(r.receivedBy) ?? null, crypto)), total };
}

/** The visit is taken on or answered: the answer, or the case or grievance it became. */
export async function finishReception(
  deps: DisputeDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof receptionFinishInput>,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  if (input.caseId !== undefined)
    await loadScoped(db, actor, casesScope, input.caseId).catch(() => {
      throw fieldError('caseId', 'exists', 'DISPUTE_CASE_UNKNOWN');
    });
  const row = await db.transaction(async (tx) => {
    const r: ReceptionRow = await loadScoped(tx, actor, receptionsScope, id, { forUpdate: true });
    if (r.status === 'done') throw new AppError('RECEPTION_ALREADY_DONE');
    const [u] = await tx
      .update(receptions)
      .set({
        status: 'done',
        doneAt: new Date(),
        answer: input.answer ?? r.answer,
        caseId: input.caseId ?? r.caseId,
        grievanceId: input.grievanceId ?? r.grievanceId,
      })
      .where(eq(receptions.id, r.id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'reception.done',
      targetType: 'reception',
      targetId: r.id,
      payload: { route: r.route },
    });
    return u as ReceptionRow;
  });
  return presentReception(row, await receivedByName(db, row.receivedBy), crypto);
}

/** The day's summary: visits, still waiting, and where they went. */
export async function receptionSummary(db: Db, actor: Actor, q: z.infer<typeof receptionSummaryQuery>) {
  const area = await resolveArea(db, actor, q.orgUnitId);
  const day = q.day ?? localDay(Date.now());
  const rows = await db
    .select({ route: receptions.route, status: receptions.status, n: count() })
    .from(receptions)
    .where(
      and(
        eq(receptions.visitDay, day),
        receptionsScope.where(actor),
        areaCondition(area, receptions.orgPath),
      ),
    )
    .groupBy(receptions.route, receptions.status);
  const byRoute = Object.fromEntries(receptionRoutes.map((r) => [r, 0])) as Record<ReceptionRoute, number>;
  let total = 0;
  let waiting = 0;
  for (const r of rows) {
    byRoute[r.route] += r.n;
    total += r.n;
    if (r.status === 'waiting') waiting += r.n;
  }
  return { day, total, waiting, byRoute };
}
