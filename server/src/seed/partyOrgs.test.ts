import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../modules/org/tables.js';
import { partyHouseholds, partyMembers, partyOrgs } from '../modules/participation/partyOrgTables.js';
import { residents } from '../modules/residents/tables.js';
import { createFieldCrypto } from '../platform/crypto.js';
import type { Database } from '../platform/db.js';
import { createTestDatabase } from '../test/harness.js';
import { ensureBuiltIns } from './builtIns.js';
import { seedDemo } from './kundulun.js';
import { seedDemoPartyOrgs } from './partyOrgs.js';
import { seedDemoPlaces } from './places.js';
import { seedDemoResidents } from './residents.js';

let database: Database;
const crypto = createFieldCrypto('aes', Buffer.alloc(32, 1), Buffer.alloc(32, 2));

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await ensureBuiltIns(db);
  await seedDemo(db, { crypto, demoPassword: 'Demo@2026' });
  await seedDemoResidents(db, { crypto });
  await seedDemoPlaces(db, { crypto });
  await seedDemoPartyOrgs(db);
}, 900_000);
afterAll(() => database?.close());

describe('the demo party tree', () => {
  it('has the five levels in 保利新华社区, bound inside each other, with members from its residents and 中心户', async () => {
    const { db } = database;
    const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
    const all = await db.select().from(partyOrgs).where(isNull(partyOrgs.retiredAt));
    const byId = new Map(all.map((o) => [o.id, o]));
    const levels = new Set(all.filter((o) => o.orgPath.startsWith(baoli?.path ?? '-')).map((o) => o.level));
    expect([...levels].sort()).toEqual(['buildingGroup', 'communityOrg', 'gridBranch']);
    expect(all.filter((o) => o.level === 'streetCommittee')).toHaveLength(1);
    // Every organization one level below its parent, bound inside its parent's area.
    const order = ['streetCommittee', 'communityOrg', 'gridBranch', 'buildingGroup'];
    for (const o of all) {
      const p = o.parentId ? byId.get(o.parentId) : undefined;
      if (o.level === 'streetCommittee') expect(p).toBeUndefined();
      else {
        expect(order.indexOf(o.level) - order.indexOf(p?.level ?? '')).toBe(1);
        expect(o.orgPath.startsWith(p?.orgPath ?? '-')).toBe(true);
      }
    }
    const grids = await db
      .select({ n: count() })
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, baoli?.id ?? 0), eq(orgUnits.level, 'grid')));
    expect(
      all.filter((o) => o.level === 'gridBranch' && o.orgPath.startsWith(baoli?.path ?? '-')).length,
    ).toBe(Number(grids[0]?.n));
    // Other communities of the street have their party organizations too.
    expect(all.filter((o) => o.level === 'communityOrg').length).toBeGreaterThan(3);
    const members = await db.select().from(partyMembers);
    const linked = members.filter((m) => m.residentId);
    expect(linked.length).toBeGreaterThan(20);
    expect(new Set(linked.map((m) => m.residentId)).size).toBe(linked.length);
    // A linked member lives inside his organization's area.
    const homes = await db.select({ id: residents.id, path: residents.orgPath }).from(residents);
    for (const m of linked)
      expect(homes.find((h) => h.id === m.residentId)?.path.startsWith(m.orgPath)).toBe(true);
    const marks = await db.select().from(partyHouseholds);
    expect(marks.length).toBeGreaterThanOrEqual(3);
    for (const h of marks) expect(byId.get(h.partyOrgId)?.level).toBe('buildingGroup');
  });
});
