import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { orgUnitScope } from '../org/policy.js';
import type { OrgUnitRow } from '../org/presenter.js';
import { orgUnits } from '../org/tables.js';

/**
 * A district whose scoring rules the actor may set: a district unit of his jurisdiction, or
 * nothing (the caller refuses the input as a field error, not a 404). Who may set rules at
 * all is the route's permission (assessment:configure).
 */
export async function districtOfActor(
  db: Db,
  actor: Actor,
  districtId: number,
): Promise<OrgUnitRow | undefined> {
  const [d] = await db.select().from(orgUnits).where(eq(orgUnits.id, districtId));
  return d?.level === 'district' && orgUnitScope.visible(actor, d) ? d : undefined;
}
