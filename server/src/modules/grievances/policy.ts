import {
  type GrievanceAction,
  type GrievanceState,
  grievanceActions,
  grievanceTransitions,
} from '@civicgrid/core/grievances/stateMachine';
import { eq, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope, jurisdiction, pathInScope } from '../../platform/scope.js';
import { grievances } from './tables.js';

export type GrievanceRow = typeof grievances.$inferSelect;

/**
 * Who sees a grievance: only its handlers — holders of grievance:read whose jurisdiction
 * holds the unit that registered it or the unit now handling it, or the department it was
 * given to. Not the clerk who wrote it down, not a grid worker, nobody outside (issue 16:
 * "only handlers in scope see a grievance"; every read is audited by the service).
 */
export const grievancesScope = defineScope(grievances, {
  id: grievances.id,
  path: grievances.orgPath,
  rule: (actor, inJurisdiction) => {
    if (!actor.permissions.has('grievance:read')) return sql`false`;
    const parts: SQL[] = [inJurisdiction, jurisdiction(actor, grievances.handlingPath)];
    if (actor.departmentId !== null) parts.push(eq(grievances.departmentId, actor.departmentId));
    return or(...parts) ?? sql`false`;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    actor.permissions.has('grievance:read') &&
    (inJurisdiction ||
      (row.handlingPath !== null && pathInScope(actor, row.handlingPath)) ||
      (actor.departmentId !== null && row.departmentId === actor.departmentId)),
});

/**
 * Why an action is refused, in the order the API promises: a grievance outside sight is not
 * found (loadScoped, before), no permission is 403, a state that does not allow it is 409.
 */
export function refusal(actor: Actor, row: GrievanceRow, action: GrievanceAction): AppError | null {
  const t = grievanceTransitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (!t.from.includes(row.status as GrievanceState)) return new AppError('GRIEVANCE_INVALID_STATE');
  if (action === 'extend' && row.extensionDays !== null) return new AppError('GRIEVANCE_ALREADY_EXTENDED');
  return null;
}

export function allowedActions(actor: Actor, row: GrievanceRow): GrievanceAction[] {
  return grievanceActions.filter((a) => refusal(actor, row, a) === null);
}
