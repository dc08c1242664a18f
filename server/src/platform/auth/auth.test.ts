import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../modules/accounts/tables.js';
import { login, makeTerritory, makeUser, testPassword } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { queryRows } from '../db.js';
import { invalidateActorCache } from '../http.js';
import { sessions } from './tables.js';
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
