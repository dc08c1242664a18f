import type { ServiceItem, ServiceItemInput, ServiceItemPatch } from '@civicgrid/core/api/services';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { departments } from '../org/tables.js';
import { presentItem } from './presenter.js';
import { serviceItems } from './tables.js';

type ItemRow = typeof serviceItems.$inferSelect;

async function departmentNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(inArray(departments.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The current version of every item still offered: the service guide. */
export async function listServices(db: Db): Promise<ServiceItem[]> {
  const rows = await db
    .select()
    .from(serviceItems)
    .where(and(eq(serviceItems.current, true), isNull(serviceItems.retiredAt)))
    .orderBy(asc(serviceItems.code));
  const names = await departmentNames(
    db,
    rows.map((r) => r.departmentId),
  );
  return rows.map((r) =>
    presentItem(r, r.departmentId === null ? null : (names.get(r.departmentId) ?? null)),
  );
}

/** The current version of an item still offered, or undefined. */
export async function currentItem(db: Db, code: string): Promise<ItemRow | undefined> {
  const [row] = await db
    .select()
    .from(serviceItems)
    .where(and(eq(serviceItems.code, code), eq(serviceItems.current, true), isNull(serviceItems.retiredAt)));
  return row;
}

async function view(db: Db, row: ItemRow): Promise<ServiceItem> {
  const names = await departmentNames(db, [row.departmentId]);
  return presentItem(row, row.departmentId === null ? null : (names.get(row.departmentId) ?? null));
}

export async function serviceGuide(db: Db, code: string): Promise<ServiceItem> {
  const row = await currentItem(db, code);
  if (!row) throw new AppError('NOT_FOUND');
  return view(db, row);
}

async function assertDepartment(db: Db, id: number | null | undefined) {
  if (id === null || id === undefined) return;
  const names = await departmentNames(db, [id]);
  if (!names.has(id)) throw fieldError('departmentId', 'exists', 'SERVICE_DEPARTMENT_UNKNOWN');
}

function assertUniqueMaterials(materials: { name: string }[]) {
  const seen = new Set<string>();
  materials.forEach((m, i) => {
    if (seen.has(m.name))
      throw fieldError(`materials.${i}.name`, 'unique', 'SERVICE_MATERIAL_DUPLICATE', { name: m.name });
    seen.add(m.name);
  });
}

export async function createService(
  db: Db,
  actor: Actor,
  input: ServiceItemInput,
  meta: RequestMeta,
): Promise<ServiceItem> {
  assertUniqueMaterials(input.materials);
  await assertDepartment(db, input.departmentId);
  const row = await db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: serviceItems.id })
      .from(serviceItems)
      .where(eq(serviceItems.code, input.code));
    if (taken) throw fieldError('code', 'unique', 'SERVICE_CODE_TAKEN');
    const [row] = await tx
      .insert(serviceItems)
      .values({ ...input, version: 1, current: true, createdBy: actor.userId })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'serviceItem.created',
      targetType: 'serviceItem',
      targetId: input.code,
      payload: { code: input.code, version: 1 },
    });
    return row as ItemRow;
  });
  return view(db, row);
}

/**
 * An edit never changes the rules an application was taken in under: it writes the next
 * version and makes it current; applications keep pointing at theirs.
 */
export async function updateService(
  db: Db,
  actor: Actor,
  code: string,
  patch: ServiceItemPatch,
  meta: RequestMeta,
): Promise<ServiceItem> {
  if (patch.materials) assertUniqueMaterials(patch.materials);
  await assertDepartment(db, patch.departmentId);
  const row = await db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(serviceItems)
      .where(and(eq(serviceItems.code, code), eq(serviceItems.current, true)))
      .for('update');
    if (!old) throw new AppError('NOT_FOUND');
    const { retired, ...fields } = patch;
    await tx.update(serviceItems).set({ current: false }).where(eq(serviceItems.id, old.id));
    const { id: _id, createdAt: _at, ...kept } = old;
    const [row] = await tx
      .insert(serviceItems)
      .values({
        ...kept,
        ...fields,
        version: old.version + 1,
        current: true,
        retiredAt: retired === undefined ? old.retiredAt : retired ? new Date() : null,
        createdBy: actor.userId,
      })
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'serviceItem.updated',
      targetType: 'serviceItem',
      targetId: code,
      payload: { code, version: old.version + 1, fields: Object.keys(patch) },
    });
    return row as ItemRow;
  });
  return view(db, row);
}
