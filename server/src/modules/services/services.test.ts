import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { applicationEvents, applications } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let admin: Session;
let clerk: Session;
let community: Session;
let street: Session;
let otherStreet: Session;
let dept: Session;
let worker: Session;

const idNumber = (seq = 1) => {
  const first17 = `15020319800101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

/** A residence certificate done on the spot, and a subsidy decided by the street's back office. */
const certificate = {
  code: 'JZZM',
  name: '居住证明',
  category: 'certificate',
  level: 'community',
  timeLimitDays: 0,
  statutoryDays: 1,
  issuesCertificate: true,
  immediate: true,
  materials: [
    { name: '居民身份证', required: true },
    { name: '户口簿', form: 'copy', required: false },
  ],
  formFields: [{ key: 'purpose', label: '证明用途', type: 'text', required: true }],
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
    { name: '银行卡复印件', form: 'copy', required: true, waivable: true },
  ],
};

function intake(
  s: Session,
  serviceCode: string,
  materials: { name: string; provided: boolean; promisedDate?: string; fileId?: string }[],
  extra: Record<string, unknown> = {},
) {
  return s.post('/api/applications', {
    serviceCode,
    applicant: { idNumber: idNumber(), name: '张秀兰', phone: '13904721234' },
    materials,
    channel: 'window',
    idempotencyKey: randomUUID(),
    ...extra,
  });
}
const all = (names: string[], provided = true) => names.map((name) => ({ name, provided }));
const subsidyMaterials = (bankCard: boolean, promisedDate?: string) => [
  ...all(['居民身份证', '户口簿']),
  { name: '银行卡复印件', provided: bankCard, ...(promisedDate ? { promisedDate } : {}) },
];
const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/applications/${id}/actions/${action}`, body);

