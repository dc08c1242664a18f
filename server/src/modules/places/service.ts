import { like, sql } from 'drizzle-orm';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { registerPathFollower } from '../org/service.js';
import { buildings, facilities, households, housingUnits, organizations } from './tables.js';

/*
 * The places module: 实有房屋 (buildings.ts: buildings and their housing units), 户
 * (households.ts), 实有单位 (organizations.ts), 城市部件 (facilities.ts) and the map
 * (map.ts). This file holds what they share: the dependencies, the address codes, and
 * the places following their grid when it moves in the tree. It owns the tables of
 * places/tables.ts; people (and their membership of a household) are the residents
 * module's, written through its service.
 */

export interface PlaceDeps {
  db: Db;
  crypto: FieldCrypto;
}

// When a grid moves in the tree, the places in it follow.
for (const table of [buildings, housingUnits, households, organizations, facilities]) {
  registerPathFollower(async (tx, from, to) => {
    await tx
      .update(table)
      .set({ orgPath: sql`${to} || substr(${table.orgPath}, ${from.length + 1})` })
      .where(like(table.orgPath, `${from}%`));
  });
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The next free 3-digit building number in a grid: code = grid code + number. */
export async function nextBuildingCode(tx: Db, gridCode: string): Promise<string> {
  const [r] = await tx
    .select({ max: sql<string | null>`max(${buildings.code})` })
    .from(buildings)
    .where(like(buildings.code, `${gridCode}___`));
  const n = r?.max ? Number(r.max.slice(-3)) + 1 : 1;
  if (n > 999) throw fieldError('gridId', 'capacity', 'BUILDING_CODES_EXHAUSTED');
  return `${gridCode}${String(n).padStart(3, '0')}`;
}

export function housingUnitCode(buildingCode: string, unitNo: number, floor: number, room: string): string {
  const fl = floor < 0 ? `B${-floor}` : String(floor).padStart(2, '0');
  return `${buildingCode}${String(unitNo).padStart(2, '0')}${fl}${room.padStart(2, '0')}`;
}

export function housingUnitAddress(buildingAddress: string, unitNo: number, floor: number, room: string) {
  const fl = floor < 0 ? `地下${-floor}层` : `${floor}层`;
  return `${buildingAddress}${unitNo}单元${fl}${floor < 0 ? '' : floor}${room.padStart(2, '0')}室`;
}

/** GB/T 30428.2 identification code: county (6) + type (4) + serial (6). */
export async function nextFacilityCode(tx: Db, countyCode: string, typeCode: string) {
  const prefix = `${countyCode}${typeCode}`;
  const [r] = await tx
    .select({ max: sql<string | null>`max(${facilities.code})` })
    .from(facilities)
    .where(like(facilities.code, `${prefix}%`));
  const n = r?.max ? Number(r.max.slice(-6)) + 1 : 1;
  return `${prefix}${String(n).padStart(6, '0')}`;
}
