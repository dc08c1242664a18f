import { parseIdNumber } from '@civicgrid/core';
import type { ResidentInput } from '@civicgrid/core/api/residents';
import { and, asc, count, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { type Area, areaCondition, gridInScope, loadScoped } from '../../platform/scope.js';
import { nameBook } from '../cases/names.js';
import { casesScope } from '../cases/policy.js';
import { cases } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { otherJurisdiction, registeredElsewhere, residentScope } from './policy.js';
import type { ResidentRow } from './presenter.js';
import { residentMoves, residents } from './tables.js';
import { assertKnownTags } from './tags.js';

/*
 * The residents module owns the tables of residents/tables.ts — residents (membership of a
 * household included: `household_id`, `relation_to_head` are the person's columns),
 * resident_moves and resident_tags — and is the only writer of them. The places module
 * owns the households themselves (places/tables.ts) and calls this service to put people
 * in or take them out.
 */

export interface ResidentDeps {
  db: Db;
  crypto: FieldCrypto;
}

const idProblems = {
  format: 'ID_NUMBER_FORMAT',
  birthDate: 'ID_BIRTH_DATE',
  checkDigit: 'ID_CHECK_DIGIT',
} as const;

/** GB 11643: the check digit and the birth date must hold; the rest is derived. */
export function checkIdNumber(raw: string) {
  const parsed = parseIdNumber(raw);
  if (!parsed.ok) throw fieldError('idNumber', parsed.problem, idProblems[parsed.problem]);
  return parsed;
}

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(residents)
    .set({ orgPath: sql`${to} || substr(${residents.orgPath}, ${from.length + 1})` })
    .where(like(residents.orgPath, `${from}%`));
});

export async function createResident(
  deps: ResidentDeps,
  actor: Actor,
  input: ResidentInput,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  const id = checkIdNumber(input.idNumber);
  await assertKnownTags(db, input.tags);
  const grid = await gridInScope(db, actor, input.gridId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(residents)
      .values({
        name: input.name,
        idNumberEnc: crypto.encrypt(id.normalized),
        idNumberIdx: crypto.blindIndex(id.normalized),
        idNumberTail: id.normalized.slice(-4),
        phoneEnc: input.phone ? crypto.encrypt(input.phone) : null,
        phoneIdx: input.phone ? crypto.blindIndex(input.phone) : null,
        sex: id.value.sex,
        birthDate: id.value.birthDate,
        birthplaceCode: id.value.regionCode,
        residenceType: input.residenceType,
        gridId: grid.id,
        orgPath: grid.path,
        relationToHead: input.relationToHead ?? null,
        tags: input.tags ?? [],
        notes: input.notes ?? null,
      })
      .onConflictDoNothing({ target: residents.idNumberIdx })
      .returning();
    if (!row) {
      const [taken] = await tx
        .select({ orgPath: residents.orgPath })
        .from(residents)
        .where(eq(residents.idNumberIdx, crypto.blindIndex(id.normalized)));
      throw registeredElsewhere(actor, taken?.orgPath ?? null)
        ? otherJurisdiction('idNumber')
        : fieldError('idNumber', 'unique', 'ID_NUMBER_TAKEN');
    }
    await tx.insert(residentMoves).values({
      residentId: row.id,
      fromGridId: null,
      toGridId: grid.id,
      byName: actor.displayName,
      note: '登记',
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'resident.created',
      targetType: 'resident',
      targetId: row.id,
    });
    return row;
  });
}

export async function loadResident(
  db: Db,
  actor: Actor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ResidentRow> {
  return loadScoped(db, actor, residentScope, id, options);
}

export async function updateResident(
  deps: ResidentDeps,
  actor: Actor,
  id: string,
  patch: Partial<Omit<ResidentInput, 'idNumber' | 'gridId'>>,
  meta: RequestMeta,
) {
  const { db, crypto } = deps;
  return db.transaction(async (tx) => {
    const current = await loadResident(tx, actor, id);
    await assertKnownTags(tx, patch.tags, current.tags);
    const { phone, ...rest } = patch;
    const [row] = await tx
      .update(residents)
      .set({
        ...rest,
        ...(phone === undefined
          ? {}
          : { phoneEnc: crypto.encrypt(phone), phoneIdx: crypto.blindIndex(phone) }),
        updatedAt: new Date(),
      })
      .where(eq(residents.id, id))
      .returning();
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'resident.updated',
      targetType: 'resident',
      targetId: id,
      payload: { fields: Object.keys(patch) },
    });
    return row as ResidentRow;
  });
}

export async function moveResident(
  deps: ResidentDeps,
  actor: Actor,
  id: string,
  gridId: number,
  note: string | undefined,
  meta: RequestMeta,
) {
  const { db } = deps;
  return db.transaction((tx) => moveResidentIn(tx, actor, id, gridId, note, meta));
}

/** The move in the caller's transaction (settling someone into a dwelling moves them too). */
export async function moveResidentIn(
  tx: Db,
  actor: Actor,
  id: string,
  gridId: number,
  note: string | undefined,
  meta: RequestMeta,
): Promise<ResidentRow> {
  const grid = await gridInScope(tx, actor, gridId);
  const current = await loadResident(tx, actor, id, { forUpdate: true });
  if (current.gridId === grid.id) throw fieldError('gridId', 'different', 'RESIDENT_ALREADY_IN_GRID');
  const [row] = await tx
    .update(residents)
    .set({ gridId: grid.id, orgPath: grid.path, updatedAt: new Date() })
    .where(eq(residents.id, id))
    .returning();
  await recordMoves(tx, actor, meta, [{ residentId: id, from: current.gridId, to: grid.id }], note);
  return row as ResidentRow;
}

