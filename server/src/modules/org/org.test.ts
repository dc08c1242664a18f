import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';
import { orgUnits } from './tables.js';

let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;
let admin: Session;
let community: Session;

const gridPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [109.8, 40.6],
      [109.81, 40.6],
      [109.81, 40.61],
      [109.8, 40.61],
      [109.8, 40.6],
    ],
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'], orgUnit: territory.district });
  await makeUser(t.deps, {
    username: 'comm',
    roles: ['communityWorkstation'],
    orgUnit: territory.communities[0],
  });
  admin = await login(t.app, 'admin');
  community = await login(t.app, 'comm');
});
afterAll(() => t.close());

describe('org tree', () => {
  it('returns the nested tree of the jurisdiction', async () => {
    const tree = (await admin.get('/api/org/tree')).json();
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ code: '150203', name: '昆都仑区', level: 'district' });
    expect(tree[0].children.map((s: { level: string }) => s.level)).toEqual(['street', 'street']);
    expect(tree[0].children[0].children[0].children[0].level).toBe('grid');
  });

  it("a community user's tree starts at the community", async () => {
    const tree = (await community.get('/api/org/tree')).json();
    expect(tree).toHaveLength(1);
    expect(tree[0].id).toBe(territory.communities[0]?.id);
    expect(tree[0].children).toHaveLength(2);
  });

  it('a unit carries its code, parent and GeoJSON geometry', async () => {
    const grid = territory.grids[0];
    const res = (await admin.get(`/api/org/units/${grid?.id}`)).json();
    expect(res).toMatchObject({
      id: grid?.id,
      code: grid?.code,
      level: 'grid',
      parentId: territory.communities[0]?.id,
    });
    expect(res.geometry.type).toBe('Polygon');
  });
});

