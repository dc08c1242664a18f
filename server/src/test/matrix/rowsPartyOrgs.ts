import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { partyHouseholds, partyMembers, partyOrgs } from '../../modules/participation/partyOrgTables.js';
import { buildings, households } from '../../modules/places/tables.js';
import { residents } from '../../modules/residents/tables.js';
import { hiddenAt, type Row } from './model.js';
import { at } from './requests.js';
import type { Loc, World } from './world.js';

/** The grid's party branch at `loc` (one live per grid): found, or set up once. */
async function branch(w: World, loc: Loc): Promise<string> {
  const [found] = await w.db
    .select({ id: partyOrgs.id })
    .from(partyOrgs)
    .where(
      and(
        eq(partyOrgs.orgUnitId, loc.grid.id),
        eq(partyOrgs.level, 'gridBranch'),
        isNull(partyOrgs.retiredAt),
      ),
    );
  if (found) return found.id;
  const [row] = await w.db
    .insert(partyOrgs)
    .values({ level: 'gridBranch', name: '矩阵党支部', orgUnitId: loc.grid.id, orgPath: loc.grid.path })
    .returning({ id: partyOrgs.id });
  return (row as { id: string }).id;
}

/** A new building in the grid of `loc` (a building group needs one of its own). */
async function building(w: World, loc: Loc): Promise<number> {
  const [row] = await w.db
    .insert(buildings)
    .values({
      code: `M${randomUUID().slice(0, 12)}`,
      name: `矩阵楼${randomUUID().slice(0, 6)}`,
      address: '矩阵路1号',
      gridId: loc.grid.id,
      orgPath: loc.grid.path,
      lng: loc.centre.lng,
      lat: loc.centre.lat,
    })
    .returning({ id: buildings.id });
  return (row as { id: number }).id;
}

/** A fresh, empty building group under the branch of `loc`. */
async function group(w: World, loc: Loc): Promise<string> {
  const [row] = await w.db
    .insert(partyOrgs)
    .values({
      level: 'buildingGroup',
      name: '矩阵党小组',
      parentId: await branch(w, loc),
      orgUnitId: loc.grid.id,
      buildingId: await building(w, loc),
      orgPath: loc.grid.path,
    })
    .returning({ id: partyOrgs.id });
  return (row as { id: string }).id;
}

/** A fresh member of the branch of `loc`; with a home on file when asked (for a 中心户). */
async function member(w: World, loc: Loc, withHome = false): Promise<{ org: string; id: string }> {
  const org = await branch(w, loc);
  let residentId: string | null = null;
  if (withHome) {
    const [h] = await w.db
      .insert(households)
      .values({ code: `M${randomUUID().slice(0, 12)}`, gridId: loc.grid.id, orgPath: loc.grid.path })
      .returning({ id: households.id });
    const idx = randomUUID();
    const [r] = await w.db
      .insert(residents)
      .values({
        name: '矩阵党员',
        idNumberEnc: w.deps.crypto.encrypt(idx),
        idNumberIdx: idx,
        idNumberTail: '0000',
        sex: 'female',
        birthDate: '1960-01-01',
        birthplaceCode: '150203',
        gridId: loc.grid.id,
        orgPath: loc.grid.path,
        householdId: h?.id ?? null,
      })
      .returning({ id: residents.id });
    residentId = r?.id ?? null;
  }
  const [m] = await w.db
    .insert(partyMembers)
    .values({
      partyOrgId: org,
      orgPath: loc.grid.path,
      residentId,
      name: residentId ? null : `矩阵党员${randomUUID().slice(0, 6)}`,
      role: 'member',
    })
    .returning({ id: partyMembers.id });
  return { org, id: (m as { id: string }).id };
}

/** 党组织 on the grid: read by the area's staff, kept by the street and the community. */
export const partyOrgRows: Row[] = [
  {
    route: 'GET /api/party-orgs',
    access: 'partyOrg:read',
    ok: 200,
    hides: hiddenAt((o) => branch(o.w, o.loc)),
  },
  {
    // A building group under the branch of the cell's grid: outside, the parent is a field error.
    route: 'POST /api/party-orgs',
    access: 'partyOrg:manage',
    scope: 'input',
    ok: 201,
    build: async (c) => ({
      payload: {
        level: 'buildingGroup',
        name: '矩阵楼栋党小组',
        parentId: await branch(c.w, c.loc),
        orgUnitId: c.loc.grid.id,
        buildingId: await building(c.w, c.loc),
      },
    }),
  },
  {
    route: 'GET /api/party-orgs/{id}',
    access: 'partyOrg:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/party-orgs/{id}', { id: await branch(c.w, c.loc) }) }),
  },
  {
    route: 'PATCH /api/party-orgs/{id}',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({
      url: at('/api/party-orgs/{id}', { id: await branch(c.w, c.loc) }),
      payload: { name: '矩阵党支部' },
    }),
  },
  {
    route: 'POST /api/party-orgs/{id}/retire',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/party-orgs/{id}/retire', { id: await group(c.w, c.loc) }) }),
  },
  {
    route: 'GET /api/party-orgs/{id}/members',
    access: 'partyOrg:read',
    scope: 'path',
    ok: 200,
    build: async (c) => ({ url: at('/api/party-orgs/{id}/members', { id: await branch(c.w, c.loc) }) }),
  },
  {
    route: 'POST /api/party-orgs/{id}/members',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 201,
    build: async (c) => ({
      url: at('/api/party-orgs/{id}/members', { id: await branch(c.w, c.loc) }),
      payload: { name: `矩阵新党员${randomUUID().slice(0, 6)}` },
    }),
  },
  {
    route: 'PATCH /api/party-orgs/{id}/members/{memberId}',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      const m = await member(c.w, c.loc);
      return {
        url: at('/api/party-orgs/{id}/members/{memberId}', { id: m.org, memberId: m.id }),
        payload: { role: 'committeeMember', inService: true },
      };
    },
  },
  {
    route: 'DELETE /api/party-orgs/{id}/members/{memberId}',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      const m = await member(c.w, c.loc);
      return { url: at('/api/party-orgs/{id}/members/{memberId}', { id: m.org, memberId: m.id }) };
    },
  },
  {
    route: 'POST /api/party-orgs/{id}/households',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 201,
    build: async (c) => {
      const m = await member(c.w, c.loc, true);
      return {
        url: at('/api/party-orgs/{id}/households', { id: m.org }),
        payload: { memberId: m.id, services: ['矩阵服务'] },
      };
    },
  },
  {
    route: 'DELETE /api/party-orgs/{id}/households/{householdId}',
    access: 'partyOrg:manage',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      const m = await member(c.w, c.loc, true);
      const [h] = await c.w.db
        .insert(partyHouseholds)
        .values({
          memberId: m.id,
          partyOrgId: m.org,
          orgPath: c.loc.grid.path,
          householdId: 0,
          services: ['矩阵服务'],
          markedOn: '2026-01-01',
        })
        .returning({ id: partyHouseholds.id });
      return {
        url: at('/api/party-orgs/{id}/households/{householdId}', {
          id: m.org,
          householdId: (h as { id: string }).id,
        }),
      };
    },
  },
  {
    route: 'GET /api/grids/{id}/party-branch',
    access: 'partyOrg:read',
    scope: 'path',
    ok: 200,
    build: async (c) => {
      await branch(c.w, c.loc);
      return { url: at('/api/grids/{id}/party-branch', { id: c.loc.grid.id }) };
    },
  },
];
