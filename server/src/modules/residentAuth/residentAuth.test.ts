import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idNumberCheckChar, maskPhone } from '@civicgrid/core';
import { privacyNoticeVersion } from '@civicgrid/core/api/resident';
import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { hitRateLimit } from '../../platform/rateLimit.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { roomInWindow } from '../../test/rateWindows.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { cases } from '../cases/tables.js';
import { residentAccounts } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let outbox: string;
let address = 10;
/** Each sign-in from its own client address: one code a minute per address is the rule. */
const nextAddress = () => `198.51.100.${address++}`;

beforeAll(async () => {
  outbox = join(mkdtempSync(join(tmpdir(), 'cg-sms-')), 'outbox.jsonl');
  ctx = await createTestApp({ SMS_OUTBOX: outbox });
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

function askCode(phone: string, ip: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/resident-auth/code',
    payload: { phone },
    remoteAddress: ip,
  });
}

/** The last code texted to a phone, read from the SMS outbox (the number is masked there). */
function lastCode(phone: string): string {
  const lines = readFileSync(outbox, 'utf8').trim().split('\n');
  const texts = lines.map((l) => JSON.parse(l) as { to: string; text: string });
  const mine = texts.filter((m) => m.to === maskPhone(phone)).at(-1);
  const code = /\d{6}/.exec(mine?.text ?? '')?.[0];
  if (!code) throw new Error('no code texted');
  return code;
}

function sendLogin(phone: string, code: string, ip = nextAddress()) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/resident-auth/login',
    payload: { phone, code },
    remoteAddress: ip,
  });
}

function sessionOf(res: LightMyRequestResponse): Session {
  const c = res.cookies.find((k) => k.name === 'cg_session');
  if (!c) throw new Error('no session cookie');
  const cookie = `cg_session=${c.value}`;
  const csrf = res.json().csrfToken as string;
  const inject: Session['inject'] = (opts) =>
    ctx.app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  return {
    cookie,
    csrf,
    inject,
    get: (url) => inject({ method: 'GET', url }),
    post: (url, payload) =>
      inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) }),
    patch: (url, payload) => inject({ method: 'PATCH', url, payload: payload as object }),
    put: (url, payload) => inject({ method: 'PUT', url, payload: payload as object }),
    del: (url) => inject({ method: 'DELETE', url }),
  };
}

/** A minute passes, as far as the per-minute code limits know. */
async function aMinuteLater() {
  await ctx.deps.db.execute(sql`delete from rate_limits where key like 'smsCode%Minute:%'`);
}

/** A resident signed in by phone and code, as the portal does it. */
export async function signIn(phone: string): Promise<Session> {
  const ip = nextAddress();
  expect((await askCode(phone, ip)).statusCode).toBe(202);
  const res = await sendLogin(phone, lastCode(phone), ip);
  expect(res.statusCode).toBe(200);
  return sessionOf(res);
}

describe('sign-in codes', () => {
  it('sends a 6-digit code (202), stored only as a hash, the phone nowhere in clear', async () => {
    const phone = '13800000001';
    const res = await askCode(phone, nextAddress());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ expiresIn: 300 });
    const code = lastCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    const dump = JSON.stringify(
      await queryRows(
        ctx.deps.db,
        sql`select * from resident_login_codes union all select null, key, null, hits, null from rate_limits`,
      ),
    );
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain(code);
  });

  it('sends one code a minute per phone, whatever the address (429 with Retry-After)', async () => {
    const phone = '13800000002';
    await roomInWindow(60, 10_000);
    expect((await askCode(phone, nextAddress())).statusCode).toBe(202);
    const again = await askCode(phone, nextAddress());
    expect(again.statusCode).toBe(429);
    expect(again.json().code).toBe('RATE_LIMITED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  }, 60000);

  it('sends one code a minute per address, whatever the phone', async () => {
    const ip = nextAddress();
    await roomInWindow(60, 10_000);
    expect((await askCode('13800000003', ip)).statusCode).toBe(202);
    const other = await askCode('13800000004', ip);
    expect(other.statusCode).toBe(429);
    expect(other.headers['retry-after']).toBeDefined();
  }, 60000);

  it('sends at most five codes an hour per phone and per address', async () => {
    const phone = '13800000005';
    const idx = ctx.deps.crypto.blindIndex(phone);
    await roomInWindow(3600, 30_000);
    for (let i = 0; i < 5; i++) await hitRateLimit(ctx.deps.db, 'smsCodePhone', `phone:${idx}`);
    expect((await askCode(phone, nextAddress())).statusCode).toBe(429);
    const ip = nextAddress();
    for (let i = 0; i < 5; i++) await hitRateLimit(ctx.deps.db, 'residentCodeAddress', `ip:${ip}`);
    expect((await askCode('13800000006', ip)).statusCode).toBe(429);
  }, 90000);

  it('refuses a malformed phone with a field error', async () => {
    const res = await askCode('12345', nextAddress());
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('phone');
  });
});

describe('signing in with a code', () => {
  it('gives the same session as a password login, and makes the account once', async () => {
    const phone = '13800000011';
    const ip = nextAddress();
    await askCode(phone, ip);
    const res = await sendLogin(phone, lastCode(phone), ip);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      roles: [{ code: 'resident' }],
      mustChangePassword: false,
      csrfToken: expect.any(String),
    });
    // A resident reports and rates his cases and posts micro-wishes (微心愿), nothing more.
    expect(res.json().permissions).toEqual([
      'case:rate',
      'case:report',
      'deliberation:participate',
      'wish:post',
    ]);
    const s = sessionOf(res);
    expect((await s.get('/api/me')).json().id).toBe(res.json().id);
    // The code is spent.
    expect((await sendLogin(phone, lastCode(phone))).statusCode).toBe(401);
    // A second sign-in finds the same account.
    await aMinuteLater();
    const again = await signIn(phone);
    expect((await again.get('/api/me')).json().id).toBe(res.json().id);
  });

  it('spends the code after five wrong tries: the right code no longer works', async () => {
    const phone = '13800000012';
    await askCode(phone, nextAddress());
    const code = lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await sendLogin(phone, wrong)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const right = await sendLogin(phone, code);
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('RESIDENT_CODE_LOCKED');
  });

  it('refuses an expired code', async () => {
    const phone = '13800000013';
    await askCode(phone, nextAddress());
    await ctx.deps.db.execute(sql`update resident_login_codes set expires_at = now() - interval '1 second'`);
    const res = await sendLogin(phone, lastCode(phone));
    expect(res.statusCode).toBe(401);
    expect(res.json().errors?.[0]).toMatchObject({ field: 'code' });
  });

  it('keeps the demo resident signing in with a password', async () => {
    await makeUser(ctx.deps, { username: 'resident', roles: ['resident'] });
    const s = await login(ctx.app, 'resident');
    expect((await s.get('/api/me/resident')).json()).toMatchObject({ phone: null, consent: null });
  });
});

