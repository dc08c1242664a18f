import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { verifyPassword } from '../../platform/auth/password.js';
import { login, makeTerritory, makeUser, testPassword } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import {
  createAccountByOperator,
  OperatorError,
  resetPasswordByOperator,
  setDisabledByOperator,
} from './operator.js';
import { users } from './tables.js';

/** The server's shell keeps the administrators' accounts the console may not touch. */
let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
});
afterAll(() => t.close());

const account = async (username: string) => {
  const [u] = await t.deps.db.select().from(users).where(eq(users.username, username));
  if (!u) throw new Error(`no ${username}`);
  return u;
};
const auditOf = (targetId: string, action: 'user.passwordReset' | 'user.created' | 'user.updated') =>
  t.deps.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)));

describe('admin:reset-password', () => {
  it('gives a locked-out auditor a one-time password, forces a change, ends his sessions, and is audited', async () => {
    const auditor = await makeUser(t.deps, {
      username: 'auditor',
      roles: ['auditAdmin'],
      orgUnit: territory.district,
    });
    const old = await login(t.app, 'auditor');
    await t.deps.db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() + 600_000), failedLogins: 5 })
      .where(eq(users.id, auditor.id));
    const { password } = await resetPasswordByOperator(t.deps.db, 'auditor');
    expect(password).toMatch(/^.{16}$/);
    const after = await account('auditor');
    expect(await verifyPassword(after.passwordHash, password)).toBe(true);
    expect(await verifyPassword(after.passwordHash, testPassword)).toBe(false);
    expect(after).toMatchObject({ mustChangePassword: true, lockedUntil: null, failedLogins: 0 });
    expect(after.totpEnabledAt).not.toBeNull();
    expect((await old.get('/api/me')).statusCode).toBe(401);
    const [row] = await auditOf(auditor.id, 'user.passwordReset');
    expect(row?.actorName).toMatch(/^cli:/);
    expect(row?.payload).toMatchObject({ via: 'cli', totpReset: false });
    expect(JSON.stringify(row)).not.toContain(password);
  });

  it('with --reset-totp, removes the authenticator so the administrator enrols again', async () => {
    await makeUser(t.deps, { username: 'sysadmin', roles: ['systemAdmin'], orgUnit: territory.district });
    await resetPasswordByOperator(t.deps.db, 'sysadmin', { resetTotp: true });
    const after = await account('sysadmin');
    expect(after).toMatchObject({ totpEnabledAt: null, totpSecretEnc: null, recoveryCodes: [] });
  });

  it('refuses an unknown account', async () => {
    await expect(resetPasswordByOperator(t.deps.db, 'nobody')).rejects.toBeInstanceOf(OperatorError);
  });
});

describe('admin:create, admin:disable', () => {
  it('creates an administrator bound to a unit, who must change the password at first login', async () => {
    const { password } = await createAccountByOperator(t.deps.db, {
      username: 'streetsec',
      displayName: '街道安全员',
      roles: ['securityAdmin'],
      unitCode: territory.streets[0]?.code,
    });
    const u = await account('streetsec');
    expect(u).toMatchObject({ orgUnitId: territory.streets[0]?.id, mustChangePassword: true });
    expect(await verifyPassword(u.passwordHash, password)).toBe(true);
    expect((await auditOf(u.id, 'user.created'))[0]?.payload).toMatchObject({
      via: 'cli',
      roles: ['securityAdmin'],
    });
  });

  it('still keeps the duties apart', async () => {
    await expect(
      createAccountByOperator(t.deps.db, {
        username: 'both',
        displayName: 'x',
        roles: ['securityAdmin', 'auditAdmin'],
      }),
    ).rejects.toThrow(/user:write/);
    await expect(account('both')).rejects.toThrow();
  });

  it('disables and re-enables an administrator, audited', async () => {
    await setDisabledByOperator(t.deps.db, 'streetsec', true);
    const u = await account('streetsec');
    expect(u.disabledAt).not.toBeNull();
    await setDisabledByOperator(t.deps.db, 'streetsec', false);
    expect((await account('streetsec')).disabledAt).toBeNull();
    expect(await auditOf(u.id, 'user.updated')).toHaveLength(2);
  });
});
