import type { Committee, committeeInput, mediatorInput } from '@civicgrid/core/api/disputes';
import { asc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { departments, orgUnits } from '../org/tables.js';
import { committeesScope, committeesServing } from './policy.js';
import { mediationCommittees, mediators } from './tables.js';

type CommitteeRow = typeof mediationCommittees.$inferSelect;

async function present(db: Db, rows: CommitteeRow[]): Promise<Committee[]> {
  const ids = rows.map((r) => r.id);
  const deptIds = [...new Set(rows.map((r) => r.departmentId).filter((x): x is number => x !== null))];
  const [ms, ds] = await Promise.all([
    ids.length
      ? db.select().from(mediators).where(inArray(mediators.committeeId, ids)).orderBy(asc(mediators.id))
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
    mediators: ms
      .filter((m) => m.committeeId === r.id)
      .map((m) => ({ id: m.id, committeeId: m.committeeId, name: m.name, title: m.title, userId: m.userId })),
  }));
}

/**
 * The bodies a dispute of the actor's area may go to: those of the area and of the units
 * above it (a street's committee serves its communities; a district's trade committee all).
 */
export async function listCommittees(db: Db, actor: Actor, orgUnitId: number | undefined) {
  const area = await resolveArea(db, actor, orgUnitId);
  const rows = await db
    .select()
    .from(mediationCommittees)
    .where(committeesServing(actor, area.path))
    .orderBy(asc(mediationCommittees.orgPath), asc(mediationCommittees.id));
  return { items: await present(db, rows) };
}

async function checkMediatorUser(db: Db, userId: string | undefined, field: string) {
  if (userId === undefined) return;
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!u) throw fieldError(field, 'exists', 'DISPUTE_MEDIATOR_UNKNOWN');
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
  if (input.departmentId !== undefined) {
    const [d] = await db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, input.departmentId));
    if (!d) throw fieldError('departmentId', 'exists', 'COMMITTEE_DEPARTMENT_UNKNOWN');
  }
  for (const [i, m] of input.mediators.entries())
    await checkMediatorUser(db, m.userId, `mediators.${i}.userId`);
  const row = await db.transaction(async (tx) => {
    const [c] = await tx
      .insert(mediationCommittees)
      .values({
        name: input.name,
        kind: input.kind,
        orgUnitId: unit.id,
        orgPath: unit.path,
        departmentId: input.departmentId ?? null,
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
  await checkMediatorUser(db, input.userId, 'userId');
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
