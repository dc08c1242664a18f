import type { PartyMemberRole, PartyOrgLevel } from '@civicgrid/core/participation/partyOrgs';
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { orgUnits } from '../modules/org/tables.js';
import { partyHouseholds, partyMembers, partyOrgs } from '../modules/participation/partyOrgTables.js';
import { buildings, households, housingUnits } from '../modules/places/tables.js';
import { residents } from '../modules/residents/tables.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import { personName } from './people.js';

/** What a 党员中心户 does for its neighbours (seed 004: 党员中心户 as the tree's fifth level). */
const householdServices = [
  ['政策宣传', '收集社情民意'],
  ['邻里调解', '帮扶独居老人'],
  ['垃圾分类督导', '文明劝导'],
  ['帮扶独居老人', '代购代办'],
  ['消防安全提醒', '政策宣传'],
];

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The demo's party tree (seed 004): 黄河西路街道党工委 over a 社区党组织 in each of its
 * communities; in 保利新华社区 a 网格党支部 in every grid with members drawn from the grid's
 * residents, 楼栋党小组 in its first buildings with the members who live there, and a 党员中心户
 * in each group. Leaders of the street and the communities are cadres not on file (names only).
 * Deterministic: residents are taken in the order of their file, the rest from `seeded()`.
 */
