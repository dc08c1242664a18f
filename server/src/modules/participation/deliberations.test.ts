import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { mobileNumber } from '../../test/personalData.js';
import { deliberationEvents, deliberations } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherStreetCommunity: Session;
let street: Session;
let gridWorker: Session;
let district: Session;
let dept: Session;
let otherDept: Session;
let anonymous: Session['get'];

const meetingAt = '2026-04-20T19:00:00+08:00';
const propose = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/deliberations', {
    title: '小区加装电动车充电桩',
    proposal: '党支部建议在 3 号楼北侧空地加装 20 个充电桩，费用由公共收益列支。联系人电话 13904721234',
    orgUnitId: t.communities[0]?.id,
    reviewDepartmentId: t.departments[0]?.id,
    ...extra,
  });
const step = (s: Session, id: string, name: string, body: unknown = {}) =>
  s.post(`/api/deliberations/${id}/actions/${name}`, body);
const convene = (s: Session, id: string, attendees: number, representatives = 30) =>
  step(s, id, 'convene', { at: meetingAt, attendees, representatives, place: '社区议事厅' });

async function proposed(s = community, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await propose(s, extra);
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().status).toBe('proposed');
  return res.json().id;
}
async function ok(res: Promise<{ statusCode: number; body: string; json: () => unknown }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { status: string; allowedActions: string[]; events: { action: string }[] };
}
async function atStep(state: 'convened' | 'adopted' | 'implemented' | 'reviewed'): Promise<string> {
  const id = await proposed();
  await ok(convene(community, id, 24));
  if (state === 'convened') return id;
  await ok(step(community, id, 'vote', { for: 18, against: 4, abstain: 2, note: '同意加装' }));
  if (state === 'adopted') return id;
  await ok(step(community, id, 'implement', { note: '已完成招标并安装 20 个充电桩' }));
  if (state === 'implemented') return id;
  await ok(step(dept, id, 'review', { passed: true, note: '符合消防规范' }));
  return id;
}
async function written(id: string) {
  const [row] = await ctx.deps.db.select().from(deliberations).where(eq(deliberations.id, id));
  const [e] = await ctx.deps.db
    .select({ n: count() })
    .from(deliberationEvents)
    .where(eq(deliberationEvents.deliberationId, id));
  return { status: row?.status, events: e?.n, votesFor: row?.votesFor };
}
const audits = async (action: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = ${action}`,
    )
  )[0]?.n ?? 0;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'st', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, {
    username: 'dept',
    roles: ['departmentHandler'],
    departmentId: t.departments[0]?.id,
  });
  await makeUser(ctx.deps, {
    username: 'dept2',
    roles: ['departmentHandler'],
    departmentId: t.departments[1]?.id,
  });
  [community, otherStreetCommunity, street, gridWorker, district, dept, otherDept] = (await Promise.all(
    ['comm', 'comm3', 'st', 'gw', 'dist', 'dept', 'dept2'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session, Session, Session];
  anonymous = (url: string) => ctx.app.inject({ method: 'GET', url });
});
afterAll(() => ctx?.close());

describe('the five steps', () => {
  it('run from the proposal to the public page, each on the trail and audited, with what may be done next', async () => {
    const before = {
      proposed: await audits('deliberation.proposed'),
      steps: await audits('deliberation.action'),
    };
    const id = await proposed();
    let d = await ok(community.get(`/api/deliberations/${id}`));
    expect(d.allowedActions).toEqual(['convene']);

    d = await ok(convene(community, id, 24));
    expect(d).toMatchObject({
      status: 'convened',
      meeting: { representatives: 30, attendees: 24, quorum: 20, quorate: true, place: '社区议事厅' },
    });
    expect(d.allowedActions).toEqual(['convene', 'vote']);

    d = await ok(step(community, id, 'vote', { for: 18, against: 4, abstain: 2, note: '同意加装' }));
    expect(d).toMatchObject({
      status: 'adopted',
      vote: { for: 18, needed: 13, passed: true },
      decision: '同意加装',
    });
    expect(d.allowedActions).toEqual(['implement']);

    d = await ok(step(community, id, 'implement', { note: '已完成招标并安装 20 个充电桩' }));
    expect(d.status).toBe('implemented');
    // The community does not review its own work: the department it was sent to does.
    expect(d.allowedActions).toEqual([]);
    expect((await ok(dept.get(`/api/deliberations/${id}`))).allowedActions).toEqual(['review']);

    d = await ok(step(dept, id, 'review', { passed: true, note: '符合消防规范' }));
    expect(d).toMatchObject({ status: 'reviewed', review: { passed: true, note: '符合消防规范' } });

    d = await ok(step(community, id, 'publish'));
    expect(d.status).toBe('published');
    expect(d.allowedActions).toEqual([]);
    expect(d.events.map((e) => e.action)).toEqual([
      'propose',
      'convene',
      'vote',
      'implement',
      'review',
      'publish',
    ]);
    expect(await audits('deliberation.proposed')).toBe(before.proposed + 1);
    expect(await audits('deliberation.action')).toBe(before.steps + 5);

    const pub = await anonymous('/api/public/deliberations?pageSize=200');
    expect(pub.statusCode).toBe(200);
    const item = pub.json().items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({
      outcome: 'adopted',
      orgUnitName: t.communities[0]?.name,
      meeting: { representatives: 30, attendees: 24 },
      vote: { for: 18, against: 4, abstain: 2 },
      implementation: '已完成招标并安装 20 个充电桩',
      reviewNote: '符合消防规范',
    });
    expect(item.steps.map((s: { step: string }) => s.step)).toEqual([
      'propose',
      'convene',
      'vote',
      'implement',
      'review',
      'publish',
    ]);
  });

  it('a vote without a majority rejects the proposal, which may still be published; a failed review sends it back', async () => {
    const id = await proposed();
    await ok(convene(community, id, 20));
    const d = await ok(step(community, id, 'vote', { for: 10, against: 8, abstain: 2 }));
    expect(d).toMatchObject({ status: 'rejected', vote: { needed: 11, passed: false } });
    expect(d.allowedActions).toEqual(['publish']);
    await ok(step(community, id, 'publish'));
    const pub = (await anonymous('/api/public/deliberations?pageSize=200')).json();
    expect(pub.items.find((i: { id: string }) => i.id === id)?.outcome).toBe('rejected');

    const back = await atStep('implemented');
    expect(
      (await ok(step(dept, back, 'review', { passed: false, note: '充电桩间距不足，请整改' }))).status,
    ).toBe('adopted');
    expect((await ok(step(community, back, 'implement', { note: '已按意见调整间距' }))).status).toBe(
      'implemented',
    );
  });

  it('the rules are the deliberation’s own: a majority of all representatives when it says so', async () => {
    const id = await proposed(community, {
      rules: {
        quorum: { numerator: 1, denominator: 2 },
        majority: { numerator: 1, denominator: 2 },
        majorityOf: 'representatives',
      },
    });
    await ok(convene(community, id, 16));
    // 15 of 16 present is a majority of those present, but not of all 30.
    const d = await ok(step(community, id, 'vote', { for: 15, against: 1, abstain: 0 }));
    expect(d).toMatchObject({ status: 'rejected', vote: { needed: 16 } });
  });
});

describe('refusals', () => {
  it('a vote below quorum is 409 with its stable code, and nothing is written; a meeting held again can vote', async () => {
    const id = await proposed();
    await ok(convene(community, id, 12));
    const before = await written(id);
    const res = await step(community, id, 'vote', { for: 12, against: 0, abstain: 0 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'DELIBERATION_BELOW_QUORUM',
      params: { attendees: 12, quorum: 20 },
    });
    expect(res.json().title).toContain('20');
    expect(await written(id)).toEqual(before);
    await ok(convene(community, id, 21));
    expect((await ok(step(community, id, 'vote', { for: 11, against: 10, abstain: 0 }))).status).toBe(
      'adopted',
    );
  });

  it('ballots adding up to more than those present are 400 naming the field; nothing is written', async () => {
    const id = await atStep('convened');
    const before = await written(id);
    const over = await step(community, id, 'vote', { for: 15, against: 8, abstain: 2 });
    expect(over.statusCode).toBe(400);
    expect(over.json().code).toBe('DELIBERATION_OVER_COUNT');
    expect(over.json().errors[0]).toMatchObject({ field: 'abstain', rule: 'sumAtMostAttendees' });
    const negative = await step(community, id, 'vote', { for: -1, against: 0, abstain: 0 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('for');
    const missing = await step(community, id, 'vote', { for: 3 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('against');
    expect(await written(id)).toEqual(before);
  });

  it('attendance above the number of representatives is 400 naming attendees', async () => {
    const id = await proposed();
    const res = await convene(community, id, 31, 30);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'attendees', rule: 'atMostRepresentatives' });
    expect((await written(id)).status).toBe('proposed');
  });

  it('a step out of order is 409', async () => {
    const id = await proposed();
    for (const [name, body] of [
      ['vote', { for: 1, against: 0, abstain: 0 }],
      ['implement', { note: '提前落实' }],
      ['review', { passed: true, note: '提前审查' }],
      ['publish', {}],
    ] as const) {
      const res = await step(name === 'review' ? dept : community, id, name, body);
      expect(res.statusCode, name).toBe(409);
      expect(res.json().code).toBe('DELIBERATION_INVALID_STATE');
    }
    const adopted = await atStep('adopted');
    expect((await convene(community, adopted, 30)).statusCode).toBe(409);
  });

  it('another street’s community finds nothing (404); the district reads but does not vote or propose (403), a grid worker does not read (403)', async () => {
    const id = await atStep('convened');
    expect((await otherStreetCommunity.get(`/api/deliberations/${id}`)).statusCode).toBe(404);
    expect(
      (await step(otherStreetCommunity, id, 'vote', { for: 20, against: 0, abstain: 0 })).statusCode,
    ).toBe(404);
    const seen = await district.get(`/api/deliberations/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual([]);
    expect((await step(district, id, 'vote', { for: 20, against: 0, abstain: 0 })).statusCode).toBe(403);
    expect((await propose(district)).statusCode).toBe(403);
    expect((await gridWorker.get(`/api/deliberations/${id}`)).statusCode).toBe(403);
    expect((await step(gridWorker, id, 'vote', { for: 20, against: 0, abstain: 0 })).statusCode).toBe(403);
    expect((await written(id)).status).toBe('convened');
  });

  it('the review belongs to the department it was sent to: another department finds nothing, and departments take no other step', async () => {
    const id = await atStep('implemented');
    expect((await otherDept.get(`/api/deliberations/${id}`)).statusCode).toBe(404);
    expect((await step(otherDept, id, 'review', { passed: true, note: '越权审查' })).statusCode).toBe(404);
    expect((await step(dept, id, 'publish')).statusCode).toBe(403);
    // The district reviews what is in its jurisdiction, like the street.
    expect((await ok(step(district, id, 'review', { passed: true, note: '区级审查通过' }))).status).toBe(
      'reviewed',
    );
  });

  it('a proposal names a community or street in the jurisdiction, an existing department and sane rules', async () => {
    const [before] = await ctx.deps.db.select({ n: count() }).from(deliberations);
    const bad: [Record<string, unknown>, string][] = [
      [{ orgUnitId: t.grids[0]?.id }, 'orgUnitId'],
      [{ orgUnitId: t.communities[2]?.id }, 'orgUnitId'],
      [{ reviewDepartmentId: 999_999 }, 'reviewDepartmentId'],
      [{ title: '' }, 'title'],
      [
        {
          rules: {
            quorum: { numerator: 4, denominator: 3 },
            majority: { numerator: 1, denominator: 2 },
            majorityOf: 'attendees',
          },
        },
        'rules.quorum',
      ],
    ];
    for (const [extra, field] of bad) {
      const res = await propose(community, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const [after] = await ctx.deps.db.select({ n: count() }).from(deliberations);
    expect(after?.n).toBe(before?.n);
    // The street holds its own council (街道议事会).
    expect((await propose(street, { orgUnitId: t.streets[0]?.id })).statusCode).toBe(201);
  });
});

