import { randomUUID } from 'node:crypto';
import { defaultAssessmentRules, periodRange } from '@civicgrid/core/assessment/rules';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';
import { householdVisits, patrols, workLogs } from '../fieldwork/tables.js';
import { gridTeamMembers } from '../org/tables.js';

/**
 * A small fixture whose scores are worked out by hand from the default rules, for the
 * week that holds today (a week's caps are 7/30 of the monthly ones).
 *
 * Worker A (grid 1) this week: reported 5 cases — #1 self-resolved, verified, rated
 * satisfied; #2 rejected (a return); #3 self-resolved, failed verification (rework);
 * #4 dispatched to the grid, claimed, resolved on time, rated dissatisfied; #5 resolved
 * after its deadline (overdue) — and returned #6, a case dispatched to the grid. Two
 * patrols today (1.5 + 2.5 km; one of 10 km ten days ago is outside the week), two
 * household visits, one work log (another eight days ago is outside).
 *   patrolDays 1 × 2 = 2 · patrolKm 4 × 0.5 = 2 · casesFound 4 (#1 #3 #4 #5) × 1 = 4 ·
 *   casesSelfResolved 2 × 1.5 = 3 · casesOnTime 3 (#1 #3 #4) × 1 = 3 · visits 2 × 0.5 = 1 ·
 *   workLogs 1 × 1 = 1 · ratings 1 × 0.5 = 0.5 · rework −2 · returns 2 × −1 = −2 ·
 *   overdue −2  →  10.5
 * Worker B (grid 2): reported 8 cases (8 points, capped at 30 × 7/30 = 7) and made 8
 * visits (4)  →  11.
 * Worker C (street 2): nothing  →  0.
 */
let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let district: Session;
let street2: Session;
let workerA: Session;
let workerB: Session;
let dept: Session;
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const inGrid0 = { lat: 40.605, lng: 109.875 };
const inGrid1 = { lat: 40.605, lng: 109.885 };

