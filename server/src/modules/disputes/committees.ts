import type {
  Committee,
  committeeInput,
  committeeListQuery,
  committeeUpdate,
  mediatorInput,
} from '@civicgrid/core/api/disputes';
import { and, asc, eq, ilike, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';
import { committeesScope, committeesServing, mediatorAccountsScope } from './policy.js';
import { mediationCommittees, mediators } from './tables.js';

type CommitteeRow = typeof mediationCommittees.$inferSelect;

async function present(db: Db, rows: CommitteeRow[]): Promise<Committee[]> {
  const ids = rows.map((r) => r.id);
  const deptIds = [...new Set(rows.map((r) => r.departmentId).filter((x): x is number => x !== null))];
  const [ms, ds] = await Promise.all([
    ids.length
      ? db
          .select()
          .from(mediators)
          .where(and(inArray(mediators.committeeId, ids), isNull(mediators.retiredAt)))
          .orderBy(asc(mediators.id))
      : [],
    deptIds.length
      ? db
          .select({ id: departments.id, name: departments.name })
          .from(departments)
          .where(inArray(departments.id, deptIds))
      : [],
  ]);
  const deptName = new Map(ds.map((d) => [d.id, d.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    orgUnitId: r.orgUnitId,
    departmentId: r.departmentId,
    departmentName: r.departmentId === null ? null : (deptName.get(r.departmentId) ?? null),
    address: r.address,
    phone: r.phone,
    disabled: r.disabledAt !== null,
    mediators: ms
      .filter((m) => m.committeeId === r.id)
      .map((m) => ({ id: m.id, committeeId: m.committeeId, name: m.name, title: m.title, userId: m.userId })),
  }));
}

/**
 * The bodies a dispute of the actor's area may go to: those of the area and of the units
 * above it (a street's committee serves its communities; a district's trade committee all).
 */
export async function listCommittees(
  db: Db,
  actor: Actor,
  { orgUnitId, status = 'active' }: Partial<z.infer<typeof committeeListQuery>>,
) {
  const area = await resolveArea(db, actor, orgUnitId);
  const rows = await db
    .select()
    .from(mediationCommittees)
    .where(
      and(
        committeesServing(actor, area.path),
        status === 'active'
          ? isNull(mediationCommittees.disabledAt)
          : status === 'disabled'
            ? isNotNull(mediationCommittees.disabledAt)
            : undefined,
      ),
    )
    .orderBy(asc(mediationCommittees.orgPath), asc(mediationCommittees.id));
  return { items: await present(db, rows) };
}

async function checkDepartment(db: Db, departmentId: number | null | undefined) {
  if (departmentId === undefined || departmentId === null) return;
  const [d] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.id, departmentId));
  if (!d) throw fieldError('departmentId', 'exists', 'COMMITTEE_DEPARTMENT_UNKNOWN');
}

/**
 * A mediator's account must be an active account in the actor's own jurisdiction: a mediator
 * sees the disputes given to them, so attaching another district's account (or a disabled one)
 * would open those disputes to it. Out of reach reads as "no such account", not as a hint that
 * the id exists elsewhere.
 */
async function checkMediatorUser(db: Db, actor: Actor, userId: string | undefined, field: string) {
  if (userId === undefined) return;
  const [u] = await db
    .select({ orgPath: users.orgPath, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!u || u.disabledAt || !pathInScope(actor, u.orgPath))
    throw fieldError(field, 'exists', 'DISPUTE_MEDIATOR_UNKNOWN');
}

export async function createCommittee(
  db: Db,
  actor: Actor,
  input: z.infer<typeof committeeInput>,
  meta: RequestMeta,
): Promise<Committee> {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (!unit || unit.retiredAt || !pathInScope(actor, unit.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'AREA_NOT_IN_JURISDICTION');
  await checkDepartment(db, input.departmentId);
  for (const [i, m] of input.mediators.entries())
    await checkMediatorUser(db, actor, m.userId, `mediators.${i}.userId`);
  const row = await db.transaction(async (tx) => {
    const [c] = await tx
      .insert(mediationCommittees)
      .values({
        name: input.name,
        kind: input.kind,
        orgUnitId: unit.id,
        orgPath: unit.path,
        departmentId: input.departmentId ?? null,
        address: input.address || null,
        phone: input.phone || null,
      })
      .returning();
    const committee = c as CommitteeRow;
    if (input.mediators.length)
      await tx.insert(mediators).values(
        input.mediators.map((m) => ({
          committeeId: committee.id,
          name: m.name,
          title: m.title ?? null,
          userId: m.userId ?? null,
        })),
      );
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'committee.created',
      targetType: 'mediationCommittee',
      targetId: String(committee.id),
      payload: { kind: input.kind, orgUnitId: unit.id, mediators: input.mediators.length },
    });
    return committee;
  });
  return (await present(db, [row]))[0] as Committee;
}

