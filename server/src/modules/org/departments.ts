import { eq, isNull } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { departments } from './tables.js';

export type DepartmentRow = typeof departments.$inferSelect;

export function listDepartments(db: Db, includeRetired: boolean) {
  const q = db.select().from(departments);
  return (includeRetired ? q : q.where(isNull(departments.retiredAt))).orderBy(departments.id);
}

export async function createDepartment(
  db: Db,
  actor: Actor,
  input: { code: string; name: string },
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ code: departments.code, name: departments.name })
      .from(departments)
      .where(eq(departments.code, input.code));
    if (dup) throw fieldError('code', 'unique', 'DEPARTMENT_CODE_TAKEN');
    const [row] = await tx.insert(departments).values(input).returning();
    if (!row) throw new Error('insert returned nothing');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'department.created',
      targetType: 'department',
      targetId: row.id,
      payload: { code: input.code },
    });
    return row;
  });
}

export async function updateDepartment(
  db: Db,
  actor: Actor,
  id: number,
  input: { name?: string | undefined; retired?: boolean | undefined },
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(departments)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.retired === undefined ? {} : { retiredAt: input.retired ? new Date() : null }),
      })
      .where(eq(departments.id, id))
      .returning();
    if (!row) throw new AppError('NOT_FOUND');
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'department.updated',
      targetType: 'department',
      targetId: id,
      payload: { fields: Object.keys(input) },
    });
    return row;
  });
}
