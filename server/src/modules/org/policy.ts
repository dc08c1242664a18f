import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { defineScope } from '../../platform/scope.js';
import type { OrgUnitRow } from './presenter.js';
import { orgUnits } from './tables.js';

/** Org units: a user sees the units of his jurisdiction (his own and those below it). */
export const orgUnitScope = defineScope(orgUnits, { id: orgUnits.id, path: orgUnits.path });

/**
 * A grid the actor may work in, or nothing: for inputs that name a grid (a patrol's, a
 * visit list's), which the caller refuses as a field error rather than a 404.
 */
export async function gridOfActor(db: Db, actor: Actor, gridId: number): Promise<OrgUnitRow | undefined> {
  const [g] = await db.select().from(orgUnits).where(eq(orgUnits.id, gridId));
  return g?.level === 'grid' && orgUnitScope.visible(actor, g) ? g : undefined;
}
