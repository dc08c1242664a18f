import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { buildings, households, housingUnits } from '../places/tables.js';
import { residents } from '../residents/tables.js';
import { partyMembers, partyOrgs } from './partyOrgTables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let wide: Session;
let community: Session;
let otherStreetCommunity: Session;
let district: Session;
let gridWorker: Session;
let b1: number;
let b2: number;
/** Residents: two in grid 0 (with homes), one in grid 2 (the community's other grid's neighbour), one in another street. */
const people: Record<'wang' | 'li' | 'far' | 'away', string> = { wang: '', li: '', far: '', away: '' };
let ids: { committee: string; communityOrg: string; branch: string; group: string };

let serial = 0;
let buildingSerial = 0;
async function resident(name: string, gridIdx: number, buildingId: number | null) {
  const grid = t.grids[gridIdx];
  if (!grid) throw new Error('territory');
  const { db, crypto } = ctx.deps;
  serial++;
  const first17 = `150203197001${String(serial).padStart(2, '0')}00${serial % 10}`;
  const id = first17 + idNumberCheckChar(first17);
  let householdId: number | null = null;
  if (buildingId !== null) {
    const [u] = await db
      .insert(housingUnits)
      .values({
        code: `HU${serial}`,
        buildingId,
        unitNo: 2,
        floor: 5,
        room: `0${serial}`,
        orgPath: grid.path,
      })
      .returning();
    const [h] = await db
      .insert(households)
      .values({ code: `HH${serial}`, housingUnitId: u?.id, gridId: grid.id, orgPath: grid.path })
      .returning();
    householdId = h?.id ?? null;
  }
  const [r] = await db
    .insert(residents)
    .values({
      name,
      idNumberEnc: crypto.encrypt(id),
      idNumberIdx: crypto.blindIndex(id),
      idNumberTail: id.slice(-4),
      phoneEnc: crypto.encrypt(`1390472${String(1000 + serial)}`),
      phoneIdx: crypto.blindIndex(`1390472${String(1000 + serial)}`),
      sex: 'male',
      birthDate: '1970-01-01',
      birthplaceCode: '150203',
      gridId: grid.id,
      orgPath: grid.path,
      householdId,
      relationToHead: householdId ? '户主' : null,
    })
    .returning({ id: residents.id });
  return r?.id as string;
}

async function building(gridIdx: number, name: string) {
  const grid = t.grids[gridIdx];
  if (!grid) throw new Error('territory');
  const [b] = await ctx.deps.db
    .insert(buildings)
    .values({
      code: `${grid.code}${String(++buildingSerial).padStart(3, '0')}`,
      name,
      address: `包头市昆都仑区测试路1号${name}`,
      gridId: grid.id,
      orgPath: grid.path,
      lng: 109.8,
      lat: 40.6,
    })
    .returning();
  return b?.id as number;
}