describe('scope', () => {
  it('a community user cannot read or change a grid of another community', async () => {
    const foreign = territory.grids[2]; // belongs to communities[1]
    expect((await community.get(`/api/org/units/${foreign?.id}`)).statusCode).toBe(404);
    expect((await community.get(`/api/org/units/${foreign?.id}/grids`)).statusCode).toBe(404);
    const admin2 = await makeUser(t.deps, {
      username: 'commadmin',
      roles: ['systemAdmin'],
      orgUnit: territory.communities[0],
    });
    expect(admin2.username).toBe('commadmin');
    const s = await login(t.app, 'commadmin');
    const patch = await s.patch(`/api/org/units/${foreign?.id}`, { name: '改名' });
    expect(patch.statusCode).toBe(404);
    const [row] = await t.deps.db
      .select()
      .from(orgUnits)
      .where(eq(orgUnits.id, foreign?.id as number));
    expect(row?.name).not.toBe('改名');
    // …but the same admin may change a grid of their own community.
    expect(
      (await s.patch(`/api/org/units/${territory.grids[0]?.id}`, { householdsTarget: 300 })).statusCode,
    ).toBe(200);
  });

  it('a community workstation without org:write cannot change its own grids', async () => {
    const res = await community.patch(`/api/org/units/${territory.grids[0]?.id}`, { name: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });

  it('a department user sees no org tree', async () => {
    await makeUser(t.deps, {
      username: 'deptuser',
      roles: ['departmentHandler'],
      departmentId: territory.departments[0]?.id as number,
    });
    const s = await login(t.app, 'deptuser');
    expect((await s.get('/api/org/tree')).statusCode).toBe(403);
  });
});

describe('creating, moving and retiring units', () => {
  it('creates a grid with the next 15-digit code and a materialised path', async () => {
    const parent = territory.communities[0];
    const res = await admin.post('/api/org/units', {
      parentId: parent?.id,
      name: '新建网格',
      geometry: gridPolygon,
      householdsTarget: 320,
    });
    expect(res.statusCode).toBe(201);
    const grid = res.json();
    expect(grid.level).toBe('grid');
    expect(grid.code).toBe(`${parent?.code}003`);
    expect(grid.path).toBe(`${parent?.path}${grid.id}/`);
    expect(grid.geometry).toEqual(gridPolygon);
  });

  it('refuses a code that does not start with the parent code, or is taken', async () => {
    const parent = territory.communities[0];
    const bad = await admin.post('/api/org/units', {
      parentId: parent?.id,
      name: 'x',
      code: '150203999999001',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'code', rule: 'orgCode' });
    const taken = await admin.post('/api/org/units', {
      parentId: parent?.id,
      name: 'x',
      code: territory.grids[0]?.code,
    });
    expect(taken.statusCode).toBe(409);
  });

  it('refuses an open polygon ring and names the field', async () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [109.8, 40.6],
          [109.81, 40.6],
          [109.81, 40.61],
          [109.8, 40.61],
        ],
      ],
    };
    const res = await admin.post('/api/org/units', {
      parentId: territory.communities[0]?.id,
      name: 'x',
      geometry: open,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toMatch(/^geometry/);
  });

  it('moves a grid to another community: code and paths follow, and so do its users', async () => {
    const grid = (
      await admin.post('/api/org/units', { parentId: territory.communities[0]?.id, name: '待迁网格' })
    ).json();
    const worker = await makeUser(t.deps, {
      username: 'mover',
      roles: ['gridWorker'],
      orgUnit: {
        ...grid,
        retiredAt: null,
        createdAt: new Date(),
        updatedAt: new Date(),
        geometry: null,
        householdsTarget: null,
      },
    });
    const target = territory.communities[3];
    const res = await admin.post(`/api/org/units/${grid.id}/move`, { parentId: target?.id });
    expect(res.statusCode).toBe(200);
    const moved = res.json();
    expect(moved.parentId).toBe(target?.id);
    expect(moved.path).toBe(`${target?.path}${grid.id}/`);
    expect(moved.code.startsWith(target?.code as string)).toBe(true);
    const [u] = await t.deps.db.select().from(users).where(eq(users.id, worker.id));
    expect(u?.orgPath).toBe(moved.path);
    const wrongLevel = await admin.post(`/api/org/units/${grid.id}/move`, {
      parentId: territory.streets[0]?.id,
    });
    expect(wrongLevel.statusCode).toBe(409);
  });

  it('a street cannot be moved below its own community (no cycles)', async () => {
    const res = await admin.post(`/api/org/units/${territory.streets[0]?.id}/move`, {
      parentId: territory.communities[0]?.id,
    });
    expect(res.statusCode).toBe(409);
  });

  it('retires a grid, but not a community that still has grids', async () => {
    const grid = (
      await admin.post('/api/org/units', { parentId: territory.communities[1]?.id, name: '撤销网格' })
    ).json();
    expect((await admin.post(`/api/org/units/${grid.id}/retire`)).json().retiredAt).not.toBeNull();
    expect((await admin.post(`/api/org/units/${territory.communities[1]?.id}/retire`)).json().code).toBe(
      'ORG_HAS_CHILDREN',
    );
    const tree = (await admin.get('/api/org/tree')).json();
    const ids = JSON.stringify(tree);
    expect(ids).not.toContain(`"id":${grid.id},`);
  });
});

describe('grid teams', () => {
  it('needs exactly one manager and two to five assistants', async () => {
    const grid = territory.grids[1];
    const make = async (name: string) =>
      (await makeUser(t.deps, { username: name, roles: ['gridWorker'], orgUnit: grid })).id;
    const [m, a1, a2, i1] = [await make('tm'), await make('ta1'), await make('ta2'), await make('ti1')];
    const bad = await admin.put(`/api/org/units/${grid?.id}/team`, {
      members: [
        { userId: m, role: 'gridManager' },
        { userId: a1, role: 'gridAssistant' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { rule: string }) => e.rule)).toContain('assistants2to5');
    const ok = await admin.put(`/api/org/units/${grid?.id}/team`, {
      members: [
        { userId: m, role: 'gridManager' },
        { userId: a1, role: 'gridAssistant' },
        { userId: a2, role: 'gridAssistant' },
        { userId: i1, role: 'gridInformant' },
      ],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().team).toHaveLength(4);
  });
});

describe('departments', () => {
  it('lists departments for any signed-in user and lets the system admin add one', async () => {
    const list = (await community.get('/api/departments')).json();
    expect(list.items.map((d: { name: string }) => d.name)).toEqual(['城管', '住建']);
    expect((await community.post('/api/departments', { code: 'minzheng', name: '民政' })).statusCode).toBe(
      403,
    );
    const created = await admin.post('/api/departments', { code: 'minzheng', name: '民政' });
    expect(created.statusCode).toBe(201);
    expect((await admin.post('/api/departments', { code: 'minzheng', name: '民政2' })).statusCode).toBe(409);
  });
});
