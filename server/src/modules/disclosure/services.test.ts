import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { invalidateNames } from '../cases/names.js';

let ctx: TestContext;
const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/** Three applications at one street's window: one issued on the spot and rated 满意. */
beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  invalidateNames();
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  const admin = await login(ctx.app, 'admin');
  const clerk = await login(ctx.app, 'clerk');
  const item = await admin.post('/api/services', {
    code: 'JZZM',
    name: '居住证明',
    category: 'certificate',
    level: 'community',
    timeLimitDays: 0,
    statutoryDays: 1,
    immediate: true,
    materials: [{ name: '居民身份证', required: true }],
  });
  expect(item.statusCode, item.body).toBe(201);
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const first17 = `15020319800101${String(i).padStart(3, '0')}`;
    const res = await clerk.post('/api/applications', {
      serviceCode: 'JZZM',
      applicant: { idNumber: first17 + idNumberCheckChar(first17), name: '孙丽华' },
      materials: [{ name: '居民身份证', provided: true }],
      channel: 'window',
      idempotencyKey: randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
  }
  expect((await clerk.post(`/api/applications/${ids[0]}/actions/issue`, {})).statusCode).toBe(200);
  expect((await clerk.post(`/api/applications/${ids[0]}/rating`, { level: 2 })).statusCode).toBe(201);
}, 120_000);
afterAll(() => ctx?.close());

describe('public disclosure of the service centre', () => {
  it('answers without login per street and item: counts and rates, nothing of anyone', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/disclosure/services?month=${month}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ month, district: '昆都仑区' });
    expect(body.streets).toEqual([
      {
        street: '测试1街道',
        applications: 3,
        completed: 1,
        onTimeRate: 1,
        goodRatingRate: 1,
        proxyShare: 0,
      },
      {
        street: '测试2街道',
        applications: 0,
        completed: 0,
        onTimeRate: null,
        goodRatingRate: null,
        proxyShare: null,
      },
    ]);
    expect(body.items).toEqual([{ name: '居住证明', applications: 3, completed: 1 }]);
    expect(res.body).not.toContain('孙丽华');
    expect(res.body).not.toMatch(/BJ\d{8}/);
  });

  it('refuses a future month by its field', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/disclosure/services?month=2999-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'month' });
  });
});