export async function addMediator(
  db: Db,
  actor: Actor,
  committeeId: number,
  input: z.infer<typeof mediatorInput>,
  meta: RequestMeta,
): Promise<Committee> {
  const c = await loadScoped(db, actor, committeesScope, committeeId);
  await checkMediatorUser(db, actor, input.userId, 'userId');
  await db.transaction(async (tx) => {
    await tx
      .insert(mediators)
      .values({ committeeId, name: input.name, title: input.title ?? null, userId: input.userId ?? null });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'mediator.added',
      targetType: 'mediationCommittee',
      targetId: String(committeeId),
      payload: { committeeId },
    });
  });
  return (await present(db, [c]))[0] as Committee;
}

/**
 * The accounts the actor may name as a body's mediator (调解员的平台账号): active ones of his
 * jurisdiction, found by name or username, twenty at most; names and units only.
 */
export async function mediatorAccounts(db: Db, actor: Actor, q: { q?: string | undefined }) {
  const term = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { items } = await listScoped(db, actor, mediatorAccountsScope, {
    where: and(
      isNull(users.disabledAt),
      isNotNull(users.orgUnitId),
      term ? or(ilike(users.displayName, term), ilike(users.username, term)) : undefined,
    ),
    orderBy: [asc(users.displayName), asc(users.id)],
    page: 1,
    pageSize: 20,
  });
  const unitIds = [...new Set(items.map((u) => u.orgUnitId).filter((x): x is number => x !== null))];
  const units = unitIds.length
    ? await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, unitIds))
    : [];
  return {
    items: items.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      username: u.username,
      unitName: units.find((x) => x.id === u.orgUnitId)?.name ?? null,
    })),
  };
}

/**
 * 移除调解员: he no longer mediates for the body — out of its list and of the assign dialog; the
 * disputes he mediated keep his name. Removed twice is 409; a mediator of another body 404.
 */
export async function retireMediator(
  db: Db,
  actor: Actor,
  committeeId: number,
  mediatorId: number,
  meta: RequestMeta,
): Promise<Committee> {
  const c = await loadScoped(db, actor, committeesScope, committeeId);
  await db.transaction(async (tx) => {
    const [m] = await tx
      .select({ id: mediators.id, retiredAt: mediators.retiredAt })
      .from(mediators)
      .where(and(eq(mediators.id, mediatorId), eq(mediators.committeeId, committeeId)))
      .for('update');
    if (!m) throw new AppError('NOT_FOUND');
    if (m.retiredAt) throw new AppError('DISPUTE_MEDIATOR_RETIRED');
    await tx.update(mediators).set({ retiredAt: new Date() }).where(eq(mediators.id, mediatorId));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'mediator.retired',
      targetType: 'mediationCommittee',
      targetId: String(committeeId),
      payload: { committeeId, mediatorId },
    });
  });
  return (await present(db, [c]))[0] as Committee;
}

/** A body's name, kind, department, address and phone; only the fields sent change. */
export async function updateCommittee(
  db: Db,
  actor: Actor,
  committeeId: number,
  input: z.infer<typeof committeeUpdate>,
  meta: RequestMeta,
): Promise<Committee> {
  await loadScoped(db, actor, committeesScope, committeeId);
  await checkDepartment(db, input.departmentId);
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.departmentId !== undefined ? { departmentId: input.departmentId } : {}),
    ...(input.address !== undefined ? { address: input.address || null } : {}),
    ...(input.phone !== undefined ? { phone: input.phone || null } : {}),
  };
  const fields = Object.keys(set);
  const row = await db.transaction(async (tx) => {
    const [c] = fields.length
      ? await tx
          .update(mediationCommittees)
          .set(set)
          .where(eq(mediationCommittees.id, committeeId))
          .returning()
      : await tx.select().from(mediationCommittees).where(eq(mediationCommittees.id, committeeId));
    if (fields.length)
      await appendAudit(tx, auditActorOf(actor, meta), {
        action: 'committee.updated',
        targetType: 'mediationCommittee',
        targetId: String(committeeId),
        payload: { fields },
      });
    return c as CommitteeRow;
  });
  return (await present(db, [row]))[0] as Committee;
}

/**
 * Disable or enable a body. A disabled one keeps the disputes it took (their history names
 * it) but is no longer offered for new ones (the list's default is the active bodies).
 */
export async function setCommitteeStatus(
  db: Db,
  actor: Actor,
  committeeId: number,
  action: 'disable' | 'enable',
  meta: RequestMeta,
): Promise<Committee> {
  const c = await loadScoped(db, actor, committeesScope, committeeId);
  if ((c.disabledAt !== null) === (action === 'disable')) throw new AppError('COMMITTEE_STATUS_UNCHANGED');
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .update(mediationCommittees)
      .set({ disabledAt: action === 'disable' ? new Date() : null })
      .where(eq(mediationCommittees.id, committeeId))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: action === 'disable' ? 'committee.disabled' : 'committee.enabled',
      targetType: 'mediationCommittee',
      targetId: String(committeeId),
      payload: { committeeId },
    });
    return r as CommitteeRow;
  });
  return (await present(db, [row]))[0] as Committee;
}