const act = async (s: Session, id: string, action: string, body: unknown = {}) => {
  const r = await s.post(`/api/cases/${id}/actions/${action}`, body);
  expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
  return r.json();
};
async function report(s: Session, categoryCode: string, location = inGrid0) {
  const r = await s.post('/api/cases', {
    description: '考核测试事件',
    categoryCode,
    channel: 'grid_patrol',
    location,
    idempotencyKey: randomUUID(),
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  invalidateNames();
  const db = ctx.deps.db;
  const mk = (username: string, roles: string[], extra: object) =>
    makeUser(ctx.deps, { username, roles, ...extra });
  await mk('community', ['communityWorkstation'], { orgUnit: t.communities[0] });
  await mk('district', ['districtCommand'], { orgUnit: t.district });
  await mk('street2', ['streetCentre'], { orgUnit: t.streets[1] });
  await mk('dept', ['departmentHandler'], { departmentId: t.departments[0]?.id });
  const a = await mk('workerA', ['gridWorker'], { orgUnit: t.grids[0] });
  const b = await mk('workerB', ['gridWorker'], { orgUnit: t.grids[1] });
  await mk('workerC', ['gridWorker'], { orgUnit: t.grids[4] });
  await db.insert(gridTeamMembers).values([
    { gridId: t.grids[0]?.id as number, userId: a.id, role: 'gridManager' },
    { gridId: t.grids[1]?.id as number, userId: b.id, role: 'gridManager' },
  ]);
  [community, district, street2, workerA, workerB, dept] = (await Promise.all(
    ['community', 'district', 'street2', 'workerA', 'workerB', 'dept'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session, Session];

  // Worker A's cases.
  const c1 = await report(workerA, 'E0102');
  await act(workerA, c1, 'selfResolve', { result: '已清理' });
  await act(community, c1, 'verify', { passed: true });
  await act(community, c1, 'followUp', { rating: 'satisfied' });
  const c2 = await report(workerA, 'C0103');
  await act(community, c2, 'reject', { reason: '不属于受理范围' });
  const c3 = await report(workerA, 'E0102');
  await act(workerA, c3, 'selfResolve', { result: '已清理' });
  await act(community, c3, 'verify', { passed: false, note: '仍有垃圾' });
  const c4 = await report(workerA, 'C0103');
  await act(community, c4, 'accept');
  await act(community, c4, 'dispatch', { assignee: { kind: 'orgUnit', id: t.grids[0]?.id } });
  await act(workerA, c4, 'claim');
  await act(workerA, c4, 'resolve', { result: '已修复' });
  await act(community, c4, 'verify', { passed: true });
  await act(community, c4, 'followUp', { rating: 'dissatisfied' });
  const c5 = await report(workerA, 'C0103');
  await act(community, c5, 'accept');
  await act(community, c5, 'dispatch', { assignee: { kind: 'orgUnit', id: t.grids[0]?.id } });
  await act(workerA, c5, 'claim');
  await db.execute(sql`update cases set resolve_by = now() - interval '1 hour' where id = ${c5}`);
  await act(workerA, c5, 'resolve', { result: '已修复' });
  const c6 = await report(community, 'C0103');
  await act(community, c6, 'accept');
  await act(community, c6, 'dispatch', { assignee: { kind: 'orgUnit', id: t.grids[0]?.id } });
  await act(workerA, c6, 'claim');
  await act(workerA, c6, 'return', { reason: '非本网格职责' });

  // Worker B: eight reports, more than a week's cap.
  for (let i = 0; i < 8; i++) await report(workerB, 'C0103', inGrid1);

  // Department 城管: #7 handled on time and rated satisfied, #8 returned.
  const deptId = t.departments[0]?.id;
  const c7 = await report(community, 'C0103');
  await act(community, c7, 'accept');
  await act(community, c7, 'dispatch', { assignee: { kind: 'department', id: deptId } });
  await act(dept, c7, 'claim');
  await act(dept, c7, 'resolve', { result: '已修复' });
  await act(community, c7, 'verify', { passed: true });
  await act(community, c7, 'followUp', { rating: 'satisfied' });
  const c8 = await report(community, 'C0103');
  await act(community, c8, 'accept');
  await act(community, c8, 'dispatch', { assignee: { kind: 'department', id: deptId } });
  await act(dept, c8, 'claim');
  await act(dept, c8, 'return', { reason: '不属于本部门' });

  // Field records of the week and outside it.
  const g0 = t.grids[0] as { id: number; path: string };
  const g1 = t.grids[1] as { id: number; path: string };
  const patrol = (userId: string, at: Date, distanceM: number) => ({
    id: randomUUID(),
    userId,
    userName: '测试',
    gridId: g0.id,
    orgPath: g0.path,
    startedAt: at,
    endedAt: new Date(at.getTime() + 3_600_000),
    distanceM,
    durationS: 3600,
  });
  const now = new Date(Date.now() - 60_000);
  await db
    .insert(patrols)
    .values([patrol(a.id, now, 1500), patrol(a.id, now, 2500), patrol(a.id, daysAgo(10), 10_000)]);
  const visit = (userId: string, path: string) => ({
    id: randomUUID(),
    householdId: 1,
    orgPath: path,
    visitedAt: now,
    notes: '走访',
    byUserId: userId,
    byName: '测试',
  });
  await db
    .insert(householdVisits)
    .values([
      visit(a.id, g0.path),
      visit(a.id, g0.path),
      ...Array.from({ length: 8 }, () => visit(b.id, g1.path)),
    ]);
  const eightDaysAgo = new Date(Date.now() + 8 * 3_600_000 - 8 * 86_400_000).toISOString().slice(0, 10);
  await db.insert(workLogs).values([
    { userId: a.id, userName: '测试', orgPath: g0.path, day: today, summary: {} },
    { userId: a.id, userName: '测试', orgPath: g0.path, day: eightDaysAgo, summary: {} },
  ]);
}, 120_000);
afterAll(() => ctx?.close());

type Row = {
  name: string;
  score: number | null;
  rank: number | null;
  workers?: number;
  items: { key: string; value: number | null; points: number }[];
};
const card = async (s: Session, q: string) => {
  const r = await s.get(`/api/assessment/scorecards?start=${today}&period=week&${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { from: string; to: string; rows: Row[] };
};
const items = (r: Row | undefined) =>
  Object.fromEntries((r?.items ?? []).map((i) => [i.key, [i.value, i.points]]));

describe('scorecards', () => {
  it('scores each grid worker item by item as worked out by hand', async () => {
    const c = await card(district, 'level=worker');
    const week = periodRange('week', today);
    expect([c.from, c.to]).toEqual([week.from, week.to]);
    expect(c.rows.map((r) => [r.name, r.score, r.rank])).toEqual([
      ['测试workerB', 11, 1],
      ['测试workerA', 10.5, 2],
      ['测试workerC', 0, 3],
    ]);
    expect(items(c.rows[1])).toEqual({
      patrolDays: [1, 2],
      patrolKm: [4, 2],
      casesFound: [4, 4],
      casesSelfResolved: [2, 3],
      casesOnTime: [3, 3],
      visits: [2, 1],
      workLogs: [1, 1],
      ratings: [1, 0.5],
      proxyCompleted: [0, 0],
      disputesMediated: [0, 0],
      rework: [1, -2],
      returns: [2, -2],
      overdue: [1, -2],
    });
    expect(items(c.rows[0])).toMatchObject({ casesFound: [8, 7], visits: [8, 4] });
  });

  it('rolls workers up into grids, communities and streets by their mean', async () => {
    const grids = await card(community, 'level=grid');
    expect(grids.rows.map((r) => [r.name, r.score, r.workers])).toEqual([
      ['测试1-1社区第2网格', 11, 1],
      ['测试1-1社区第1网格', 10.5, 1],
    ]);
    const streets = await card(district, 'level=street');
    expect(streets.rows.map((r) => [r.name, r.score, r.rank, r.workers])).toEqual([
      ['测试1街道', 10.75, 1, 2],
      ['测试2街道', 0, 2, 1],
    ]);
    const communities = await card(district, 'level=community');
    expect(communities.rows.find((r) => r.name === '测试1-2社区')).toMatchObject({ score: 0, workers: 0 });
  });

  it('keeps to the jurisdiction', async () => {
    const mine = await card(street2, 'level=worker');
    expect(mine.rows.map((r) => r.name)).toEqual(['测试workerC']);
    const r = await street2.get(
      `/api/assessment/scorecards?start=${today}&period=week&level=worker&orgUnitId=${t.streets[0]?.id}`,
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('orgUnitId');
    expect((await workerA.get(`/api/assessment/scorecards?start=${today}`)).statusCode).toBe(403);
  });

  it('exports the scorecard as Excel with the same figures', async () => {
    const r = await district.get(
      `/api/assessment/scorecards/export.xlsx?start=${today}&period=week&level=worker`,
    );
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(3).values).toEqual(expect.arrayContaining([1, '测试workerB', 11]));
    expect(ws?.getRow(4).values).toEqual(expect.arrayContaining([2, '测试workerA', 10.5]));
  });
});

describe('rules', () => {
  it('lets an admin change the weights, which the scores follow; bad rules are refused whole', async () => {
    const got = (await district.get('/api/assessment/rules')).json();
    expect(got).toMatchObject({ districtId: t.district.id, isDefault: true, rules: defaultAssessmentRules });
    const rules = structuredClone(defaultAssessmentRules);
    rules.worker.casesFound.points = 2;
    const bad = structuredClone(rules);
    bad.department.weights.peer = 50;
    const refused = await district.put('/api/assessment/rules', { districtId: t.district.id, rules: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('rules.department.weights');
    expect((await district.get('/api/assessment/rules')).json().isDefault).toBe(true);
    expect(
      (await community.put('/api/assessment/rules', { districtId: t.district.id, rules })).statusCode,
    ).toBe(403);
    const saved = await district.put('/api/assessment/rules', { districtId: t.district.id, rules });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, updatedByName: '测试district' });
    // A: casesFound 4 × 2 = 8, capped at 7 → 10.5 − 4 + 7; B unchanged (already capped).
    const c = await card(district, 'level=worker');
    expect(c.rows.map((r) => [r.name, r.score])).toEqual([
      ['测试workerA', 13.5],
      ['测试workerB', 11],
      ['测试workerC', 0],
    ]);
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'assessment.rulesUpdated'`,
    );
    expect(audit?.n).toBe(1);
    await district.put('/api/assessment/rules', { districtId: t.district.id, rules: defaultAssessmentRules });
  });
});

