import type {
  Whistle,
  WhistleInput,
  WhistleListQuery,
  WhistleReportInput,
} from '@civicgrid/core/api/whistles';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { casesScope } from '../cases/policy.js';
import { cases } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { departments, orgUnits } from '../org/tables.js';
import { type WhistleRow, whistlesScope } from './policy.js';
import { whistleDepartments, whistles } from './tables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(whistles)
    .set({ orgPath: sql`${to} || substr(${whistles.orgPath}, ${from.length + 1})` })
    .where(sql`${whistles.orgPath} like ${`${from}%`}`);
});

function audit<A extends 'whistle.raised' | 'whistle.reported'>(
  tx: Db | Tx,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  targetId: string,
  payload: AuditPayload<A>,
) {
  return appendAudit(
    tx as Db,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'whistle', targetId }, payload),
  );
}

/**
 * 街道吹哨 (POST /api/whistles): the street summons departments to a problem — a case it sees,
 * or one described — with a deadline in the future. Raised by the street the actor belongs to.
 */
export async function raiseWhistle(
  db: Db,
  actor: Actor,
  input: WhistleInput,
  meta: RequestMeta,
): Promise<Whistle> {
  const deadline = new Date(input.deadline);
  if (deadline.getTime() <= Date.now()) throw fieldError('deadline', 'future', 'WHISTLE_DEADLINE_PAST');
  if (actor.orgLevel !== 'street' || actor.orgUnitId === null || actor.orgPath === null)
    throw fieldError('orgUnitId', 'street', 'WHISTLE_NO_STREET');
  const ids = [...new Set(input.departmentIds)];
  const found = await db.select({ id: departments.id }).from(departments).where(inArray(departments.id, ids));
  if (found.length !== ids.length) {
    const missing = ids.filter((i) => !found.some((f) => f.id === i));
    throw fieldError('departmentIds', 'exists', 'WHISTLE_DEPARTMENT_UNKNOWN', { ids: missing.join(',') });
  }
  if (input.caseId !== undefined) {
    const [c] = await db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.id, input.caseId), casesScope.where(actor)));
    if (!c) throw fieldError('caseId', 'inJurisdiction', 'WHISTLE_CASE_UNKNOWN');
  }
  const id = await db.transaction(async (tx) => {
    const [w] = await tx
      .insert(whistles)
      .values({
        subject: input.subject,
        caseId: input.caseId ?? null,
        orgUnitId: actor.orgUnitId as number,
        orgPath: actor.orgPath as string,
        deadline,
        raisedBy: actor.userId,
      })
      .returning({ id: whistles.id });
    const wid = (w as { id: string }).id;
    await tx.insert(whistleDepartments).values(ids.map((departmentId) => ({ whistleId: wid, departmentId })));
    await audit(tx, actor, meta, 'whistle.raised', wid, {
      departments: ids,
      deadline: deadline.toISOString(),
    });
    return wid;
  });
  return whistleDetail(db, actor, id);
}

/**
 * 部门报到 (POST /api/whistles/{id}/reports): a handler of a summoned department reports for
 * his own department, once; a report after the deadline is kept and counted late.
 */
export async function reportToWhistle(
  db: Db,
  actor: Actor,
  id: string,
  input: WhistleReportInput,
  meta: RequestMeta,
): Promise<Whistle> {
  await db.transaction(async (tx) => {
    const w = await loadScoped(tx, actor, whistlesScope, id, { forUpdate: true });
    if (actor.departmentId !== input.departmentId) throw new AppError('WHISTLE_OTHER_DEPARTMENT');
    const [summon] = await tx
      .select()
      .from(whistleDepartments)
      .where(
        and(eq(whistleDepartments.whistleId, w.id), eq(whistleDepartments.departmentId, input.departmentId)),
      );
    if (!summon) throw new AppError('WHISTLE_NOT_SUMMONED');
    if (summon.reportedAt) throw new AppError('WHISTLE_ALREADY_REPORTED');
    const now = new Date();
    const [done] = await tx
      .update(whistleDepartments)
      .set({ reportedAt: now, reportedBy: actor.userId, note: input.note })
      .where(
        and(
          eq(whistleDepartments.whistleId, w.id),
          eq(whistleDepartments.departmentId, input.departmentId),
          isNull(whistleDepartments.reportedAt),
        ),
      )
      .returning({ at: whistleDepartments.reportedAt });
    if (!done) throw new AppError('WHISTLE_ALREADY_REPORTED');
    await audit(tx, actor, meta, 'whistle.reported', w.id, {
      departmentId: input.departmentId,
      late: now.getTime() > w.deadline.getTime(),
    });
  });
  return whistleDetail(db, actor, id);
}

