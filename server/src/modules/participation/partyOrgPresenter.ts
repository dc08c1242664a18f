import { maskPhone } from '@civicgrid/core';
import type { PartyHousehold, PartyMember } from '@civicgrid/core/api/partyOrgs';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { defineScope } from '../../platform/scope.js';
import { maskName } from '../audit/subjects.js';
import { registerPathFollower } from '../org/service.js';
import { housingUnitAddress } from '../places/service.js';
import { buildings, households, housingUnits } from '../places/tables.js';
import { residents } from '../residents/tables.js';
import { partyHouseholds, partyMembers, partyOrgs } from './partyOrgTables.js';

/**
 * Who sees the party tree: holders of partyOrg:read whose jurisdiction holds the unit an
 * organization is bound to (its `orgPath`); members and 中心户 carry their organization's path.
 */
export const partyOrgsScope = defineScope(partyOrgs, { id: partyOrgs.id, path: partyOrgs.orgPath });

// A unit moved in the org tree carries the party rows bound under it.
registerPathFollower(async (tx, from, to) => {
  for (const t of [partyOrgs, partyMembers, partyHouseholds]) {
    await tx
      .update(t)
      .set({ orgPath: sql`${to} || substr(${t.orgPath}, ${from.length + 1})` })
      .where(sql`${t.orgPath} like ${`${from}%`}`);
  }
});

export type PartyOrgRow = typeof partyOrgs.$inferSelect;
export type PartyMemberRow = typeof partyMembers.$inferSelect;
export type PartyHouseholdRow = typeof partyHouseholds.$inferSelect;

/** A member as a person: from his resident file when linked (DESIGN.md §6), else his own name. */
export interface Person {
  name: string;
  phone: string | null;
  householdId: number | null;
}

/**
 * The people behind members. Names leave as the residents list shows them to those who may
 * read residents, and masked (高**) to anyone else; a phone only ever masked; no ID number.
 */
export async function peopleOf(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  members: Pick<PartyMemberRow, 'id' | 'residentId' | 'name'>[],
): Promise<Map<string, Person>> {
  const ids = [...new Set(members.map((m) => m.residentId).filter((r): r is string => r !== null))];
  const files = ids.length
    ? await db
        .select({
          id: residents.id,
          name: residents.name,
          phoneEnc: residents.phoneEnc,
          householdId: residents.householdId,
        })
        .from(residents)
        .where(inArray(residents.id, ids))
    : [];
  const shown = (n: string) => (actor.permissions.has('resident:read') ? n : maskName(n));
  return new Map(
    members.map((m) => {
      const f = files.find((r) => r.id === m.residentId);
      return [
        m.id,
        f
          ? {
              name: shown(f.name),
              phone: f.phoneEnc ? maskPhone(crypto.decrypt(f.phoneEnc)) : null,
              householdId: f.householdId,
            }
          : { name: shown(m.name ?? ''), phone: null, householdId: null },
      ];
    }),
  );
}

/** The homes of households: building, 单元, floor and room (the short standard address). */
export async function homesOf(db: Db, householdIds: number[]): Promise<Map<number, string>> {
  const ids = [...new Set(householdIds)];
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: households.id,
      building: buildings.name,
      unitNo: housingUnits.unitNo,
      floor: housingUnits.floor,
      room: housingUnits.room,
    })
    .from(households)
    .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
    .innerJoin(buildings, eq(buildings.id, housingUnits.buildingId))
    .where(inArray(households.id, ids));
  return new Map(rows.map((r) => [r.id, housingUnitAddress(r.building, r.unitNo, r.floor, r.room)]));
}

export async function presentMembers(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  rows: PartyMemberRow[],
): Promise<PartyMember[]> {
  const people = await peopleOf(db, crypto, actor, rows);
  const ids = rows.map((r) => r.id);
  const [homes, marked] = await Promise.all([
    homesOf(
      db,
      [...people.values()].map((p) => p.householdId).filter((h): h is number => h !== null),
    ),
    ids.length
      ? db
          .select({ memberId: partyHouseholds.memberId })
          .from(partyHouseholds)
          .where(and(inArray(partyHouseholds.memberId, ids), isNull(partyHouseholds.unmarkedAt)))
      : [],
  ]);
  return rows.map((r) => {
    const p = people.get(r.id) as Person;
    return {
      id: r.id,
      partyOrgId: r.partyOrgId,
      name: p.name,
      residentId: r.residentId,
      phone: p.phone,
      address: p.householdId === null ? null : (homes.get(p.householdId) ?? null),
      role: r.role,
      joinedOn: r.joinedOn,
      inService: r.inService,
      household: marked.some((m) => m.memberId === r.id),
      createdAt: r.createdAt.toISOString(),
      removedAt: r.removedAt?.toISOString() ?? null,
    };
  });
}

export async function presentHouseholds(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  rows: PartyHouseholdRow[],
): Promise<PartyHousehold[]> {
  const memberIds = [...new Set(rows.map((r) => r.memberId))];
  const members = memberIds.length
    ? await db
        .select({ id: partyMembers.id, residentId: partyMembers.residentId, name: partyMembers.name })
        .from(partyMembers)
        .where(inArray(partyMembers.id, memberIds))
    : [];
  const [people, homes] = await Promise.all([
    peopleOf(db, crypto, actor, members),
    homesOf(
      db,
      rows.map((r) => r.householdId),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    memberId: r.memberId,
    memberName: people.get(r.memberId)?.name ?? '',
    partyOrgId: r.partyOrgId,
    address: homes.get(r.householdId) ?? null,
    services: r.services,
    neighbours: r.neighbours,
    markedOn: r.markedOn,
    unmarkedAt: r.unmarkedAt?.toISOString() ?? null,
  }));
}
