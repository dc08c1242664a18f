import type {
  CareCaseInput,
  CareCategoryInput,
  CareVisitInput,
  careListQuery,
} from '@civicgrid/core/api/care';
import { and, asc, desc, eq, inArray, isNull, like, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type AuditAction, type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { roles, userRoles, users } from '../accounts/tables.js';
import { assertOwnPhotos } from '../cases/photos.js';
import { orgUnitScope } from '../org/policy.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { assignedToActor, careCaseScope, mayAssignWorkers } from './policy.js';
import { presentCareCases, presentCareVisit } from './presenter.js';
import { careCases, careCaseWorkers, careCategories, careVisits } from './tables.js';

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(careCases)
    .set({ orgPath: sql`${to} || substr(${careCases.orgPath}, ${from.length + 1})` })
    .where(like(careCases.orgPath, `${from}%`));
});

type CaseRow = typeof careCases.$inferSelect;
const dayMs = 86_400_000;

/** The seeds' six groups, as configuration (DESIGN.md §6): visits per risk level, retention. */
export const defaultCareCategories: CareCategoryInput[] = [
  {
    code: 'communityCorrection',
    name: '社区矫正对象',
    description: '配合司法所开展教育帮扶、就业指导与家庭支持',
    visitDays: { high: 7, medium: 15, low: 30 },
    retentionDays: 1825,
    active: true,
  },
  {
    code: 'releasedPrisoner',
    name: '刑满释放人员（安置帮教）',
    description: '帮助落实户籍、就业、社会保障，促进回归社会',
    visitDays: { high: 15, medium: 30, low: 90 },
    retentionDays: 1825,
    active: true,
  },
  {
    code: 'severeMentalDisorder',
    name: '严重精神障碍患者',
    description: '协助社区医生随访、服药管理与监护人支持',
    visitDays: { high: 7, medium: 14, low: 30 },
    retentionDays: 1825,
    active: true,
  },
  {
    code: 'drugRehabilitation',
    name: '社区戒毒社区康复人员',
    description: '配合禁毒社工开展康复帮扶与就业援助',
    visitDays: { high: 7, medium: 15, low: 30 },
    retentionDays: 1825,
    active: true,
  },
  {
    code: 'atRiskYouth',
    name: '重点青少年',
    description: '失学、失管、流浪等青少年的关爱与教育引导',
    visitDays: { high: 7, medium: 15, low: 30 },
    retentionDays: 1095,
    active: true,
  },
  {
    code: 'childrenInDifficulty',
    name: '困境儿童',
    description: '生活保障、监护落实、就学就医的关爱服务',
    visitDays: { high: 7, medium: 15, low: 30 },
    retentionDays: 1095,
    active: true,
  },
];

export async function ensureCareDefaults(db: Db) {
  await db
    .insert(careCategories)
    .values(defaultCareCategories.map((c, i) => ({ ...c, description: c.description ?? null, sort: i + 1 })))
    .onConflictDoNothing();
}

async function categoryOf(db: Db, code: string) {
  const [c] = await db.select().from(careCategories).where(eq(careCategories.code, code));
  return c;
}

function nextDue(from: Date, category: { visitDays: Record<string, number> }, risk: string): Date {
  return new Date(from.getTime() + (category.visitDays[risk] ?? 30) * dayMs);
}

async function audit<A extends AuditAction>(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  id: string | null,
  payload?: AuditPayload<A>,
) {
  await appendAudit(
    tx,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'careCase', ...(id ? { targetId: id } : {}) }, payload),
  );
}

/** Users who may be assigned: active, holding care:read, with a jurisdiction covering the grid. */
export async function assignableWorkers(db: Db, gridPath: string) {
  return db
    .selectDistinct({ id: users.id, name: users.displayName, orgPath: users.orgPath })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      and(
        isNull(users.disabledAt),
        sql`${roles.permissions} @> '["care:read"]'::jsonb`,
        sql`${gridPath} like ${users.orgPath} || '%'`,
      ),
    )
    .orderBy(desc(users.orgPath), asc(users.displayName))
    .limit(200);
}

