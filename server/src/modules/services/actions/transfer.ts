import { eq } from 'drizzle-orm';
import { fieldError } from '../../../platform/errors.js';
import { departments, orgUnits } from '../../org/tables.js';
import type { ActionHandler } from './effect.js';

/**
 * 转办: up (街道 → 区级部门) or across, to a unit's back office or a department. The
 * application stays visible where it was taken in; the new handler sees it from now on.
 */
export const transfer: ActionHandler<'transfer'> = async ({ tx, row }, body) => {
  if (body.departmentId !== undefined) {
    const [d] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, body.departmentId));
    if (!d) throw fieldError('departmentId', 'exists', 'APPLICATION_TRANSFER_TARGET');
    if (row.departmentId === d.id) throw fieldError('departmentId', 'different', 'APPLICATION_TRANSFER_SAME');
    return { note: body.note ?? null, data: { departmentId: d.id }, set: { departmentId: d.id } };
  }
  const [u] = await tx
    .select({ id: orgUnits.id, path: orgUnits.path, level: orgUnits.level, retiredAt: orgUnits.retiredAt })
    .from(orgUnits)
    .where(eq(orgUnits.id, body.orgUnitId as number));
  // A grid has no back office: the lowest one is the community's.
  if (!u || u.level === 'grid' || u.retiredAt)
    throw fieldError('orgUnitId', 'exists', 'APPLICATION_TRANSFER_TARGET');
  if (row.departmentId === null && row.handlingUnitId === u.id)
    throw fieldError('orgUnitId', 'different', 'APPLICATION_TRANSFER_SAME');
  return {
    note: body.note ?? null,
    data: { orgUnitId: u.id },
    set: { handlingUnitId: u.id, handlingPath: u.path, departmentId: null },
  };
};
