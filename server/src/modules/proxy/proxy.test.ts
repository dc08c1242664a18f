import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { bboxOf, type Geometry } from '@civicgrid/core/geo';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { orgUnits } from '../org/tables.js';
import { residents } from '../residents/tables.js';
import { applications } from '../services/tables.js';
import { proxyApplications } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let admin: Session;
let worker: Session;
let otherWorker: Session;
let clerk: Session;
let community: Session;
let workerId: string;
let mine: string;
let othersResident: string;

const idNumber = (seq: number) => {
  const first17 = `15020319500101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

/** A resident on file in a grid (residents owns the table; a test may write its fixture). */
async function resident(seq: number, grid: (typeof t.grids)[number], name: string): Promise<string> {
  const id = idNumber(seq);
  const [row] = await ctx.deps.db
    .insert(residents)
    .values({
      name,
      idNumberEnc: ctx.deps.crypto.encrypt(id),
      idNumberIdx: ctx.deps.crypto.blindIndex(id),
      idNumberTail: id.slice(-4),
      sex: 'female',
      birthDate: '1950-01-01',
      birthplaceCode: '150203',
      gridId: grid.id,
      orgPath: grid.path,
    })
    .returning({ id: residents.id });
  return (row as { id: string }).id;
}

/** 高龄津贴: decided by the community's back office, every material required. */
const allowance = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'communityProxy',
  level: 'community',
  timeLimitDays: 5,
  statutoryDays: 10,
  materials: [
    { name: '居民身份证', required: true },
    { name: '户口簿', required: true },
  ],
};
const materials = [
  { name: '居民身份证', provided: true },
  { name: '户口簿', provided: true },
];
const verbal = () => ({
  method: 'verbal',
  at: new Date(Date.now() - 60_000).toISOString(),
  note: '本人同意',
});

function proxyIntake(s: Session, residentId: string, extra: Record<string, unknown> = {}) {
  return s.post('/api/proxy-applications', {
    serviceCode: 'GLJT',
    residentId,
    materials,
    consent: verbal(),
    idempotencyKey: randomUUID(),
    ...extra,
  });
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [g1, g2] = t.grids;
  const c1 = t.communities[0];
  if (!g1 || !g2 || !c1) throw new Error('territory');
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  workerId = (await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: g1 })).id;
  await makeUser(ctx.deps, { username: 'other', roles: ['gridWorker'], orgUnit: g2 });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'community', roles: ['communityWorkstation'], orgUnit: c1 });
  admin = await login(ctx.app, 'admin');
  worker = await login(ctx.app, 'worker');
  otherWorker = await login(ctx.app, 'other');
  clerk = await login(ctx.app, 'clerk');
  community = await login(ctx.app, 'community');
  expect((await admin.post('/api/services', allowance)).statusCode).toBe(201);
  mine = await resident(1, g1, '王桂英');
  othersResident = await resident(2, g2, '李秀珍');
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('proxy intake (帮办代办)', () => {
  it('refuses a proxy application without the resident’s consent, naming the field, writing nothing', async () => {
    const before = await ctx.deps.db.select({ n: count() }).from(applications);
    const res = await proxyIntake(worker, mine, { consent: undefined });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'consent', code: 'PROXY_CONSENT_REQUIRED' });
    const window = await clerk.post('/api/applications', {
      serviceCode: 'GLJT',
      applicant: { idNumber: idNumber(1), name: '王桂英' },
      materials,
      channel: 'proxy',
      idempotencyKey: randomUUID(),
    });
    expect(window.statusCode).toBe(400);
    expect(window.json().errors[0]).toMatchObject({ field: 'proxy.consent', code: 'PROXY_CONSENT_REQUIRED' });
    const after = await ctx.deps.db.select({ n: count() }).from(applications);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('asks for the photo of a signed form, and refuses a consent dated ahead', async () => {
    const signed = await proxyIntake(worker, mine, {
      consent: { method: 'signedForm', at: new Date().toISOString() },
    });
    expect(signed.statusCode).toBe(400);
    expect(signed.json().errors[0]).toMatchObject({
      field: 'consent.fileId',
      code: 'PROXY_CONSENT_FILE_REQUIRED',
    });
    const ahead = await proxyIntake(worker, mine, {
      consent: { method: 'verbal', at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().errors[0]).toMatchObject({ field: 'consent.at', code: 'PROXY_CONSENT_FUTURE' });
  });

  it('a grid worker proxies only for residents of his grid: another grid’s resident is not found', async () => {
    const res = await proxyIntake(worker, othersResident);
    expect(res.statusCode).toBe(404);
    const [row] = await ctx.deps.db.select({ n: count() }).from(proxyApplications);
    expect(row?.n).toBe(0);
  });

  it('takes the matter in for the resident, names the agent in the trail and lists it in 我代办的', async () => {
    const res = await proxyIntake(worker, mine);
    expect(res.statusCode, res.body).toBe(201);
    const { id, status } = res.json();
    expect(status).toBe('accepted');
    const [p] = await ctx.deps.db
      .select()
      .from(proxyApplications)
      .where(eq(proxyApplications.applicationId, id));
    expect(p).toMatchObject({ agentId: workerId, consentMethod: 'verbal', residentId: mine });
    // The back office of the community sees it, with the agent in its trail.
    const detail = await community.get(`/api/applications/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ channel: 'proxy', applicantName: '王桂英' });
    const step = detail.json().events.find((e: { action: string }) => e.action === 'proxy');
    expect(step.actorName).toBe('测试worker');
    expect(step.note).toContain('测试worker');
    // The agent follows it; the other grid's worker has nothing.
    const list = await worker.get('/api/proxy-applications');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
    expect(list.json().items[0]).toMatchObject({ agentName: '测试worker', consentMethod: 'verbal' });
    expect((await otherWorker.get('/api/proxy-applications')).json().total).toBe(0);
  });

  it('the window records a proxy application carried by a grid worker of the resident’s grid, not by another', async () => {
    const body = (agentId: string) => ({
      serviceCode: 'GLJT',
      applicant: { idNumber: idNumber(1), name: '王桂英' },
      materials,
      channel: 'proxy',
      proxy: { agentId, consent: verbal() },
      idempotencyKey: randomUUID(),
    });
    const otherId = (await otherWorker.get('/api/me')).json().id as string;
    const refused = await clerk.post('/api/applications', body(otherId));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'proxy.agentId', code: 'PROXY_AGENT_INVALID' });
    const ok = await clerk.post('/api/applications', body(workerId));
    expect(ok.statusCode, ok.body).toBe(201);
    const list = await worker.get('/api/proxy-applications');
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(ok.json().id);
  });

  it('credits the agent in the assessment for each proxy application completed', async () => {
    const score = async () => {
      const res = await community.get(
        `/api/assessment/scorecards?start=${localDay(Date.now())}&period=month&level=worker`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const row = res.json().rows.find((r: { id: string }) => r.id === workerId);
      return row.items.find((i: { key: string }) => i.key === 'proxyCompleted');
    };
    const before = await score();
    expect(before).toMatchObject({ value: 0, points: 0 });
    const res = await proxyIntake(worker, mine);
    const id = res.json().id as string;
    expect((await community.post(`/api/applications/${id}/actions/approve`, {})).statusCode).toBe(200);
    expect((await clerk.post(`/api/applications/${id}/actions/issue`, {})).statusCode).toBe(200);
    const after = await score();
    expect(after).toMatchObject({ value: 1, points: 1 });
  });
});

