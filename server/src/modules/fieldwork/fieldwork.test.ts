import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { addDays, weekOfDay } from '@civicgrid/core/calendar/weeks';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';
import { cases } from '../cases/tables.js';
import { workLogs } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let worker: Session;
let colleague: Session;
let community: Session;
let otherCommunity: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'w1', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'w2', roles: ['gridWorker'], orgUnit: t.grids[1] });
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
  worker = await login(ctx.app, 'w1');
  colleague = await login(ctx.app, 'w2');
  community = await login(ctx.app, 'community');
  otherCommunity = await login(ctx.app, 'community2');
}, 60_000);
afterAll(() => ctx?.close());

/** Walk east along the grid's middle, one point every 5 s, ~7 m apart. */
function walk(from: number, n: number, start: Date, segment = 0) {
  return Array.from({ length: n }, (_, i) => ({
    seq: from + i,
    at: new Date(start.getTime() + i * 5000).toISOString(),
    lat: 40.605,
    lng: 109.871 + (from + i) * 0.00008,
    accuracy: 8,
    segment,
  }));
}

// The first patrol starts half an hour ago: the work log below is of that patrol's day in
// Beijing, which is yesterday when the suite runs in the first half hour after midnight.
const patrolStart = new Date(Date.now() - 30 * 60_000);

