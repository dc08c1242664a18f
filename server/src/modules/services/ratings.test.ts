import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { applicationRatings } from './tables.js';

let ctx: TestContext;
let clerk: Session;
let community: Session;
let other: Session;
let otherClerk: Session;
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
const rate = (s: Session, id: string, body: unknown) => s.post(`/api/applications/${id}/rating`, body);

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
  community = await login(ctx.app, 'community');
  other = await login(ctx.app, 'other');
  otherClerk = await login(ctx.app, 'otherClerk');
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

describe('好差评', () => {
  it('a good rating is recorded once, with its channel; no rectification; 好评率 counts it', async () => {
    const before = (await clerk.get('/api/metrics/services')).json();
    expect(before.goodRatingRate).toBeNull();
    const id = await ended();
    const res = await rate(clerk, id, { level: 1, comment: '办事快' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      level: 1,
      levelName: '非常满意',
      channel: 'window',
      rectification: null,
    });
    const again = await rate(clerk, id, { level: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().errors[0]).toMatchObject({ field: 'level', code: 'RATING_EXISTS' });
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(applicationRatings)
      .where(eq(applicationRatings.applicationId, id));
    expect(n?.n).toBe(1);
    expect((await clerk.get(`/api/applications/${id}/rating`)).json().level).toBe(1);
    expect((await clerk.get('/api/metrics/services')).json().goodRatingRate).toBe(1);
    const trail = (await clerk.get(`/api/applications/${id}`)).json().events;
    expect(trail.map((e: { action: string }) => e.action)).toContain('rate');
  });

  it('is refused before the application ends, out of range, or out of sight; the back office may record a phone follow-up', async () => {
    const open = await takenIn();
    const early = await rate(clerk, open, { level: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json().errors[0].code).toBe('RATING_NOT_ENDED');
    const id = await ended();
    const range = await rate(clerk, id, { level: 6 });
    expect(range.statusCode).toBe(400);
    expect(range.json().errors[0].field).toBe('level');
    expect((await rate(otherClerk, id, { level: 1 })).statusCode).toBe(404);
    expect((await rate(community, id, { level: 1, channel: 'phone' })).statusCode).toBe(201);
    expect((await rate(other, id, { level: 1 })).statusCode).toBe(404);
  });

  it('不满意 opens a rectification with a deadline, closed by the unit back office with a note', async () => {
    const id = await ended();
    const res = await rate(clerk, id, { level: 4, comment: '等候时间太长', channel: 'phone' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.levelName).toBe('不满意');
    expect(r.channel).toBe('phone');
    expect(r.rectification).toMatchObject({ applicationId: id, level: 4, rectifiedAt: null, overdue: false });
    expect(Date.parse(r.rectification.rectifyBy)).toBeGreaterThan(Date.now());

    expect(r.rectification).toMatchObject({ serviceCode: 'LDRK', serviceName: '流动人口登记' });

    // The list names the item (as it was when the application was taken in), not only its code.
    const admin = await login(ctx.app, 'admin');
    expect((await admin.patch('/api/services/LDRK', { name: '流动人口居住登记' })).statusCode).toBe(200);
    const open = (await community.get('/api/rectifications?open=true')).json();
    expect(open.items.map((x: { id: string }) => x.id)).toContain(r.id);
    expect(open.items.find((x: { id: string }) => x.id === r.id)).toMatchObject({
      serviceCode: 'LDRK',
      serviceName: '流动人口登记',
    });
    expect((await other.get('/api/rectifications')).json().total).toBe(0);

    // The window does not close it; another community does not see it; a note is required.
    expect((await clerk.post(`/api/rectifications/${r.id}/close`, { note: '已整改' })).statusCode).toBe(403);
    expect((await other.post(`/api/rectifications/${r.id}/close`, { note: '已整改' })).statusCode).toBe(404);
    const noNote = await community.post(`/api/rectifications/${r.id}/close`, { note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0].field).toBe('note');

    const closed = await community.post(`/api/rectifications/${r.id}/close`, {
      note: '已增设高峰时段窗口，电话回访申请人表示认可',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().rectifiedAt).toBeTruthy();
    const twice = await community.post(`/api/rectifications/${r.id}/close`, { note: '再次办结' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0].code).toBe('RECTIFICATION_CLOSED');
    expect((await community.get('/api/rectifications?open=true')).json().items).toHaveLength(0);
    expect((await community.get('/api/rectifications?open=false')).json().total).toBe(1);

    const actions = (await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['application.rated', 'rectification.closed']));
  });

  it('非常不满意 opens one too; 好评率 is the share of 非常满意 and 满意', async () => {
    const id = await ended();
    const res = await rate(clerk, id, { level: 5 });
    expect(res.json().rectification).not.toBeNull();
    // Rated so far in the clerk's community: 1, 1 (by phone), 4, 5 → half good.
    expect((await clerk.get('/api/metrics/services')).json().goodRatingRate).toBe(0.5);
  });
});
