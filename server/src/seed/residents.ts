import { idNumberCheckChar } from '@civicgrid/core';
import { and, eq, isNull } from 'drizzle-orm';
import { orgUnits } from '../modules/org/tables.js';
import { residentMoves, residents } from '../modules/residents/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import { mobile, personName } from './people.js';

/** Birthplaces: mostly Baotou's districts and banners (GB/T 2260), some from elsewhere in Inner Mongolia and beyond. */
const regions = [
  '150203',
  '150203',
  '150203',
  '150202',
  '150204',
  '150205',
  '150206',
  '150207',
  '150221',
  '150222',
  '150102',
  '150602',
  '130102',
  '410105',
  '140105',
];

/**
 * Demo residents for every grid of the demo district (DESIGN.md §7): valid GB 11643 ID
 * numbers, encrypted with their blind indexes like any registered person, ages from
 * newborns to the very old, and the tags a community keeps (独居老人 for some of the old…).
 */
export async function seedDemoResidents(
  db: Db,
  opts: { crypto: FieldCrypto; perGrid?: number },
): Promise<number> {
  const rand = seeded('civicgrid-demo-residents');
  const grids = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), isNull(orgUnits.retiredAt)));
  const perGrid = opts.perGrid ?? 20;
  const used = new Set<string>();
  const rows: (typeof residents.$inferInsert & { id: string })[] = [];
  const thisYear = new Date().getUTCFullYear();
  for (const g of grids) {
    for (let i = 0; i < perGrid; i++) {
      const age = Math.floor(rand() < 0.15 ? 70 + rand() * 25 : rand() * 70);
      const y = thisYear - age - 1;
      const m = 1 + Math.floor(rand() * 12);
      const d = 1 + Math.floor(rand() * 28);
      const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
      const region = regions[Math.floor(rand() * regions.length)] as string;
      let first = '';
      do first = `${region}${birth}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
      while (used.has(first));
      used.add(first);
      const id = `${first}${idNumberCheckChar(first)}`;
      const phone = age >= 14 ? mobile(rand) : null;
      const tags: string[] = [];
      if (age >= 80) tags.push('高龄老人');
      if (age >= 65 && rand() < 0.25) tags.push('独居老人');
      if (rand() < 0.03) tags.push('残疾人');
      if (rand() < 0.03) tags.push('低保');
      if (age >= 30 && rand() < 0.04) tags.push('退役军人');
      const residenceType = region.startsWith('1502')
        ? rand() < 0.9
          ? 'registered'
          : 'registeredAway'
        : 'migrant';
      rows.push({
        id: crypto.randomUUID(),
        name: personName(rand),
        idNumberEnc: opts.crypto.encrypt(id),
        idNumberIdx: opts.crypto.blindIndex(id),
        idNumberTail: id.slice(-4),
        phoneEnc: phone ? opts.crypto.encrypt(phone) : null,
        phoneIdx: phone ? opts.crypto.blindIndex(phone) : null,
        sex: Number(first[16]) % 2 === 1 ? 'male' : 'female',
        birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
        birthplaceCode: region,
        residenceType,
        gridId: g.id,
        orgPath: g.path,
        // The relation comes with the household (seed/places.ts: formHouseholds).
        relationToHead: null,
        tags,
      });
    }
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(residents).values(rows.slice(i, i + 1000));
    const moves = rows.map((r) => ({
      residentId: r.id,
      fromGridId: null,
      toGridId: r.gridId as number,
      byName: '系统',
      note: '初始登记',
    }));
    for (let i = 0; i < moves.length; i += 2000)
      await tx.insert(residentMoves).values(moves.slice(i, i + 2000));
  });
  return rows.length;
}