/** The assignable workers of a grid the actor may see (404 otherwise), for the assignment picker. */
export async function workersOfGrid(db: Db, actor: Actor, gridId: number) {
  const grid = await loadScoped(db, actor, orgUnitScope, gridId);
  return (await assignableWorkers(db, grid.path)).map((u) => ({ id: u.id, name: u.name }));
}

async function checkWorkers(db: Db, gridPath: string, ids: string[]) {
  const ok = new Set((await assignableWorkers(db, gridPath)).map((u) => u.id));
  const bad = ids.filter((id) => !ok.has(id));
  if (bad.length) throw fieldError('workerIds', 'assignable', 'CARE_WORKER_NOT_ASSIGNABLE');
}

// ---------------------------------------------------------------- categories

export async function listCareCategories(db: Db) {
  return db.select().from(careCategories).orderBy(asc(careCategories.sort), asc(careCategories.code));
}

export async function saveCareCategory(
  db: Db,
  actor: Actor,
  input: CareCategoryInput,
  meta: RequestMeta,
  mode: 'create' | 'update',
) {
  return db.transaction(async (tx) => {
    const existing = await categoryOf(tx, input.code);
    if (mode === 'create' && existing) throw fieldError('code', 'unique', 'CARE_CATEGORY_CODE_TAKEN');
    if (mode === 'update' && !existing) throw new AppError('NOT_FOUND');
    const values = { ...input, description: input.description ?? null };
    if (mode === 'create') await tx.insert(careCategories).values({ ...values, sort: 100 });
    else await tx.update(careCategories).set(values).where(eq(careCategories.code, input.code));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: mode === 'create' ? 'careCategory.created' : 'careCategory.updated',
      targetType: 'careCategory',
      targetId: input.code,
    });
    return (await categoryOf(tx, input.code)) as typeof careCategories.$inferSelect;
  });
}

// ---------------------------------------------------------------- cases

export async function openCareCase(db: Db, actor: Actor, input: CareCaseInput, meta: RequestMeta) {
  const [person] = await db.select().from(residents).where(eq(residents.id, input.residentId));
  if (!person || !residentScope.visible(actor, person))
    throw fieldError('residentId', 'inJurisdiction', 'CARE_RESIDENT_NOT_IN_JURISDICTION');
  const category = await categoryOf(db, input.categoryCode);
  if (!category?.active) throw fieldError('categoryCode', 'exists', 'CARE_CATEGORY_INACTIVE');
  const [grid] = await db.select().from(orgUnits).where(eq(orgUnits.id, person.gridId));
  await checkWorkers(db, (grid as { path: string }).path, input.workerIds);
  const id = await db.transaction(async (tx) => {
    const [open] = await tx
      .select({ id: careCases.id })
      .from(careCases)
      .where(
        and(
          eq(careCases.residentId, person.id),
          eq(careCases.categoryCode, category.code),
          eq(careCases.status, 'open'),
        ),
      );
    if (open) throw fieldError('categoryCode', 'unique', 'CARE_CASE_ALREADY_OPEN');
    const now = new Date();
    const [row] = await tx
      .insert(careCases)
      .values({
        residentId: person.id,
        categoryCode: category.code,
        riskLevel: input.riskLevel,
        gridId: person.gridId,
        orgPath: person.orgPath,
        plan: input.plan ?? null,
        openedAt: now,
        nextVisitDue: nextDue(now, category, input.riskLevel),
        createdBy: actor.userId,
      })
      .returning({ id: careCases.id });
    const caseId = (row as { id: string }).id;
    await tx
      .insert(careCaseWorkers)
      .values([...new Set(input.workerIds)].map((userId) => ({ caseId, userId })));
    await audit(tx, actor, meta, 'care.opened', caseId, { category: category.code });
    return caseId;
  });
  return getCareCase(db, actor, id, meta);
}

/** A case with its visits; the read itself is audited. */
export async function getCareCase(db: Db, actor: Actor, id: string, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, careCaseScope, id);
    await audit(tx, actor, meta, 'care.read', id);
    const visits = await tx
      .select()
      .from(careVisits)
      .where(eq(careVisits.caseId, id))
      .orderBy(desc(careVisits.visitedAt));
    const [c] = await presentCareCases(tx, [row]);
    if (!c) throw new Error('presentCareCases returned nothing');
    return { ...c, visits: visits.map(presentCareVisit) };
  });
}

