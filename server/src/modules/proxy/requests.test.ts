import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';
import { applications } from '../services/tables.js';
import { proxyRequestEvents, proxyRequests } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let worker: Session;
let mate: Session;
let otherWorker: Session;
let community: Session;
let bound: Session;
let unbound: Session;
let workerId: string;
let mateId: string;
let residentId: string;

const idNumber = (seq: number) => {
  const first17 = `15020319600101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

const allowance = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'communityProxy',
  level: 'community',
  timeLimitDays: 5,
  statutoryDays: 10,
  materials: [{ name: '居民身份证', required: true }],
};

function ask(s: Session, extra: Record<string, unknown> = {}) {
  return s.post('/api/my/proxy-requests', {
    serviceCode: 'GLJT',
    note: '腿脚不便，请上门帮办',
    contactTime: '工作日上午',
    phone: '13800001234',
    consent: true,
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
  mateId = (await makeUser(ctx.deps, { username: 'mate', roles: ['gridWorker'], orgUnit: g1 })).id;
  await makeUser(ctx.deps, { username: 'other', roles: ['gridWorker'], orgUnit: g2 });
  await makeUser(ctx.deps, { username: 'community', roles: ['communityWorkstation'], orgUnit: c1 });
  const boundUser = await makeUser(ctx.deps, { username: 'bound', roles: ['resident'] });
  await makeUser(ctx.deps, { username: 'unbound', roles: ['resident'] });
  const admin = await login(ctx.app, 'admin');
  worker = await login(ctx.app, 'worker');
  mate = await login(ctx.app, 'mate');
  otherWorker = await login(ctx.app, 'other');
  community = await login(ctx.app, 'community');
  bound = await login(ctx.app, 'bound');
  unbound = await login(ctx.app, 'unbound');
  expect((await admin.post('/api/services', allowance)).statusCode).toBe(201);
  // The resident on file in grid 1, and the portal account bound to him by real name — confirmed:
  // the file holds the phone the account signs in with.
  const id = idNumber(7);
  const phone = '13904727777';
  const [r] = await ctx.deps.db
    .insert(residents)
    .values({
      name: '赵玉兰',
      idNumberEnc: ctx.deps.crypto.encrypt(id),
      idNumberIdx: ctx.deps.crypto.blindIndex(id),
      idNumberTail: id.slice(-4),
      sex: 'female',
      birthDate: '1960-01-01',
      birthplaceCode: '150203',
      phoneEnc: ctx.deps.crypto.encrypt(phone),
      phoneIdx: ctx.deps.crypto.blindIndex(phone),
      gridId: g1.id,
      orgPath: g1.path,
    })
    .returning({ id: residents.id });
  residentId = (r as { id: string }).id;
  await ctx.deps.db.insert(residentAccounts).values({
    userId: boundUser.id,
    phoneIdx: ctx.deps.crypto.blindIndex(phone),
    realNameEnc: ctx.deps.crypto.encrypt('赵玉兰'),
    idNumberEnc: ctx.deps.crypto.encrypt(id),
    idNumberIdx: ctx.deps.crypto.blindIndex(id),
    realNameAt: new Date(),
  });
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('a resident asks for proxy service (请网格员帮办)', () => {
  it('goes to his grid from his real-name binding, with his consent and its time, audited and trailed', async () => {
    const before = Date.now();
    const key = randomUUID();
    const res = await ask(bound, { idempotencyKey: key });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      serviceCode: 'GLJT',
      itemName: '高龄津贴申请',
      orgUnitName: t.grids[0]?.name,
      status: 'open',
      takenByName: null,
      applicationId: null,
      contactTime: '工作日上午',
    });
    expect(Date.parse(body.consentAt)).toBeGreaterThanOrEqual(before - 1000);
    const [row] = await ctx.deps.db.select().from(proxyRequests).where(eq(proxyRequests.id, body.id));
    expect(row).toMatchObject({ residentId, orgUnitId: t.grids[0]?.id, orgPath: t.grids[0]?.path });
    // The phone is stored encrypted, not in clear.
    expect(row?.phoneEnc).not.toContain('13800001234');
    const events = await ctx.deps.db
      .select()
      .from(proxyRequestEvents)
      .where(eq(proxyRequestEvents.requestId, body.id));
    expect(events.map((e) => [e.action, e.toState])).toEqual([['create', 'open']]);
    const audits = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'proxyRequest.created'), eq(auditLog.targetId, body.id)));
    expect(audits).toHaveLength(1);
    // The same key again finds the same request.
    const again = await ask(bound, { idempotencyKey: key });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(body.id);
    const mine = await bound.get('/api/my/proxy-requests');
    expect(mine.json().total).toBe(1);
  });

  it('refuses without consent, an unknown item, or (without a binding) no community, naming the field', async () => {
    const noConsent = await ask(bound, { consent: false });
    expect(noConsent.statusCode).toBe(400);
    expect(JSON.stringify(noConsent.json().errors)).toContain('consent');
    const unknown = await ask(bound, { serviceCode: 'NOPE' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'serviceCode' });
    const noUnit = await ask(unbound);
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().errors[0]).toMatchObject({ field: 'orgUnitId', code: 'ONLINE_COMMUNITY_REQUIRED' });
    const grid = await ask(unbound, { orgUnitId: t.grids[0]?.id });
    expect(grid.statusCode).toBe(400);
    expect(grid.json().errors[0]).toMatchObject({ field: 'orgUnitId', code: 'ONLINE_COMMUNITY_UNKNOWN' });
  });

  it('without a binding he picks his community: its workstation sees it, the grid workers do not', async () => {
    const res = await ask(unbound, { orgUnitId: t.communities[0]?.id, idempotencyKey: randomUUID() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().orgUnitName).toBe(t.communities[0]?.name);
    const seen = await community.get('/api/proxy-requests');
    expect((seen.json().items as { id: string }[]).map((i) => i.id)).toContain(res.json().id);
    const grid = await worker.get('/api/proxy-requests');
    expect((grid.json().items as { id: string }[]).map((i) => i.id)).not.toContain(res.json().id);
    const cancel = await unbound.post(`/api/proxy-requests/${res.json().id}/actions/cancel`, {});
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
  });
});

describe('the grid’s workers take it up', () => {
  let requestId: string;

  it('lists it to the grid’s workers with the phone masked and take allowed; another grid’s worker sees nothing', async () => {
    const res = await ask(bound);
    requestId = res.json().id;
    const list = await worker.get('/api/proxy-requests?status=open');
    expect(list.statusCode, list.body).toBe(200);
    const item = (list.json().items as { id: string }[]).find((i) => i.id === requestId);
    expect(item).toMatchObject({
      residentId,
      requesterName: '测试bound',
      phoneMasked: '138****1234',
      allowedActions: ['take'],
    });
    expect(list.body).not.toContain('13800001234');
    const other = await otherWorker.get('/api/proxy-requests');
    expect(other.json().items).toEqual([]);
    // A resident has no application:proxy: he does not list the grid's requests.
    expect((await bound.get('/api/proxy-requests')).statusCode).toBe(403);
  });

  it('another grid’s worker cannot take it (404); a worker takes it; a second take is 409', async () => {
    const away = await otherWorker.post(`/api/proxy-requests/${requestId}/actions/take`, {});
    expect(away.statusCode).toBe(404);
    const take = await worker.post(`/api/proxy-requests/${requestId}/actions/take`, {});
    expect(take.statusCode, take.body).toBe(200);
    expect(take.json()).toMatchObject({ status: 'taken', takenById: workerId, takenByName: '测试worker' });
    const second = await mate.post(`/api/proxy-requests/${requestId}/actions/take`, {});
    expect(second.statusCode).toBe(409);
    const [row] = await ctx.deps.db.select().from(proxyRequests).where(eq(proxyRequests.id, requestId));
    expect(row?.takenBy).toBe(workerId);
    expect(row?.takenBy).not.toBe(mateId);
    const audits = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'proxyRequest.action'), eq(auditLog.targetId, requestId)));
    expect(audits.map((a) => (a.payload as { action: string }).action)).toEqual(['take']);
    const mine = await bound.get('/api/my/proxy-requests');
    const seen = (mine.json().items as { id: string }[]).find((i) => i.id === requestId);
    expect(seen).toMatchObject({ status: 'taken', takenByName: '测试worker' });
  });

  it('30 takes at once by two workers: one is taken, the rest are 409, one audit row', async () => {
    const created = await ask(bound, { idempotencyKey: randomUUID() });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? mate : worker).post(`/api/proxy-requests/${id}/actions/take`, {}),
      ),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(29);
    const audits = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'proxyRequest.action'), eq(auditLog.targetId, id)));
    expect(audits).toHaveLength(1);
    const [row] = await ctx.deps.db.select().from(proxyRequests).where(eq(proxyRequests.id, id));
    expect([workerId, mateId]).toContain(row?.takenBy);
  });

  it('when the taker starts the proxy application for the resident, the request links to it and closes', async () => {
    const res = await worker.post('/api/proxy-applications', {
      serviceCode: 'GLJT',
      residentId,
      materials: [{ name: '居民身份证', provided: true }],
      consent: { method: 'verbal', at: new Date(Date.now() - 60_000).toISOString(), note: '本人同意' },
      idempotencyKey: randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await ctx.deps.db.select().from(proxyRequests).where(eq(proxyRequests.id, requestId));
    expect(row).toMatchObject({ status: 'done', applicationId: res.json().id });
    const events = await ctx.deps.db
      .select()
      .from(proxyRequestEvents)
      .where(eq(proxyRequestEvents.requestId, requestId));
    expect(events.map((e) => e.action)).toEqual(['create', 'take', 'link']);
    const mine = await bound.get('/api/my/proxy-requests');
    const seen = (mine.json().items as { id: string }[]).find((i) => i.id === requestId);
    expect(seen).toMatchObject({ status: 'done', applicationId: res.json().id });
    // Closed: nobody cancels it any more.
    const cancel = await bound.post(`/api/proxy-requests/${requestId}/actions/cancel`, {});
    expect(cancel.statusCode).toBe(409);
    // The application carried for him is in his 我的办件 (his binding is the applicant); not another's.
    const apps = await bound.get('/api/my/applications');
    expect(
      (apps.json().items as { id: string; step: string }[]).find((i) => i.id === res.json().id),
    ).toMatchObject({ step: 'accepted' });
    const steps = (await bound.get(`/api/my/applications/${res.json().id}`)).json().timeline;
    expect(steps.map((x: { step: string }) => x.step)).toEqual(['accepted']);
    expect((await unbound.get('/api/my/applications')).json().total).toBe(0);
    expect((await unbound.get(`/api/my/applications/${res.json().id}`)).statusCode).toBe(404);
  });

  it('the application and the request’s link are one transaction: a failing link leaves neither', async () => {
    const { db } = ctx.deps;
    const created = await ask(bound, { idempotencyKey: randomUUID() });
    const id = created.json().id as string;
    expect((await worker.post(`/api/proxy-requests/${id}/actions/take`, {})).statusCode).toBe(200);
    const taken = async () =>
      db
        .select()
        .from(proxyRequests)
        .where(and(eq(proxyRequests.takenBy, workerId), eq(proxyRequests.status, 'taken')))
        .orderBy(proxyRequests.takenAt);
    const before = await taken();
    expect(before.map((r) => r.id)).toContain(id);
    const key = randomUUID();
    const body = {
      serviceCode: 'GLJT',
      residentId,
      materials: [{ name: '居民身份证', provided: true }],
      consent: { method: 'verbal', at: new Date(Date.now() - 60_000).toISOString(), note: '本人同意' },
      idempotencyKey: key,
    };
    // The request's trail refuses the link event: the application written before it must go too.
    await db.execute(sql`create or replace function test_refuse_link() returns trigger as $$
      begin if new.action = 'link' then raise exception 'refused by test'; end if; return new; end $$
      language plpgsql`);
    await db.execute(sql`create trigger test_refuse_link before insert on proxy_request_events
      for each row execute function test_refuse_link()`);
    try {
      expect((await worker.post('/api/proxy-applications', body)).statusCode).toBe(500);
    } finally {
      await db.execute(sql`drop trigger test_refuse_link on proxy_request_events`);
    }
    expect(await db.select().from(applications).where(eq(applications.idempotencyKey, key))).toEqual([]);
    expect(await taken()).toEqual(before);
    // The retry with the same key takes it in and links the oldest request he took.
    const again = await worker.post('/api/proxy-applications', body);
    expect(again.statusCode, again.body).toBe(201);
    const linked = await db
      .select()
      .from(proxyRequests)
      .where(eq(proxyRequests.applicationId, again.json().id));
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ status: 'done', id: before[0]?.id });
  });

  it('a worker who did not take it cannot cancel it; another resident does not see it at all', async () => {
    const res = await ask(bound);
    const id = res.json().id;
    expect((await mate.post(`/api/proxy-requests/${id}/actions/cancel`, {})).statusCode).toBe(403);
    expect((await unbound.post(`/api/proxy-requests/${id}/actions/cancel`, {})).statusCode).toBe(404);
    expect((await bound.post(`/api/proxy-requests/${id}/actions/take`, {})).statusCode).toBe(403);
  });
});
