import { idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { users } from '../modules/accounts/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { roomInWindow } from '../test/rateWindows.js';
import { rateLimits } from './auth/tables.js';
import { queryRows } from './db.js';
import { hitRateLimit, hitSmsCodeLimits, RateLimitedError, rateLimitPolicies } from './rateLimit.js';

let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;
let district: Session;
let residentId: string;

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
  await makeUser(t.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: territory.communities[0],
  });
  await makeUser(t.deps, { username: 'district', roles: ['districtCommand'], orgUnit: territory.district });
  const community = await login(t.app, 'community');
  district = await login(t.app, 'district');
  const first = '15020319800505057';
  const added = await community.post('/api/residents', {
    name: '限流测试',
    idNumber: `${first}${idNumberCheckChar(first)}`,
    phone: '13700001234',
    gridId: territory.grids[0]?.id,
  });
  expect(added.statusCode).toBe(201);
  residentId = added.json().id;
}, 120_000);
afterAll(() => t?.close());

/**
 * Accounts that are locked: a try at one is answered at once, with no password check, so a
 * burst costs no argon2 time (the lockout itself is tested in auth.test.ts).
 */
async function makeLockedAccounts(names: string[]) {
  await t.deps.db.insert(users).values(
    names.map((username) => ({
      username,
      displayName: username,
      passwordHash: 'not-a-hash',
      mustChangePassword: false,
      lockedUntil: new Date(Date.now() + 3600_000),
    })),
  );
}

const thrown = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('rate-limit policies', () => {
  it('counts per key within a window, refuses past the limit with the seconds left, and starts over', async () => {
    const { limit, windowSeconds } = rateLimitPolicies.smsCodePhone;
    const start = Math.floor(Date.now() / (windowSeconds * 1000)) * windowSeconds * 1000;
    for (let i = 0; i < limit; i++) await hitRateLimit(t.deps.db, 'smsCodePhone', 'unit-a', start + 1000);
    const err = await thrown(hitRateLimit(t.deps.db, 'smsCodePhone', 'unit-a', start + 1000));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).code).toBe('RATE_LIMITED');
    expect((err as RateLimitedError).retryAfterSeconds).toBe(windowSeconds - 1);
    // Another subject has its own count; the next window a fresh one.
    expect(await thrown(hitRateLimit(t.deps.db, 'smsCodePhone', 'unit-b', start + 1000))).toBeNull();
    const next = start + windowSeconds * 1000;
    expect(await thrown(hitRateLimit(t.deps.db, 'smsCodePhone', 'unit-a', next))).toBeNull();
  });

  it('limits SMS codes per phone and per address, keeping no phone number in clear', async () => {
    const phone = '13912345678';
    for (let i = 0; i < rateLimitPolicies.smsCodePhone.limit; i++)
      await hitSmsCodeLimits(t.deps.db, t.deps.crypto, phone, '192.0.2.10');
    expect(await thrown(hitSmsCodeLimits(t.deps.db, t.deps.crypto, phone, '192.0.2.11'))).toBeInstanceOf(
      RateLimitedError,
    );
    const keys = await t.deps.db.select({ key: rateLimits.key }).from(rateLimits);
    expect(keys.some((k) => k.key.includes(phone))).toBe(false);
    // One address asking for codes to many phones.
    const errors: unknown[] = [];
    for (let i = 0; i <= rateLimitPolicies.smsCodeAddress.limit; i++)
      errors.push(
        await thrown(hitSmsCodeLimits(t.deps.db, t.deps.crypto, `1380000${1000 + i}`, '192.0.2.20')),
      );
    expect(errors.slice(0, -1).every((e) => e === null)).toBe(true);
    expect(errors.at(-1)).toBeInstanceOf(RateLimitedError);
  });

  it('sweeps windows long past, so the table stays small', async () => {
    const old = Date.now() - 3 * 3600_000;
    await hitRateLimit(t.deps.db, 'reveal', 'sweep-me', old, false);
    await hitRateLimit(t.deps.db, 'reveal', 'keep-me', Date.now(), true);
    const rows = await queryRows<{ key: string }>(
      t.deps.db,
      sql`select key from rate_limits where key in ('reveal:sweep-me', 'reveal:keep-me')`,
    );
    expect(rows.map((r) => r.key)).toEqual(['reveal:keep-me']);
  });
});

describe('rate limits over HTTP', () => {
  const loginFrom = (app: FastifyInstance, remoteAddress: string, username: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      payload: { username, password: 'Wrong@2026pw' },
    });

  it('240 rapid logins from one address: past the limit, 429 with Retry-After and nothing checked', async () => {
    const { limit } = rateLimitPolicies.loginAddress;
    const names = Array.from({ length: 240 }, (_, i) => `sprayed-${i}`);
    await makeLockedAccounts(names);
    await roomInWindow(60);
    const replies = await Promise.all(names.map((name) => loginFrom(t.app, '203.0.113.50', name)));
    const limited = replies.filter((r) => r.statusCode === 429);
    expect(limited).toHaveLength(240 - limit);
    expect(replies.filter((r) => r.statusCode === 423)).toHaveLength(limit);
    const first = limited[0];
    expect(first?.headers['content-type']).toContain('application/problem+json');
    expect(first?.json().code).toBe('RATE_LIMITED');
    const retryAfter = Number(first?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A refused try never reached the password check (nor the audit trail).
    const [audited] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'auth.loginFailed' and actor_name like 'sprayed-%'`,
    );
    expect(audited?.n).toBe(limit);
    // Another address is not affected.
    expect((await loginFrom(t.app, '203.0.113.51', 'sprayed-0')).statusCode).toBe(423);
  });

  it('holds across two app servers sharing one database: logins per account and reveals per user', async () => {
    const second = await buildApp(t.deps, { serveWeb: false });
    await second.ready();
    try {
      await roomInWindow(60);
      await makeLockedAccounts(['target']);
      const { limit } = rateLimitPolicies.loginAccount;
      const statuses: number[] = [];
      for (let i = 0; i <= limit; i++) {
        const app = i % 2 === 0 ? t.app : second;
        statuses.push((await loginFrom(app, `198.51.100.${i + 1}`, 'target')).statusCode);
      }
      expect(statuses.slice(0, limit).every((s) => s === 423)).toBe(true);
      expect(statuses.at(-1)).toBe(429);

      const reveal = (app: FastifyInstance) =>
        app.inject({
          method: 'POST',
          url: `/api/residents/${residentId}/reveal`,
          headers: { cookie: district.cookie, 'x-csrf-token': district.csrf },
        });
      await roomInWindow(rateLimitPolicies.reveal.windowSeconds);
      const revealed: number[] = [];
      for (let i = 0; i <= rateLimitPolicies.reveal.limit; i++)
        revealed.push((await reveal(i % 2 === 0 ? t.app : second)).statusCode);
      expect(revealed.slice(0, -1).every((s) => s === 200)).toBe(true);
      const over = await reveal(second);
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(revealed.at(-1)).toBe(429);
      const [audited] = await queryRows<{ n: number }>(
        t.deps.db,
        sql`select count(*)::int as n from audit_log where action = 'pii.revealed' and target_id = ${residentId}`,
      );
      expect(audited?.n).toBe(rateLimitPolicies.reveal.limit);
    } finally {
      await second.close();
    }
  });

  it('limits spreadsheet exports per user', async () => {
    await roomInWindow(rateLimitPolicies.export.windowSeconds);
    const statuses: number[] = [];
    for (let i = 0; i <= rateLimitPolicies.export.limit; i++)
      statuses.push((await district.get('/api/cases/export.xlsx')).statusCode);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
