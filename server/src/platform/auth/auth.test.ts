import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/accounts/tables.js';
import { ensureCaseDefaults } from '../../modules/cases/defaults.js';
import { invalidateNames } from '../../modules/cases/names.js';
import { login, makeTerritory, makeUser, testPassword } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { loadConfig } from '../config.js';
import { queryRows } from '../db.js';
import { AppError } from '../errors.js';
import { invalidateActorCache } from '../http.js';
import * as authService from './service.js';
import { accessTokens, sessions } from './tables.js';
import { totpAt } from './totp.js';

let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
});
afterAll(() => t.close());

const loginReq = (username: string, password: string, totp?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...(totp ? { totp } : {}) },
  });

describe('login', () => {
  it('logs in, sets an HttpOnly SameSite=Strict cookie and answers /api/me', async () => {
    await makeUser(t.deps, {
      username: 'alice',
      roles: ['communityWorkstation'],
      orgUnit: territory.communities[0],
    });
    const res = await loginReq('alice', testPassword);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cg_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const s = await login(t.app, 'alice');
    const me = (await s.get('/api/me')).json();
    expect(me.username).toBe('alice');
    expect(me.jurisdiction.orgUnitId).toBe(territory.communities[0]?.id);
    expect(me.jurisdiction.level).toBe('community');
    expect(me.permissions).toContain('case:dispatch');
    expect(me.roles.map((r: { code: string }) => r.code)).toEqual(['communityWorkstation']);
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    await makeUser(t.deps, { username: 'bob', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const wrongPw = await loginReq('bob', 'Wrong@2026pw');
    const unknown = await loginReq('nobody', 'Wrong@2026pw');
    expect(wrongPw.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrongPw.headers['content-type']).toContain('application/problem+json');
    expect(wrongPw.json().detail).toBe(unknown.json().detail);
    expect(wrongPw.json().code).toBe('LOGIN_FAILED');
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
    await makeUser(t.deps, { username: 'carol', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    for (let i = 0; i < 5; i++) expect((await loginReq('carol', 'Wrong@2026pw')).statusCode).toBe(401);
    const locked = await loginReq('carol', testPassword);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    const [u] = await t.deps.db.select().from(users).where(eq(users.username, 'carol'));
    const minutes = ((u?.lockedUntil?.getTime() ?? 0) - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // After the lock runs out, the right password works again.
    await t.deps.db
      .update(users)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(users.username, 'carol'));
    expect((await loginReq('carol', testPassword)).statusCode).toBe(200);
  });

  it('refuses a disabled account', async () => {
    await makeUser(t.deps, { username: 'dave', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    await t.deps.db.update(users).set({ disabledAt: new Date() }).where(eq(users.username, 'dave'));
    expect((await loginReq('dave', testPassword)).json().code).toBe('ACCOUNT_DISABLED');
  });
});

describe('sessions', () => {
  it('ends a session idle for more than 30 minutes', async () => {
    await makeUser(t.deps, { username: 'idle', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'idle');
    expect((await s.get('/api/me')).statusCode).toBe(200);
    await t.deps.db.execute(
      sql`update sessions set last_seen_at = now() - interval '29 minutes' where user_id = (select id from users where username = 'idle')`,
    );
    // Minutes pass here by editing the row; real minutes would also have expired the 5-s actor cache.
    invalidateActorCache();
    expect((await s.get('/api/me')).statusCode).toBe(200);
    await t.deps.db.execute(
      sql`update sessions set last_seen_at = now() - interval '31 minutes' where user_id = (select id from users where username = 'idle')`,
    );
    invalidateActorCache();
    const res = await s.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  it('ends a session 12 hours after login however active it is', async () => {
    await makeUser(t.deps, { username: 'old', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'old');
    await t.deps.db.execute(
      sql`update sessions set created_at = now() - interval '12 hours 1 minute', last_seen_at = now() where user_id = (select id from users where username = 'old')`,
    );
    expect((await s.get('/api/me')).statusCode).toBe(401);
  });

  it('gives a wall display a read-only session of up to 30 days, and only to an account made for it', async () => {
    await makeUser(t.deps, { username: 'wall', roles: ['screenDisplay'], orgUnit: territory.district });
    await makeUser(t.deps, { username: 'leader', roles: ['districtCommand'], orgUnit: territory.district });
    const wall = await login(t.app, 'wall', testPassword, { display: true });
    const leader = await login(t.app, 'leader', testPassword, { display: true });
    const age = (username: string, interval: string) =>
      t.deps.db.execute(
        sql`update sessions set created_at = now() - ${interval}::interval, last_seen_at = now()
          where user_id = (select id from users where username = ${username})`,
      );
    await age('wall', '5 days');
    await age('leader', '12 hours 1 minute');
    invalidateActorCache();
    expect((await wall.get('/api/dashboard')).statusCode).toBe(200);
    // Asking for a display session does not make an ordinary account's session longer.
    expect((await leader.get('/api/me')).statusCode).toBe(401);
    // It only reads.
    const write = await wall.post('/api/cases', { description: '大屏不能上报', categoryCode: 'C0103' });
    expect(write.statusCode).toBe(403);
    const [audit] = await queryRows<{ display: boolean }>(
      t.deps.db,
      sql`select (payload->>'display')::boolean as display from audit_log
        where action = 'auth.login' and target_id = (select id::text from users where username = 'wall')`,
    );
    expect(audit?.display).toBe(true);
    await age('wall', '30 days 1 minute');
    invalidateActorCache();
    expect((await wall.get('/api/me')).statusCode).toBe(401);
    // Without the flag, the same account gets an ordinary session.
    const plain = await login(t.app, 'wall');
    await age('wall', '12 hours 1 minute');
    invalidateActorCache();
    expect((await plain.get('/api/me')).statusCode).toBe(401);
    expect((await wall.post('/api/auth/logout')).statusCode).toBe(401);
  });

  it('logout ends the session', async () => {
    await makeUser(t.deps, { username: 'leaver', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'leaver');
    expect((await s.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await s.get('/api/me')).statusCode).toBe(401);
  });

  it('stores only a hash of the session token', async () => {
    await makeUser(t.deps, { username: 'hashed', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'hashed');
    const token = s.cookie.split('=')[1] as string;
    const rows = await t.deps.db.select().from(sessions).where(eq(sessions.id, token));
    expect(rows).toHaveLength(0);
  });
});

describe('cross-site request forgery', () => {
  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    await makeUser(t.deps, { username: 'csrf', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'csrf');
    const noHeader = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().code).toBe('CSRF');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
    });
    expect(wrong.statusCode).toBe(403);
    // Reads need no token, and the session is still alive.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(200);
  });
});

describe('passwords', () => {
  it('forces an admin-created account to change its password before anything else', async () => {
    await makeUser(t.deps, {
      username: 'fresh',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
      mustChangePassword: true,
    });
    const s = await login(t.app, 'fresh');
    expect((await s.get('/api/me')).json().mustChangePassword).toBe(true);
    const blocked = await s.get(`/api/org/units/${territory.grids[0]?.id}`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await s.post('/api/auth/password', { currentPassword: testPassword, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('newPassword');
    const lowerOnly = await s.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'abcdefghij',
    });
    expect(lowerOnly.statusCode).toBe(400);
    const ok = await s.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'New#pass2026',
    });
    expect(ok.statusCode).toBe(204);
    expect((await s.get(`/api/org/units/${territory.grids[0]?.id}`)).statusCode).toBe(200);
    expect((await loginReq('fresh', 'New#pass2026')).statusCode).toBe(200);
  });
});

describe('access tokens', () => {
  it('authenticates with a bearer token, hashed at rest, until revoked', async () => {
    await makeUser(t.deps, {
      username: 'integrator',
      roles: ['communityWorkstation'],
      orgUnit: territory.communities[0],
    });
    const s = await login(t.app, 'integrator');
    const created = await s.post('/api/auth/tokens', { name: '12345 热线对接' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^cgp_/);
    const rows = await queryRows(
      t.deps.db,
      sql`select token_hash from access_tokens where token_hash = ${token}`,
    );
    expect(rows).toHaveLength(0);
    const auth = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth });
    expect(me.json().username).toBe('integrator');
    // Bearer requests are not cookie requests: no CSRF token needed.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: auth,
      payload: { name: 'second' },
    });
    expect(write.statusCode).toBe(201);
    expect((await s.del(`/api/auth/tokens/${id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: auth })).statusCode).toBe(401);
  });
});

describe('two-factor authentication', () => {
  it('enrols TOTP, then requires a code or a one-time recovery code at login', async () => {
    await makeUser(t.deps, { username: 'twofa', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'twofa');
    const { secret, otpauthUrl } = (await s.post('/api/auth/totp/setup')).json();
    expect(otpauthUrl).toContain('otpauth://totp/');
    expect(
      (
        await s.post('/api/auth/totp/confirm', {
          code: '000000' === totpAt(secret, Date.now()) ? '111111' : '000000',
        })
      ).statusCode,
    ).toBe(401);
    const confirm = await s.post('/api/auth/totp/confirm', { code: totpAt(secret, Date.now()) });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);

    expect((await loginReq('twofa', testPassword)).json().code).toBe('TOTP_REQUIRED');
    expect((await loginReq('twofa', testPassword, totpAt(secret, Date.now() - 600_000))).json().code).toBe(
      'TOTP_INVALID',
    );
    expect((await loginReq('twofa', testPassword, totpAt(secret, Date.now()))).statusCode).toBe(200);
    expect((await loginReq('twofa', testPassword, recoveryCodes[0])).statusCode).toBe(200);
    // A recovery code works once.
    expect((await loginReq('twofa', testPassword, recoveryCodes[0])).json().code).toBe('TOTP_INVALID');
  });

  it('takes each code once: a replayed code is refused, the next step still works', async () => {
    await makeUser(t.deps, { username: 'replay', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'replay');
    const { secret } = (await s.post('/api/auth/totp/setup')).json();
    expect((await s.post('/api/auth/totp/confirm', { code: totpAt(secret, Date.now()) })).statusCode).toBe(
      200,
    );
    const code = totpAt(secret, Date.now());
    expect((await loginReq('replay', testPassword, code)).statusCode).toBe(200);
    const again = await loginReq('replay', testPassword, code);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('TOTP_INVALID');
    expect((await loginReq('replay', testPassword, totpAt(secret, Date.now() + 30_000))).statusCode).toBe(
      200,
    );
  });

  it('fails closed when an account is marked enrolled but has no secret', async () => {
    const u = await makeUser(t.deps, {
      username: 'nosecret',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    await t.deps.db.execute(
      sql`update users set totp_enabled_at = now(), totp_secret_enc = null where id = ${u.id}`,
    );
    expect((await loginReq('nosecret', testPassword)).json().code).toBe('TOTP_REQUIRED');
    expect((await loginReq('nosecret', testPassword, '123456')).json().code).toBe('TOTP_INVALID');
  });

  it('makes users of a role that requires TOTP enrol before they can work', async () => {
    await t.deps.db.execute(sql`update roles set totp_required = true where code = 'mediator'`);
    await makeUser(t.deps, { username: 'mustenrol', roles: ['mediator'], orgUnit: territory.streets[0] });
    const s = await login(t.app, 'mustenrol');
    const me = (await s.get('/api/me')).json();
    expect(me.totpRequired).toBe(true);
    expect(me.totpEnabled).toBe(false);
    const blocked = await s.get('/api/org/tree');
    expect(blocked.json().code).toBe('TOTP_ENROLMENT_REQUIRED');
    const { secret } = (await s.post('/api/auth/totp/setup')).json();
    expect((await s.post('/api/auth/totp/confirm', { code: totpAt(secret, Date.now()) })).statusCode).toBe(
      200,
    );
    expect((await s.get('/api/org/tree')).statusCode).toBe(200);
    await t.deps.db.execute(sql`update roles set totp_required = false where code = 'mediator'`);
  });
});

describe('lockout under parallel logins', () => {
  const meta = { ip: '198.51.100.1', userAgent: null };
  /** Tries straight at the service: the HTTP rate limits (tested elsewhere) must not hide the lockout. */
  const tryAll = async (username: string, passwords: string[]) => {
    const results = await Promise.allSettled(
      passwords.map((password) => authService.login(t.deps, { username, password }, meta)),
    );
    return results.map((r) =>
      r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : String(r.reason),
    );
  };
  const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;
  const auditCount = async (userId: string, action: string) => {
    const [row] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from audit_log where action = ${action} and target_id = ${userId}`,
    );
    return row?.n ?? 0;
  };

  it('30 parallel tries with the right password last: the account locks and the right one is refused', async () => {
    const u = await makeUser(t.deps, {
      username: 'racer',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    const passwords = Array.from({ length: 30 }, (_, i) => (i === 29 ? testPassword : `Wrong@${i}pass`));
    const codes = await tryAll('racer', passwords);
    expect(codes[29]).toBe('ACCOUNT_LOCKED');
    expect(count(codes, 'ok')).toBe(0);
    // Only the tries counted before the lock had their password looked at.
    expect(count(codes, 'LOGIN_FAILED')).toBeLessThanOrEqual(authService.maxFailedLogins);
    expect(count(codes, 'ACCOUNT_LOCKED')).toBeGreaterThanOrEqual(30 - authService.maxFailedLogins);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, u.id));
    expect(row?.lockedUntil?.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await auditCount(u.id, 'auth.login')).toBe(0);
  });

  it('50 parallel wrong passwords: at most five are checked, then the account is locked and audited', async () => {
    const u = await makeUser(t.deps, {
      username: 'sprayed',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    const codes = await tryAll(
      'sprayed',
      Array.from({ length: 50 }, (_, i) => `Wrong@${i}pass`),
    );
    expect(count(codes, 'LOGIN_FAILED')).toBe(authService.maxFailedLogins);
    expect(count(codes, 'ACCOUNT_LOCKED')).toBe(50 - authService.maxFailedLogins);
    const [row] = await t.deps.db.select().from(users).where(eq(users.id, u.id));
    expect(row?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(await auditCount(u.id, 'auth.locked')).toBe(1);
  });

  it('a right password that still needs its second factor does not count as a failure', async () => {
    await makeUser(t.deps, { username: 'twostep', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    await t.deps.db
      .update(users)
      .set({ totpSecretEnc: t.deps.crypto.encrypt('JBSWY3DPEHPK3PXP'), totpEnabledAt: new Date() })
      .where(eq(users.username, 'twostep'));
    // One after another (as a person logs in): tries in flight together count until they end.
    for (let i = 0; i <= authService.maxFailedLogins; i++) {
      expect(await tryAll('twostep', [testPassword])).toEqual(['TOTP_REQUIRED']);
    }
    const [row] = await t.deps.db.select().from(users).where(eq(users.username, 'twostep'));
    expect(row?.failedLogins).toBe(0);
    expect(row?.lockedUntil).toBeNull();
  });
});

describe('personal access tokens and password changes', () => {
  const bearer = (token: string) =>
    t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });

  it('revokes every token of the account when its owner changes the password', async () => {
    await makeUser(t.deps, { username: 'rotator', roles: ['gridWorker'], orgUnit: territory.grids[0] });
    const s = await login(t.app, 'rotator');
    const { token } = (await s.post('/api/auth/tokens', { name: '对接' })).json();
    expect((await bearer(token)).statusCode).toBe(200);
    const changed = await s.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'Rotated#2026pw',
    });
    expect(changed.statusCode).toBe(204);
    expect((await bearer(token)).statusCode).toBe(401);
  });

  it('revokes every token of the account when an administrator resets its password', async () => {
    const u = await makeUser(t.deps, {
      username: 'resetme',
      roles: ['gridWorker'],
      orgUnit: territory.grids[0],
    });
    await makeUser(t.deps, { username: 'secadmin', roles: ['securityAdmin'], orgUnit: territory.district });
    const s = await login(t.app, 'resetme');
    const { token } = (await s.post('/api/auth/tokens', { name: '对接' })).json();
    expect((await bearer(token)).statusCode).toBe(200);
    const admin = await login(t.app, 'secadmin');
    const reset = await admin.post(`/api/users/${u.id}/reset-password`, { password: 'Reset#2026pass' });
    expect(reset.statusCode).toBe(204);
    expect((await bearer(token)).statusCode).toBe(401);
  });
});

describe('a wall display account is read-only by role', () => {
  it('writes nothing from an ordinary session, makes no token and cannot use one, but reads', async () => {
    await ensureCaseDefaults(t.deps.db);
    invalidateNames();
    await makeUser(t.deps, { username: 'wallrole', roles: ['screenDisplay'], orgUnit: territory.district });
    await makeUser(t.deps, { username: 'deskclerk', roles: ['serviceClerk'], orgUnit: territory.district });
    const clerk = await login(t.app, 'deskclerk');
    const ring = (territory.grids[0]?.geometry?.coordinates[0] ?? []) as number[][];
    const reported = await clerk.post('/api/cases', {
      description: '路灯不亮',
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      location: { lng: (ring[0]?.[0] as number) + 0.005, lat: (ring[0]?.[1] as number) + 0.005 },
      idempotencyKey: randomUUID(),
    });
    expect(reported.statusCode).toBe(201);
    const caseId = reported.json().id as string;

    // Logged in at the console, not from /screen: no display session.
    const wall = await login(t.app, 'wallrole');
    expect((await wall.get(`/api/cases/${caseId}`)).statusCode).toBe(200);
    expect((await wall.get('/api/me')).statusCode).toBe(200);
    const note = await wall.post(`/api/cases/${caseId}/actions/note`, { note: '大屏写的备注' });
    expect(note.statusCode).toBe(403);
    const boundary = 'cgboundary';
    const upload = await wall.inject({
      method: 'POST',
      url: '/api/files',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nnot really a png\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).toBe(403);
    const minted = await wall.post('/api/auth/tokens', { name: '大屏令牌' });
    expect(minted.statusCode).toBe(403);
    const [events] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from case_events where case_id = ${caseId} and action = 'note'`,
    );
    expect(events?.n).toBe(0);
    expect(await t.deps.db.select().from(accessTokens).where(eq(accessTokens.name, '大屏令牌'))).toHaveLength(
      0,
    );

    // A token made before this rule (or by hand) is refused, even for reading.
    const [wallUser] = await t.deps.db.select().from(users).where(eq(users.username, 'wallrole'));
    const token = 'cgp_walldisplaytokenmadebeforetherule';
    await t.deps.db.insert(accessTokens).values({
      userId: wallUser?.id as string,
      name: 'old',
      prefix: token.slice(0, 10),
      tokenHash: t.deps.crypto.tokenHash(token),
    });
    const viaToken = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.statusCode).toBe(403);
    expect((await wall.post('/api/auth/logout')).statusCode).toBe(204);
  });

  it('can still change its own first password, so a new display account is usable', async () => {
    await makeUser(t.deps, {
      username: 'newwall',
      roles: ['screenDisplay'],
      orgUnit: territory.district,
      mustChangePassword: true,
    });
    const s = await login(t.app, 'newwall');
    const changed = await s.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'Wall#2026pass',
    });
    expect(changed.statusCode).toBe(204);
    expect((await s.get('/api/dashboard')).statusCode).toBe(200);
  });
});

describe('client address behind proxies (TRUST_PROXY)', () => {
  const loginFrom = (app: TestContext['app'], remoteAddress: string, username: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': '198.51.100.77' },
      payload: { username, password: 'Wrong@2026pw' },
    });
  const auditedIp = async (ctx: TestContext, username: string) => {
    const [row] = await queryRows<{ ip: string | null }>(
      ctx.deps.db,
      sql`select ip from audit_log where action = 'auth.loginFailed' and actor_name = ${username}`,
    );
    return row?.ip;
  };

  it('by default ignores X-Forwarded-For: the audit trail has the socket address', async () => {
    await loginFrom(t.app, '203.0.113.9', 'ghost-default');
    expect(await auditedIp(t, 'ghost-default')).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const proxied = await createTestApp({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' });
    try {
      await loginFrom(proxied.app, '127.0.0.1', 'ghost-proxied');
      expect(await auditedIp(proxied, 'ghost-proxied')).toBe('198.51.100.77');
      await loginFrom(proxied.app, '203.0.113.9', 'ghost-direct');
      expect(await auditedIp(proxied, 'ghost-direct')).toBe('203.0.113.9');
    } finally {
      await proxied.close();
    }
  });

  it('refuses a TRUST_PROXY that is not a list of addresses or ranges', () => {
    expect(() => loadConfig({ DATA_DIR: t.deps.config.dataDir, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ DATA_DIR: t.deps.config.dataDir, TRUST_PROXY: '10.0.0.0/33' })).toThrow(
      /TRUST_PROXY/,
    );
  });
});
