import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { queryRows } from '../db.js';
import { verifyAuditChain } from './trail.js';

let t: TestContext;
let auditor: Session;

beforeAll(async () => {
  t = await createTestApp();
  const territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, { username: 'auditor', roles: ['auditAdmin'], orgUnit: territory.district });
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'], orgUnit: territory.district });
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'Wrong#2026pw' },
  });
  const admin = await login(t.app, 'admin');
  await admin.post('/api/departments', { code: 'minzheng', name: '民政' });
  auditor = await login(t.app, 'auditor');
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('records logins, failures and writes with who, what, IP and user agent', async () => {
    const res = (await auditor.get('/api/audit-log?pageSize=50')).json();
    const actions = res.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.loginFailed', 'auth.login', 'department.created']));
    const created = res.items.find((i: { action: string }) => i.action === 'department.created');
    expect(created).toMatchObject({ actorName: 'admin', targetType: 'department', ip: '127.0.0.1' });
    expect(created.userAgent).toBeTruthy();
  });

  it('filters by action and actor', async () => {
    const res = (await auditor.get('/api/audit-log?action=auth.loginFailed&actor=adm')).json();
    expect(res.total).toBe(1);
    expect(res.items[0].payload).toEqual({ reason: 'password' });
  });

  it('finds the first tampered row', async () => {
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true });
    const rows = await queryRows<{ id: number }>(
      t.deps.db,
      sql`select id from audit_log order by id limit 1 offset 2`,
    );
    const target = Number(rows[0]?.id);
    await t.deps.db.execute(sql`update audit_log set actor_name = 'someone-else' where id = ${target}`);
    const result = await verifyAuditChain(t.deps.db);
    expect(result).toMatchObject({ ok: false, firstBadId: target, reason: 'row content changed' });
    const viaApi = (await auditor.get('/api/audit-log/verify')).json();
    expect(viaApi.firstBadId).toBe(target);
  });

  it('finds a deleted row by the broken link after it', async () => {
    const rows = await queryRows<{ id: number }>(
      t.deps.db,
      sql`select id from audit_log order by id desc limit 1 offset 1`,
    );
    const target = Number(rows[0]?.id);
    await t.deps.db.execute(sql`delete from audit_log where id = ${target}`);
    const result = await verifyAuditChain(t.deps.db);
    expect(result.ok).toBe(false);
  });
});