describe('proxy points (代办点)', () => {
  it('the community registers a point inside its grid with an agent; it is on the map layer', async () => {
    const g1 = t.grids[0];
    if (!g1) throw new Error('grid');
    const outside = await community.post('/api/proxy-points', {
      name: '第一网格代办点',
      address: '测试路 1 号',
      location: { lng: 100, lat: 30 },
      orgUnitId: g1.id,
      agentIds: [workerId],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0]).toMatchObject({ field: 'location', code: 'PROXY_POINT_OUTSIDE' });
    const [unit] = await ctx.deps.db.select().from(orgUnits).where(eq(orgUnits.id, g1.id));
    const box = bboxOf(unit?.geometry as Geometry);
    const lng = (box.minX + box.maxX) / 2;
    const lat = (box.minY + box.maxY) / 2;
    const res = await community.post('/api/proxy-points', {
      name: '第一网格代办点',
      address: '测试路 1 号',
      location: { lng, lat },
      orgUnitId: g1.id,
      openingHours: '周一至周五 9:00-17:00',
      agentIds: [workerId],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ agents: [{ id: workerId }], retired: false });
    const list = await community.get('/api/proxy-points?q=第一网格');
    expect(list.json().total).toBe(1);
    const map = await worker.get('/api/proxy-points/map');
    expect(map.json().features[0].properties).toMatchObject({ layer: 'proxyPoint', name: '第一网格代办点' });
    // A point of another grid does not exist for that grid's worker.
    expect((await otherWorker.get(`/api/proxy-points/${res.json().id}`)).statusCode).toBe(404);
    const closed = await community.patch(`/api/proxy-points/${res.json().id}`, { retired: true });
    expect(closed.json().retired).toBe(true);
    expect((await worker.get('/api/proxy-points/map')).json().features).toHaveLength(0);
  });
});