async function accepted(s = clerk): Promise<string> {
  const res = await intake(s, 'GLJT', subsidyMaterials(true));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function rows() {
  const [a] = await ctx.deps.db.select({ n: count() }).from(applications);
  const [l] = await ctx.deps.db.select({ n: count() }).from(auditLog);
  return { applications: a?.n, audit: l?.n };
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  const u = (
    username: string,
    roles: string[],
    orgUnit?: (typeof t.communities)[number],
    departmentId?: number,
  ) =>
    makeUser(ctx.deps, {
      username,
      roles,
      ...(orgUnit ? { orgUnit } : {}),
      ...(departmentId ? { departmentId } : {}),
    });
  await u('admin', ['systemAdmin']);
  await u('clerk', ['serviceClerk'], c1);
  await u('community', ['communityWorkstation'], c1);
  await u('street', ['streetCentre'], t.streets[0]);
  await u('other', ['communityWorkstation'], c3);
  await u('dept', ['departmentHandler'], undefined, t.departments[0]?.id);
  await u('worker', ['gridWorker'], t.grids[0]);
  admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  community = await login(ctx.app, 'community');
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'other');
  dept = await login(ctx.app, 'dept');
  worker = await login(ctx.app, 'worker');
  for (const item of [certificate, subsidy]) {
    const res = await admin.post('/api/services', item);
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(() => ctx.close());

describe('service catalogue', () => {
  it('is listed to staff and, without login, as the public service guide', async () => {
    const staff = (await clerk.get('/api/services')).json();
    expect(staff.items.map((i: { code: string }) => i.code)).toEqual(['GLJT', 'JZZM']);
    const guide = await ctx.app.inject({ method: 'GET', url: '/api/public/services' });
    expect(guide.statusCode).toBe(200);
    expect(guide.json().items[0]).toMatchObject({
      code: 'GLJT',
      name: '高龄津贴申请',
      category: 'street',
      level: 'street',
      timeLimitDays: 10,
      issuesCertificate: false,
      materials: [
        { name: '居民身份证', required: true },
        { name: '户口簿' },
        { name: '银行卡复印件', waivable: true },
      ],
    });
    const one = await ctx.app.inject({ method: 'GET', url: '/api/public/services/JZZM' });
    expect(one.json()).toMatchObject({ code: 'JZZM', immediate: true, version: 1 });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/public/services/NOPE' })).statusCode).toBe(404);
  });

  it('is kept by the catalogue admin only, and a code is taken once', async () => {
    expect((await clerk.post('/api/services', { ...certificate, code: 'X1' })).statusCode).toBe(403);
    const again = await admin.post('/api/services', certificate);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SERVICE_CODE_TAKEN');
  });

  it('an edit makes a new version; an application keeps the version it was taken in under', async () => {
    const item = { ...certificate, code: 'LDZM', name: '临时证明' };
    expect((await admin.post('/api/services', item)).statusCode).toBe(201);
    const taken = await intake(clerk, 'LDZM', all(['居民身份证', '户口簿']), { form: { purpose: '入学' } });
    expect(taken.statusCode, taken.body).toBe(201);
    const edited = await admin.patch('/api/services/LDZM', {
      materials: [{ name: '居民身份证', required: true }],
      timeLimitDays: 1,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, timeLimitDays: 1 });
    const detail = (await clerk.get(`/api/applications/${taken.json().id}`)).json();
    expect(detail.serviceVersion).toBe(1);
    expect(detail.materials.map((m: { name: string }) => m.name)).toEqual(['居民身份证', '户口簿']);
    // The old list no longer matches the current version: the window is told which material.
    const stale = await intake(clerk, 'LDZM', all(['居民身份证', '户口簿']), { form: { purpose: '入学' } });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().errors[0]).toMatchObject({
      field: 'materials.1.name',
      code: 'APPLICATION_MATERIAL_UNKNOWN',
    });
  });
});

describe('one-window intake', () => {
  it('accepts with every required material, with a due date on the work calendar', async () => {
    const res = await intake(clerk, 'GLJT', subsidyMaterials(true));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'accepted', code: expect.stringMatching(/^BJ\d{14}$/) });
    expect(body.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const detail = (await clerk.get(`/api/applications/${body.id}`)).json();
    expect(detail.applicantIdNumber).toBe(
      `******${'*'.repeat(8)}${idNumber().slice(-4)}`.replace(/^\*{6}/, '******'),
    );
    expect(detail.applicantIdNumber).not.toContain('19800101');
    expect(detail.applicantPhone).toBe('139****1234');
    expect(detail.events).toHaveLength(1);
  });

  it('is incomplete when a required material is missing: no due date until 补正', async () => {
    const res = await intake(clerk, 'GLJT', [
      ...all(['居民身份证']),
      ...all(['户口簿', '银行卡复印件'], false),
    ]);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'incomplete', dueDate: null });
    const detail = (await clerk.get(`/api/applications/${res.json().id}`)).json();
    expect(detail.missing).toEqual(['户口簿', '银行卡复印件']);
    expect(detail.allowedActions).toEqual(['supplement', 'withdraw']);
  });

  it('容缺: accepts with a waivable material promised by a date', async () => {
    const res = await intake(clerk, 'GLJT', subsidyMaterials(false, '2099-01-10'));
    expect(res.json()).toMatchObject({ status: 'accepted' });
    const detail = (await clerk.get(`/api/applications/${res.json().id}`)).json();
    expect(detail.materials[2]).toMatchObject({
      name: '银行卡复印件',
      provided: false,
      promisedDate: '2099-01-10',
    });
  });

  it('the same idempotency key twice finds the same application; a burst of five makes one row', async () => {
    const key = randomUUID();
    const send = () => intake(clerk, 'GLJT', subsidyMaterials(true), { idempotencyKey: key });
    const first = await send();
    const second = await send();
    expect(second.json().id).toBe(first.json().id);
    const burstKey = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 5 }, () =>
        intake(clerk, 'GLJT', subsidyMaterials(true), { idempotencyKey: burstKey }),
      ),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(burst.map((r) => r.json().id)).size).toBe(1);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(applications)
      .where(eq(applications.idempotencyKey, burstKey));
    expect(n?.n).toBe(1);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await rows();
    const unknown = await intake(clerk, 'NOPE', []);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'serviceCode', code: 'SERVICE_UNKNOWN' });
    const missing = await intake(clerk, 'GLJT', all(['居民身份证', '户口簿']));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({
      field: 'materials',
      code: 'APPLICATION_MATERIAL_MISSING',
    });
    const foreign = await intake(clerk, 'GLJT', [
      ...subsidyMaterials(true),
      { name: '结婚证', provided: true },
    ]);
    expect(foreign.json().errors[0]).toMatchObject({
      field: 'materials.3.name',
      code: 'APPLICATION_MATERIAL_UNKNOWN',
    });
    const badId = await intake(clerk, 'GLJT', subsidyMaterials(true), {
      applicant: {
        idNumber: `${idNumber().slice(0, 17)}${idNumber().endsWith('1') ? '2' : '1'}`,
        name: '张秀兰',
      },
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0]).toMatchObject({
      field: 'applicant.idNumber',
      rule: 'checkDigit',
      code: 'ID_CHECK_DIGIT',
    });
    const past = await intake(clerk, 'GLJT', subsidyMaterials(false, '2020-01-01'));
    expect(past.json().errors[0]).toMatchObject({
      field: 'materials.2.promisedDate',
      code: 'APPLICATION_PROMISED_DATE_PAST',
    });
    const notMine = await intake(clerk, 'GLJT', [
      { name: '居民身份证', provided: true, fileId: randomUUID() },
      ...subsidyMaterials(true).slice(1),
    ]);
    expect(notMine.statusCode).toBe(400);
    expect(notMine.json().errors[0]).toMatchObject({ field: 'materials', code: 'APPLICATION_FILE_UNKNOWN' });
    const noForm = await intake(clerk, 'JZZM', all(['居民身份证', '户口簿']));
    expect(noForm.json().errors[0]).toMatchObject({
      field: 'form.purpose',
      code: 'APPLICATION_FORM_REQUIRED',
    });
    expect(await rows()).toEqual(before);
  });

  it('is for the window: a grid worker may not take matters in', async () => {
    expect((await intake(worker, 'GLJT', subsidyMaterials(true))).statusCode).toBe(403);
  });
});