export async function seedDemoPartyOrgs(db: Db): Promise<void> {
  const rand = seeded('civicgrid-demo-party');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  if (!street) return;
  const communities = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, street.id), eq(orgUnits.level, 'community')))
    .orderBy(asc(orgUnits.code));
  // Adults on file with a home (a household in a housing unit), grid by grid, in a stable order.
  const born = `${new Date().getUTCFullYear() - 25}-01-01`;
  const grids = await db
    .select()
    .from(orgUnits)
    .where(
      and(
        inArray(
          orgUnits.parentId,
          communities.map((c) => c.id),
        ),
        eq(orgUnits.level, 'grid'),
      ),
    )
    .orderBy(asc(orgUnits.code));
  const people = grids.length
    ? await db
        .select({
          id: residents.id,
          gridId: residents.gridId,
          buildingId: housingUnits.buildingId,
        })
        .from(residents)
        .innerJoin(households, eq(households.id, residents.householdId))
        .innerJoin(housingUnits, eq(housingUnits.id, households.housingUnitId))
        .where(
          and(
            inArray(
              residents.gridId,
              grids.map((g) => g.id),
            ),
            isNotNull(residents.householdId),
            lte(residents.birthDate, born),
          ),
        )
        .orderBy(asc(residents.name), asc(residents.birthDate), asc(residents.idNumberTail))
    : [];
  const used = new Set<string>();
  const take = (pick: (p: (typeof people)[number]) => boolean, n: number) => {
    const out = people.filter((p) => !used.has(p.id) && pick(p)).slice(0, n);
    for (const p of out) used.add(p.id);
    return out;
  };
  const day = (y0: number, span: number) =>
    `${y0 + Math.floor(rand() * span)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-01`;

  await db.transaction(async (tx) => {
    const org = async (
      level: PartyOrgLevel,
      name: string,
      unit: typeof street,
      parentId: string | null,
      buildingId: number | null = null,
    ) => {
      const [r] = await tx
        .insert(partyOrgs)
        .values({
          level,
          name,
          parentId,
          orgUnitId: unit.id,
          buildingId,
          orgPath: unit.path,
          foundedOn: day(2005, 15),
        })
        .returning({ id: partyOrgs.id });
      return (r as { id: string }).id;
    };
    const members = async (
      partyOrgId: string,
      orgPath: string,
      list: { residentId?: string; name?: string; role: PartyMemberRole }[],
    ) => {
      if (!list.length) return [];
      const rows = await tx
        .insert(partyMembers)
        .values(
          list.map((m) => ({
            partyOrgId,
            orgPath,
            residentId: m.residentId ?? null,
            name: m.residentId ? null : (m.name ?? personName(rand)),
            role: m.role,
            joinedOn: day(1975, 45),
            inService: rand() < 0.4,
          })),
        )
        .returning();
      return rows;
    };
    const cadres = (roles: PartyMemberRole[]) => roles.map((role) => ({ name: personName(rand), role }));

    const committee = await org('streetCommittee', `${street.name}党工委`, street, null);
    await members(
      committee,
      street.path,
      cadres(['secretary', 'deputySecretary', 'committeeMember', 'committeeMember']),
    );
    for (const [ci, c] of communities.entries()) {
      const full = c.name === '保利新华社区';
      const cOrg = await org(
        'communityOrg',
        `${c.name}${full || ci % 2 === 0 ? '党委' : '党总支'}`,
        c,
        committee,
      );
      await members(cOrg, c.path, cadres(['secretary', 'deputySecretary', 'committeeMember']));
      const cGrids = grids.filter((g) => g.parentId === c.id);
      // Elsewhere the first grid's branch; in 保利新华社区 every grid's, with groups and 中心户.
      for (const [gi, g] of (full ? cGrids : cGrids.slice(0, 1)).entries()) {
        const branch = await org('gridBranch', `第${gi + 1}网格党支部`, g, cOrg);
        const inGrid = (p: (typeof people)[number]) => p.gridId === g.id;
        const core = take(inGrid, full ? 5 : 2);
        await members(
          branch,
          g.path,
          core.map((p, k) => ({
            residentId: p.id,
            role: (['secretary', 'committeeMember', 'committeeMember'][k] ?? 'member') as PartyMemberRole,
          })),
        );
        if (full) await groups(tx, g, branch, take, members, rand);
      }
    }
  });

  /** 楼栋党小组 in the grid's first two buildings with residents on file, each with a 中心户. */
  async function groups(
    tx: Tx,
    grid: typeof orgUnits.$inferSelect,
    branchId: string,
    take: (pick: (p: { buildingId: number }) => boolean, n: number) => { id: string }[],
    members: (
      partyOrgId: string,
      orgPath: string,
      list: { residentId?: string; role: PartyMemberRole }[],
    ) => Promise<(typeof partyMembers.$inferSelect)[]>,
    r: () => number,
  ) {
    const blds = await tx
      .select({ id: buildings.id, name: buildings.name })
      .from(buildings)
      .where(eq(buildings.gridId, grid.id))
      .orderBy(asc(buildings.code));
    let made = 0;
    for (const b of blds) {
      if (made === 2) break;
      const living = take((p) => p.buildingId === b.id, 3);
      if (living.length < 2) continue;
      made++;
      const [g] = await tx
        .insert(partyOrgs)
        .values({
          level: 'buildingGroup',
          name: `${b.name}党小组`,
          parentId: branchId,
          orgUnitId: grid.id,
          buildingId: b.id,
          orgPath: grid.path,
          foundedOn: `20${18 + Math.floor(r() * 6)}-07-01`,
        })
        .returning({ id: partyOrgs.id });
      const groupId = (g as { id: string }).id;
      const rows = await members(
        groupId,
        grid.path,
        living.map((p, k) => ({ residentId: p.id, role: k === 0 ? 'groupLeader' : 'member' })),
      );
      const leader = rows[0];
      if (!leader?.residentId) continue;
      const [home] = await tx
        .select({ householdId: residents.householdId })
        .from(residents)
        .where(eq(residents.id, leader.residentId));
      if (!home?.householdId) continue;
      await tx.insert(partyHouseholds).values({
        memberId: leader.id,
        partyOrgId: groupId,
        orgPath: grid.path,
        householdId: home.householdId,
        services: householdServices[Math.floor(r() * householdServices.length)] ?? ['政策宣传'],
        neighbours: 8 + Math.floor(r() * 10),
        markedOn: `2025-0${1 + Math.floor(r() * 9)}-15`,
      });
    }
  }
}