describe('帮办代办 at the window: who may carry the matter', () => {
  it('offers the agents of the open points serving the resident and the workers of his grid, as the intake takes them', async () => {
    const [g1] = t.grids;
    const c1 = t.communities[0];
    const far = t.grids.find((g) => c1 && !g.path.startsWith(c1.path));
    if (!g1 || !c1 || !far) throw new Error('territory');
    const eligible = (s: Session, residentId: string) =>
      s.get(`/api/proxy-agents/eligible?residentId=${residentId}`);
    // No open point (the one above is closed): the grid's own worker, not another grid's.
    const before = await eligible(clerk, mine);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().items).toEqual([
      { id: workerId, name: '测试worker', proxyPointId: null, proxyPointName: null },
    ]);
    // A point serving the grid, its agent a community worker: offered with the point's name.
    const communityId = (await community.get('/api/me')).json().id as string;
    const [unit] = await ctx.deps.db.select().from(orgUnits).where(eq(orgUnits.id, g1.id));
    const box = bboxOf(unit?.geometry as Geometry);
    const point = await community.post('/api/proxy-points', {
      name: '社区综合代办点',
      address: '测试路 2 号',
      location: { lng: (box.minX + box.maxX) / 2, lat: (box.minY + box.maxY) / 2 },
      orgUnitId: g1.id,
      agentIds: [communityId],
    });
    expect(point.statusCode, point.body).toBe(201);
    const after = (await eligible(clerk, mine)).json().items;
    expect(after).toHaveLength(2);
    expect(after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: communityId,
          proxyPointId: point.json().id,
          proxyPointName: '社区综合代办点',
        }),
        expect.objectContaining({ id: workerId, proxyPointId: null }),
      ]),
    );
    // The window takes the matter in with the offered agent; the record names his point.
    const res = await clerk.post('/api/applications', {
      serviceCode: 'GLJT',
      applicant: { idNumber: idNumber(1), name: '王桂英' },
      materials,
      channel: 'proxy',
      proxy: { agentId: communityId, consent: verbal() },
      idempotencyKey: randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const [record] = await ctx.deps.db
      .select()
      .from(proxyApplications)
      .where(eq(proxyApplications.applicationId, res.json().id));
    expect(record).toMatchObject({ agentId: communityId, proxyPointId: point.json().id });
    // Only the window asks; a resident outside the window's community does not exist for it.
    expect((await eligible(worker, mine)).statusCode).toBe(403);
    const stranger = await resident(3, far, '赵淑芬');
    expect((await eligible(clerk, stranger)).statusCode).toBe(404);
    expect((await eligible(clerk, 'not-a-uuid')).statusCode).toBe(400);
  });
});