const created = (r: LightMyRequestResponse) => {
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
};
/** A 4xx problem+json naming `field`, in Chinese. */
function refused(r: LightMyRequestResponse, status: number, field: string, code?: string) {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  const body = r.json();
  expect(body.errors?.[0]?.field, r.body).toBe(field);
  expect(body.errors[0].message).toMatch(/[\u4e00-\u9fa5]/);
  if (code) expect(body.code).toBe(code);
}
const orgCount = async () => Number((await ctx.deps.db.select({ n: count() }).from(partyOrgs))[0]?.n);

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [s1] = t.streets;
  const [c1, , c3] = t.communities;
  const [g0] = t.grids;
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: s1 });
  await makeUser(ctx.deps, { username: 'wide', roles: ['streetCentre'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: g0 });
  [street, wide, community, otherStreetCommunity, district, gridWorker] = (await Promise.all(
    ['street', 'wide', 'comm', 'comm3', 'dist', 'gw'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session, Session];
  b1 = await building(0, '1号楼');
  b2 = await building(1, '9号楼');
  people.wang = await resident('王建国', 0, b1);
  people.li = await resident('李红梅', 0, b1);
  people.far = await resident('赵远方', 2, null);
  people.away = await resident('钱别处', 5, null);
}, 240_000);
afterAll(() => ctx?.close());

describe('党组织 tree', () => {
  it('builds the levels one below the other, each bound inside its parent’s area', async () => {
    const s1 = t.streets[0]?.id;
    const committee = created(
      await street.post('/api/party-orgs', {
        level: 'streetCommittee',
        name: '测试1街道党工委',
        orgUnitId: s1,
      }),
    );
    const communityOrg = created(
      await street.post('/api/party-orgs', {
        level: 'communityOrg',
        name: '测试1-1社区党委',
        parentId: committee,
        orgUnitId: t.communities[0]?.id,
      }),
    );
    // The community keeps what is below it.
    const branch = created(
      await community.post('/api/party-orgs', {
        level: 'gridBranch',
        name: '第一网格党支部',
        parentId: communityOrg,
        orgUnitId: t.grids[0]?.id,
        foundedOn: '2021-07-01',
      }),
    );
    const group = await community.post('/api/party-orgs', {
      level: 'buildingGroup',
      name: '1号楼党小组',
      parentId: branch,
      orgUnitId: t.grids[0]?.id,
      buildingId: b1,
    });
    ids = { committee, communityOrg, branch, group: created(group) };
    expect(group.json()).toMatchObject({
      level: 'buildingGroup',
      parentName: '第一网格党支部',
      buildingName: '1号楼',
      orgUnitName: t.grids[0]?.name,
      members: 0,
      secretary: null,
    });
    const detail = (await street.get(`/api/party-orgs/${communityOrg}`)).json();
    expect(detail.children).toEqual([expect.objectContaining({ id: branch, level: 'gridBranch' })]);
  });

  it('refuses a wrong level, a unit of the wrong kind or outside the parent, a stray building — naming the field, writing nothing', async () => {
    const before = await orgCount();
    // A branch straight under the street committee skips a level.
    refused(
      await street.post('/api/party-orgs', {
        level: 'gridBranch',
        name: '越级支部',
        parentId: ids.committee,
        orgUnitId: t.grids[1]?.id,
      }),
      400,
      'level',
      'PARTY_ORG_LEVEL',
    );
    // The top level has no parent; every other one needs one.
    refused(
      await street.post('/api/party-orgs', {
        level: 'streetCommittee',
        name: '重复党工委',
        parentId: ids.committee,
        orgUnitId: t.streets[0]?.id,
      }),
      400,
      'level',
    );
    refused(
      await community.post('/api/party-orgs', {
        level: 'gridBranch',
        name: '无上级支部',
        orgUnitId: t.grids[1]?.id,
      }),
      400,
      'parentId',
    );
    // A community organization bound to a grid.
    refused(
      await street.post('/api/party-orgs', {
        level: 'communityOrg',
        name: '错绑社区党委',
        parentId: ids.committee,
        orgUnitId: t.grids[1]?.id,
      }),
      400,
      'orgUnitId',
      'PARTY_ORG_UNIT_LEVEL',
    );
    // A community of the other street, by someone whose jurisdiction holds both.
    refused(
      await wide.post('/api/party-orgs', {
        level: 'communityOrg',
        name: '跨街道社区党委',
        parentId: ids.committee,
        orgUnitId: t.communities[2]?.id,
      }),
      400,
      'orgUnitId',
      'PARTY_ORG_UNIT_OUTSIDE',
    );
    // A grid of the neighbouring community under this community's organization.
    refused(
      await wide.post('/api/party-orgs', {
        level: 'gridBranch',
        name: '跨社区支部',
        parentId: ids.communityOrg,
        orgUnitId: t.grids[2]?.id,
      }),
      400,
      'orgUnitId',
      'PARTY_ORG_UNIT_OUTSIDE',
    );
    // A building group on a building of another grid, and one without a building.
    refused(
      await community.post('/api/party-orgs', {
        level: 'buildingGroup',
        name: '9号楼党小组',
        parentId: ids.branch,
        orgUnitId: t.grids[0]?.id,
        buildingId: b2,
      }),
      400,
      'buildingId',
      'PARTY_ORG_BUILDING',
    );
    refused(
      await community.post('/api/party-orgs', {
        level: 'buildingGroup',
        name: '无楼党小组',
        parentId: ids.branch,
        orgUnitId: t.grids[0]?.id,
      }),
      400,
      'buildingId',
    );
    // Bad input: a level that does not exist, a name too short.
    refused(
      await community.post('/api/party-orgs', { level: 'cell', name: '党', orgUnitId: 1 }),
      400,
      'level',
    );
    // The same grid twice: 409 naming the unit.
    refused(
      await community.post('/api/party-orgs', {
        level: 'gridBranch',
        name: '第一网格第二支部',
        parentId: ids.communityOrg,
        orgUnitId: t.grids[0]?.id,
      }),
      409,
      'orgUnitId',
      'PARTY_ORG_DUPLICATE',
    );
    expect(await orgCount()).toBe(before);
  });

  it('a burst of the same new branch sets it up once', async () => {
    const before = await orgCount();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        community.post('/api/party-orgs', {
          level: 'gridBranch',
          name: '第二网格党支部',
          parentId: ids.communityOrg,
          orgUnitId: t.grids[1]?.id,
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await orgCount()).toBe(before + 1);
  });

  it('is scoped: another street sees nothing (404), read-only roles may read but not write (403)', async () => {
    const tree = (await community.get('/api/party-orgs')).json();
    // The community sees its own organization at the root (the street committee is above it).
    expect(tree.items.map((n: { id: string }) => n.id)).toEqual([ids.communityOrg]);
    expect(tree.items[0].children.map((n: { name: string }) => n.name).sort()).toEqual([
      '第一网格党支部',
      '第二网格党支部',
    ]);
    expect((await street.get('/api/party-orgs')).json().items[0].id).toBe(ids.committee);
    expect((await otherStreetCommunity.get('/api/party-orgs')).json().items).toEqual([]);
    expect((await otherStreetCommunity.get(`/api/party-orgs/${ids.branch}`)).statusCode).toBe(404);
    expect((await otherStreetCommunity.get(`/api/grids/${t.grids[0]?.id}/party-branch`)).statusCode).toBe(
      404,
    );
    expect((await otherStreetCommunity.get(`/api/party-orgs/${ids.branch}/members`)).statusCode).toBe(404);
    expect(
      (await otherStreetCommunity.post(`/api/party-orgs/${ids.branch}/members`, { name: '外人' })).statusCode,
    ).toBe(404);
    expect(
      (await otherStreetCommunity.patch(`/api/party-orgs/${ids.branch}`, { name: '改名' })).statusCode,
    ).toBe(404);
    // The district and the grid worker read; neither writes.
    expect((await district.get(`/api/party-orgs/${ids.branch}`)).statusCode).toBe(200);
    expect((await gridWorker.get(`/api/grids/${t.grids[0]?.id}/party-branch`)).statusCode).toBe(200);
    for (const s of [district, gridWorker]) {
      expect((await s.post(`/api/party-orgs/${ids.branch}/members`, { name: '某党员' })).statusCode).toBe(
        403,
      );
      expect((await s.patch(`/api/party-orgs/${ids.branch}`, { name: '改名支部' })).statusCode).toBe(403);
      expect((await s.post(`/api/party-orgs/${ids.group}/retire`)).statusCode).toBe(403);
    }
    // The grid worker's jurisdiction is his grid: the community's other grid is not there.
    expect((await gridWorker.get(`/api/grids/${t.grids[1]?.id}/party-branch`)).statusCode).toBe(404);
    // A grid with no branch: null, not an error.
    expect((await wide.get(`/api/grids/${t.grids[6]?.id}/party-branch`)).json()).toMatchObject({
      branch: null,
    });
  });
});

describe('党员', () => {
  it('links members to their resident files (name and home from there, phone masked), or takes a name', async () => {
    const sec = await community.post(`/api/party-orgs/${ids.branch}/members`, {
      residentId: people.wang,
      role: 'secretary',
      joinedOn: '1995-07-01',
    });
    expect(sec.statusCode, sec.body).toBe(201);
    expect(sec.json()).toMatchObject({
      name: '王建国',
      residentId: people.wang,
      role: 'secretary',
      household: false,
    });
    expect(sec.json().phone).toMatch(/^139\*{4}\d{4}$/);
    expect(sec.json().address).toBe('1号楼2单元5层501室');
    // The name and phone stay on the resident file only.
    const [row] = await ctx.deps.db.select().from(partyMembers).where(eq(partyMembers.id, sec.json().id));
    expect(row?.name).toBeNull();
    const plain = await community.post(`/api/party-orgs/${ids.group}/members`, {
      name: '张未登记',
      role: 'groupLeader',
      inService: true,
    });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ name: '张未登记', residentId: null, phone: null, inService: true });
    const detail = (await community.get(`/api/party-orgs/${ids.branch}`)).json();
    expect(detail.secretary).toEqual({ id: sec.json().id, name: '王建国' });
    expect(detail.members).toBe(1);
  });

  it('refuses a resident outside the organization’s area, a second membership, a second secretary, an empty member', async () => {
    const before = Number((await ctx.deps.db.select({ n: count() }).from(partyMembers))[0]?.n);
    refused(
      await community.post(`/api/party-orgs/${ids.branch}/members`, { residentId: people.far }),
      400,
      'residentId',
      'PARTY_MEMBER_RESIDENT',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.branch}/members`, { residentId: people.away }),
      400,
      'residentId',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.group}/members`, { residentId: people.wang }),
      409,
      'residentId',
      'PARTY_MEMBER_DUPLICATE',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.branch}/members`, {
        residentId: people.li,
        role: 'secretary',
      }),
      409,
      'role',
      'PARTY_MEMBER_SECRETARY',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.branch}/members`, { role: 'member' }),
      400,
      'residentId',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.branch}/members`, {
        residentId: people.li,
        role: 'chairman',
      }),
      400,
      'role',
    );
    expect(Number((await ctx.deps.db.select({ n: count() }).from(partyMembers))[0]?.n)).toBe(before);
  });

  it('a burst of the same member adds him once; the list finds him by name', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        community.post(`/api/party-orgs/${ids.group}/members`, { residentId: people.li }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const list = (
      await community.get(`/api/party-orgs/${ids.group}/members?q=${encodeURIComponent('李红')}`)
    ).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ name: '李红梅', residentId: people.li });
    const all = (await community.get(`/api/party-orgs/${ids.group}/members`)).json();
    // The group leader before the members.
    expect(all.items.map((m: { name: string }) => m.name)).toEqual(['张未登记', '李红梅']);
  });

  it('removes a member softly, once; his 中心户 mark goes with him', async () => {
    const m = created(await community.post(`/api/party-orgs/${ids.branch}/members`, { name: '周调走' }));
    const gone = await Promise.all(
      [1, 2, 3].map(() => community.del(`/api/party-orgs/${ids.branch}/members/${m}`)),
    );
    expect(gone.map((g) => g.statusCode).sort()).toEqual([200, 404, 404]);
    expect(gone.find((g) => g.statusCode === 200)?.json().removedAt).toBeTruthy();
    const [row] = await ctx.deps.db.select().from(partyMembers).where(eq(partyMembers.id, m));
    expect(row?.removedAt).not.toBeNull();
    expect((await community.get(`/api/party-orgs/${ids.branch}/members?q=周`)).json().total).toBe(0);
  });
});

describe('党员中心户', () => {
  let liMember: string;
  let mark: string;

  it('marks a member’s household under his group, shows it in the tree, the detail and on the grid', async () => {
    liMember = (await community.get(`/api/party-orgs/${ids.group}/members?q=李`)).json().items[0].id;
    const res = await community.post(`/api/party-orgs/${ids.group}/households`, {
      memberId: liMember,
      services: ['政策宣传', '邻里调解'],
      neighbours: 12,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      memberName: '李红梅',
      address: '1号楼2单元5层502室',
      services: ['政策宣传', '邻里调解'],
      neighbours: 12,
    });
    mark = res.json().id;
    const branchNode = (await community.get('/api/party-orgs'))
      .json()
      .items[0].children.find((n: { id: string }) => n.id === ids.branch);
    expect(branchNode.children[0].households.map((h: { id: string }) => h.id)).toEqual([mark]);
    // The community organization's detail holds the 中心户 of everything below it.
    expect((await community.get(`/api/party-orgs/${ids.communityOrg}`)).json().households).toHaveLength(1);
    const grid = (await gridWorker.get(`/api/grids/${t.grids[0]?.id}/party-branch`)).json();
    expect(grid.branch).toMatchObject({ id: ids.branch, secretary: { name: '王建国' } });
    expect(grid.branch.households[0]).toMatchObject({ memberName: '李红梅' });
    expect(grid.branch.children).toEqual([expect.objectContaining({ name: '1号楼党小组', members: 2 })]);
    const members = (await community.get(`/api/party-orgs/${ids.group}/members?q=李`)).json();
    expect(members.items[0].household).toBe(true);
  });

  it('refuses a second mark, a member without a home on file, another organization’s member, a community-level mark', async () => {
    const again = await Promise.all(
      [1, 2].map(() =>
        community.post(`/api/party-orgs/${ids.group}/households`, { memberId: liMember, services: ['帮扶'] }),
      ),
    );
    for (const a of again) refused(a, 409, 'memberId', 'PARTY_HOUSEHOLD_DUPLICATE');
    const zhang = (await community.get(`/api/party-orgs/${ids.group}/members?q=张`)).json().items[0].id;
    refused(
      await community.post(`/api/party-orgs/${ids.group}/households`, {
        memberId: zhang,
        services: ['帮扶'],
      }),
      400,
      'memberId',
      'PARTY_HOUSEHOLD_HOME',
    );
    const wang = (await community.get(`/api/party-orgs/${ids.branch}/members`)).json().items[0].id;
    refused(
      await community.post(`/api/party-orgs/${ids.group}/households`, { memberId: wang, services: ['帮扶'] }),
      400,
      'memberId',
      'PARTY_HOUSEHOLD_MEMBER',
    );
    refused(
      await community.post(`/api/party-orgs/${ids.group}/households`, { memberId: liMember, services: [] }),
      400,
      'services',
    );
    const level = await community.post(`/api/party-orgs/${ids.communityOrg}/households`, {
      memberId: wang,
      services: ['帮扶'],
    });
    expect(level.statusCode).toBe(409);
    expect(level.json().code).toBe('PARTY_HOUSEHOLD_LEVEL');
  });

  it('unmarks once; the audit trail names no one', async () => {
    const res = await Promise.all(
      [1, 2].map(() => community.del(`/api/party-orgs/${ids.group}/households/${mark}`)),
    );
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 404]);
    expect((await community.get(`/api/party-orgs/${ids.communityOrg}`)).json().households).toEqual([]);
    const trail = await queryRows<{ action: string; payload: unknown }>(
      ctx.deps.db,
      sql`select action, payload from audit_log where action like 'party%'`,
    );
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'partyOrg.created',
        'partyMember.added',
        'partyHousehold.marked',
        'partyHousehold.unmarked',
      ]),
    );
    expect(JSON.stringify(trail)).not.toMatch(/王建国|李红梅|张未登记|1390472/);
  });
});

describe('撤销党组织', () => {
  it('refuses one with members or organizations under it, dissolves an empty one softly', async () => {
    refused(await community.patch(`/api/party-orgs/${ids.branch}`, {}), 400, 'name');
    const renamed = await community.patch(`/api/party-orgs/${ids.branch}`, {
      name: '第一网格（阳光小区）党支部',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('第一网格（阳光小区）党支部');
    const busy = await community.post(`/api/party-orgs/${ids.branch}/retire`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('PARTY_ORG_NOT_EMPTY');
    const empty = created(
      await community.post('/api/party-orgs', {
        level: 'buildingGroup',
        name: `临时党小组${randomUUID().slice(0, 4)}`,
        parentId: ids.branch,
        orgUnitId: t.grids[0]?.id,
        buildingId: await building(0, '2号楼'),
      }),
    );
    const gone = await Promise.all([1, 2].map(() => community.post(`/api/party-orgs/${empty}/retire`)));
    expect(gone.map((g) => g.statusCode).sort()).toEqual([200, 409]);
    expect((await community.get(`/api/party-orgs/${ids.branch}`)).json().children).toHaveLength(1);
    const late = await community.post(`/api/party-orgs/${empty}/members`, { name: '迟到党员' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('PARTY_ORG_RETIRED');
  });
});

describe('修改党员', () => {
  const roleOf = async (id: string) =>
    (await ctx.deps.db.select().from(partyMembers).where(eq(partyMembers.id, id)))[0];
  const updates = async () =>
    (
      await queryRows<{ n: number }>(
        ctx.deps.db,
        sql`select count(*)::int as n from audit_log where action = 'partyMember.updated'`,
      )
    )[0]?.n ?? 0;
  let sun: string;

  it('changes a member’s role, joining date and service, and a name not on file; audited without names', async () => {
    sun = created(await community.post(`/api/party-orgs/${ids.branch}/members`, { name: '孙改职' }));
    const res = await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, {
      role: 'deputySecretary',
      joinedOn: '2001-07-01',
      inService: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: sun,
      name: '孙改职',
      role: 'deputySecretary',
      joinedOn: '2001-07-01',
      inService: true,
    });
    const renamed = await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, {
      name: '孙改正',
      joinedOn: null,
    });
    expect(renamed.json()).toMatchObject({ name: '孙改正', joinedOn: null, role: 'deputySecretary' });
    // A NUL byte or another control character in the name: 400 naming it, nothing changed.
    for (const bad of ['孙\u0000改', '孙\u0007改'] as const) {
      const refused = await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, { name: bad });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ field: 'name' });
    }
    const [entry] = await queryRows<{ payload: Record<string, unknown>; target_id: string }>(
      ctx.deps.db,
      sql`select payload, target_id from audit_log where action = 'partyMember.updated' order by id limit 1`,
    );
    expect(entry).toMatchObject({
      target_id: sun,
      payload: {
        partyOrgId: ids.branch,
        fields: ['role', 'joinedOn', 'inService'],
        fromRole: 'member',
        toRole: 'deputySecretary',
      },
    });
    expect(JSON.stringify(entry)).not.toMatch(/孙/);
  });

  it('refuses a second secretary, the name of a member on file, an empty or bad change — naming the field, writing nothing', async () => {
    const before = await updates();
    const wang = (await community.get(`/api/party-orgs/${ids.branch}/members?role=secretary`)).json()
      .items[0];
    expect(wang.name).toBe('王建国');
    refused(
      await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, { role: 'secretary' }),
      409,
      'role',
      'PARTY_MEMBER_SECRETARY',
    );
    expect((await roleOf(sun))?.role).toBe('deputySecretary');
    refused(
      await community.patch(`/api/party-orgs/${ids.branch}/members/${wang.id}`, { name: '王改名' }),
      400,
      'name',
      'PARTY_MEMBER_NAME_ON_FILE',
    );
    refused(await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, {}), 400, 'role');
    refused(
      await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, { role: 'chairman' }),
      400,
      'role',
    );
    refused(
      await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, { joinedOn: '2001/07/01' }),
      400,
      'joinedOn',
    );
    const other = created(await community.post(`/api/party-orgs/${ids.branch}/members`, { name: '孙同名' }));
    refused(
      await community.patch(`/api/party-orgs/${ids.branch}/members/${other}`, { name: '孙改正' }),
      409,
      'name',
      'PARTY_MEMBER_DUPLICATE',
    );
    expect((await roleOf(other))?.name).toBe('孙同名');
    expect(await updates()).toBe(before);
    // Standing the secretary down first, the deputy may take his place; the secretary stays one.
    expect(
      (await community.patch(`/api/party-orgs/${ids.branch}/members/${wang.id}`, { role: 'member' }))
        .statusCode,
    ).toBe(200);
    const up = await community.patch(`/api/party-orgs/${ids.branch}/members/${sun}`, { role: 'secretary' });
    expect(up.statusCode, up.body).toBe(200);
    expect((await community.get(`/api/party-orgs/${ids.branch}`)).json().secretary).toEqual({
      id: sun,
      name: '孙改正',
    });
  });

  it('a parallel burst of two promotions to secretary leaves exactly one', async () => {
    const members = (await community.get(`/api/party-orgs/${ids.group}/members`)).json().items as {
      id: string;
      role: string;
    }[];
    expect(members.some((m) => m.role === 'secretary')).toBe(false);
    const [a, b] = members;
    const answers = await Promise.all(
      [a, b].map((m) =>
        community.patch(`/api/party-orgs/${ids.group}/members/${m?.id}`, { role: 'secretary' }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    refused(answers.find((r) => r.statusCode === 409) as LightMyRequestResponse, 409, 'role');
    const live = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from party_members
          where party_org_id = ${ids.group} and role = 'secretary' and removed_at is null`,
    );
    expect(live[0]?.n).toBe(1);
  });

  it('is scoped (another street, another organization’s member, a removed one: 404) and read-only roles may not (403)', async () => {
    const before = await updates();
    const url = `/api/party-orgs/${ids.branch}/members/${sun}`;
    expect((await otherStreetCommunity.patch(url, { inService: false })).statusCode).toBe(404);
    const inGroup = (await community.get(`/api/party-orgs/${ids.group}/members`)).json().items[0].id;
    expect(
      (await community.patch(`/api/party-orgs/${ids.branch}/members/${inGroup}`, { inService: false }))
        .statusCode,
    ).toBe(404);
    const gone = created(await community.post(`/api/party-orgs/${ids.branch}/members`, { name: '钱已转出' }));
    expect((await community.del(`/api/party-orgs/${ids.branch}/members/${gone}`)).statusCode).toBe(200);
    expect(
      (await community.patch(`/api/party-orgs/${ids.branch}/members/${gone}`, { role: 'member' })).statusCode,
    ).toBe(404);
    for (const s of [district, gridWorker])
      expect((await s.patch(url, { role: 'member' })).statusCode).toBe(403);
    expect((await roleOf(sun))?.role).toBe('secretary');
    expect(await updates()).toBe(before);
  });
});