describe('the resident account', () => {
  it('stores consent to the current privacy notice with its time; an old version is refused', async () => {
    const s = await signIn('13800000021');
    const old = await s.post('/api/me/resident/consent', { version: '2020-01-01' });
    expect(old.statusCode).toBe(400);
    expect(old.json().errors[0]).toMatchObject({ field: 'version' });
    const ok = await s.post('/api/me/resident/consent', { version: privacyNoticeVersion });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().consent).toMatchObject({ version: privacyNoticeVersion, at: expect.any(String) });
    expect(ok.json().phone).toBe('138****0021');
  });

  it('binds a real name: a bad check digit names the field; a good number is stored encrypted and shown masked', async () => {
    const s = await signIn('13800000022');
    const first17 = '15020319900307123';
    const good = first17 + idNumberCheckChar(first17);
    const bad = first17 + (good.endsWith('0') ? '1' : '0');
    const refused = await s.post('/api/me/resident/real-name', { name: '张三', idNumber: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'idNumber', rule: 'checkDigit' });
    const ok = await s.post('/api/me/resident/real-name', { name: '张三', idNumber: good });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().realName).toMatchObject({ name: '张三', idNumber: `150203********${good.slice(-4)}` });
    const rows = JSON.stringify(await ctx.deps.db.select().from(residentAccounts));
    expect(rows).not.toContain(good);
    expect(rows).not.toContain('张三');
  });

  it('deletes the account on request: signed out, personal data cleared, reports kept anonymised', async () => {
    const phone = '13800000023';
    const s = await signIn(phone);
    const reported = await s.post('/api/cases', {
      description: '楼下路灯坏了好几天',
      categoryCode: 'C0103',
      channel: 'resident_app',
      location: { lat: 40.605, lng: 109.875 },
      reporter: { phone },
      idempotencyKey: randomUUID(),
    });
    expect(reported.statusCode).toBe(201);
    const id = reported.json().id as string;
    const [before] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(before?.reporterName).toBe('居民0023');
    expect(before?.reporterPhoneEnc).not.toBeNull();

    expect((await s.del('/api/me/resident')).statusCode).toBe(204);
    expect((await s.get('/api/me')).statusCode).toBe(401);
    const [after] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(after).toMatchObject({
      description: '楼下路灯坏了好几天',
      reporterName: null,
      reporterPhoneEnc: null,
      reporterPhoneIdx: null,
      reporterUserId: null,
    });
    const names = await queryRows<{ actor_name: string }>(
      ctx.deps.db,
      sql`select actor_name from case_events where case_id = ${id}`,
    );
    expect(names.map((n) => n.actor_name)).toEqual(['已注销居民']);
    // The same phone signs up afresh and sees nothing of the old account.
    await aMinuteLater();
    const fresh = await signIn(phone);
    expect((await fresh.get('/api/my/cases')).json()).toEqual({ items: [], total: 0 });
  });

  it('refuses deletion of a staff account here', async () => {
    await makeUser(ctx.deps, {
      username: 'staffer',
      roles: ['communityWorkstation'],
      orgUnit: t.communities[0],
    });
    const s = await login(ctx.app, 'staffer');
    expect((await s.del('/api/me/resident')).statusCode).toBe(403);
  });
});
