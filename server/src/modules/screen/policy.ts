import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { casesScope } from '../cases/policy.js';
import { orgUnitScope } from '../org/policy.js';

/*
 * What the big screen may show. Who may open it is the route's permission (metrics:read);
 * over what is decided by the scopes of the modules that own the rows: the cases the viewer
 * may see (cases/policy.ts) and the grids of his jurisdiction (org/policy.ts). The screen
 * adds no rule of its own and narrows to no area: it is the viewer's whole jurisdiction.
 */

/** The cases the screen counts, pins and lists in its feed. */
export const screenCasesWhere = (actor: Actor): SQL => casesScope.where(actor);

/** The grids the screen draws. */
export const screenGridsWhere = (actor: Actor): SQL => orgUnitScope.where(actor);
