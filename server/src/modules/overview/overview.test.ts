import { idNumberCheckChar } from '@civicgrid/core';
import { auditActionNames } from '@civicgrid/core/audit/actions';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAction } from '../../platform/audit/trail.js';
import { importJobs } from '../../platform/importTables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { roles, users } from '../accounts/tables.js';

let ctx: TestContext;
let sysadmin: Session;
let security: Session;
let auditor: Session;
let community: Session;
let lockedId: string;
let gridId: number;

const wrongLogin = (username: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Wrong@2026x' } });

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  gridId = t.grids[0]?.id as number;
  await makeUser(ctx.deps, { username: 'sysadmin', roles: ['systemAdmin'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'sec', roles: ['securityAdmin'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'aud', roles: ['auditAdmin'], orgUnit: t.district });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  lockedId = (await makeUser(ctx.deps, { username: 'locked1', roles: ['gridWorker'], orgUnit: t.grids[0] }))
    .id;
  await makeUser(ctx.deps, { username: 'typo1', roles: ['gridWorker'], orgUnit: t.grids[1] });
  // An administrator's account that has not enrolled its second factor yet.
  await ctx.deps.db.update(roles).set({ totpRequired: true }).where(eq(roles.code, 'systemAdmin'));
  await makeUser(ctx.deps, {
    username: 'newadmin',
    roles: ['systemAdmin'],
    orgUnit: t.district,
    totp: false,
  });
  sysadmin = await login(ctx.app, 'sysadmin');
  security = await login(ctx.app, 'sec');
  auditor = await login(ctx.app, 'aud');
  community = await login(ctx.app, 'community');
}, 180_000);
afterAll(() => ctx?.close());

describe('administrators’ homes', () => {
  it('shows the security admin locked accounts, failing logins and admins without TOTP', async () => {
    await ctx.deps.db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 600_000), failedLogins: 5 })
      .where(eq(users.id, lockedId));
    await wrongLogin('typo1');
    await wrongLogin('typo1');
    const res = await security.get('/api/overview/security');
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.locked.count).toBe(1);
    expect(o.locked.items.map((u: { username: string }) => u.username)).toEqual(['locked1']);
    expect(o.failing.items).toEqual([
      expect.objectContaining({ username: 'locked1', failures: 5 }),
      expect.objectContaining({ username: 'typo1', failures: 2 }),
    ]);
    expect(o.totpMissing.items.map((u: { username: string }) => u.username)).toEqual(['newadmin']);
    // The other duties do not see accounts.
    expect((await sysadmin.get('/api/overview/security')).statusCode).toBe(403);
    expect((await auditor.get('/api/overview/security')).statusCode).toBe(403);
  });

  it('gives the system admin the imports of the week, and nobody else', async () => {
    const by = (
      await ctx.deps.db.select({ id: users.id }).from(users).where(eq(users.username, 'community'))
    )[0];
    await ctx.deps.db.insert(importJobs).values([
      {
        kind: 'residents',
        status: 'failed',
        fileName: 'a.xlsx',
        total: 10,
        failed: 10,
        createdBy: by?.id ?? '',
      },
      { kind: 'buildings', status: 'running', fileName: 'b.xlsx', total: 5, createdBy: by?.id ?? '' },
    ]);
    const res = await sysadmin.get('/api/overview/system');
    expect(res.statusCode).toBe(200);
    expect(res.json().imports).toMatchObject({ running: 1, failed: 1, done: 0 });
    expect(res.json().imports.recent).toHaveLength(2);
    expect((await security.get('/api/overview/system')).statusCode).toBe(403);
  });

  it('counts today’s audit trail by action for the audit admin alone', async () => {
    const res = await auditor.get('/api/overview/audit');
    expect(res.statusCode).toBe(200);
    const o = res.json();
    const failed = o.byAction.find((r: { action: string }) => r.action === 'auth.loginFailed');
    expect(failed?.count).toBeGreaterThanOrEqual(2);
    expect(o.total).toBe(o.byAction.reduce((s: number, r: { count: number }) => s + r.count, 0));
    expect((await security.get('/api/overview/audit')).statusCode).toBe(403);
    expect((await sysadmin.get('/api/overview/audit')).statusCode).toBe(403);
  });
});

describe('the audit log', () => {
  it('names each row’s subject: a username, a resident masked', async () => {
    const logins = (await auditor.get('/api/audit-log?action=auth.login&pageSize=50')).json().items;
    const own = logins.find((r: { targetName: string | null }) => r.targetName === 'aud');
    expect(own).toMatchObject({ targetType: 'user', action: 'auth.login' });
    const first = '15020319900606031';
    const created = await community.post('/api/residents', {
      name: '高志刚',
      idNumber: `${first}${idNumberCheckChar(first)}`,
      gridId,
    });
    expect(created.statusCode).toBe(201);
    const rows = (await auditor.get('/api/audit-log?action=resident.created')).json().items;
    expect(rows[0]).toMatchObject({ targetId: created.json().id, targetName: '高**' });
    expect(JSON.stringify(rows)).not.toContain('志刚');
  });

  it('has a Chinese and an English name for every audit action', () => {
    const missing = auditAction.options.filter((a) => !auditActionNames[a]?.zh || !auditActionNames[a]?.en);
    expect(missing).toEqual([]);
  });
});