export async function listCareCases(
  db: Db,
  actor: Actor,
  q: z.infer<typeof careListQuery>,
  meta: RequestMeta,
) {
  const cond: (SQL | undefined)[] = [];
  if (q.categoryCode) cond.push(eq(careCases.categoryCode, q.categoryCode));
  if (q.riskLevel) cond.push(eq(careCases.riskLevel, q.riskLevel));
  if (q.status) cond.push(eq(careCases.status, q.status));
  if (q.overdue === 'true')
    cond.push(and(eq(careCases.status, 'open'), lt(careCases.nextVisitDue, new Date())));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), careCases.orgPath));
  const { items, total } = await listScoped(db, actor, careCaseScope, {
    where: and(...cond),
    orderBy: [sql`${careCases.status} = 'open' desc`, asc(careCases.nextVisitDue)],
    page: q.page,
    pageSize: q.pageSize,
  });
  // Listing shows who is in care: it is a read of each listed case.
  if (items.length)
    await db.transaction((tx) =>
      audit(tx, actor, meta, 'care.read', null, { cases: items.map((r) => r.id) }),
    );
  return { items: await presentCareCases(db, items), total };
}

export async function updateCareCase(
  db: Db,
  actor: Actor,
  id: string,
  patch: {
    riskLevel?: 'high' | 'medium' | 'low' | undefined;
    plan?: string | undefined;
    workerIds?: string[] | undefined;
  },
  meta: RequestMeta,
) {
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, careCaseScope, id);
    if (row.status !== 'open') throw new AppError('CARE_CLOSED');
    if (patch.workerIds) {
      if (!mayAssignWorkers(actor)) throw new AppError('CARE_SUPERVISE_REQUIRED');
      const [grid] = await tx.select().from(orgUnits).where(eq(orgUnits.id, row.gridId));
      await checkWorkers(tx, (grid as { path: string }).path, patch.workerIds);
      await tx.delete(careCaseWorkers).where(eq(careCaseWorkers.caseId, id));
      await tx
        .insert(careCaseWorkers)
        .values([...new Set(patch.workerIds)].map((userId) => ({ caseId: id, userId })));
    }
    const set: Partial<CaseRow> = {};
    if (patch.plan !== undefined) set.plan = patch.plan;
    if (patch.riskLevel && patch.riskLevel !== row.riskLevel) {
      const category = (await categoryOf(tx, row.categoryCode)) as typeof careCategories.$inferSelect;
      set.riskLevel = patch.riskLevel;
      set.nextVisitDue = nextDue(row.lastVisitAt ?? row.openedAt, category, patch.riskLevel);
    }
    if (Object.keys(set).length) await tx.update(careCases).set(set).where(eq(careCases.id, id));
    await audit(tx, actor, meta, 'care.updated', id, { fields: Object.keys(patch) });
  });
  return getCareCase(db, actor, id, meta);
}

export async function closeCareCase(db: Db, actor: Actor, id: string, reason: string, meta: RequestMeta) {
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, careCaseScope, id);
    if (row.status !== 'open') throw new AppError('CARE_CLOSED');
    await tx
      .update(careCases)
      .set({ status: 'closed', closedAt: new Date(), closeReason: reason, nextVisitDue: null })
      .where(eq(careCases.id, id));
    await audit(tx, actor, meta, 'care.closed', id);
  });
  return getCareCase(db, actor, id, meta);
}

