import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { defineScope } from '../../platform/scope.js';
import { careCases, careCaseWorkers } from './tables.js';

/** The care cases assigned to the actor. */
export function assignedToActor(actor: Actor): SQL {
  return sql`exists (select 1 from ${careCaseWorkers} w where w.case_id = ${careCases.id} and w.user_id = ${actor.userId})`;
}

/**
 * Care cases are need-to-know: only the assigned workers and their supervisors see a case.
 * A worker sees the cases assigned to him; someone holding care:supervise sees, besides,
 * every case in his jurisdiction.
 *
 * The assignment is not on the case row, so a row already loaded is visible here only by the
 * supervisor's rule: a worker's own cases are read through `where` (`loadScoped`), never
 * checked on a loaded row. The twin thus never shows more than the rule, only sometimes less.
 */
export const careCaseScope = defineScope(careCases, {
  id: careCases.id,
  path: careCases.orgPath,
  rule: (actor, inJurisdiction) =>
    actor.permissions.has('care:supervise')
      ? sql`(${inJurisdiction} or ${assignedToActor(actor)})`
      : assignedToActor(actor),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('care:supervise') && inJurisdiction,
});

/** Who is assigned to a case is the supervisor's decision. */
export function mayAssignWorkers(actor: Actor): boolean {
  return actor.permissions.has('care:supervise');
}
