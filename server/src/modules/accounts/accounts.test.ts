import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session, testPassword } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from './tables.js';

let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;
let security: Session;

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, { username: 'security', roles: ['securityAdmin'], orgUnit: territory.district });
  security = await login(t.app, 'security');
});
afterAll(() => t.close());

describe('users', () => {
  it('creates an account that must change its password, with its phone encrypted and masked', async () => {
    const res = await security.post('/api/users', {
      username: 'wang.gw',
      displayName: '王网格',
      phone: '13812345678',
      password: 'Init#2026pw',
      orgUnitId: territory.grids[0]?.id,
      roles: ['gridWorker'],
    });
    expect(res.statusCode).toBe(201);
    const u = res.json();
    expect(u).toMatchObject({
      username: 'wang.gw',
      mustChangePassword: true,
      roles: ['gridWorker'],
      phone: '138****5678',
    });
    const stored = await queryRows(t.deps.db, sql`select phone_enc from users where username = 'wang.gw'`);
    expect(JSON.stringify(stored)).not.toContain('13812345678');
    const s = await login(t.app, 'wang.gw', 'Init#2026pw');
    expect((await s.get('/api/me')).json().mustChangePassword).toBe(true);
  });

  it('names each bad field', async () => {
    const res = await security.post('/api/users', {
      username: 'x',
      displayName: '',
      password: 'weak',
      roles: [],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'displayName', 'roles']));
  });

  it('refuses a weak password and an unknown role', async () => {
    const base = {
      username: 'li.gw',
      displayName: '李',
      orgUnitId: territory.grids[0]?.id,
      roles: ['gridWorker'],
    };
    expect(
      (await security.post('/api/users', { ...base, password: 'password1' })).json().errors[0].field,
    ).toBe('password');
    expect(
      (await security.post('/api/users', { ...base, password: 'Init#2026pw', roles: ['nope'] })).json()
        .errors[0].field,
    ).toBe('roles');
  });

  it('keeps the three administrator roles in separate hands', async () => {
    const res = await security.post('/api/users', {
      username: 'superman',
      displayName: '全能',
      password: 'Init#2026pw',
      orgUnitId: territory.district.id,
      roles: ['systemAdmin', 'auditAdmin'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUTIES_COMBINED');
    expect(res.json().errors[0]).toMatchObject({ field: 'roles', rule: 'separationOfDuties' });
    expect(res.json().errors[0].message).toContain('audit:read');
  });

  it('resets a password (forcing a change) and unlocks; disabling ends sessions', async () => {
    const u = await makeUser(t.deps, {
      username: 'victim',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    const s = await login(t.app, 'victim');
    expect(
      (await security.post(`/api/users/${u.id}/reset-password`, { password: 'Reset#2026pw' })).statusCode,
    ).toBe(204);
    expect((await s.get('/api/me')).statusCode).toBe(401);
    const s2 = await login(t.app, 'victim', 'Reset#2026pw');
    expect((await s2.get('/api/me')).json().mustChangePassword).toBe(true);
    expect((await security.patch(`/api/users/${u.id}`, { disabled: true })).json().disabled).toBe(true);
    expect((await s2.get('/api/me')).statusCode).toBe(401);
  });

  it("a community's security admin manages only that community's accounts", async () => {
    await makeUser(t.deps, {
      username: 'commsec',
      roles: ['securityAdmin'],
      orgUnit: territory.communities[0],
    });
    const s = await login(t.app, 'commsec');
    const other = await makeUser(t.deps, {
      username: 'faraway',
      roles: ['gridWorker'],
      orgUnit: territory.grids[2],
    });
    expect((await s.get(`/api/users/${other.id}`)).statusCode).toBe(404);
    const list = (await s.get('/api/users?pageSize=200')).json();
    // The security admin is in its own community: an empty list would pass the check below.
    expect(list.items.length).toBeGreaterThan(0);
    expect(
      list.items.every((x: { orgUnitId: number }) =>
        [territory.communities[0]?.id, territory.grids[0]?.id, territory.grids[1]?.id].includes(x.orgUnitId),
      ),
    ).toBe(true);
    const outside = await s.post('/api/users', {
      username: 'sneaky',
      displayName: 'x',
      password: 'Init#2026pw',
      orgUnitId: territory.grids[2]?.id,
      roles: ['gridWorker'],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('orgUnitId');
  });

  it('pages and searches the user list', async () => {
    const page = (await security.get('/api/users?page=1&pageSize=2')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    const found = (await security.get('/api/users?q=wang')).json();
    expect(found.items.map((u: { username: string }) => u.username)).toEqual(['wang.gw']);
    expect((await security.get('/api/users?pageSize=201')).statusCode).toBe(400);
  });

  it('reveals a staff phone only to a holder of user:read and pii:reveal, in scope, and audits it', async () => {
    const u = await makeUser(t.deps, {
      username: 'phoneowner',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    await t.deps.db
      .update(users)
      .set({ phoneEnc: t.deps.crypto.encrypt('13900001111') })
      .where(eq(users.id, u.id));
    const reveals = () =>
      t.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'pii.revealed'), eq(auditLog.targetId, u.id)));
    // The security admin reads accounts but reveals nothing.
    expect((await security.post(`/api/users/${u.id}/reveal`)).statusCode).toBe(403);
    // The command centre reveals residents' data, not staff phones (the issue: admin, auditor, dept).
    await makeUser(t.deps, { username: 'leader', roles: ['districtCommand'], orgUnit: territory.district });
    const leader = await login(t.app, 'leader');
    const refused = await leader.post(`/api/users/${u.id}/reveal`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('13900001111');
    expect(await reveals()).toHaveLength(0);
    // A staff office holding both reveals it, audited, inside its jurisdiction only.
    await security.post('/api/roles', {
      code: 'staffOffice',
      name: '人事',
      permissions: ['user:read', 'pii:reveal'],
    });
    await makeUser(t.deps, { username: 'hr', roles: ['staffOffice'], orgUnit: territory.district });
    await makeUser(t.deps, { username: 'hr2', roles: ['staffOffice'], orgUnit: territory.communities[1] });
    const hr = await login(t.app, 'hr');
    expect((await hr.post(`/api/users/${u.id}/reveal`)).json()).toEqual({ phone: '13900001111' });
    expect(await reveals()).toHaveLength(1);
    const hr2 = await login(t.app, 'hr2');
    expect((await hr2.post(`/api/users/${u.id}/reveal`)).statusCode).toBe(404);
    expect(await reveals()).toHaveLength(1);
  });
});

describe('roles', () => {
  it('creates a custom role from known permissions; built-in roles only toggle 2FA', async () => {
    const created = await security.post('/api/roles', {
      code: 'hotlineOperator',
      name: '热线坐席',
      permissions: ['case:read', 'case:report'],
    });
    expect(created.statusCode).toBe(201);
    expect(
      (await security.post('/api/roles', { code: 'bad', name: 'x', permissions: ['case:fly'] })).statusCode,
    ).toBe(400);
    const roles = (await security.get('/api/roles')).json().items;
    const grid = roles.find((r: { code: string }) => r.code === 'gridWorker');
    expect((await security.patch(`/api/roles/${grid.id}`, { permissions: ['case:read'] })).statusCode).toBe(
      409,
    );
    expect((await security.patch(`/api/roles/${grid.id}`, { totpRequired: true })).json().totpRequired).toBe(
      true,
    );
    await security.patch(`/api/roles/${grid.id}`, { totpRequired: false });
    expect((await security.del(`/api/roles/${grid.id}`)).statusCode).toBe(409);
    expect((await security.del(`/api/roles/${created.json().id}`)).statusCode).toBe(204);
  });

  it('lists roles only to those who keep roles or give them to accounts', async () => {
    for (const [username, role] of [
      ['res1', 'resident'],
      ['gw1', 'gridWorker'],
      ['cmd1', 'districtCommand'],
    ] as const) {
      await makeUser(t.deps, { username, roles: [role], orgUnit: territory.grids[0] });
      const res = await (await login(t.app, username)).get('/api/roles');
      expect(res.statusCode, username).toBe(403);
      expect(res.body).not.toContain('permissions');
    }
    expect((await security.get('/api/roles')).statusCode).toBe(200);
    await makeUser(t.deps, { username: 'auditor', roles: ['auditAdmin'], orgUnit: territory.district });
    expect((await (await login(t.app, 'auditor')).get('/api/roles')).statusCode).toBe(403);
  });

  it('only the security admin manages roles', async () => {
    await makeUser(t.deps, { username: 'sysadmin', roles: ['systemAdmin'], orgUnit: territory.district });
    const s = await login(t.app, 'sysadmin', testPassword);
    expect((await s.post('/api/roles', { code: 'x1', name: 'x', permissions: [] })).statusCode).toBe(403);
    expect((await s.get('/api/users')).statusCode).toBe(403);
    expect((await s.get('/api/audit-log')).statusCode).toBe(403);
  });
});
