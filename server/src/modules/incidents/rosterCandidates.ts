import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { areaCondition, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';

/**
 * The people a roster page may put on duty for a unit: the active accounts of the unit and
 * of the units below it (a community's staff and its grid workers). The unit must lie in the
 * actor's jurisdiction, as for the roster itself; disabled accounts are left out, since
 * setRoster refuses them.
 */
export async function rosterCandidates(db: Db, actor: Actor, orgUnitId: number) {
  const area = await resolveArea(db, actor, orgUnitId);
  const rows = await db
    .select({ userId: users.id, name: users.displayName, orgUnitName: orgUnits.name })
    .from(users)
    .leftJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(areaCondition(area, users.orgPath), isNull(users.disabledAt)))
    .orderBy(asc(users.orgPath), asc(users.displayName))
    .limit(500);
  return { items: rows };
}
