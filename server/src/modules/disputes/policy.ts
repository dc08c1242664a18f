import {
  type DisputeAction,
  type DisputeGuard,
  type DisputeState,
  disputeActions,
  disputeTransitions,
} from '@civicgrid/core/disputes/stateMachine';
import { eq, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { defineScope } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { disputes, mediationCommittees, receptions } from './tables.js';

export type DisputeRow = typeof disputes.$inferSelect;

/** The accounts a body's mediator may be linked to: those of the actor's jurisdiction. */
export const mediatorAccountsScope = defineScope(users, { id: users.id, path: users.orgPath });

/**
 * Who sees a dispute: the staff whose jurisdiction holds its grid (or the unit that registered
 * it) and the mediator it is assigned to (a studio's mediator outside the street's staff).
 */
export const disputesScope = defineScope(disputes, {
  id: disputes.id,
  path: disputes.orgPath,
  rule: (actor, inJurisdiction) =>
    or(inJurisdiction, eq(disputes.mediatorUserId, actor.userId)) ?? sql`false`,
  visibleRow: (actor, row, inJurisdiction) => inJurisdiction || row.mediatorUserId === actor.userId,
});

/** Mediation bodies the actor administers: those of his jurisdiction. */
export const committeesScope = defineScope(mediationCommittees, {
  id: mediationCommittees.id,
  path: mediationCommittees.orgPath,
});

/**
 * The bodies a dispute of an area may go to: those of the actor's jurisdiction and those of
 * the units above the area (a street's committee serves its communities; a district's trade
 * committee all).
 */
export function committeesServing(actor: Actor, areaPath: string): SQL {
  return (
    or(committeesScope.where(actor), sql`${areaPath} like ${mediationCommittees.orgPath} || '%'`) ??
    sql`false`
  );
}

/** The front desk's visits: the unit that received them and the levels above. */
export const receptionsScope = defineScope(receptions, { id: receptions.id, path: receptions.orgPath });

/**
 * A mediator of this dispute: the one assigned; while none is, any staff above the grid who
 * sees it (a community's or street's committee); once one is, the street and district may
 * still take it over, another mediator may not.
 */
function isMediatorOf(actor: Actor, row: DisputeRow): boolean {
  if (actor.global || row.mediatorUserId === actor.userId) return true;
  if (row.mediatorUserId === null) return actor.orgLevel !== null && actor.orgLevel !== 'grid';
  const onlyMediator = actor.roles.every((r) => r.code === 'mediator');
  return !onlyMediator && (actor.orgLevel === 'street' || actor.orgLevel === 'district');
}

function guardHolds(guard: DisputeGuard, actor: Actor, row: DisputeRow): boolean {
  switch (guard) {
    case 'mediator':
      return isMediatorOf(actor, row);
    case 'followedUp':
      return row.status !== 'agreed' || row.followUps.length > 0 || row.agreement?.oral === true;
  }
}

/**
 * Why an action is refused, in the order the API promises: a dispute outside sight is not
 * found (loadScoped, before), no permission is 403, a state that does not allow it is 409,
 * then the guards (403 not your dispute, 409 follow up first).
 */
export function refusal(actor: Actor, row: DisputeRow, action: DisputeAction): AppError | null {
  const t = disputeTransitions[action];
  if (!actor.permissions.has(t.permission)) return new AppError('FORBIDDEN');
  if (!t.from.includes(row.status as DisputeState)) return new AppError('DISPUTE_INVALID_STATE');
  for (const g of t.guards) {
    if (guardHolds(g, actor, row)) continue;
    return g === 'mediator' ? new AppError('DISPUTE_NOT_MEDIATOR') : new AppError('DISPUTE_FOLLOW_UP_FIRST');
  }
  return null;
}

export function allowedActions(actor: Actor, row: DisputeRow): DisputeAction[] {
  return disputeActions.filter((a) => refusal(actor, row, a) === null);
}
