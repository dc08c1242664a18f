import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { loadScoped } from '../../platform/scope.js';
import { casesScope } from '../cases/policy.js';

/**
 * A case's routing suggestion is seen by whoever may see the case (the cases module's one
 * scope: jurisdiction, departments it went to); the route asks case:dispatch on top, since the
 * suggestion serves the dispatcher. Outside the scope it is 404, as the case itself.
 */
export function loadVisibleCase(db: Db, actor: Actor, caseId: string) {
  return loadScoped(db, actor, casesScope, caseId);
}
