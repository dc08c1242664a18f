import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../platform/auth/load.js';
import { queryRows } from '../../platform/db.js';
import { login, makeUser, type Session } from '../../test/factories.js';
import { users } from '../accounts/tables.js';
import { act, casesWorld, inGrid0, report } from '../cases/testWorld.js';
import { propertyPerformance, sweepPropertyClocks } from './property.js';

let w: Awaited<ReturnType<typeof casesWorld>>;
let staffA: Session;
let staffB: Session;
let companyA: { id: number; departmentId: number };
let companyB: { id: number; departmentId: number };

/** A rectangle [lng, lat] ring around a centre, half-sides in degrees. */
const box = (lng: number, lat: number, d = 0.003) => [
  [lng - d, lat - d],
  [lng + d, lat - d],
  [lng + d, lat + d],
  [lng - d, lat + d],
];

const companyInput = (over: Record<string, unknown> = {}) => ({
  name: '测试红管家物业服务有限公司',
  creditCode: '91150203MA0N000001',
  contactName: '李经理',
  phone: '13800001111',
  orgUnitId: w.t.communities[0]?.id,
  estates: [{ name: '幸福家园', outline: box(inGrid0.lng, inGrid0.lat) }],
  ...over,
});

async function dispatchedCase(to: number, location = inGrid0): Promise<string> {
  const id = (await report(w.clerk, { location })).json().id as string;
  expect((await act(w.community, id, 'accept')).statusCode).toBe(200);
  const d = await act(w.community, id, 'dispatch', { assignee: { kind: 'department', id: to } });
  expect(d.statusCode, d.body).toBe(200);
  return id;
}

beforeAll(async () => {
  w = await casesWorld();
  const a = await w.street.post('/api/property-companies', companyInput());
  expect(a.statusCode, a.body).toBe(201);
  companyA = a.json();
  const b = await w.street.post(
    '/api/property-companies',
    companyInput({
      name: '测试第二物业有限公司',
      creditCode: '91150203MA0N000002',
      // Next door, in the community's second grid.
      estates: [{ name: '和谐小区', outline: box(inGrid0.lng + 0.01, inGrid0.lat) }],
    }),
  );
  expect(b.statusCode, b.body).toBe(201);
  companyB = b.json();
  await makeUser(w.ctx.deps, {
    username: 'propA',
    roles: ['propertyStaff'],
    departmentId: companyA.departmentId,
  });
  await makeUser(w.ctx.deps, {
    username: 'propB',
    roles: ['propertyStaff'],
    departmentId: companyB.departmentId,
  });
  staffA = await login(w.ctx.app, 'propA');
  staffB = await login(w.ctx.app, 'propB');
}, 90_000);

afterAll(async () => {
  await w?.ctx.close();
});

