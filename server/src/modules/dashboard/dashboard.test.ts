import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../platform/auth/load.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';
import { dashboard } from './service.js';

let ctx: TestContext;
let community: Session;
let otherCommunity: Session;
let t: Awaited<ReturnType<typeof makeTerritory>>;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
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

  it('reads a district and a street from the roll-ups with the same figures as from the cases', async () => {
    await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
    await makeUser(ctx.deps, {
      username: 'dept',
      roles: ['departmentHandler'],
      departmentId: t.departments[0]?.id,
    });
    const dept = await login(ctx.app, 'dept');
    const act = (s: Session, id: string, action: string, body: unknown = {}) =>
      s.post(`/api/cases/${id}/actions/${action}`, body);
    const report = async (key: string) =>
      (
        await community.post('/api/cases', {
          description: '汇总表核对',
          categoryCode: 'C0103',
          channel: 'walk_in',
          location: { lat: 40.605, lng: 109.875 },
          idempotencyKey: key,
        })
      ).json().id as string;
    // One case through to closing at a department, one supervised, one rejected.
    const a = await report('rollup-a');
    await act(community, a, 'accept');
    await act(community, a, 'dispatch', { assignee: { kind: 'department', id: t.departments[0]?.id } });
    await act(dept, a, 'claim');
    await act(dept, a, 'resolve', { result: '已修复' });
    await act(community, a, 'verify', { passed: true });
    expect((await act(community, a, 'followUp', { rating: 'satisfied' })).json().status).toBe('closed');
    const b = await report('rollup-b');
    const sup = await act(community, b, 'supervise', {
      order: '请加快办理',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(sup.statusCode).toBe(200);
    const c = await report('rollup-c');
    await act(community, c, 'reject', { reason: '不属于受理范围' });

    const [u] = await ctx.deps.db.select().from(users).where(eq(users.username, 'district'));
    const actor = await loadActor(ctx.deps.db, u as typeof users.$inferSelect, 'session', null);
    for (const area of [undefined, t.streets[0]?.id]) {
      const fromRollups = await dashboard(ctx.deps.db, actor, area);
      const fromCases = await dashboard(ctx.deps.db, actor, area, { rollup: false });
      expect(fromRollups.today.reported).toBeGreaterThanOrEqual(6);
      expect(fromRollups.today.supervised).toBe(1);
      expect(fromRollups.trend.at(-1)?.closed).toBe(1);
      expect(fromRollups.departments).toEqual([
        expect.objectContaining({ name: t.departments[0]?.name, count: 1, onTimeRate: 1 }),
      ]);
      expect(fromRollups).toEqual(fromCases);
    }
  });

  it('shows a department only its own cases: no district counts, no grid share, no areas', async () => {
    const dept = await login(ctx.app, 'dept');
    const d = (await dept.get('/api/dashboard')).json();
    expect(d.scope).toBe('department');
    expect(d.area).toEqual({ id: null, name: t.departments[0]?.name });
    // The district has six cases reported today; one was dispatched to the department.
    const district = (await (await login(ctx.app, 'district')).get('/api/dashboard')).json();
    expect(district.scope).toBe('area');
    expect(district.today.reported).toBe(6);
    expect(d.today).toEqual({ reported: 1, open: 0, overdue: 0, supervised: 0 });
    expect(d.trend.at(-1)).toMatchObject({ reported: 1, closed: 1 });
    expect(d.rates.onTimeRate).toBe(1);
    expect(d.rates.gridResolvedShare).toBeNull();
    expect(d.areas).toEqual([]);
    expect(d.departments).toEqual([]);
    // Each figure is the count of the list it opens.
    const today = d.trend.at(-1).day;
    expect((await dept.get(`/api/cases?from=${today}`)).json().total).toBe(d.today.reported);
    // No area to pick: the department has no jurisdiction.
    expect((await dept.get(`/api/dashboard?orgUnitId=${t.district.id}`)).statusCode).toBeGreaterThanOrEqual(
      400,
    );
  });
});
