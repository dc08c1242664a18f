import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { applicationRatings } from './tables.js';

let ctx: TestContext;
let clerk: Session;
const first17 = '15020319750305002';
const idNumber = first17 + idNumberCheckChar(first17);

async function takenIn(s: Session = clerk): Promise<string> {
  const res = await s.post('/api/applications', {
    serviceCode: 'LDRK',
    applicant: { idNumber, name: '王桂英' },
    materials: [{ name: '居民身份证', provided: true }],
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function ended(s: Session = clerk): Promise<string> {
  const id = await takenIn(s);
  const res = await s.post(`/api/applications/${id}/actions/issue`, {});
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'other', roles: ['communityWorkstation'], orgUnit: t.communities[2] });
  await makeUser(ctx.deps, { username: 'otherClerk', roles: ['serviceClerk'], orgUnit: t.communities[2] });
  const admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  const res = await admin.post('/api/services', {
    code: 'LDRK',
    name: '流动人口登记',
    category: 'communityDirect',
    level: 'community',
    timeLimitDays: 0,
    statutoryDays: 1,
    immediate: true,
    materials: [{ name: '居民身份证' }],
  });
  expect(res.statusCode, res.body).toBe(201);
}, 120_000);
afterAll(() => ctx.close());

describe('the one-time rating page (/r/rate/{token})', () => {
  const rateByToken = (token: string, body: unknown) =>
    ctx.app.inject({ method: 'POST', url: `/api/public/ratings/${token}`, payload: body as object });

  it('is offered once the application has ended, rates it once without a session, and a second rating is 409', async () => {
    const open = await takenIn();
    expect((await clerk.get(`/api/applications/${open}`)).json().ratePath).toBeNull();
    const id = await ended();
    const path = (await clerk.get(`/api/applications/${id}`)).json().ratePath as string;
    expect(path).toMatch(/^\/r\/rate\/[0-9a-f-]{36}\.[\w-]+$/);
    const token = path.split('/').at(-1) as string;
    const res = await rateByToken(token, { level: 2, comment: '还行' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ level: 2, levelName: '满意', channel: 'window' });
    const again = await rateByToken(token, { level: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ code: 'RATING_EXISTS' });
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(applicationRatings)
      .where(eq(applicationRatings.applicationId, id));
    expect(n?.n).toBe(1);
    // Rated: the page is no longer offered.
    expect((await clerk.get(`/api/applications/${id}`)).json().ratePath).toBeNull();
  });

  it('refuses a forged or edited token (404) and a level out of range (400), writing nothing', async () => {
    const id = await ended();
    const path = (await clerk.get(`/api/applications/${id}`)).json().ratePath as string;
    const token = path.split('/').at(-1) as string;
    const edited = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await rateByToken(edited, { level: 1 })).statusCode).toBe(404);
    expect((await rateByToken(`${randomUUID()}.${token.split('.')[1]}`, { level: 1 })).statusCode).toBe(404);
    expect((await rateByToken('not-a-token-at-all', { level: 1 })).statusCode).toBe(404);
    expect((await rateByToken(token, { level: 6 })).statusCode).toBe(400);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(applicationRatings)
      .where(eq(applicationRatings.applicationId, id));
    expect(n?.n).toBe(0);
  });
});