describe('the register', () => {
  it('keeps a company with its estates, staff and a masked phone; lists it in the area only', async () => {
    const list = await w.street.get('/api/property-companies');
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    const a = list.json().items[0];
    expect(a).toMatchObject({
      name: '测试红管家物业服务有限公司',
      phone: '*******1111',
      orgUnitName: '测试1-1社区',
    });
    expect(a.estates[0].geometry.coordinates[0]).toHaveLength(5);
    expect(a.staff.map((s: { username: string }) => s.username)).toEqual(['propA']);
    expect(JSON.stringify(list.json())).not.toContain('13800001111');
    // Another street's community sees none of them, and the detail is 404.
    expect((await w.otherCommunity.get('/api/property-companies')).json().total).toBe(0);
    expect((await w.otherCommunity.get(`/api/property-companies/${companyA.id}`)).statusCode).toBe(404);
    expect((await w.community.get(`/api/property-companies/${companyA.id}`)).statusCode).toBe(200);
  });

  it('refuses bad input naming the field, in Chinese, writing nothing', async () => {
    const before = await queryRows<{ n: number }>(
      w.ctx.deps.db,
      sql`select count(*)::int as n from departments`,
    );
    const bad = await w.street.post('/api/property-companies', companyInput({ creditCode: 'ABC' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.json())).toContain('creditCode');
    expect(JSON.stringify(bad.json())).toContain('统一社会信用代码');
    const bowtie = await w.street.post(
      '/api/property-companies',
      companyInput({
        creditCode: '91150203MA0N000009',
        name: '蝴蝶结物业公司',
        estates: [
          {
            name: '交叉小区',
            outline: [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
            ],
          },
        ],
      }),
    );
    expect(bowtie.statusCode).toBe(400);
    expect(JSON.stringify(bowtie.json())).toContain('estates.0.outline');
    const away = await w.street.post(
      '/api/property-companies',
      companyInput({
        creditCode: '91150203MA0N000008',
        name: '外街道物业公司',
        orgUnitId: w.t.communities[2]?.id,
      }),
    );
    expect(away.statusCode).toBe(400);
    expect(JSON.stringify(away.json())).toContain('orgUnitId');
    // A community reads but does not register.
    expect((await w.community.post('/api/property-companies', companyInput())).statusCode).toBe(403);
    const after = await queryRows<{ n: number }>(
      w.ctx.deps.db,
      sql`select count(*)::int as n from departments`,
    );
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('registers a burst of the same company once', async () => {
    const body = companyInput({ name: '并发物业有限公司', creditCode: '91150203MA0N000007', estates: [] });
    const res = await Promise.all(
      Array.from({ length: 5 }, () => w.street.post('/api/property-companies', body)),
    );
    expect(res.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await queryRows<{ n: number }>(
      w.ctx.deps.db,
      sql`select count(*)::int as n from property_companies where credit_code = '91150203MA0N000007'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('adds an estate, once per name', async () => {
    const add = () =>
      w.street.post(`/api/property-companies/${companyB.id}/estates`, {
        name: '和谐小区二期',
        outline: box(inGrid0.lng + 0.01, inGrid0.lat + 0.004, 0.0005),
      });
    const first = await add();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().estates.map((e: { name: string }) => e.name)).toContain('和谐小区二期');
    expect((await add()).statusCode).toBe(409);
    expect((await w.otherCommunity.get(`/api/property-companies/${companyB.id}`)).statusCode).toBe(404);
  });
});

describe('dispatch to the estate’s company', () => {
  it('suggests the company whose estate holds the case, and none outside every estate', async () => {
    const id = (await report(w.clerk)).json().id as string;
    await act(w.community, id, 'accept');
    const s = await w.community.get(`/api/cases/${id}/property-company`);
    expect(s.statusCode).toBe(200);
    expect(s.json().company).toMatchObject({ id: companyA.id, estateName: '幸福家园' });
    const outside = (await report(w.clerk, { location: { lat: 40.609, lng: 109.879 } })).json().id as string;
    expect((await w.community.get(`/api/cases/${outside}/property-company`)).json().company).toBeNull();
    // Another community does not see the case at all.
    expect((await w.otherCommunity.get(`/api/cases/${id}/property-company`)).statusCode).toBe(404);
  });

  it('refuses another company, naming the assignee, and leaves the case as it was', async () => {
    const id = (await report(w.clerk)).json().id as string;
    await act(w.community, id, 'accept');
    const res = await act(w.community, id, 'dispatch', {
      assignee: { kind: 'department', id: companyB.departmentId },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('assignee.id');
    expect(JSON.stringify(res.json())).toContain('不在该物业企业服务的小区内');
    expect((await w.community.get(`/api/cases/${id}`)).json().status).toBe('accepted');
    const rows = await queryRows<{ n: number }>(
      w.ctx.deps.db,
      sql`select count(*)::int as n from property_dispatches where case_id = ${id}`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('starts the 15 min / 30 min / 24 h clock; its staff handle it, another company’s get 404', async () => {
    const t0 = Date.now();
    const id = await dispatchedCase(companyA.departmentId);
    const [d] = await queryRows<{ respond: string; reply: string; resolve: string; due: string }>(
      w.ctx.deps.db,
      sql`select d.respond_by::text as respond, d.reply_by::text as reply, d.resolve_by::text as resolve,
        c.due_at::text as due from property_dispatches d join cases c on c.id = d.case_id where d.case_id = ${id}`,
    );
    const after = (s?: string) => (new Date(s as string).getTime() - t0) / 60_000;
    expect(after(d?.respond)).toBeGreaterThanOrEqual(15);
    expect(after(d?.respond)).toBeLessThan(16);
    expect(after(d?.reply)).toBeGreaterThanOrEqual(30);
    expect(after(d?.reply)).toBeLessThan(31);
    expect(after(d?.resolve)).toBeGreaterThanOrEqual(24 * 60);
    expect(after(d?.due)).toBeLessThan(24 * 60 + 1);

    expect((await staffB.get(`/api/cases/${id}`)).statusCode).toBe(404);
    expect((await act(staffB, id, 'claim')).statusCode).toBe(404);
    const mine = await staffA.get('/api/cases?view=toClaim');
    expect(mine.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await act(staffA, id, 'claim')).statusCode).toBe(200);
    expect((await act(staffA, id, 'note', { note: '已到现场查看，正在联系电工' })).statusCode).toBe(200);
    const res = await act(staffA, id, 'resolve', { result: '已更换灯泡' });
    const clock = await staffA.get(`/api/cases/${id}/property-clock`);
    expect(clock.statusCode).toBe(200);
    expect(clock.json().dispatches).toHaveLength(1);
    expect(clock.json().dispatches[0]).toMatchObject({ estateName: '幸福家园' });
    expect(
      clock.json().dispatches[0].steps.map((s: { step: string; onTime: boolean }) => [s.step, s.onTime]),
    ).toEqual([
      ['respond', true],
      ['reply', true],
      ['resolve', true],
    ]);
    expect((await staffB.get(`/api/cases/${id}/property-clock`)).statusCode).toBe(404);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('resolved');
    // The staff see only their company's cases.
    const all = await staffA.get('/api/cases');
    const ids = all.json().items.map((c: { id: string }) => c.id);
    expect(ids).toContain(id);
    const rows = await queryRows<{ id: string }>(
      w.ctx.deps.db,
      sql`select case_id::text as id from property_dispatches where company_id = ${companyA.id}`,
    );
    for (const x of ids) expect(rows.map((r) => r.id)).toContain(x);
  });

  it('marks 响应 and 回复 late once, in the trail, and counts the case as overdue', async () => {
    const id = await dispatchedCase(companyA.departmentId);
    const now = Date.now();
    const at16 = await sweepPropertyClocks(w.ctx.deps.db, new Date(now + 16 * 60_000));
    expect(at16.late).toBeGreaterThanOrEqual(1);
    const again = await sweepPropertyClocks(w.ctx.deps.db, new Date(now + 17 * 60_000));
    expect(again.late).toBe(0);
    await sweepPropertyClocks(w.ctx.deps.db, new Date(now + 31 * 60_000));
    const events = await queryRows<{ step: string }>(
      w.ctx.deps.db,
      sql`select data->>'step' as step from case_events where case_id = ${id} and action = 'overdue' order by id`,
    );
    expect(events.map((e) => e.step)).toEqual(['respond', 'reply']);
    const [c] = await queryRows<{ ever: boolean }>(
      w.ctx.deps.db,
      sql`select ever_overdue as ever from cases where id = ${id}`,
    );
    expect(c?.ever).toBe(true);
  });
});

describe('performance', () => {
  it('counts each step on time per company and month, from the trail', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const [u] = await w.ctx.deps.db.select().from(users).where(eq(users.username, 'street'));
    const actor = await loadActor(w.ctx.deps.db, u as typeof users.$inferSelect, 'session', null);
    // Company A has one case handled at once and one left alone: a day later, the second is late on all three.
    const later = new Date(Date.now() + 25 * 3_600_000);
    const { items } = await propertyPerformance(w.ctx.deps.db, actor, { from: month, to: month }, later);
    const a = items.find((r) => r.companyId === companyA.id);
    expect(a).toMatchObject({
      month,
      dispatched: 2,
      respondedOnTime: 1,
      repliedOnTime: 1,
      resolvedOnTime: 1,
      late: 1,
      respondRate: 0.5,
      replyRate: 0.5,
      resolveRate: 0.5,
    });
    expect(items.find((r) => r.companyId === companyB.id)).toMatchObject({
      dispatched: 0,
      respondRate: null,
    });
    const res = await w.street.get(`/api/property-performance?from=${month}&to=${month}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((r: { companyId: number }) => r.companyId === companyA.id).dispatched).toBe(
      2,
    );
    expect(
      (await w.otherCommunity.get(`/api/property-performance?from=${month}&to=${month}`)).json().items,
    ).toEqual([]);
    const bad = await w.street.get('/api/property-performance?from=2026-13&to=2026-01');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('from');
    expect((await staffA.get(`/api/property-performance?from=${month}&to=${month}`)).statusCode).toBe(403);
  });
});