async function present(db: Db, rows: WhistleRow[]): Promise<Whistle[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const summons = await db
    .select({ s: whistleDepartments, departmentName: departments.name, reporter: users.displayName })
    .from(whistleDepartments)
    .innerJoin(departments, eq(departments.id, whistleDepartments.departmentId))
    .leftJoin(users, eq(users.id, whistleDepartments.reportedBy))
    .where(inArray(whistleDepartments.whistleId, ids))
    .orderBy(asc(departments.name));
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId))];
  const userIds = [...new Set(rows.map((r) => r.raisedBy))];
  const [units, raisers] = await Promise.all([
    db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, unitIds)),
    db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)),
  ]);
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    caseId: r.caseId,
    orgUnitId: r.orgUnitId,
    orgUnitName: units.find((u) => u.id === r.orgUnitId)?.name ?? '',
    deadline: r.deadline.toISOString(),
    raisedByName: raisers.find((u) => u.id === r.raisedBy)?.name ?? null,
    createdAt: r.createdAt.toISOString(),
    departments: summons
      .filter((x) => x.s.whistleId === r.id)
      .map(({ s, departmentName, reporter }) => ({
        departmentId: s.departmentId,
        departmentName,
        state: summonState(s.reportedAt, r.deadline, now),
        reportedAt: s.reportedAt?.toISOString() ?? null,
        reportedByName: reporter,
        note: s.note,
      })),
  }));
}

/** How a department stands on a whistle: waiting, reported in time, late, or missing past the deadline. */
export function summonState(reportedAt: Date | null, deadline: Date, now: number) {
  if (reportedAt)
    return reportedAt.getTime() > deadline.getTime() ? ('late' as const) : ('reported' as const);
  return now > deadline.getTime() ? ('missing' as const) : ('waiting' as const);
}

export async function whistleDetail(db: Db, actor: Actor, id: string): Promise<Whistle> {
  const row = await loadScoped(db, actor, whistlesScope, id);
  return (await present(db, [row]))[0] as Whistle;
}

/** The whistles in sight, newest first; `open`: some department has yet to report. */
export async function listWhistles(db: Db, actor: Actor, q: WhistleListQuery) {
  const pending = sql`exists (select 1 from ${whistleDepartments} wd where wd.whistle_id = ${whistles.id} and wd.reported_at is null)`;
  const where: SQL | undefined =
    q.status === 'open' ? pending : q.status === 'done' ? sql`not ${pending}` : undefined;
  const { items, total } = await listScoped(db, actor, whistlesScope, {
    where,
    orderBy: [desc(whistles.createdAt), desc(whistles.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await present(db, items), total };
}

/**
 * Each department's reports to whistles whose deadline fell in [from, to): late and missing
 * counted, for the department evaluation (考核).
 */
export async function whistleReportCounts(db: Db, from: Date, to: Date) {
  return db
    .select({
      departmentId: whistleDepartments.departmentId,
      summoned: sql<number>`count(*)::int`,
      late: sql<number>`count(*) filter (where ${whistleDepartments.reportedAt} > ${whistles.deadline})::int`,
      missing: sql<number>`count(*) filter (where ${whistleDepartments.reportedAt} is null)::int`,
    })
    .from(whistleDepartments)
    .innerJoin(whistles, eq(whistles.id, whistleDepartments.whistleId))
    .where(and(sql`${whistles.deadline} >= ${from}`, sql`${whistles.deadline} < ${to}`))
    .groupBy(whistleDepartments.departmentId);
}