/**
 * Puts a person into a household (with the relation to its head), or takes them out
 * (`relationToHead` null), in the caller's transaction. The household row is the places
 * module's; membership is a column of the person, so it is written here. Members are
 * people of the household's community (`community`); a household has one 户主.
 */
export async function setHouseholdMembership(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  household: { id: number; community: Area },
  residentId: string,
  relationToHead: string | null,
): Promise<void> {
  const [person] = await tx
    .select()
    .from(residents)
    .where(and(eq(residents.id, residentId), areaCondition(household.community, residents.orgPath)))
    .for('update');
  if (!person) throw fieldError('residentId', 'exists', 'RESIDENT_NOT_IN_JURISDICTION');
  residentScope.check(actor, person);
  if (relationToHead === '户主') {
    const [head] = await tx
      .select({ id: residents.id })
      .from(residents)
      .where(and(eq(residents.householdId, household.id), eq(residents.relationToHead, '户主')));
    if (head && head.id !== residentId) throw fieldError('relationToHead', 'oneHead', 'HOUSEHOLD_HAS_HEAD');
  }
  await tx
    .update(residents)
    .set(
      relationToHead === null
        ? { householdId: null, relationToHead: null, updatedAt: new Date() }
        : { householdId: household.id, relationToHead, updatedAt: new Date() },
    )
    .where(eq(residents.id, residentId));
  await appendAudit(tx, auditActorOf(actor, meta), {
    action: relationToHead === null ? 'household.memberRemoved' : 'household.memberSet',
    targetType: 'household',
    targetId: String(household.id),
    payload: { residentId },
  });
}

/** The members in the actor's scope of some households, for the places that list them. */
export async function membersOf(db: Db, actor: Actor, householdIds: number[]) {
  if (!householdIds.length) return [];
  return db
    .select({
      id: residents.id,
      name: residents.name,
      relationToHead: residents.relationToHead,
      birthDate: residents.birthDate,
      householdId: residents.householdId,
    })
    .from(residents)
    .where(and(inArray(residents.householdId, householdIds), residentScope.where(actor)));
}

/** How many people in the actor's scope each household has (households without any: absent). */
export async function memberCounts(db: Db, actor: Actor, householdIds: number[]) {
  if (!householdIds.length) return new Map<number, number>();
  const rows = await db
    .select({ householdId: residents.householdId, n: count() })
    .from(residents)
    .where(and(inArray(residents.householdId, householdIds), residentScope.where(actor)))
    .groupBy(residents.householdId);
  return new Map(rows.map((r) => [r.householdId as number, Number(r.n)]));
}

/**
 * The history of moves already written to the residents rows: one moves-table row and
 * one `resident.moved` audit row each, in the writer's transaction. The move action and
 * imports that change a person's grid both go through here.
 */
export async function recordMoves(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  moves: { residentId: string; from: number; to: number }[],
  note: string | undefined,
) {
  if (!moves.length) return;
  await tx.insert(residentMoves).values(
    moves.map((m) => ({
      residentId: m.residentId,
      fromGridId: m.from,
      toGridId: m.to,
      byName: actor.displayName,
      note: note ?? null,
    })),
  );
  for (const m of moves)
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'resident.moved',
      targetType: 'resident',
      targetId: m.residentId,
      payload: { from: m.from, to: m.to },
    });
}

export async function movesOf(db: Db, actor: Actor, id: string) {
  await loadResident(db, actor, id);
  const rows = await db
    .select()
    .from(residentMoves)
    .where(eq(residentMoves.residentId, id))
    .orderBy(asc(residentMoves.id));
  const book = await nameBook(db);
  return rows.map((m) => ({
    fromGridName: m.fromGridId ? (book.units.get(m.fromGridId)?.name ?? null) : null,
    toGridName: book.units.get(m.toGridId)?.name ?? '',
    at: m.at.toISOString(),
    by: m.byName,
    note: m.note,
  }));
}

/** The full numbers, for someone holding pii:reveal; the reveal is audited in the same transaction. */
export async function revealResident(deps: ResidentDeps, actor: Actor, id: string, meta: RequestMeta) {
  const { db, crypto } = deps;
  return db.transaction(async (tx) => {
    const row = await loadResident(tx, actor, id);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'pii.revealed',
      targetType: 'resident',
      targetId: id,
      payload: { fields: ['idNumber', 'phone'] },
    });
    return {
      idNumber: crypto.decrypt(row.idNumberEnc),
      phone: row.phoneEnc ? crypto.decrypt(row.phoneEnc) : null,
      birthDate: row.birthDate,
    };
  });
}

/**
 * The cases a person raised, found by the phone number's blind index (the same key indexes
 * residents and case reporters), limited to cases the viewer may see.
 */
export async function casesOf(db: Db, actor: Actor, id: string) {
  const row = await loadResident(db, actor, id);
  if (!row.phoneIdx) return [];
  const found = await db
    .select({
      id: cases.id,
      code: cases.code,
      status: cases.status,
      categoryCode: cases.categoryCode,
      reportedAt: cases.reportedAt,
    })
    .from(cases)
    .where(and(eq(cases.reporterPhoneIdx, row.phoneIdx), casesScope.where(actor)))
    .orderBy(desc(cases.reportedAt))
    .limit(50);
  const book = await nameBook(db);
  return found.map((c) => ({
    id: c.id,
    code: c.code,
    status: c.status,
    categoryName: book.categories.get(c.categoryCode)?.name ?? c.categoryCode,
    reportedAt: c.reportedAt.toISOString(),
  }));
}
