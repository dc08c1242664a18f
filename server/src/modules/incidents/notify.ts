import type { notifiedAs } from '@civicgrid/core/api/incidents';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { onCallRosters } from './tables.js';

export interface Recipient {
  userId: string;
  as: (typeof notifiedAs)[number];
  orgUnitId: number;
}

/**
 * Who is told of an emergency at `unitId` on `day`: the unit's people on duty and its leaders
 * on duty, and the leaders on duty one level up. One person is told once, under the first of
 * these he is on (on duty before leader before the level above); disabled accounts are not told.
 */
export async function recipients(tx: Db, unitId: number, day: string): Promise<Recipient[]> {
  const [unit] = await tx
    .select({ parentId: orgUnits.parentId })
    .from(orgUnits)
    .where(eq(orgUnits.id, unitId));
  const units = [unitId, ...(unit?.parentId ? [unit.parentId] : [])];
  const rows = await tx
    .select({ orgUnitId: onCallRosters.orgUnitId, userId: onCallRosters.userId, role: onCallRosters.role })
    .from(onCallRosters)
    .innerJoin(users, eq(users.id, onCallRosters.userId))
    .where(
      and(inArray(onCallRosters.orgUnitId, units), eq(onCallRosters.day, day), isNull(users.disabledAt)),
    );
  const rank = { onCall: 0, leader: 1, upperLeader: 2 } as const;
  const found = new Map<string, Recipient>();
  for (const r of rows) {
    const as = r.orgUnitId === unitId ? r.role : r.role === 'leader' ? 'upperLeader' : null;
    if (as === null) continue;
    const had = found.get(r.userId);
    if (!had || rank[as] < rank[had.as])
      found.set(r.userId, { userId: r.userId, as, orgUnitId: r.orgUnitId });
  }
  return [...found.values()];
}
