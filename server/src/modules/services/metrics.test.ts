import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { xlsxRows } from '../../platform/spreadsheet.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { applications } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let admin: Session;
let clerk: Session;
let otherClerk: Session;
let street: Session;
let district: Session;

const certificate = {
  code: 'JZZM',
  name: '居住证明',
  category: 'certificate',
  level: 'community',
  timeLimitDays: 0,
  statutoryDays: 1,
  immediate: true,
  materials: [{ name: '居民身份证', required: true }],
};
const subsidy = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'street',
  level: 'street',
  timeLimitDays: 10,
  statutoryDays: 20,
  materials: [
    { name: '居民身份证', required: true },
    { name: '户口簿', required: true },
  ],
};

let seq = 0;
async function intake(s: Session, serviceCode: string, channel: string, provided = true): Promise<string> {
  seq++;
  const first17 = `15020319500101${String(seq).padStart(3, '0')}`;
  const names = serviceCode === 'GLJT' ? ['居民身份证', '户口簿'] : ['居民身份证'];
  const res = await s.post('/api/applications', {
    serviceCode,
    applicant: { idNumber: first17 + idNumberCheckChar(first17), name: `申请人${seq}` },
    materials: names.map((name, i) => ({ name, provided: provided || i === 0 })),
    // A proxy intake carries the resident's consent (the proxy module's); only the channel counts here.
    channel: channel === 'proxy' ? 'window' : channel,
    idempotencyKey: randomUUID(),
  });
  expect(res.statusCode, res.body).toBe(201);
  const id: string = res.json().id;
  if (channel === 'proxy') await setTimes(id, { channel: 'proxy' });
  return id;
}

const at = (iso: string) => new Date(iso);
async function setTimes(id: string, set: Partial<typeof applications.$inferInsert>) {
  await ctx.deps.db.update(applications).set(set).where(eq(applications.id, id));
}

/**
 * A small street: six applications at the c1 window, one at another street's window.
 * Three are done — two on time, one late — taking 0, 2 and 3 working days less a stopped
 * day; one runs past its due time, one is in its last 20 %, one waits for material.
 * Rated 非常满意, 满意 and 不满意.
 */
beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'clerk3', roles: ['serviceClerk'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  otherClerk = await login(ctx.app, 'clerk3');
  street = await login(ctx.app, 'street');
  district = await login(ctx.app, 'district');
  for (const item of [certificate, subsidy]) {
    const res = await admin.post('/api/services', item);
    expect(res.statusCode, res.body).toBe(201);
  }
  const a = await intake(clerk, 'JZZM', 'window');
  expect((await clerk.post(`/api/applications/${a}/actions/issue`, {})).statusCode).toBe(200);
  const b = await intake(clerk, 'GLJT', 'window');
  expect((await street.post(`/api/applications/${b}/actions/approve`, {})).statusCode).toBe(200);
  expect((await clerk.post(`/api/applications/${b}/actions/issue`, {})).statusCode).toBe(200);
  const c = await intake(clerk, 'GLJT', 'proxy');
  expect((await street.post(`/api/applications/${c}/actions/approve`, {})).statusCode).toBe(200);
  expect((await clerk.post(`/api/applications/${c}/actions/issue`, {})).statusCode).toBe(200);
  const d = await intake(clerk, 'GLJT', 'online');
  const e = await intake(clerk, 'GLJT', 'window');
  await intake(clerk, 'GLJT', 'window', false);
  await intake(otherClerk, 'JZZM', 'window');
  // Mon 30 Nov 2026, 09:00 China time, and working days after it (9–12, 13–18 each day).
  await setTimes(a, {
    acceptedAt: at('2026-11-30T01:00:00Z'),
    completedAt: at('2026-11-30T01:00:00Z'),
    dueAt: at('2026-11-30T02:00:00Z'),
  });
  await setTimes(b, {
    acceptedAt: at('2026-11-30T01:00:00Z'),
    completedAt: at('2026-12-02T01:00:00Z'),
    dueAt: at('2026-12-14T01:00:00Z'),
  });
  // Three working days, of which one stood still waiting for material (补正): two counted; late.
  await setTimes(c, {
    acceptedAt: at('2026-11-30T01:00:00Z'),
    completedAt: at('2026-12-03T01:00:00Z'),
    dueAt: at('2026-12-02T01:00:00Z'),
    pausedMinutes: 480,
  });
  const now = Date.now();
  await setTimes(d, { warnAt: new Date(now - 3 * 3_600_000), dueAt: new Date(now - 3_600_000) });
  await setTimes(e, { warnAt: new Date(now - 3_600_000), dueAt: new Date(now + 3_600_000) });
  for (const [id, level] of [
    [a, 1],
    [b, 2],
    [c, 4],
  ] as const) {
    const res = await clerk.post(`/api/applications/${id}/rating`, { level });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 180_000);
afterAll(() => ctx.close());

describe('service-centre metrics', () => {
  it('answers a department handler, who has no area, with the figures of his department', async () => {
    await makeUser(ctx.deps, {
      username: 'dept',
      roles: ['departmentHandler'],
      departmentId: t.departments[0]?.id,
    });
    const dept = await login(ctx.app, 'dept');
    // Nothing was sent to the department: the area's six applications are not his.
    const res = await dept.get('/api/metrics/services?from=2026-11-01&to=2026-12-31');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 0, completed: 0 });
  });

  it('counts the area: done on time, 好评率, overdue and warning now, by channel, state and clerk', async () => {
    const res = await street.get('/api/metrics/services');
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m).toMatchObject({
      total: 6,
      completed: 3,
      onTimeRate: 0.667,
      goodRatingRate: 0.667,
      rated: 3,
      overdue: 1,
      warning: 1,
      // (0 + 2 + 2) / 3 working days: the day waiting for material is not the office's.
      meanWorkingDays: 1.3,
      proxyShare: 0.167,
    });
    expect(
      Object.fromEntries(m.byChannel.map((c: { channel: string; total: number }) => [c.channel, c.total])),
    ).toEqual({
      window: 4,
      proxy: 1,
      online: 1,
    });
    expect(
      Object.fromEntries(m.byStatus.map((s: { status: string; total: number }) => [s.status, s.total])),
    ).toEqual({
      issued: 3,
      accepted: 2,
      incomplete: 1,
    });
    expect(m.byService).toEqual([
      { code: 'GLJT', name: '高龄津贴申请', total: 5, completed: 2, onTimeRate: 0.5 },
      { code: 'JZZM', name: '居住证明', total: 1, completed: 1, onTimeRate: 1 },
    ]);
    expect(m.byUnit).toEqual([
      { id: t.communities[0]?.id, name: t.communities[0]?.name, total: 6, completed: 3, onTimeRate: 0.667 },
    ]);
    expect(m.byClerk).toHaveLength(1);
    expect(m.byClerk[0]).toMatchObject({ total: 6 });
  });

  it('keeps to the reader’s scope and the asked area and period', async () => {
    const all = (await district.get('/api/metrics/services')).json();
    expect(all.total).toBe(7);
    expect(all.byUnit).toHaveLength(2);
    const other = (await district.get(`/api/metrics/services?orgUnitId=${t.streets[1]?.id}`)).json();
    expect(other).toMatchObject({ total: 1, completed: 0, onTimeRate: null, goodRatingRate: null });
    const mine = (await otherClerk.get('/api/metrics/services')).json();
    expect(mine.total).toBe(1);
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const later = (await street.get(`/api/metrics/services?from=${tomorrow}`)).json();
    expect(later).toMatchObject({ total: 0, completed: 0, onTimeRate: null, byService: [], byClerk: [] });
    const outside = await otherClerk.get(`/api/metrics/services?orgUnitId=${t.streets[0]?.id}`);
    expect(outside.statusCode).toBe(400);
  });

  it('exports the same figures as an xlsx workbook', async () => {
    const res = await street.get('/api/metrics/services/export.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const body = res.rawPayload;
    expect(body.subarray(0, 2).toString()).toBe('PK');
    const rows = [...xlsxRows(body)].flat();
    // The first sheet: the title, the header, then the figures.
    expect(rows[1]).toEqual(['指标', '数值']);
    const figures = Object.fromEntries(rows.slice(2).map((r) => [r[0], r[1]]));
    expect(figures).toMatchObject({ 受理件数: '6', 办结件数: '3', 超期在办: '1', 临期在办: '1' });
    expect(Number(figures.好评率)).toBeCloseTo(0.667, 3);
  });

  it('audits every download of the workbook with the area and period asked for', async () => {
    const audited = () =>
      queryRows<{ actor: string; payload: Record<string, unknown> }>(
        ctx.deps.db,
        sql`select actor_id as actor, payload from audit_log where action = 'serviceMetrics.exported' order by id`,
      );
    const before = (await audited()).length;
    const area = t.communities[0]?.id;
    const res = await street.get(`/api/metrics/services/export.xlsx?orgUnitId=${area}&from=2026-01-01`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = await audited();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)?.payload).toEqual({ orgUnitId: area, from: '2026-01-01', to: null });
    // A refused download (an area outside the jurisdiction) leaves no audit row.
    const outside = await otherClerk.get(`/api/metrics/services/export.xlsx?orgUnitId=${t.streets[0]?.id}`);
    expect(outside.statusCode).toBe(400);
    expect(await audited()).toHaveLength(before + 1);
  });
});