describe('back office', () => {
  it('the window takes in and issues 居住证明 directly', async () => {
    const res = await intake(clerk, 'JZZM', all(['居民身份证', '户口簿']), { form: { purpose: '子女入学' } });
    const id = res.json().id;
    const issued = await act(clerk, id, 'issue');
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'issued', allowedActions: ['collect'] });
    expect((await act(clerk, id, 'collect')).json().status).toBe('collected');
  });

  it('approve → issue → collect, each step in the trail and audited in the same transaction', async () => {
    const id = await accepted();
    const before = await rows();
    const approved = await act(street, id, 'approve', { result: '符合条件，按月发放' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', result: '符合条件，按月发放' });
    expect((await act(clerk, id, 'issue')).json().status).toBe('issued');
    const done = (await act(clerk, id, 'collect')).json();
    expect(done.status).toBe('collected');
    expect(done.allowedActions).toEqual([]);
    expect(done.events.map((e: { action: string }) => e.action)).toEqual([
      'intake',
      'approve',
      'issue',
      'collect',
    ]);
    expect((await rows()).audit).toBe((before.audit ?? 0) + 3);
  });

  it('a street item is not the window’s to issue before approval; the clerk may not approve', async () => {
    const id = await accepted();
    const early = await act(clerk, id, 'issue');
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('APPLICATION_NOT_IMMEDIATE');
    expect((await act(clerk, id, 'approve')).statusCode).toBe(403);
    expect((await act(worker, id, 'approve')).statusCode).toBe(404);
  });

  it('refuses by scope (404), permission (403) and state (409)', async () => {
    const id = await accepted();
    expect((await act(otherStreet, id, 'approve')).statusCode).toBe(404);
    expect((await otherStreet.get(`/api/applications/${id}`)).statusCode).toBe(404);
    expect((await act(dept, id, 'approve')).statusCode).toBe(404);
    // A street item is the street's back office's: the community below it does not decide it.
    expect((await act(community, id, 'approve')).json().code).toBe('APPLICATION_NOT_YOURS');
    expect((await act(street, id, 'reject', { reason: '不符合高龄津贴条件' })).statusCode).toBe(200);
    const again = await act(street, id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('APPLICATION_INVALID_STATE');
    expect((await act(street, id, 'reject', { reason: 'x' })).statusCode).toBe(409);
  });

  it('a reject needs its reason (400 naming the field)', async () => {
    const id = await accepted();
    const res = await act(street, id, 'reject', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('reason');
  });

  it('transfer to a department: it handles and sees it; the community no longer handles it', async () => {
    const id = await accepted();
    const moved = await act(street, id, 'transfer', { departmentId: t.departments[0]?.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'accepted', departmentId: t.departments[0]?.id });
    const seen = (await dept.get(`/api/applications/${id}`)).json();
    expect(seen.allowedActions).toEqual(['approve', 'reject', 'transfer', 'requestMaterial']);
    const notYours = await act(community, id, 'approve');
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().code).toBe('APPLICATION_NOT_YOURS');
    expect((await act(dept, id, 'approve')).statusCode).toBe(200);
    const bad = await act(street, await accepted(), 'transfer', { orgUnitId: 999_999 });
    expect(bad.json().errors[0]).toMatchObject({ field: 'orgUnitId', code: 'APPLICATION_TRANSFER_TARGET' });
  });

  it('incomplete → 补正 → accepted starts the clock', async () => {
    const res = await intake(clerk, 'GLJT', [
      ...all(['居民身份证', '户口簿']),
      { name: '银行卡复印件', provided: false },
    ]);
    const id = res.json().id;
    expect((await act(street, id, 'approve')).statusCode).toBe(409);
    const done = await act(clerk, id, 'supplement', { materials: [{ name: '银行卡复印件' }] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'accepted', missing: [], pausedMinutes: 0 });
    expect(done.json().dueDate).toMatch(/^\d{4}-/);
  });

  it('the clock stands still while waiting for material', async () => {
    const id = await accepted();
    const asked = await act(street, id, 'requestMaterial', { missing: ['户口簿', '居住证明'] });
    expect(asked.json()).toMatchObject({ status: 'incomplete', missing: ['户口簿', '居住证明'] });
    const [before] = await ctx.deps.db.select().from(applications).where(eq(applications.id, id));
    // Waiting began three weeks ago (fifteen working days at least, holidays aside).
    await ctx.deps.db
      .update(applications)
      .set({ pausedAt: sql`now() - interval '21 days'` })
      .where(eq(applications.id, id));
    const back = await act(clerk, id, 'supplement');
    expect(back.statusCode, back.body).toBe(200);
    const [after] = await ctx.deps.db.select().from(applications).where(eq(applications.id, id));
    expect(after?.pausedMinutes).toBeGreaterThanOrEqual(10 * 8 * 60);
    // The deadline moved on by the time it stood still: not overdue though three weeks passed.
    expect(after?.dueAt?.getTime()).toBeGreaterThan(before?.dueAt?.getTime() ?? 0);
    expect(back.json()).toMatchObject({ status: 'accepted', overdue: false });
    const events = await ctx.deps.db
      .select()
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, id));
    expect(events.map((e) => e.action)).toEqual(['intake', 'requestMaterial', 'supplement']);
  });

  it('withdraw ends an open application', async () => {
    const id = await accepted();
    expect((await act(clerk, id, 'withdraw', { reason: '申请人撤回' })).json().status).toBe('withdrawn');
    expect((await act(clerk, id, 'supplement')).statusCode).toBe(409);
  });
});

