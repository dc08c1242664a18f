import { answerDeadline } from '@civicgrid/core/grievances/clock';
import { eq } from 'drizzle-orm';
import { fieldError } from '../../../platform/errors.js';
import { pathInScope } from '../../../platform/scope.js';
import { departments, orgUnits } from '../../org/tables.js';
import { type ActionHandler, running } from './effect.js';

/**
 * 告知受理: the grievance is accepted and the person told who handles it — this unit, a unit
 * in the actor's jurisdiction, or a department. The 60 days to the written answer start.
 */
export const accept: ActionHandler<'accept'> = async ({ tx, actor, row, cal, today }, body) => {
  const target: { handlingUnitId: number | null; handlingPath: string | null; departmentId: number | null } =
    {
      handlingUnitId: row.handlingUnitId ?? row.orgUnitId,
      handlingPath: row.handlingPath ?? row.orgPath,
      departmentId: null,
    };
  if (body.departmentId !== undefined) {
    const [d] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, body.departmentId));
    if (!d) throw fieldError('departmentId', 'exists', 'GRIEVANCE_DEPARTMENT_UNKNOWN');
    target.departmentId = d.id;
  } else if (body.handlingUnitId !== undefined) {
    const [u] = await tx
      .select({ id: orgUnits.id, path: orgUnits.path, retiredAt: orgUnits.retiredAt })
      .from(orgUnits)
      .where(eq(orgUnits.id, body.handlingUnitId));
    if (!u || u.retiredAt || !pathInScope(actor, u.path))
      throw fieldError('handlingUnitId', 'inJurisdiction', 'GRIEVANCE_UNIT_OUTSIDE');
    target.handlingUnitId = u.id;
    target.handlingPath = u.path;
  }
  const due = answerDeadline(cal, today);
  return {
    note: body.note ?? null,
    data: { handlingUnitId: target.handlingUnitId, departmentId: target.departmentId },
    set: { ...target, acknowledgedOn: today, answerBy: due.due, ...running('answer', due) },
  };
};
