import type { HouseholdInput, ResidentSettlement } from '@civicgrid/core/api/places';
import { and, count, eq, like } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { type Area, areaCondition, gridInScope, loadScoped } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { occupantsInOrder } from '../residents/presenter.js';
import { loadResident, membersOf, moveResidentIn, setHouseholdMembership } from '../residents/service.js';
import { householdScope, housingUnitScope } from './policy.js';
import { housingUnitAddress, type PlaceDeps } from './service.js';
import { buildings, households, housingUnits } from './tables.js';

/*
 * 户: the household rows are this module's (places/tables.ts); who belongs to one is a
 * column of each person, written only by the residents service (setHouseholdMembership).
 */

type HouseholdRow = typeof households.$inferSelect;

/** A household in the caller's transaction; see `createHousehold`. */
async function insertHousehold(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: HouseholdInput,
): Promise<HouseholdRow> {
  const grid = await gridInScope(tx, actor, input.gridId);
  let unitCode: string | null = null;
  if (input.housingUnitId !== undefined) {
    const [u] = await tx
      .select()
      .from(housingUnits)
      .where(and(eq(housingUnits.id, input.housingUnitId), areaCondition(grid, housingUnits.orgPath)));
    if (!u) throw fieldError('housingUnitId', 'inGrid', 'HOUSING_UNIT_NOT_IN_GRID');
    unitCode = u.code;
  }
  const prefix = unitCode ?? `${grid.code}000000000`;
  const [r] = await tx
    .select({ n: count() })
    .from(households)
    .where(like(households.code, `${prefix}-%`));
  const code = `${prefix}-${Number(r?.n ?? 0) + 1}`;
  const [h] = await tx
    .insert(households)
    .values({
      code,
      housingUnitId: input.housingUnitId ?? null,
      gridId: grid.id,
      orgPath: grid.path,
      kind: input.kind,
    })
    .returning();
  const made = h as HouseholdRow;
  await appendAudit(tx, auditActorOf(actor, meta), {
    action: 'household.created',
    targetType: 'household',
    targetId: String(made.id),
  });
  return made;
}

/** A household lives in a housing unit (or only in a grid, for those without one on record). */
export async function createHousehold(
  deps: PlaceDeps,
  actor: Actor,
  input: HouseholdInput,
  meta: RequestMeta,
) {
  return deps.db.transaction((tx) => insertHousehold(tx, actor, meta, input));
}

/** The community a household's grid lies in: its members are people of that community. */
async function communityOf(tx: Db, h: HouseholdRow): Promise<Area> {
  const [grid] = await tx
    .select({ parentId: orgUnits.parentId })
    .from(orgUnits)
    .where(eq(orgUnits.id, h.gridId));
  const [c] = grid?.parentId
    ? await tx
        .select({ id: orgUnits.id, name: orgUnits.name, level: orgUnits.level, path: orgUnits.path })
        .from(orgUnits)
        .where(eq(orgUnits.id, grid.parentId))
    : [];
  if (!c) throw new Error(`household ${h.id}: its grid has no community`);
  return c;
}

/** Puts a person into a household (`relationToHead`), or takes them out (null). */
export async function setHouseholdMember(
  deps: PlaceDeps,
  actor: Actor,
  householdId: number,
  residentId: string,
  relationToHead: string | null,
  meta: RequestMeta,
) {
  return deps.db.transaction(async (tx) => {
    const h = await loadScoped(tx, actor, householdScope, householdId);
    const community = await communityOf(tx, h);
    await setHouseholdMembership(tx, actor, meta, { id: h.id, community }, residentId, relationToHead);
  });
}

/**
 * Registers where a person lives: into the household of a housing unit (made when the unit
 * has none), with the relation to its head. The resident's grid becomes the unit's grid.
 * One transaction: a refusal at any step (the household already has a head, the person is
 * not in scope) leaves no household made and no move written.
 */
export async function settleResident(
  deps: PlaceDeps,
  actor: Actor,
  residentId: string,
  input: ResidentSettlement,
  meta: RequestMeta,
) {
  return deps.db.transaction(async (tx) => {
    const [u] = await tx
      .select()
      .from(housingUnits)
      .where(and(eq(housingUnits.id, input.housingUnitId), housingUnitScope.where(actor)))
      // One household per unit even when two people are settled into it at once.
      .for('update');
    if (!u) throw fieldError('housingUnitId', 'inJurisdiction', 'HOUSING_UNIT_NOT_IN_JURISDICTION');
    const [b] = await tx.select().from(buildings).where(eq(buildings.id, u.buildingId));
    if (!b) throw new AppError('NOT_FOUND');
    const [found] = await tx.select().from(households).where(eq(households.housingUnitId, u.id)).limit(1);
    const h =
      found ??
      (await insertHousehold(tx, actor, meta, { housingUnitId: u.id, gridId: b.gridId, kind: 'family' }));
    const person = await loadResident(tx, actor, residentId, { forUpdate: true });
    // Living there puts the person in that grid; the move keeps its history.
    if (person.gridId !== h.gridId) await moveResidentIn(tx, actor, residentId, h.gridId, '登记住址', meta);
    const community = await communityOf(tx, h);
    await setHouseholdMembership(tx, actor, meta, { id: h.id, community }, residentId, input.relationToHead);
    return h;
  });
}

/** For the resident profile: the household, its members in scope, and the dwelling. */
export async function householdOf(db: Db, actor: Actor, householdId: number | null) {
  if (householdId === null) return null;
  const [h] = await db.select().from(households).where(eq(households.id, householdId));
  if (!h) return null;
  const members = await membersOf(db, actor, [h.id]);
  let housing: {
    id: number;
    code: string;
    address: string;
    use: string;
    buildingId: number;
    buildingName: string;
  } | null = null;
  if (h.housingUnitId) {
    const [u] = await db
      .select({ unit: housingUnits, b: buildings })
      .from(housingUnits)
      .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
      .where(eq(housingUnits.id, h.housingUnitId));
    if (u)
      housing = {
        id: u.unit.id,
        code: u.unit.code,
        address: housingUnitAddress(u.b.address, u.unit.unitNo, u.unit.floor, u.unit.room),
        use: u.unit.use,
        buildingId: u.b.id,
        buildingName: u.b.name,
      };
  }
  return { id: h.id, code: h.code, kind: h.kind, members: occupantsInOrder(members), housing };
}