describe('lists and the public page', () => {
  it('lists by scope with a status filter and pages', async () => {
    const id = await proposed();
    const ids = async (s: Session, q = '') => {
      const r = await s.get(`/api/deliberations?pageSize=200${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items.map((i: { id: string }) => i.id) as string[];
    };
    expect(await ids(community)).toContain(id);
    expect(await ids(street)).toContain(id);
    expect(await ids(otherStreetCommunity)).not.toContain(id);
    expect(await ids(otherDept)).not.toContain(id);
    expect(await ids(dept)).toContain(id);
    expect(await ids(community, '&status=proposed')).toContain(id);
    expect(await ids(community, '&status=published')).not.toContain(id);
    const page = (await community.get('/api/deliberations?pageSize=2&page=1')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
  });

  it('the public page holds published ones only, with no one’s name, phone or ID number', async () => {
    const unpublished = await atStep('reviewed');
    const res = await anonymous('/api/public/deliberations?pageSize=200');
    const body = res.body;
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items.map((i: { id: string }) => i.id)).not.toContain(unpublished);
    for (const name of ['测试comm', '测试dept', '测试dist', '测试st']) expect(body).not.toContain(name);
    expect(body).not.toMatch(mobileNumber);
    expect(body).not.toMatch(/\d{17}[\dXx]/);
    expect(body).not.toMatch(/actorName|proposedBy|reviewDepartment/);
    // The phone typed into the proposal is masked on the public page.
    expect(body).toContain('***********');
  });

  it('the results page counts the month’s published outcomes with their texts, and no names', async () => {
    const before = (await anonymous('/api/public/participation/results')).json();
    const id = await atStep('reviewed');
    await ok(step(community, id, 'publish'));
    const res = await anonymous('/api/public/participation/results');
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after.deliberations.published).toBe(before.deliberations.published + 1);
    expect(after.deliberations.adopted).toBe(before.deliberations.adopted + 1);
    expect(after.outcomes.map((o: { id: string }) => o.id)).toContain(id);
    expect(after.outcomes.find((o: { id: string }) => o.id === id)?.outcome).toBe('adopted');
    for (const name of ['测试comm', '测试dept', '测试dist', '测试st']) expect(res.body).not.toContain(name);
    expect(res.body).not.toMatch(mobileNumber);
  });
});
