import { idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { anonymiseExpiredCare, ensureCareDefaults } from './service.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let worker: Session;
let sameCommunityWorker: Session;
let admin: Session;
let workerId: string;
let otherWorkerId: string;
let residentId: string;

const idFor = (birth: string, seq: string) => {
  const first = `150203${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const readAudits = async () =>
  (
    await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'care.read'`,
    )
  )[0]?.n ?? 0;

beforeAll(async () => {
  ctx = await createTestApp();
  await ensureCareDefaults(ctx.deps.db);
  t = await makeTerritory(ctx.deps.db);
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
  workerId = (await makeUser(ctx.deps, { username: 'w1', roles: ['gridWorker'], orgUnit: t.grids[0] })).id;
  // Same community, the neighbouring grid: a colleague, not assigned.
  otherWorkerId = (await makeUser(ctx.deps, { username: 'w2', roles: ['gridWorker'], orgUnit: t.grids[1] }))
    .id;
  await makeUser(ctx.deps, { username: 'sysadmin', roles: ['systemAdmin'], orgUnit: t.district });
  community = await login(ctx.app, 'community');
  otherCommunity = await login(ctx.app, 'community2');
  worker = await login(ctx.app, 'w1');
  sameCommunityWorker = await login(ctx.app, 'w2');
  admin = await login(ctx.app, 'sysadmin');
  residentId = (
    await community.post('/api/residents', {
      name: '高志刚',
      idNumber: idFor('19900606', '031'),
      gridId: t.grids[0]?.id,
    })
  ).json().id;
}, 60_000);
afterAll(() => ctx?.close());

