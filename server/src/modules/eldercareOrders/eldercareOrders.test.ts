import { idNumberCheckChar } from '@civicgrid/core';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureElderServiceDefaults } from './catalogue.js';
import { elderOrderEvents, providerStaff } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let operator: Session;
let streetOperator: Session;
let community: Session;
let staffA: Session;
let staffA2: Session;
let staffB: Session;
let providerA: number;
let providerB: number;
/** Centre of the first test grid (0.01° square at 109.87 °E, 40.60 °N): the elder's home. */
const home = { lat: 40.605, lng: 109.875 };

async function person(name: string, birth: string, n: number, grid = 0): Promise<string> {
  const first = `150203${birth}${String(n).padStart(3, '0')}`;
  const res = await community.post('/api/residents', {
    name,
    idNumber: `${first}${idNumberCheckChar(first)}`,
    gridId: t.grids[grid]?.id,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function newProvider(name: string, areaIds: number[], serviceCodes: string[], location = home) {
  const res = await operator.post('/api/providers', {
    name,
    contactName: '张经理',
    phone: '0472-5123456',
    address: '昆都仑区钢铁大街1号',
    location,
    areaIds,
    serviceCodes,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
}

async function takeCall(residentId: string, serviceCode = 'EC007', extra: Record<string, unknown> = {}) {
  return operator.post('/api/eldercare/orders', {
    residentId,
    serviceCode,
    requestedAt: new Date().toISOString(),
    note: '下午两点后上门',
    callerName: '王女士',
    callerPhone: '13912345678',
    callerRelation: '女儿',
    ...extra,
  });
}

const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/eldercare/orders/${id}/actions/${action}`, body);

let elder85: string;
let elder70: string;
let young: string;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureElderServiceDefaults(ctx.deps.db);
  const { deps, app } = ctx;
  await makeUser(deps, { username: 'op', roles: ['eldercareOperator'], orgUnit: t.district });
  await makeUser(deps, { username: 'op.s2', roles: ['eldercareOperator'], orgUnit: t.streets[1] });
  await makeUser(deps, { username: 'cm', roles: ['communityWorkstation'], orgUnit: t.communities[0] });
  operator = await login(app, 'op');
  streetOperator = await login(app, 'op.s2');
  community = await login(app, 'cm');
  elder85 = await person('李大爷', '19400315', 1);
  elder70 = await person('赵奶奶', '19550610', 2);
  young = await person('钱先生', '19900101', 3);
  // 居室保洁 EC007 and 老年餐送餐 EC002 in community 1; provider B far away (5 km east).
  providerA = await newProvider('测试家政服务中心', [t.communities[0]?.id as number], ['EC007', 'EC002']);
  providerB = await newProvider('远方养老服务公司', [t.streets[0]?.id as number], ['EC007'], {
    lat: home.lat,
    lng: home.lng + 0.06,
  });
  for (const [u, p] of [
    ['staff.a', providerA],
    ['staff.a2', providerA],
    ['staff.b', providerB],
  ] as const) {
    const user = await makeUser(deps, { username: u, roles: ['serviceProvider'], orgUnit: t.communities[0] });
    await deps.db.insert(providerStaff).values({ userId: user.id, providerId: p });
  }
  staffA = await login(app, 'staff.a');
  staffA2 = await login(app, 'staff.a2');
  staffB = await login(app, 'staff.b');
}, 120_000);

afterAll(async () => ctx?.close());

describe('providers', () => {
  it('lists providers with their areas and services, filtered by kind and name', async () => {
    const all = await operator.get('/api/providers');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBe(2);
    const meals = await operator.get('/api/providers?kind=meals');
    expect(meals.json().items.map((p: { id: number }) => p.id)).toEqual([providerA]);
    expect(meals.json().items[0].kinds).toEqual(['meals', 'cleaning']);
    const byName = await operator.get(`/api/providers?q=${encodeURIComponent('远方')}`);
    expect(byName.json().items.map((p: { id: number }) => p.id)).toEqual([providerB]);
  });

  it('refuses an area outside the editor’s jurisdiction and an unknown service, naming the field', async () => {
    const base = { name: '越界服务商', phone: '13800000000', address: '某地某号', location: home };
    const out = await streetOperator.post('/api/providers', {
      ...base,
      areaIds: [t.communities[0]?.id],
      serviceCodes: ['EC001'],
    });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors[0]).toMatchObject({
      field: 'areaIds.0',
      code: 'PROVIDER_AREA_NOT_IN_JURISDICTION',
    });
    const bad = await operator.post('/api/providers', {
      ...base,
      areaIds: [t.communities[0]?.id],
      serviceCodes: ['NOPE'],
    });
    expect(bad.json().errors[0]).toMatchObject({
      field: 'serviceCodes.0',
      code: 'ELDER_ORDER_SERVICE_UNKNOWN',
    });
  });
});

describe('12349 orders', () => {
  it('takes a call: 201 with the caller masked, the trail and an audit row; bad input names its field', async () => {
    const res = await takeCall(elder85);
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      status: 'pending',
      kind: 'cleaning',
      elderName: '李大爷',
      callerPhone: '139****5678',
    });
    expect(o.elderIdNumber).toMatch(/^150203\*{8}\d{3}[\dX]$/);
    expect(o.allowedActions).toEqual(expect.arrayContaining(['dispatch', 'cancel']));
    expect(o.events.map((e: { action: string }) => e.action)).toEqual(['create']);
    const audit = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'eldercareOrder.created'), eq(auditLog.targetId, o.id)));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('13912345678');

    const tooYoung = await takeCall(young);
    expect(tooYoung.statusCode).toBe(400);
    expect(tooYoung.json().errors[0]).toMatchObject({ field: 'residentId', code: 'ELDER_ORDER_NOT_ELDER' });
    const unknown = await takeCall(elder85, 'EC999');
    expect(unknown.json().errors[0]).toMatchObject({ field: 'serviceCode' });
    const control = await takeCall(elder85, 'EC007', { note: 'abc\u0007def' });
    expect(control.statusCode).toBe(400);
    expect(control.json().errors[0].field).toBe('note');
    // An operator of the other street does not reach this elder.
    const other = await streetOperator.post('/api/eldercare/orders', {
      residentId: elder85,
      serviceCode: 'EC007',
      requestedAt: new Date().toISOString(),
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].field).toBe('residentId');
  });

  it('suggests qualified providers nearest first, and dispatches only to one', async () => {
    const o = (await takeCall(elder85)).json();
    const s = await operator.get(`/api/eldercare/orders/${o.id}/suggestions`);
    expect(s.json().items.map((p: { id: number }) => p.id)).toEqual([providerA, providerB]);
    expect(s.json().items[1].distanceM).toBeGreaterThan(4000);
    // 老年餐送餐: only A offers it.
    const meal = (await takeCall(elder85, 'EC002')).json();
    const sm = await operator.get(`/api/eldercare/orders/${meal.id}/suggestions`);
    expect(sm.json().items.map((p: { id: number }) => p.id)).toEqual([providerA]);
    const wrong = await act(operator, meal.id, 'dispatch', { providerId: providerB });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({
      field: 'providerId',
      code: 'ELDER_ORDER_PROVIDER_UNQUALIFIED',
    });
    const missing = await act(operator, meal.id, 'dispatch', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('providerId');
  });

  it('runs the whole order: dispatch, one accept of a parallel burst, arrive near home, finish with the subsidy, rate, follow-up', async () => {
    const o = (await takeCall(elder85)).json();
    const d = await act(operator, o.id, 'dispatch', { providerId: providerA });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'dispatched', providerName: '测试家政服务中心' });

    // The other provider's staff do not see it; the operator may not accept for them.
    expect((await staffB.get(`/api/eldercare/orders/${o.id}`)).statusCode).toBe(404);
    expect((await act(staffB, o.id, 'accept')).statusCode).toBe(404);
    expect((await act(operator, o.id, 'accept')).statusCode).toBe(403);
    const mine = await staffA.get('/api/eldercare/orders?open=true');
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(o.id);
    expect((await staffA.get(`/api/eldercare/orders/${o.id}`)).json().allowedActions).toEqual(['accept']);

    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => act(i % 2 ? staffA2 : staffA, o.id, 'accept')),
    );
    expect(burst.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(burst.filter((r) => r.statusCode === 409)).toHaveLength(7);
    const accepts = await ctx.deps.db
      .select()
      .from(elderOrderEvents)
      .where(and(eq(elderOrderEvents.orderId, o.id), eq(elderOrderEvents.action, 'accept')));
    expect(accepts).toHaveLength(1);

    const far = await act(staffA, o.id, 'arrive', { location: { lat: home.lat + 0.02, lng: home.lng } });
    expect(far.statusCode).toBe(409);
    expect(far.json().code).toBe('ELDER_ORDER_TOO_FAR');
    expect(far.json().errors[0].field).toBe('location');
    const badPoint = await act(staffA, o.id, 'arrive', { location: { lat: 200, lng: home.lng } });
    expect(badPoint.statusCode).toBe(400);
    const near = await act(staffA, o.id, 'arrive', { location: { lat: home.lat + 0.001, lng: home.lng } });
    expect(near.statusCode, near.body).toBe(200);

    expect((await act(staffA, o.id, 'finish', { note: '' })).statusCode).toBe(400);
    const done = await act(staffA, o.id, 'finish', { note: '已打扫客厅和卧室' });
    expect(done.statusCode, done.body).toBe(200);
    // 居室保洁 ¥40, 86 years old, self-care: the 80+ tier, 40 %.
    expect(done.json()).toMatchObject({ status: 'finished', amount: 40, subsidy: 16, selfPaid: 24 });

    expect((await act(staffA, o.id, 'rate', { rating: 5 })).statusCode).toBe(403);
    expect((await act(operator, o.id, 'rate', { rating: 6 })).statusCode).toBe(400);
    expect((await act(operator, o.id, 'rate', { rating: 4 })).statusCode).toBe(200);
    expect((await act(operator, o.id, 'rate', { rating: 5 })).statusCode).toBe(409);
    const closed = await act(operator, o.id, 'followUp', { note: '老人表示满意' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect(closed.json().events.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'dispatch',
      'accept',
      'arrive',
      'finish',
      'rate',
      'followUp',
    ]);
    const prov = await operator.get(`/api/providers/${providerA}`);
    expect(prov.json()).toMatchObject({ rating: 4, ratings: 1 });
    const trail = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'eldercareOrder.action'), eq(auditLog.targetId, o.id)));
    expect(trail).toHaveLength(6);
  });

  it('cancels only before the service starts; the caller’s number is revealed audited', async () => {
    const o = (await takeCall(elder70)).json();
    expect((await act(operator, o.id, 'cancel', {})).statusCode).toBe(400);
    const c = await act(operator, o.id, 'cancel', { reason: '家属已自行处理' });
    expect(c.json().status).toBe('cancelled');
    expect((await act(operator, o.id, 'dispatch', { providerId: providerA })).statusCode).toBe(409);
    const r = await operator.post(`/api/eldercare/orders/${o.id}/caller`);
    expect(r.json()).toEqual({ callerPhone: '13912345678' });
    const audit = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'eldercareOrder.callerRevealed'), eq(auditLog.targetId, o.id)));
    expect(audit).toHaveLength(1);
  });

  it('counts the month by kind, provider and area, and bills each provider with subsidy and self-paid parts', async () => {
    const o = (await takeCall(elder70)).json();
    await act(operator, o.id, 'dispatch', { providerId: providerA });
    await act(staffA, o.id, 'accept');
    await act(staffA, o.id, 'arrive', { location: home });
    // 70, self-care: no tier → pays the whole 40 yuan.
    expect((await act(staffA, o.id, 'finish', { note: '完成' })).json()).toMatchObject({
      subsidy: 0,
      selfPaid: 40,
    });

    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const stats = (await operator.get(`/api/eldercare/order-stats?month=${month}`)).json();
    expect(stats.byKind.find((k: { key: string }) => k.key === 'cleaning')).toMatchObject({ finished: 2 });
    expect(stats.byProvider[0]).toMatchObject({ key: String(providerA), finished: 2 });
    expect(stats.byArea[0].name).toBe(t.communities[0]?.name);
    expect((await operator.get('/api/eldercare/order-stats?month=2026-13')).statusCode).toBe(400);

    const bill = await operator.get(
      `/api/eldercare/bills/export.xlsx?month=${month}&providerId=${providerA}`,
    );
    expect(bill.statusCode, bill.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bill.rawPayload as unknown as ArrayBuffer);
    const sum = wb.getWorksheet('汇总');
    const line = sum?.getRow(3).values as unknown[];
    expect(line.slice(1)).toEqual(['测试家政服务中心', 2, 80, 16, 64]);
    expect(wb.getWorksheet('明细')?.rowCount).toBe(3);
    // Provider staff have no bills and no statistics.
    expect((await staffA.get(`/api/eldercare/bills/export.xlsx?month=${month}`)).statusCode).toBe(403);
  });
});

describe('the big screen', () => {
  it('counts today’s orders and the open ones in the viewer’s jurisdiction only', async () => {
    const own = await community.get('/api/screen/eldercare');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().ordersToday).toBeGreaterThanOrEqual(5);
    expect(own.json().ordersOpen).toBeGreaterThanOrEqual(1);
    // The other street's centre sees none of community 1's orders.
    await makeUser(ctx.deps, { username: 'st2', roles: ['streetCentre'], orgUnit: t.streets[1] });
    const other = await (await login(ctx.app, 'st2')).get('/api/screen/eldercare');
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toMatchObject({ ordersToday: 0, ordersOpen: 0, alertsToday: 0, devicesTotal: 0 });
  });
});
