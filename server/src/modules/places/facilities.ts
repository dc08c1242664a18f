import type { FacilityInput, FacilityPatch, facilityListQuery } from '@civicgrid/core/api/places';
import { and, asc, eq, like, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { areaCondition, gridInScope, listScoped, loadScoped, resolveArea } from '../../platform/scope.js';
import { nameBook } from '../cases/names.js';
import { facilityScope } from './policy.js';
import { type FacilityRow, presentFacility } from './presenter.js';
import { escapeLike, nextFacilityCode, type PlaceDeps } from './service.js';
import { facilities } from './tables.js';

export async function createFacility(deps: PlaceDeps, actor: Actor, input: FacilityInput, meta: RequestMeta) {
  const { db } = deps;
  const grid = await gridInScope(db, actor, input.gridId);
  const row = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('facility-code'))`);
    const code = await nextFacilityCode(tx, grid.code.slice(0, 6), input.typeCode);
    const [f] = await tx
      .insert(facilities)
      .values({ ...input, owner: input.owner ?? null, code, gridId: grid.id, orgPath: grid.path })
      .returning();
    const made = f as FacilityRow;
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'facility.created',
      targetType: 'facility',
      targetId: String(made.id),
    });
    return made;
  });
  return presentFacility(row, await nameBook(db));
}

export async function updateFacility(
  deps: PlaceDeps,
  actor: Actor,
  id: number,
  patch: FacilityPatch,
  meta: RequestMeta,
) {
  const { db } = deps;
  const row = await db.transaction(async (tx) => {
    await loadScoped(tx, actor, facilityScope, id, { forUpdate: true });
    const [u] = await tx
      .update(facilities)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(facilities.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'facility.updated',
      targetType: 'facility',
      targetId: String(id),
      payload: { fields: Object.keys(patch) },
    });
    return u as FacilityRow;
  });
  return presentFacility(row, await nameBook(db));
}

export async function listFacilities(deps: PlaceDeps, actor: Actor, q: z.infer<typeof facilityListQuery>) {
  const { db } = deps;
  const cond: (SQL | undefined)[] = [];
  if (q.q) cond.push(sql`(${facilities.name} like ${`%${escapeLike(q.q)}%`} or ${facilities.code} = ${q.q})`);
  if (q.typeCode) cond.push(like(facilities.typeCode, `${escapeLike(q.typeCode)}%`));
  if (q.state) cond.push(eq(facilities.state, q.state));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), facilities.orgPath));
  const { items, total } = await listScoped(db, actor, facilityScope, {
    where: and(...cond),
    orderBy: [asc(facilities.code)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const book = await nameBook(db);
  return { items: items.map((r) => presentFacility(r, book)), total };
}