describe('care cases', () => {
  let caseId: string;
  it('opens a case with assigned workers who cover the grid', async () => {
    const bad = await community.post('/api/care/cases', {
      residentId,
      categoryCode: 'communityCorrection',
      riskLevel: 'high',
      workerIds: [otherWorkerId],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'workerIds', rule: 'assignable' });
    const unknown = await community.post('/api/care/cases', {
      residentId,
      categoryCode: 'nope',
      riskLevel: 'high',
      workerIds: [workerId],
    });
    expect(unknown.json().errors[0].field).toBe('categoryCode');
    const res = await community.post('/api/care/cases', {
      residentId,
      categoryCode: 'communityCorrection',
      riskLevel: 'high',
      plan: '就业指导，家庭支持',
      workerIds: [workerId],
    });
    expect(res.statusCode).toBe(201);
    caseId = res.json().id;
    expect(res.json()).toMatchObject({
      residentName: '高志刚',
      categoryName: '社区矫正对象',
      status: 'open',
      overdue: false,
      workers: [{ id: workerId }],
    });
    // Seven days for a high-risk community-correction case.
    const due = new Date(res.json().nextVisitDue).getTime() - new Date(res.json().openedAt).getTime();
    expect(Math.round(due / 86_400_000)).toBe(7);
    const twice = await community.post('/api/care/cases', {
      residentId,
      categoryCode: 'communityCorrection',
      riskLevel: 'low',
      workerIds: [workerId],
    });
    expect(twice.json().errors[0]).toMatchObject({ field: 'categoryCode', rule: 'unique' });
  });

  it('is seen only by the assigned worker and the supervisors, and every read is audited', async () => {
    const before = await readAudits();
    expect((await worker.get(`/api/care/cases/${caseId}`)).statusCode).toBe(200);
    expect((await community.get(`/api/care/cases/${caseId}`)).statusCode).toBe(200);
    expect(await readAudits()).toBe(before + 2);
    expect((await sameCommunityWorker.get(`/api/care/cases/${caseId}`)).statusCode).toBe(404);
    expect((await sameCommunityWorker.get('/api/care/cases')).json().total).toBe(0);
    expect((await otherCommunity.get(`/api/care/cases/${caseId}`)).statusCode).toBe(404);
    expect((await worker.get('/api/care/cases')).json().items.map((c: { id: string }) => c.id)).toEqual([
      caseId,
    ]);
    // The profile shows the case to those who may see it, and to no one else.
    expect((await worker.get(`/api/residents/${residentId}/care`)).json().items).toHaveLength(1);
    expect((await community.get(`/api/residents/${residentId}/care`)).json().items).toHaveLength(1);
    const colleague = await sameCommunityWorker.get(`/api/residents/${residentId}/care`);
    expect(colleague.statusCode).toBe(404); // the person is outside that worker's grid
    // Without care:read the route is closed.
    expect((await admin.get('/api/care/cases')).statusCode).toBe(403);
  });

  it('records visits, moves the next due date, and puts overdue visits in the worker’s to-do', async () => {
    const future = await worker.post(`/api/care/cases/${caseId}/visits`, {
      visitedAt: new Date(Date.now() + 86_400_000).toISOString(),
      place: '家中',
      notes: '走访',
    });
    expect(future.json().errors[0]).toMatchObject({ field: 'visitedAt', rule: 'notFuture' });
    const empty = await worker.post(`/api/care/cases/${caseId}/visits`, {
      visitedAt: new Date().toISOString(),
      place: '',
      notes: '',
    });
    expect(empty.statusCode).toBe(400);
    const at = new Date();
    const v = await worker.post(`/api/care/cases/${caseId}/visits`, {
      visitedAt: at.toISOString(),
      place: '家中',
      notes: '了解近况，已联系就业服务站',
    });
    expect(v.statusCode).toBe(201);
    expect(v.json().visits[0]).toMatchObject({ place: '家中', by: '测试w1' });
    expect(new Date(v.json().nextVisitDue).getTime() - at.getTime()).toBe(7 * 86_400_000);
    expect((await worker.get('/api/care/todo')).json().items).toEqual([]);
    // Ten days pass without a visit.
    await ctx.deps.db.execute(
      sql`update care_cases set next_visit_due = now() - interval '3 days' where id = ${caseId}`,
    );
    const todo = (await worker.get('/api/care/todo')).json().items;
    expect(todo).toEqual([expect.objectContaining({ id: caseId, overdue: true })]);
    expect((await sameCommunityWorker.get('/api/care/todo')).json().items).toEqual([]);
    expect((await community.get('/api/care/cases?overdue=true')).json().total).toBe(1);
    // Lowering the risk stretches the interval from the last visit.
    const lowered = await community.patch(`/api/care/cases/${caseId}`, { riskLevel: 'low' });
    expect(new Date(lowered.json().nextVisitDue).getTime() - at.getTime()).toBe(30 * 86_400_000);
    // Only supervisors reassign.
    const reassign = await worker.patch(`/api/care/cases/${caseId}`, { workerIds: [workerId] });
    expect(reassign.statusCode).toBe(403);
  });

  it('keeps visit photos to the visitor’s own uploads and shows them only to those who see the case', async () => {
    const { default: sharp } = await import('sharp');
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const upload = (s: Session) => {
      const boundary = 'cgcare42';
      return s.inject({
        method: 'POST',
        url: '/api/files',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.png"\r\nContent-Type: image/png\r\n\r\n`,
          ),
          png,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
    };
    const mine = (await upload(worker)).json().id;
    const theirs = (await upload(sameCommunityWorker)).json().id;
    const visit = (photoIds: string[]) =>
      worker.post(`/api/care/cases/${caseId}/visits`, {
        visitedAt: new Date().toISOString(),
        place: '社区服务站',
        notes: '面谈',
        photoIds,
      });
    const stolen = await visit([theirs]);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().errors[0]).toMatchObject({ field: 'photoIds', rule: 'owned' });
    const ok = await visit([mine]);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().visits[0].photoIds).toEqual([mine]);
    expect((await community.get(`/api/files/${mine}/thumb`)).statusCode).toBe(200);
    expect((await sameCommunityWorker.get(`/api/files/${mine}`)).statusCode).toBe(404);
    expect((await otherCommunity.get(`/api/files/${mine}`)).statusCode).toBe(404);
  });

  it('anonymises closed cases after the category’s retention period, and only those', async () => {
    const closed = await community.post(`/api/care/cases/${caseId}/close`, { reason: '矫正期满' });
    expect(closed.json()).toMatchObject({ status: 'closed', closeReason: '矫正期满', nextVisitDue: null });
    expect(
      (
        await worker.post(`/api/care/cases/${caseId}/visits`, {
          visitedAt: new Date().toISOString(),
          place: 'x',
          notes: 'y',
        })
      ).statusCode,
    ).toBe(409);
    const other = await community.post('/api/care/cases', {
      residentId,
      categoryCode: 'atRiskYouth',
      riskLevel: 'low',
      workerIds: [workerId],
    });
    expect(await anonymiseExpiredCare(ctx.deps.db, new Date())).toBe(0);
    const later = new Date(Date.now() + 1826 * 86_400_000);
    expect(await anonymiseExpiredCare(ctx.deps.db, later)).toBe(1);
    const gone = (await community.get(`/api/care/cases/${caseId}`)).json();
    expect(gone).toMatchObject({
      residentId: null,
      residentName: '（已匿名化）',
      plan: null,
      closeReason: null,
      anonymised: true,
    });
    expect(gone.visits[0]).toMatchObject({ notes: '（已匿名化）', place: '（已匿名化）' });
    // The open case keeps its person.
    expect((await community.get(`/api/care/cases/${other.json().id}`)).json().residentName).toBe('高志刚');
    expect((await community.get(`/api/residents/${residentId}/care`)).json().items).toHaveLength(1);
  });

  it('keeps categories as configuration with validated visit intervals', async () => {
    const bad = await admin.post('/api/care/categories', {
      code: 'elderlyAlone',
      name: '独居老人关爱',
      visitDays: { high: 0, medium: 7, low: 14 },
      retentionDays: 365,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('visitDays.high');
    const ok = await admin.post('/api/care/categories', {
      code: 'elderlyAlone',
      name: '独居老人关爱',
      visitDays: { high: 3, medium: 7, low: 14 },
      retentionDays: 365,
    });
    expect(ok.statusCode).toBe(201);
    const names = (await community.get('/api/care/categories'))
      .json()
      .items.map((c: { name: string }) => c.name);
    expect(names).toContain('独居老人关爱');
    expect(names).toContain('困境儿童');
    expect(
      (await community.post('/api/care/categories', { ...(ok.json() as object), code: 'x2' })).statusCode,
    ).toBe(403);
  });

  it('shows the categories to the admin who configures them, and to nobody without care duties', async () => {
    const list = await admin.get('/api/care/categories');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { code: string }) => c.code)).toContain('elderlyAlone');
    await makeUser(ctx.deps, { username: 'mediator1', roles: ['mediator'], orgUnit: t.streets[0] });
    expect((await (await login(ctx.app, 'mediator1')).get('/api/care/categories')).statusCode).toBe(403);
  });
});
