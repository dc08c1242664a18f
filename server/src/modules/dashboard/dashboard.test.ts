import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';

let ctx: TestContext;
let community: Session;
let otherCommunity: Session;

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
  await makeUser(ctx.deps, {
    username: 'community2',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[2],
  });
  community = await login(ctx.app, 'community');
  otherCommunity = await login(ctx.app, 'community2');
  for (const [i, code] of ['C0103', 'C0103', 'C0101'].entries()) {
    const r = await community.post('/api/cases', {
      description: `仪表盘测试 ${i}`,
      categoryCode: code,
      channel: i === 2 ? 'walk_in' : 'hotline_12345',
      location: { lat: 40.605, lng: 109.875 },
      idempotencyKey: `dashboard-${i}`,
    });
    expect(r.statusCode).toBe(201);
  }
}, 60_000);
afterAll(() => ctx?.close());

describe('dashboard', () => {
  it('counts today’s cases, the trend and the breakdowns in the jurisdiction', async () => {
    const d = (await community.get('/api/dashboard')).json();
    expect(d.today).toMatchObject({ reported: 3, open: 3, overdue: 0, supervised: 0 });
    expect(d.trend).toHaveLength(30);
    expect(d.trend.at(-1).reported).toBe(3);
    expect(d.months.at(-1).reported).toBe(3);
    expect(d.byCategory.map((c: { name: string; count: number }) => [c.name, c.count])).toEqual([
      ['路灯不亮或损坏', 2],
      ['井盖破损或缺失', 1],
    ]);
    expect(d.byChannel.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(3);
    const other = (await otherCommunity.get('/api/dashboard')).json();
    expect(other.today).toMatchObject({ reported: 0, open: 0 });
    expect((await otherCommunity.get(`/api/dashboard?orgUnitId=${d.area.id}`)).statusCode).toBe(400);
  });
});