describe('department evaluation', () => {
  it('combines case work, self, peer and public scores by weight, leaving out what is missing', async () => {
    const deptId = t.departments[0]?.id;
    for (const [kind, score] of [
      ['self', 90],
      ['peer', 80],
    ] as const) {
      const r = await district.put('/api/assessment/department-evaluations', {
        departmentId: deptId,
        period: 'week',
        start: today,
        kind,
        score,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const bad = await district.put('/api/assessment/department-evaluations', {
      departmentId: deptId,
      period: 'week',
      start: today,
      kind: 'thirdParty',
      score: 120,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('score');
    // 城管: on time 1/1, fulfilled 1/1, one return → case work 60 + 40 − 1 = 99; public 100;
    // third party missing → (99·40 + 90·10 + 80·20 + 100·20) / 90 = 94.
    const c = await card(district, 'level=department');
    expect(c.rows[0]).toMatchObject({ name: '城管', score: 94, rank: 1 });
    expect(items(c.rows[0])).toMatchObject({
      cases: [2, 0],
      onTimeRate: [100, 0],
      fulfilmentRate: [100, 0],
      returns: [1, -1],
      caseWork: [99, 44],
      self: [90, 10],
      peer: [80, 17.78],
      public: [100, 22.22],
      // Not entered: no value (shown as —), not a 0.
      thirdParty: [null, 0],
    });
    // 住建 has no case and no entered score: no data is no score and no place, listed last.
    expect(c.rows[1]).toMatchObject({ name: '住建', score: null, rank: null });
    expect(items(c.rows[1])).toMatchObject({
      cases: [0, 0],
      onTimeRate: [null, 0],
      caseWork: [null, 0],
      self: [null, 0],
    });
    expect(c.rows).toHaveLength(2);
    const list = (
      await district.get(`/api/assessment/department-evaluations?period=week&start=${today}`)
    ).json();
    expect(list.items.find((i: { departmentId: number }) => i.departmentId === deptId)).toMatchObject({
      self: { score: 90 },
      peer: { score: 80 },
      thirdParty: null,
    });
  });

  it('ranks a department once it has any score, even a low one, above those with none', async () => {
    const zhujian = t.departments[1]?.id;
    const r = await district.put('/api/assessment/department-evaluations', {
      departmentId: zhujian,
      period: 'week',
      start: today,
      kind: 'thirdParty',
      score: 0,
    });
    expect(r.statusCode, r.body).toBe(200);
    const c = await card(district, 'level=department');
    expect(
      c.rows.map((x: { name: string; score: number | null; rank: number | null }) => [
        x.name,
        x.score,
        x.rank,
      ]),
    ).toEqual([
      ['城管', expect.any(Number), 1],
      ['住建', 0, 2],
    ]);
  });
});

describe('红管家 in the department evaluation', () => {
  it('takes the configured points off a property company’s case work per missed 15 min / 30 min / 24 h mark, none for a met one', async () => {
    const db = ctx.deps.db;
    await makeUser(ctx.deps, { username: 'street1', roles: ['streetCentre'], orgUnit: t.streets[0] });
    const street1 = await login(ctx.app, 'street1');
    const d = 0.003;
    const reg = await street1.post('/api/property-companies', {
      name: '考核测试物业有限公司',
      creditCode: '91150203MA0N0000A1',
      contactName: '王经理',
      phone: '13800002222',
      orgUnitId: t.communities[0]?.id,
      estates: [
        {
          name: '考核小区',
          outline: [
            [inGrid0.lng - d, inGrid0.lat - d],
            [inGrid0.lng + d, inGrid0.lat - d],
            [inGrid0.lng + d, inGrid0.lat + d],
            [inGrid0.lng - d, inGrid0.lat + d],
          ],
        },
      ],
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const company = reg.json() as { departmentId: number; name: string };
    await makeUser(ctx.deps, {
      username: 'prop',
      roles: ['propertyStaff'],
      departmentId: company.departmentId,
    });
    const prop = await login(ctx.app, 'prop');
    const dispatched = async () => {
      const id = await report(community, 'C0103');
      await act(community, id, 'accept');
      await act(community, id, 'dispatch', { assignee: { kind: 'department', id: company.departmentId } });
      return id;
    };
    const companyRow = async () =>
      (await card(district, 'level=department')).rows.find((r) => r.name === company.name);

    // Every mark met: answered, replied and resolved at once, verified and rated.
    const met = await dispatched();
    await act(prop, met, 'claim');
    await act(prop, met, 'note', { note: '已到现场查看' });
    await act(prop, met, 'resolve', { result: '已修复' });
    await act(community, met, 'verify', { passed: true });
    await act(community, met, 'followUp', { rating: 'satisfied' });
    expect(items(await companyRow())).toMatchObject({
      propertyMissed: [0, 0],
      caseWork: [100, expect.any(Number)],
    });

    // Answered in time, then left: its 30 min reply and 24 h resolve deadlines pass — two marks.
    const missed = await dispatched();
    await act(prop, missed, 'claim');
    await db.execute(
      sql`update property_dispatches set reply_by = now() - interval '1 minute',
            resolve_by = now() - interval '1 minute' where case_id = ${missed}`,
    );
    const penalty = defaultAssessmentRules.department.propertyPenalty as number;
    expect(penalty).toBeGreaterThan(0);
    expect(items(await companyRow())).toMatchObject({
      propertyMissed: [2, -2 * penalty],
      caseWork: [100 - 2 * penalty, expect.any(Number)],
    });
    // A department that is no property company has no value on the line, and loses nothing.
    expect(
      items((await card(district, 'level=department')).rows.find((r) => r.name === '城管')),
    ).toMatchObject({
      propertyMissed: [null, 0],
    });

    // The district sets the points per mark: the score follows.
    const rules = structuredClone(defaultAssessmentRules);
    rules.department.propertyPenalty = 2.5;
    const saved = await district.put('/api/assessment/rules', { districtId: t.district.id, rules });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await district.get('/api/assessment/rules')).json().rules.department.propertyPenalty).toBe(2.5);
    expect(items(await companyRow())).toMatchObject({
      propertyMissed: [2, -5],
      caseWork: [95, expect.any(Number)],
    });
    const bad = structuredClone(rules);
    bad.department.propertyPenalty = -1;
    const refused = await district.put('/api/assessment/rules', { districtId: t.district.id, rules: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('rules.department.propertyPenalty');
    await district.put('/api/assessment/rules', { districtId: t.district.id, rules: defaultAssessmentRules });
  });
});