export async function recordVisit(
  db: Db,
  actor: Actor,
  id: string,
  input: CareVisitInput,
  meta: RequestMeta,
) {
  const at = new Date(input.visitedAt);
  if (at.getTime() > Date.now() + 5 * 60_000)
    throw fieldError('visitedAt', 'notFuture', 'CARE_VISIT_IN_FUTURE');
  if (input.clientId) {
    const [done] = await db
      .select({ caseId: careVisits.caseId })
      .from(careVisits)
      .where(eq(careVisits.clientId, input.clientId));
    // Sent again (the reply was lost): the visit is already there.
    if (done?.caseId === id) return getCareCase(db, actor, id, meta);
    if (done) throw fieldError('clientId', 'unique', 'CARE_VISIT_ID_TAKEN');
  }
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, careCaseScope, id);
    if (row.status !== 'open') throw new AppError('CARE_CLOSED');
    await assertOwnPhotos(tx, actor.userId, input.photoIds);
    if (at < row.openedAt) throw fieldError('visitedAt', 'afterOpening', 'CARE_VISIT_BEFORE_OPENING');
    await tx.insert(careVisits).values({
      clientId: input.clientId ?? null,
      caseId: id,
      visitedAt: at,
      place: input.place,
      notes: input.notes,
      photoIds: input.photoIds,
      byUserId: actor.userId,
      byName: actor.displayName,
    });
    const last = row.lastVisitAt && row.lastVisitAt > at ? row.lastVisitAt : at;
    const category = (await categoryOf(tx, row.categoryCode)) as typeof careCategories.$inferSelect;
    await tx
      .update(careCases)
      .set({ lastVisitAt: last, nextVisitDue: nextDue(last, category, row.riskLevel) })
      .where(eq(careCases.id, id));
    await audit(tx, actor, meta, 'care.visited', id);
  });
  return getCareCase(db, actor, id, meta);
}

/** The worker's to-do: open cases assigned to them whose next visit is due within three days. */
export async function careTodo(db: Db, actor: Actor) {
  const soon = new Date(Date.now() + 3 * dayMs);
  const rows = await db
    .select()
    .from(careCases)
    .where(and(eq(careCases.status, 'open'), lte(careCases.nextVisitDue, soon), assignedToActor(actor)))
    .orderBy(asc(careCases.nextVisitDue))
    .limit(100);
  return presentCareCases(db, rows);
}

/** For the resident profile: the person's care cases this viewer may see (audited). */
export async function careOfResident(db: Db, actor: Actor, residentId: string, meta: RequestMeta) {
  if (!actor.permissions.has('care:read')) return [];
  const rows = await db
    .select()
    .from(careCases)
    .where(and(eq(careCases.residentId, residentId), careCaseScope.where(actor)))
    .orderBy(desc(careCases.openedAt));
  if (rows.length)
    await db.transaction((tx) => audit(tx, actor, meta, 'care.read', null, { cases: rows.map((r) => r.id) }));
  return presentCareCases(db, rows);
}

/**
 * Closed cases past their category's retention lose the person: the link to the resident,
 * the plan, the reason and what the visits said. Counts and dates stay for statistics.
 */
export async function anonymiseExpiredCare(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: careCases.id })
      .from(careCases)
      .innerJoin(careCategories, eq(careCategories.code, careCases.categoryCode))
      .where(
        and(
          eq(careCases.status, 'closed'),
          isNull(careCases.anonymisedAt),
          sql`${careCases.closedAt} + make_interval(days => ${careCategories.retentionDays}) < ${now}`,
        ),
      )
      .limit(5000);
    if (!due.length) return 0;
    const ids = due.map((d) => d.id);
    await tx
      .update(careCases)
      .set({ residentId: null, plan: null, closeReason: null, anonymisedAt: now })
      .where(inArray(careCases.id, ids));
    await tx
      .update(careVisits)
      .set({ notes: '（已匿名化）', place: '（已匿名化）', photoIds: [] })
      .where(inArray(careVisits.caseId, ids));
    await appendAudit(
      tx,
      { userId: null, username: 'system', ip: null, userAgent: null },
      { action: 'care.anonymised', targetType: 'careCase', payload: { count: ids.length } },
    );
    return ids.length;
  });
}

/** Whether a photo belongs to a visit of a care case the viewer may see. */
export async function careFileVisible(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  if (!actor.permissions.has('care:read')) return false;
  const [hit] = await db
    .select({ id: careCases.id })
    .from(careVisits)
    .innerJoin(careCases, eq(careCases.id, careVisits.caseId))
    .where(and(sql`${fileId}::uuid::text = any(${careVisits.photoIds})`, careCaseScope.where(actor)))
    .limit(1);
  return !!hit;
}
