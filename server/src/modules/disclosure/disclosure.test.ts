import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { mobileNumber } from '../../test/personalData.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  invalidateNames();
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  const community = await login(ctx.app, 'community');
  for (let i = 0; i < 3; i++) {
    const r = await community.post('/api/cases', {
      description: `楼道灯不亮 ${i}`,
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      location: { lat: 40.605, lng: 109.875 },
      reporter: { name: '赵建国', phone: '13700001234' },
      idempotencyKey: `disclosure-${i}`,
    });
    expect(r.statusCode).toBe(201);
  }
}, 60_000);
afterAll(() => ctx?.close());

describe('public disclosure', () => {
  it('answers without login: per street, the month’s counts and rates, and nothing personal', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/disclosure?month=${month}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.district).toBe('昆都仑区');
    expect(body.streets.map((s: { street: string }) => s.street)).toEqual(['测试1街道', '测试2街道']);
    expect(body.streets[0]).toMatchObject({ cases: 3, closed: 0 });
    expect(body.streets[1]).toMatchObject({ cases: 0 });
    // No ID numbers, phone numbers, names or case text.
    expect(res.body).not.toMatch(/\d{17}[\dXx]/);
    expect(res.body).not.toMatch(mobileNumber);
    expect(res.body).not.toContain('赵建国');
    expect(res.body).not.toContain('楼道灯');
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/public/disclosure?month=2999-01' })).statusCode,
    ).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/public/disclosure?month=13' })).statusCode).toBe(
      400,
    );
  });

  it('opens on the last full month when no month is asked for', async () => {
    const [y, m] = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7).split('-').map(Number) as [
      number,
      number,
    ];
    const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/disclosure' });
    expect(res.statusCode).toBe(200);
    expect(res.json().month).toBe(last);
    // The cases of this month are not in it.
    expect(res.json().streets[0]).toMatchObject({ cases: 0 });
  });
});