describe('lists and figures', () => {
  it('lists by status and overdue, paged, within the jurisdiction', async () => {
    const id = await accepted();
    await ctx.deps.db
      .update(applications)
      .set({ dueAt: sql`now() - interval '1 hour'`, warnAt: sql`now() - interval '2 hours'` })
      .where(eq(applications.id, id));
    const overdue = (await street.get('/api/applications?overdue=true&pageSize=200')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(overdue.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const page = (
      await clerk.get('/api/applications?status=accepted&serviceCode=GLJT&page=1&pageSize=2')
    ).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect(page.items[0].applicantIdNumber).toMatch(/^\*+\d{3}[\dX]$/);
    expect((await otherStreet.get('/api/applications')).json().total).toBe(0);
    const outside = await clerk.get(`/api/applications?orgUnitId=${t.communities[2]?.id}`);
    expect(outside.statusCode).toBe(400);
  });

  it('counts applications, completed and on time per item', async () => {
    const m = (await street.get('/api/metrics/services')).json();
    expect(m.total).toBeGreaterThan(5);
    expect(m.completed).toBeGreaterThan(0);
    expect(m.byService.map((s: { code: string }) => s.code)).toContain('GLJT');
    expect(m.onTimeRate).toBeGreaterThan(0);
    expect((await otherStreet.get('/api/metrics/services')).json().total).toBe(0);
  });
});
