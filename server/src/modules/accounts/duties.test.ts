import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { totpAt } from '../../platform/auth/totp.js';
import { ensureBuiltIns } from '../../seed/builtIns.js';
import { login, makeTerritory, makeUser, type Session, testPassword } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { roles, users } from './tables.js';

/** 三员分立 over permissions, administrators' accounts out of the console's reach, 2FA for them. */
let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;
let security: Session;
let securityId: string;

type Problem = { code: string; errors?: { field: string; rule: string; message: string }[] };

const roleByCode = async (code: string) => {
  const [r] = await t.deps.db.select().from(roles).where(eq(roles.code, code));
  return r;
};
const userByName = async (username: string) => {
  const [u] = await t.deps.db.select().from(users).where(eq(users.username, username));
  return u;
};
const newUser = (username: string, userRoles: string[]) => ({
  username,
  displayName: '新账号',
  password: 'Init#2026pw',
  orgUnitId: territory.district.id,
  roles: userRoles,
});

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
  securityId = (
    await makeUser(t.deps, { username: 'security', roles: ['securityAdmin'], orgUnit: territory.district })
  ).id;
  security = await login(t.app, 'security');
});
afterAll(() => t.close());

describe('separation of duties, over permissions', () => {
  it("refuses the issue's attack at its first step: a role joining audit, security and data access", async () => {
    const res = await security.post('/api/roles', {
      code: 'shadow',
      name: '影子',
      permissions: ['audit:read', 'user:write', 'role:write', 'pii:reveal', 'resident:read'],
    });
    expect(res.statusCode).toBe(409);
    const p = res.json() as Problem;
    expect(p.code).toBe('DUTIES_COMBINED');
    expect(p.errors?.[0]).toMatchObject({ field: 'permissions', rule: 'separationOfDuties' });
    for (const perm of ['audit:read', 'user:write', 'role:write', 'pii:reveal'])
      expect(p.errors?.[0]?.message).toContain(perm);
    expect(await roleByCode('shadow')).toBeUndefined();
  });

  it('refuses a role that puts pii:reveal beside any one duty', async () => {
    for (const [code, duty] of [
      ['grantAndSee', 'user:write'],
      ['watchAndSee', 'audit:read'],
      ['shapeAndSee', 'org:write'],
    ] as const) {
      const res = await security.post('/api/roles', {
        code,
        name: code,
        permissions: [duty, 'pii:reveal', 'resident:read'],
      });
      expect(res.statusCode, code).toBe(409);
      expect(res.json().errors[0].message).toContain('pii:reveal');
      expect(await roleByCode(code)).toBeUndefined();
    }
  });

  it('refuses an account whose roles together would join two duties, and names the permissions', async () => {
    expect(
      (await security.post('/api/roles', { code: 'logReader', name: '日志', permissions: ['audit:read'] }))
        .statusCode,
    ).toBe(201);
    expect(
      (await security.post('/api/roles', { code: 'acctKeeper', name: '账号', permissions: ['user:write'] }))
        .statusCode,
    ).toBe(201);
    const res = await security.post('/api/users', newUser('twohats', ['logReader', 'acctKeeper']));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUTIES_COMBINED');
    expect(res.json().errors[0]).toMatchObject({ field: 'roles', rule: 'separationOfDuties' });
    expect(res.json().errors[0].message).toContain('audit:read');
    expect(res.json().errors[0].message).toContain('user:write');
    const built = await security.post('/api/users', newUser('superman', ['systemAdmin', 'auditAdmin']));
    expect(built.statusCode).toBe(409);
    expect(built.json().code).toBe('DUTIES_COMBINED');
    expect(await userByName('twohats')).toBeUndefined();
    expect(await userByName('superman')).toBeUndefined();
  });

  it('grants no duty from the console: the security admin cannot make himself an auditor', async () => {
    for (const rolesGiven of [['auditAdmin'], ['logReader'], ['securityAdmin']]) {
      const res = await security.post('/api/users', newUser('puppet', rolesGiven));
      expect(res.statusCode, rolesGiven.join()).toBe(403);
      expect(res.json().code).toBe('ADMIN_DUTY_GRANT');
      expect(res.json().errors[0].field).toBe('roles');
    }
    expect(await userByName('puppet')).toBeUndefined();
    const clerk = await makeUser(t.deps, {
      username: 'clerk1',
      roles: ['serviceClerk'],
      orgUnit: territory.district,
    });
    const res = await security.patch(`/api/users/${clerk.id}`, { roles: ['auditAdmin'] });
    expect(res.json().code).toBe('ADMIN_DUTY_GRANT');
    expect((await security.get(`/api/users/${clerk.id}`)).json().roles).toEqual(['serviceClerk']);
    expect((await login(t.app, 'clerk1').then((s) => s.get('/api/audit-log'))).statusCode).toBe(403);
  });

  it('refuses an edit of a role in use that would join duties for one of its holders', async () => {
    const viewer = await security.post('/api/roles', {
      code: 'reportViewer',
      name: '报表',
      permissions: ['metrics:read'],
    });
    await makeUser(t.deps, {
      username: 'auditor2',
      roles: ['auditAdmin', 'reportViewer'],
      orgUnit: territory.district,
    });
    const res = await security.patch(`/api/roles/${viewer.json().id}`, {
      permissions: ['metrics:read', 'user:write'],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUTIES_COMBINED');
    expect(res.json().errors[0].message).toContain('auditor2');
    expect(res.json().errors[0].message).toContain('audit:read');
    expect((await roleByCode('reportViewer'))?.permissions).toEqual(['metrics:read']);
    // Nor may it change what an administrator holds, even without joining duties…
    const narrower = await security.patch(`/api/roles/${viewer.json().id}`, { permissions: ['case:read'] });
    expect(narrower.json().code).toBe('ADMIN_ACCOUNT_PROTECTED');
    expect((await roleByCode('reportViewer'))?.permissions).toEqual(['metrics:read']);
  });

  it("refuses an edit that would make a role's holders administrators", async () => {
    const hotline = await security.post('/api/roles', {
      code: 'hotline',
      name: '热线',
      permissions: ['case:read'],
    });
    await makeUser(t.deps, { username: 'operator', roles: ['hotline'], orgUnit: territory.district });
    const res = await security.patch(`/api/roles/${hotline.json().id}`, {
      permissions: ['case:read', 'audit:read'],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ADMIN_DUTY_GRANT');
    expect((await roleByCode('hotline'))?.permissions).toEqual(['case:read']);
    // An edit that grants no duty still goes through.
    expect(
      (await security.patch(`/api/roles/${hotline.json().id}`, { permissions: ['case:read', 'case:report'] }))
        .statusCode,
    ).toBe(200);
  });

  it('a role-writer may not edit a role he holds', async () => {
    await security.post('/api/roles', { code: 'deskExtra', name: '窗口', permissions: ['case:read'] });
    await makeUser(t.deps, {
      username: 'security2',
      roles: ['securityAdmin', 'deskExtra'],
      orgUnit: territory.district,
    });
    const s = await login(t.app, 'security2');
    const id = (await roleByCode('deskExtra'))?.id;
    const res = await s.patch(`/api/roles/${id}`, {
      name: '改名',
      permissions: ['case:read', 'resident:read'],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ADMIN_ACCOUNT_PROTECTED');
    expect(await roleByCode('deskExtra')).toMatchObject({ name: '窗口', permissions: ['case:read'] });
  });
});

describe("no administrator acts on another administrator's account", () => {
  it("refuses the security admin resetting the auditor's password, changes nothing, and audits the attempt", async () => {
    const auditor = await makeUser(t.deps, {
      username: 'auditor',
      roles: ['auditAdmin'],
      orgUnit: territory.district,
    });
    const res = await security.post(`/api/users/${auditor.id}/reset-password`, { password: 'Taken#2026pw' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ADMIN_ACCOUNT_PROTECTED');
    expect((await userByName('auditor'))?.passwordHash).toBe(auditor.passwordHash);
    expect((await userByName('auditor'))?.mustChangePassword).toBe(false);
    // The auditor still logs in with his own password; the attacker's does not work.
    await expect(login(t.app, 'auditor', 'Taken#2026pw')).rejects.toThrow(/401/);
    const s = await login(t.app, 'auditor', testPassword);
    const refused = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.adminActionRefused'), eq(auditLog.targetId, auditor.id)));
    expect(refused).toHaveLength(1);
    expect(refused[0]?.actorId).toBe(securityId);
    // …and he sees it.
    const seen = (await s.get('/api/audit-log?action=user.adminActionRefused')).json();
    expect(seen.items.length).toBeGreaterThan(0);
  });

  it("refuses edits, role changes, disabling, enabling and unlocking of any administrator's account", async () => {
    const sys = await makeUser(t.deps, {
      username: 'sysadmin',
      roles: ['systemAdmin'],
      orgUnit: territory.district,
    });
    await t.deps.db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 600_000) })
      .where(eq(users.id, sys.id));
    const attempts = [
      security.patch(`/api/users/${sys.id}`, { displayName: '改名' }),
      security.patch(`/api/users/${sys.id}`, { roles: ['serviceClerk'] }),
      security.patch(`/api/users/${sys.id}`, { disabled: true }),
      security.patch(`/api/users/${sys.id}`, { disabled: false }),
      security.post(`/api/users/${sys.id}/unlock`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('ADMIN_ACCOUNT_PROTECTED');
    }
    const after = await userByName('sysadmin');
    expect(after).toMatchObject({ displayName: sys.displayName, disabledAt: null });
    expect(after?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect((await security.get(`/api/users/${sys.id}`)).json()).toMatchObject({
      roles: ['systemAdmin'],
      administrator: true,
    });
  });

  it('refuses the security admin acting on his own account through the admin routes', async () => {
    for (const res of [
      await security.post(`/api/users/${securityId}/reset-password`, { password: 'Mine#2026pwX' }),
      await security.patch(`/api/users/${securityId}`, { displayName: '我' }),
      await security.patch(`/api/users/${securityId}`, { roles: ['securityAdmin', 'hotline'] }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('ADMIN_ACCOUNT_PROTECTED');
    }
    expect((await security.get(`/api/users/${securityId}`)).json().roles).toEqual(['securityAdmin']);
  });

  it('still manages ordinary accounts', async () => {
    const gw = await makeUser(t.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    expect((await security.get(`/api/users/${gw.id}`)).json().administrator).toBe(false);
    expect(
      (await security.post(`/api/users/${gw.id}/reset-password`, { password: 'Reset#2026pw' })).statusCode,
    ).toBe(204);
    expect(
      (await security.patch(`/api/users/${gw.id}`, { roles: ['gridWorker', 'hotline'] })).statusCode,
    ).toBe(200);
  });
});

describe('the three administrator roles require a second factor', () => {
  it('by default, and it cannot be turned off', async () => {
    const list = (await security.get('/api/roles')).json().items as {
      id: number;
      code: string;
      totpRequired: boolean;
    }[];
    for (const code of ['systemAdmin', 'securityAdmin', 'auditAdmin'])
      expect(list.find((r) => r.code === code)?.totpRequired, code).toBe(true);
    const audit = list.find((r) => r.code === 'auditAdmin');
    const res = await security.patch(`/api/roles/${audit?.id}`, { totpRequired: false });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('totpRequired');
    expect((await roleByCode('auditAdmin'))?.totpRequired).toBe(true);
  });

  it('on an upgraded database, at start, leaving the other roles as their admins set them', async () => {
    await t.deps.db.update(roles).set({ totpRequired: false }).where(eq(roles.code, 'systemAdmin'));
    await t.deps.db.update(roles).set({ totpRequired: true }).where(eq(roles.code, 'mediator'));
    await ensureBuiltIns(t.deps.db);
    expect((await roleByCode('systemAdmin'))?.totpRequired).toBe(true);
    expect((await roleByCode('mediator'))?.totpRequired).toBe(true);
    expect((await roleByCode('gridWorker'))?.totpRequired).toBe(false);
    await t.deps.db.update(roles).set({ totpRequired: false }).where(eq(roles.code, 'mediator'));
  });

  it('an administrator without an authenticator enrols before anything else opens', async () => {
    await makeUser(t.deps, {
      username: 'newsec',
      roles: ['securityAdmin'],
      orgUnit: territory.district,
      totp: false,
    });
    const s = await login(t.app, 'newsec');
    expect((await s.get('/api/me')).json()).toMatchObject({ totpRequired: true, totpEnabled: false });
    expect((await s.get('/api/users')).json().code).toBe('TOTP_ENROLMENT_REQUIRED');
    const { secret } = (await s.post('/api/auth/totp/setup')).json();
    const confirmed = await s.post('/api/auth/totp/confirm', { code: totpAt(secret, Date.now()) });
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    expect((await s.get('/api/users')).statusCode).toBe(200);
  });
});
