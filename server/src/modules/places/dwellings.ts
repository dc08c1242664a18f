import { and, asc, eq, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { orgUnits } from '../org/tables.js';
import { membersOf } from '../residents/service.js';
import { housingUnitScope } from './policy.js';
import { escapeLike, housingUnitAddress } from './service.js';
import { buildings, households, housingUnits } from './tables.js';

/**
 * Dwellings (实有房屋 units) of the actor's jurisdiction found by their standard address, with
 * the household living there: what a window picks when it registers a newcomer (issue 15
 * item 2). Read through the places scope; the members counted are those the actor may see.
 */
export async function findDwellings(db: Db, actor: Actor, q: string | undefined, limit = 20) {
  const words = (q ?? '').split(/\s+/).filter(Boolean).slice(0, 4);
  const address = sql`${buildings.address} || ${housingUnits.unitNo}::text || '单元' || ${housingUnits.floor}::text || ${housingUnits.room}`;
  const cond: (SQL | undefined)[] = [
    housingUnitScope.where(actor),
    ...words.map((w) => ilike(sql`${address} || ${buildings.name}`, `%${escapeLike(w)}%`)),
  ];
  const rows = await db
    .select({ unit: housingUnits, building: buildings, gridName: orgUnits.name })
    .from(housingUnits)
    .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
    .innerJoin(orgUnits, eq(orgUnits.id, buildings.gridId))
    .where(and(...cond))
    .orderBy(asc(housingUnits.code))
    .limit(limit);
  const units = rows.map((r) => r.unit.id);
  const homes = units.length
    ? await db
        .select({ id: households.id, unitId: households.housingUnitId })
        .from(households)
        .where(inArray(households.housingUnitId, units))
    : [];
  const homeOf = new Map(homes.map((h) => [h.unitId, h.id]));
  const members = await membersOf(
    db,
    actor,
    homes.map((h) => h.id),
  );
  return rows.map((r) => {
    const householdId = homeOf.get(r.unit.id) ?? null;
    const people = members.filter((m) => householdId !== null && m.householdId === householdId);
    return {
      housingUnitId: r.unit.id,
      address: housingUnitAddress(r.building.address, r.unit.unitNo, r.unit.floor, r.unit.room),
      gridId: r.building.gridId,
      gridName: r.gridName,
      householdId,
      members: people.length,
      hasHead: people.some((m) => m.relationToHead === '户主'),
    };
  });
}

/** One dwelling of the actor's jurisdiction by id, or 400 naming `housingUnitId`. */
export async function dwellingInScope(db: Db, actor: Actor, housingUnitId: number) {
  const [r] = await db
    .select({ unit: housingUnits, building: buildings })
    .from(housingUnits)
    .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
    .where(and(eq(housingUnits.id, housingUnitId), housingUnitScope.where(actor)));
  if (!r) throw fieldError('housingUnitId', 'inJurisdiction', 'HOUSING_UNIT_NOT_IN_JURISDICTION');
  return {
    housingUnitId: r.unit.id,
    gridId: r.building.gridId,
    address: housingUnitAddress(r.building.address, r.unit.unitNo, r.unit.floor, r.unit.room),
  };
}
