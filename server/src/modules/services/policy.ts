import {
  type ApplicationAction,
  type ApplicationGuard,
  type ApplicationState,
  applicationActions,
  applicationTransitions,
} from '@civicgrid/core/services/stateMachine';
import { eq, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope, jurisdiction, pathInScope } from '../../platform/scope.js';
import { applications } from './tables.js';

export type ApplicationRow = typeof applications.$inferSelect;

/** Whether the actor works at the service centre at all (reads, takes in or handles). */
function centreStaff(actor: Actor): boolean {
  return (
    actor.permissions.has('application:read') ||
    actor.permissions.has('application:intake') ||
    actor.permissions.has('application:handle')
  );
}

/**
 * Who sees an application (DESIGN.md §3): centre staff whose jurisdiction holds the unit
 * that took it in or the unit now handling it (after a transfer up or across), the
 * department it was transferred to, and the person who took it in (a proxy agent follows
 * his matter to the end). Every application query of this module reads through this scope.
 */
export const applicationsScope = defineScope(applications, {
  id: applications.id,
  path: applications.orgPath,
  rule: (actor, inJurisdiction) => {
    const parts: SQL[] = [eq(applications.createdBy, actor.userId)];
    if (centreStaff(actor)) {
      parts.push(inJurisdiction, jurisdiction(actor, applications.handlingPath));
      if (actor.departmentId !== null) parts.push(eq(applications.departmentId, actor.departmentId));
    }
    return or(...parts) ?? sql`false`;
  },
  visibleRow: (actor, row, inJurisdiction) =>
    row.createdBy === actor.userId ||
    (centreStaff(actor) &&
      (inJurisdiction ||
        (row.handlingPath !== null && pathInScope(actor, row.handlingPath)) ||
        (actor.departmentId !== null && row.departmentId === actor.departmentId))),
});

/** Facts about the item the guards need, loaded with the row. */
export interface ItemFacts {
  immediate: boolean;
}

/**
 * The back office now handling the application: its department's staff, or the staff of the
 * handling unit and the levels above it (as for cases, a street may act for its community).
 */
export function isHandler(actor: Actor, row: ApplicationRow): boolean {
  if (actor.global) return true;
  if (row.departmentId !== null) return actor.departmentId === row.departmentId;
  if (actor.orgPath === null || actor.orgLevel === 'grid' || row.handlingPath === null) return false;
  return row.handlingPath.startsWith(actor.orgPath);
}

function guardHolds(guard: ApplicationGuard, actor: Actor, row: ApplicationRow, item: ItemFacts): boolean {
  switch (guard) {
    case 'handler':
      return isHandler(actor, row);
    case 'approvedOrImmediate':
      return row.status === 'approved' || item.immediate;
  }
}

/**
 * Why an action is refused, in the order the API promises: an application outside sight is
 * not found (loadScoped, before), no permission is 403, a state that does not allow it is
 * 409, and a guard that fails is 403 (not your unit) or 409 (not yet approved).
 */
export function refusal(
  actor: Actor,
  row: ApplicationRow,
  action: ApplicationAction,
  item: ItemFacts,
): AppError | null {
  const t = applicationTransitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (!t.from.includes(row.status as ApplicationState)) return new AppError('APPLICATION_INVALID_STATE');
  for (const g of t.guards) {
    if (guardHolds(g, actor, row, item)) continue;
    return g === 'handler'
      ? new AppError('APPLICATION_NOT_YOURS')
      : new AppError('APPLICATION_NOT_IMMEDIATE');
  }
  return null;
}

export function allowedActions(actor: Actor, row: ApplicationRow, item: ItemFacts): ApplicationAction[] {
  return applicationActions.filter((a) => refusal(actor, row, a, item) === null);
}