describe('patrols', () => {
  const id = randomUUID();
  const start = patrolStart;
  it('starts once however often the phone sends it, and counts each point once', async () => {
    const first = await worker.post('/api/patrols', { id, startedAt: start.toISOString() });
    expect(first.statusCode).toBe(200);
    // No point yet: no distance to show, not a zero that looks measured.
    expect(first.json()).toMatchObject({ gridId: t.grids[0]?.id, points: 0, distanceM: null });
    expect((await worker.post('/api/patrols', { id, startedAt: start.toISOString() })).statusCode).toBe(200);
    const batch = { points: walk(0, 20, start) };
    await worker.post(`/api/patrols/${id}/points`, batch);
    const again = (await worker.post(`/api/patrols/${id}/points`, batch)).json();
    expect(again.points).toBe(20);
    // 19 steps of 0.00008° of longitude at 40.6° N ≈ 6.75 m each.
    expect(again.distanceM).toBeGreaterThan(120);
    expect(again.distanceM).toBeLessThan(140);
    expect(again.durationS).toBe(95);
    // After a pause, a new segment: no distance is counted across the gap.
    const resumed = (
      await worker.post(`/api/patrols/${id}/points`, {
        points: walk(40, 10, new Date(start.getTime() + 600_000), 1),
      })
    ).json();
    expect(resumed.points).toBe(30);
    expect(resumed.durationS).toBe(95 + 45);
    const ended = (await worker.post(`/api/patrols/${id}/end`, { endedAt: new Date().toISOString() })).json();
    expect(ended.endedAt).not.toBeNull();
    // Someone else's patrol cannot be written to.
    expect((await colleague.post(`/api/patrols/${id}/points`, batch)).statusCode).toBe(404);
    const bad = await worker.post(`/api/patrols/${id}/points`, {
      points: [{ seq: 1, at: 'x', lat: 100, lng: 0 }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('shows the track and the grid’s coverage in the jurisdiction, and nowhere else', async () => {
    const track = (await community.get(`/api/patrols/${id}/track`)).json();
    expect(track.track.geometry.coordinates).toHaveLength(2);
    expect(track.track.geometry.coordinates[0]).toHaveLength(20);
    expect((await otherCommunity.get(`/api/patrols/${id}/track`)).statusCode).toBe(404);
    expect((await colleague.get(`/api/patrols/${id}/track`)).statusCode).toBe(404);
    const day = localDay(start.getTime());
    const list = (await community.get(`/api/patrols?day=${day}`)).json().items;
    expect(list.map((p: { id: string }) => p.id)).toContain(id);
    expect((await otherCommunity.get(`/api/patrols?day=${day}`)).json().items).toEqual([]);
    const cov = (await community.get(`/api/patrols/coverage?gridId=${t.grids[0]?.id}&day=${day}`)).json();
    expect(cov.coverage).toBeGreaterThan(0);
    expect(cov.coverage).toBeLessThan(0.5);
    expect(cov.tracks).toHaveLength(1);
  });

  it('reports no distance for a patrol without points, in the list as in the reply', async () => {
    const empty = randomUUID();
    const started = new Date(Date.now() - 10 * 60_000);
    await colleague.post('/api/patrols', { id: empty, startedAt: started.toISOString() });
    const ended = await colleague.post(`/api/patrols/${empty}/end`, { endedAt: new Date().toISOString() });
    expect(ended.json()).toMatchObject({ points: 0, distanceM: null });
    const listed = (await community.get(`/api/patrols?day=${localDay(started.getTime())}`)).json().items;
    expect(listed.find((p: { id: string }) => p.id === empty)).toMatchObject({ points: 0, distanceM: null });
    // The first patrol is listed on its own day (yesterday in the first half hour after midnight).
    const walked = (await community.get(`/api/patrols?day=${localDay(start.getTime())}`)).json().items;
    expect(walked.find((p: { id: string }) => p.id === id).distanceM).toBeGreaterThan(120);
  });

  it('counts a cell as covered when the walk passes near it, between the points too', async () => {
    // Two points 400 m apart on the grid's middle line: the cells between them are walked past.
    const sparse = randomUUID();
    const at = new Date(Date.now() - 20 * 60_000);
    await colleague.post('/api/patrols', { id: sparse, startedAt: at.toISOString(), gridId: t.grids[1]?.id });
    const lngs = [109.8815, 109.8862];
    await colleague.post(`/api/patrols/${sparse}/points`, {
      points: lngs.map((lng, i) => ({
        seq: i,
        at: new Date(at.getTime() + i * 300_000).toISOString(),
        lat: 40.605,
        lng,
      })),
    });
    const cov = (
      await community.get(`/api/patrols/coverage?gridId=${t.grids[1]?.id}&day=${localDay(at.getTime())}`)
    ).json();
    // The grid's 20 × 20 lattice has cells ~42 m wide and ~55 m tall; the walk on its middle
    // line passes within 50 m of two rows of centres over ~11 columns (22 cells). The two
    // points alone are near 8.
    const covered = cov.cells.filter((c: { covered: boolean }) => c.covered).length;
    expect(covered).toBeGreaterThanOrEqual(20);
    expect(covered).toBeLessThanOrEqual(24);
    expect(cov.coverage).toBeLessThan(0.2);
  });
});

describe('work logs', () => {
  it('pre-fills the day from the records, keeps one log per day, and lists missing days for review', async () => {
    const day = localDay(patrolStart.getTime());
    const draft = (await worker.get(`/api/worklogs/mine/${day}`)).json();
    expect(draft.summary.patrols).toBeGreaterThanOrEqual(1);
    expect(draft.summary.patrolDistanceM).toBeGreaterThan(120);
    expect(draft.submittedAt).toBeNull();
    const sent = await worker.put(`/api/worklogs/mine/${day}`, { notes: '巡查两次，发现井盖缺失一处' });
    expect(sent.statusCode).toBe(200);
    await worker.put(`/api/worklogs/mine/${day}`, { notes: '巡查两次，发现井盖缺失一处，已上报' });
    const future = await worker.put(`/api/worklogs/mine/2999-01-01`, { notes: '' });
    expect(future.json().errors[0]).toMatchObject({ field: 'day', rule: 'notFuture' });
    const from = localDay(Date.now() - 7 * 86_400_000);
    const today = localDay(Date.now());
    const review = (await community.get(`/api/worklogs?from=${from}&to=${today}`)).json();
    const mine = review.items.filter((l: { userName: string }) => l.userName === '测试w1');
    expect(mine).toHaveLength(1);
    expect(mine[0].notes).toContain('已上报');
    // Past working days without a log are flagged, for both workers of the community.
    const names = new Set(review.missing.map((m: { userName: string }) => m.userName));
    expect(names.has('测试w2')).toBe(true);
    // Today is not over: it is never flagged.
    expect(review.missing.every((m: { day: string }) => m.day < today)).toBe(true);
    expect((await otherCommunity.get(`/api/worklogs?from=${from}&to=${today}`)).json().items).toEqual([]);
    expect((await worker.get(`/api/worklogs?from=${from}&to=${today}`)).statusCode).toBe(403);
  });
});

describe('work logs week by week', () => {
  it('puts what was done before and after midnight between Sunday and Monday in Beijing into their own weeks', async () => {
    await ensureCaseDefaults(ctx.deps.db);
    invalidateNames();
    await makeUser(ctx.deps, { username: 'w4', roles: ['gridWorker'], orgUnit: t.grids[0] });
    const w4 = await login(ctx.app, 'w4');
    // Last week's Monday and the Sunday before it: both within the fortnight a log may be written for.
    const monday = weekOfDay(localDay(Date.now() - 7 * 86_400_000)).from;
    const sunday = addDays(monday, -1);
    const sundayLate = new Date(`${sunday}T23:30:00+08:00`);
    const mondayEarly = new Date(`${monday}T00:30:00+08:00`);
    // In UTC both moments fall on the Sunday: only Beijing's midnight separates them.
    expect(sundayLate.toISOString().slice(0, 10)).toBe(mondayEarly.toISOString().slice(0, 10));
    const b = (
      await community.post('/api/buildings', {
        name: '9号楼',
        address: '包头市昆都仑区钢铁大街9号9号楼',
        floors: 6,
        gridId: t.grids[0]?.id,
        lng: 109.875,
        lat: 40.605,
      })
    ).json();
    const unit = (
      await community.post(`/api/buildings/${b.id}/units`, { unitNo: 1, floor: 1, room: '01' })
    ).json();
    const hh = (
      await community.post('/api/households', { housingUnitId: unit.id, gridId: t.grids[0]?.id })
    ).json();
    for (const at of [sundayLate, mondayEarly]) {
      const r = await w4.post('/api/cases', {
        description: '巡查发现路灯不亮',
        categoryCode: 'C0103',
        channel: 'grid_patrol',
        location: { lat: 40.605, lng: 109.875 },
        idempotencyKey: randomUUID(),
      });
      expect(r.statusCode).toBe(201);
      await ctx.deps.db.update(cases).set({ reportedAt: at }).where(eq(cases.id, r.json().id));
      await queryRows(ctx.deps.db, sql`update case_events set at = ${at} where case_id = ${r.json().id}`);
      const v = { id: randomUUID(), householdId: hh.id, visitedAt: at.toISOString(), notes: '入户走访' };
      expect((await w4.post('/api/household-visits', v)).statusCode).toBe(201);
    }
    const patrol = randomUUID();
    await w4.post('/api/patrols', {
      id: patrol,
      startedAt: new Date(sundayLate.getTime() - 3_600_000).toISOString(),
    });
    await w4.post(`/api/patrols/${patrol}/points`, {
      points: walk(0, 30, new Date(sundayLate.getTime() - 3_600_000)),
    });
    // The logs were sent early, with nothing in them yet (as the demo's were written).
    const users = await queryRows<{ id: string; org_path: string }>(
      ctx.deps.db,
      sql`select id, org_path from users where username = 'w4'`,
    );
    const zero = {
      patrols: 0,
      patrolDistanceM: 0,
      patrolMinutes: 0,
      casesReported: 0,
      casesSelfResolved: 0,
      casesHandled: 0,
      visits: 0,
    };
    await ctx.deps.db.insert(workLogs).values(
      [sunday, monday].map((day) => ({
        userId: users[0]?.id as string,
        userName: '测试w4',
        orgPath: users[0]?.org_path as string,
        day,
        summary: zero,
        notes: '巡查',
      })),
    );
    const logsOf = async (day: string) => {
      const w = weekOfDay(day);
      const r = (await community.get(`/api/worklogs?from=${w.from}&to=${w.to}`)).json();
      return r.items.filter((l: { userName: string }) => l.userName === '测试w4');
    };
    const lastWeek = await logsOf(monday);
    expect(lastWeek.map((l: { day: string }) => l.day)).toEqual([monday]);
    expect(lastWeek[0].summary).toMatchObject({ patrols: 0, casesReported: 1, visits: 1 });
    const weekBefore = await logsOf(sunday);
    expect(weekBefore.map((l: { day: string }) => l.day)).toEqual([sunday]);
    expect(weekBefore[0].summary).toMatchObject({ patrols: 1, casesReported: 1, visits: 1 });
    expect(weekBefore[0].summary.patrolDistanceM).toBeGreaterThan(150);
  });
});

describe('household visits', () => {
  it('records a visit once however often it is sent, in the jurisdiction, and counts it in the day', async () => {
    const b = (
      await community.post('/api/buildings', {
        name: '7号楼',
        address: '包头市昆都仑区钢铁大街7号7号楼',
        floors: 6,
        gridId: t.grids[0]?.id,
        lng: 109.875,
        lat: 40.605,
      })
    ).json();
    const unit = (
      await community.post(`/api/buildings/${b.id}/units`, { unitNo: 1, floor: 2, room: '01' })
    ).json();
    const hh = (
      await community.post('/api/households', { housingUnitId: unit.id, gridId: t.grids[0]?.id })
    ).json();
    const list = (await worker.get(`/api/households?gridId=${t.grids[0]?.id}`)).json().items;
    expect(list.map((h: { id: number }) => h.id)).toContain(hh.id);
    expect(list.find((h: { id: number }) => h.id === hh.id).address).toBe(
      '包头市昆都仑区钢铁大街7号7号楼1单元2层201室',
    );
    const visit = {
      id: randomUUID(),
      householdId: hh.id,
      visitedAt: new Date().toISOString(),
      notes: '入户核实人口信息',
    };
    expect((await worker.post('/api/household-visits', visit)).statusCode).toBe(201);
    expect((await worker.post('/api/household-visits', visit)).statusCode).toBe(201);
    const visits = (await community.get(`/api/households/${hh.id}/visits`)).json().items;
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ notes: '入户核实人口信息', by: '测试w1' });
    expect((await otherCommunity.get(`/api/households/${hh.id}/visits`)).statusCode).toBe(404);
    // A worker of another community cannot visit there.
    await makeUser(ctx.deps, { username: 'w9', roles: ['gridWorker'], orgUnit: t.grids[4] });
    const far = await login(ctx.app, 'w9');
    const refused = await far.post('/api/household-visits', { ...visit, id: randomUUID() });
    expect(refused.json().errors[0]).toMatchObject({ field: 'householdId', rule: 'inJurisdiction' });
    const day = localDay(Date.now());
    expect((await worker.get(`/api/worklogs/mine/${day}`)).json().summary.visits).toBe(1);
    // Data to check: a person with no household is listed; settled, they leave the list.
    const units = (await worker.get(`/api/housing-units?gridId=${t.grids[0]?.id}`)).json().items;
    expect(units.map((u: { address: string }) => u.address)).toContain(
      '包头市昆都仑区钢铁大街7号7号楼1单元2层201室',
    );
    const first = '15020319700101055';
    const p = (
      await community.post('/api/residents', {
        name: '待核实',
        idNumber: `${first}${idNumberCheckChar(first)}`,
        gridId: t.grids[0]?.id,
      })
    ).json();
    const unsettled = () =>
      worker
        .get(`/api/residents?unsettled=true&pageSize=200`)
        .then((r) => r.json().items.map((x: { id: string }) => x.id));
    expect(await unsettled()).toContain(p.id);
    const settled = await worker.put(`/api/residents/${p.id}/household`, {
      housingUnitId: units[0].id,
      relationToHead: '户主',
    });
    expect(settled.statusCode).toBe(200);
    expect(await unsettled()).not.toContain(p.id);
  });
});
