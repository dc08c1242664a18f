import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { defineScope } from '../../platform/scope.js';
import { householdVisits, patrols, workLogs } from './tables.js';

/**
 * A patrol is its walker's; whoever reads field work (fieldwork:read) sees, besides his own,
 * the patrols in his jurisdiction.
 */
export const patrolScope = defineScope(patrols, {
  id: patrols.id,
  path: patrols.orgPath,
  rule: (actor, inJurisdiction) =>
    actor.permissions.has('fieldwork:read')
      ? sql`(${inJurisdiction} or ${patrols.userId} = ${actor.userId})`
      : eq(patrols.userId, actor.userId),
  visibleRow: (actor, row, inJurisdiction) =>
    row.userId === actor.userId || (actor.permissions.has('fieldwork:read') && inJurisdiction),
});

/** Only the walker adds to his patrol (points, its end). */
export function mayRecordOn(actor: Actor, patrol: typeof patrols.$inferSelect): boolean {
  return patrol.userId === actor.userId;
}

/** Work logs are read by the reviewers of the jurisdiction the writer belongs to. */
export const workLogScope = defineScope(workLogs, { id: workLogs.id, path: workLogs.orgPath });

/** Household visits belong to the household's jurisdiction. */
export const householdVisitScope = defineScope(householdVisits, {
  id: householdVisits.id,
  path: householdVisits.orgPath,
});
