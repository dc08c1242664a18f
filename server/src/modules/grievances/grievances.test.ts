import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { addDays } from '@civicgrid/core/calendar/weeks';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { grievanceEvents, grievances } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let street: Session;
let other: Session;
let clerk: Session;
let worker: Session;
let dept: Session;

const first17 = '15020319800101001';
const idNumber = first17 + idNumberCheckChar(first17);
const today = () => localDay(Date.now());

function register(s: Session, extra: Record<string, unknown> = {}) {
  return s.post('/api/grievances', {
    channel: 'visit',
    subject: '小区供暖不热',
    content: '12 号楼室温长期低于 16 度，多次反映未解决。',
    person: { name: '王建国', idNumber, phone: '13904721234' },
    idempotencyKey: randomUUID(),
    ...extra,
  });
}
const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/grievances/${id}/actions/${action}`, body);

async function registered(s = community): Promise<string> {
  const res = await register(s);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function inState(state: 'accepted' | 'answered' | 'reviewRequested'): Promise<string> {
  const id = await registered();
  expect((await act(community, id, 'accept')).statusCode).toBe(200);
  if (state === 'accepted') return id;
  expect((await act(community, id, 'answer', { opinion: '已协调供热公司检修管网。' })).statusCode).toBe(200);
  if (state === 'answered') return id;
  expect((await act(community, id, 'requestReview', { reason: '检修后仍不热' })).statusCode).toBe(200);
  return id;
}
async function counts() {
  const [g] = await ctx.deps.db.select({ n: count() }).from(grievances);
  const [e] = await ctx.deps.db.select({ n: count() }).from(grievanceEvents);
  return { grievances: g?.n, events: e?.n };
}
const auditsOf = async (action: string) =>
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
  await makeUser(ctx.deps, { username: 'community', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'other', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, {
    username: 'dept',
    roles: ['departmentHandler'],
    departmentId: t.departments[0]?.id as number,
  });
  community = await login(ctx.app, 'community');
  street = await login(ctx.app, 'street');
  other = await login(ctx.app, 'other');
  clerk = await login(ctx.app, 'clerk');
  worker = await login(ctx.app, 'worker');
  dept = await login(ctx.app, 'dept');
}, 120_000);
afterAll(() => ctx.close());

describe('registering a grievance', () => {
  it('answers 201 with its code and the 15- and 60-day deadlines', async () => {
    const res = await register(community);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.code).toMatch(/^XF\d{14}$/);
    expect(body.deadlines.acknowledgeBy >= addDays(today(), 15)).toBe(true);
    expect(body.deadlines.answerBy >= addDays(today(), 60)).toBe(true);
    const detail = (await community.get(`/api/grievances/${body.id}`)).json();
    expect(detail).toMatchObject({
      status: 'registered',
      personName: '王建国',
      personIdNumber: `150203********${idNumber.slice(-4)}`,
      personPhone: '139****1234',
      deadline: { step: 'acknowledge', due: body.deadlines.acknowledgeBy, state: 'running' },
      allowedActions: ['accept', 'decline'],
    });
  });

  it('makes one grievance of one idempotency key', async () => {
    const key = randomUUID();
    const before = await counts();
    const [a, b] = await Promise.all([
      register(community, { idempotencyKey: key }),
      register(community, { idempotencyKey: key }),
    ]);
    expect(a.json().id).toBe(b.json().id);
    expect((await counts()).grievances).toBe((before.grievances ?? 0) + 1);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = await counts();
    const bad = [
      [{ channel: 'fax' }, 'channel'],
      [{ subject: '' }, 'subject'],
      [{ person: { name: '王建国', idNumber: '150203198001010010' } }, 'person.idNumber'],
      [{ person: { name: '王建国', phone: '12345' } }, 'person.phone'],
      [{ orgUnitId: t.communities[2]?.id }, 'orgUnitId'],
    ] as const;
    for (const [extra, field] of bad) {
      const res = await register(community, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('is refused to roles without grievance:intake', async () => {
    expect((await register(clerk)).statusCode).toBe(403);
    expect((await register(worker)).statusCode).toBe(403);
  });
});

describe('who sees a grievance', () => {
  it('its handlers in scope only, and every read is audited', async () => {
    const id = await registered();
    const reads = await auditsOf('grievance.read');
    expect((await street.get(`/api/grievances/${id}`)).statusCode).toBe(200);
    expect((await other.get(`/api/grievances/${id}`)).statusCode).toBe(404);
    expect((await clerk.get(`/api/grievances/${id}`)).statusCode).toBe(403);
    expect((await dept.get(`/api/grievances/${id}`)).statusCode).toBe(404);
    const list = (await community.get('/api/grievances?pageSize=200')).json();
    expect(list.items.map((g: { id: string }) => g.id)).toContain(id);
    expect(JSON.stringify(list)).not.toContain(idNumber.slice(0, 10));
    expect((await other.get('/api/grievances')).json().items.map((g: { id: string }) => g.id)).not.toContain(
      id,
    );
    expect(await auditsOf('grievance.read')).toBe(reads + 2);
  });

  it('a department it is given to, and no trace of the person in the audit trail', async () => {
    const id = await registered();
    const res = await act(community, id, 'accept', { departmentId: t.departments[0]?.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((await dept.get(`/api/grievances/${id}`)).statusCode).toBe(200);
    const rows = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(JSON.stringify(rows)).not.toContain('王建国');
    expect(JSON.stringify(rows)).not.toContain(idNumber);
  });
});

describe('the workflow', () => {
  it('accept → answer → review → close, each step on its clock, with the 处理意见书', async () => {
    const id = await registered();
    let d = (await act(community, id, 'accept', { note: '由社区办理' })).json();
    expect(d.status).toBe('accepted');
    expect(d.steps.acknowledge).toMatchObject({ doneOn: today(), late: false });
    expect(d.deadline).toMatchObject({ step: 'answer', due: d.steps.answer.due });
    expect(d.steps.answer.due >= addDays(today(), 60)).toBe(true);
    expect(d.allowedActions).toEqual(['extend', 'answer']);

    d = (await act(community, id, 'answer', { opinion: '已协调供热公司检修管网，室温达标。' })).json();
    expect(d).toMatchObject({
      status: 'answered',
      deadline: null,
      allowedActions: ['requestReview', 'close'],
    });
    expect(d.steps.reviewRequest.due >= addDays(today(), 30)).toBe(true);
    const pdf = await community.get(`/api/grievances/${id}/answer.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('处理意见书');
    expect(text).toContain('王建国');
    expect(text).toContain('已协调供热公司检修管网');
    expect(text).not.toContain(idNumber);

    d = (await act(community, id, 'requestReview', { reason: '检修后仍不热' })).json();
    expect(d).toMatchObject({ status: 'reviewRequested', deadline: { step: 'reviewAnswer' } });
    d = (await act(street, id, 'review', { opinion: '维持原处理意见', upheld: true })).json();
    expect(d.status).toBe('reviewed');
    d = (await act(community, id, 'close', { satisfaction: 'basicallySatisfied' })).json();
    expect(d).toMatchObject({ status: 'closed', satisfaction: 'basicallySatisfied', allowedActions: [] });
    expect(d.events.map((e: { action: string }) => e.action)).toEqual([
      'register',
      'accept',
      'answer',
      'requestReview',
      'review',
      'close',
    ]);
  });

  it('declines with a reason, which ends it', async () => {
    const id = await registered();
    expect((await act(community, id, 'decline', {})).statusCode).toBe(400);
    const d = (await act(community, id, 'decline', { reason: '属于诉讼途径解决的事项' })).json();
    expect(d).toMatchObject({ status: 'declined', deadline: null, allowedActions: [] });
    expect((await act(community, id, 'accept')).statusCode).toBe(409);
  });

  it('extends the answer once, by at most 30 days, with reason and notice', async () => {
    const id = await inState('accepted');
    const before = (await community.get(`/api/grievances/${id}`)).json().steps.answer.due;
    const tooLong = await act(community, id, 'extend', { reason: '需多部门会商', days: 31 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0]).toMatchObject({ field: 'days', code: 'GRIEVANCE_EXTENSION_TOO_LONG' });
    const ok = await act(community, id, 'extend', { reason: '需多部门会商', days: 30, noticeBy: 'phone' });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = ok.json();
    expect(d.extension).toMatchObject({ days: 30, reason: '需多部门会商', on: today() });
    expect(d.steps.answer.due > before).toBe(true);
    expect(d.allowedActions).toEqual(['answer']);
    const again = await act(community, id, 'extend', { reason: '还要再等', days: 5 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('GRIEVANCE_ALREADY_EXTENDED');
  });

  it('refuses a review asked more than 30 days after the answer (409), and a future date (400)', async () => {
    const id = await inState('answered');
    const answeredOn = addDays(today(), -45);
    await ctx.deps.db
      .update(grievances)
      .set({ answeredOn, reviewRequestBy: addDays(answeredOn, 30) })
      .where(eq(grievances.id, id));
    const late = await act(community, id, 'requestReview', { reason: '仍不满意' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('GRIEVANCE_REVIEW_TOO_LATE');
    // A letter posted in time counts from its postmark.
    const future = await act(community, id, 'requestReview', {
      reason: '仍不满意',
      requestedOn: addDays(today(), 1),
    });
    expect(future.statusCode).toBe(400);
    const posted = await act(community, id, 'requestReview', {
      reason: '仍不满意',
      requestedOn: addDays(answeredOn, 29),
    });
    expect(posted.statusCode, posted.body).toBe(200);
  });

  it('refuses 404 out of scope before 403 without permission before 409 in the wrong state', async () => {
    const id = await registered();
    expect((await act(community, id, 'answer', { opinion: '未受理先答复' })).statusCode).toBe(409);
    expect((await community.get(`/api/grievances/${id}/answer.pdf`)).statusCode).toBe(409);
    expect((await act(community, id, 'accept', { departmentId: t.departments[0]?.id })).statusCode).toBe(200);
    expect((await act(other, id, 'answer', { opinion: '越权答复' })).statusCode).toBe(404);
    expect((await act(clerk, id, 'answer', { opinion: '越权答复' })).statusCode).toBe(404);
    expect((await act(dept, id, 'answer', { opinion: '部门答复' })).statusCode).toBe(200);
    // The department answers but does not take the person's request for review (grievance:intake).
    expect((await act(dept, id, 'requestReview', { reason: '不服' })).statusCode).toBe(403);
    expect((await act(other, id, 'requestReview', { reason: '不服' })).statusCode).toBe(404);
    const wrong = await act(community, id, 'review', { opinion: '复查', upheld: true });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('GRIEVANCE_INVALID_STATE');
  });
});

describe('deadlines shown and counted', () => {
  it('warns at 80 % and counts the overdue, in the list filter and the figures', async () => {
    const near = await registered();
    const late = await registered();
    await ctx.deps.db
      .update(grievances)
      .set({ warnOn: addDays(today(), -1), dueOn: addDays(today(), 2) })
      .where(eq(grievances.id, near));
    await ctx.deps.db
      .update(grievances)
      .set({ warnOn: addDays(today(), -5), dueOn: addDays(today(), -1) })
      .where(eq(grievances.id, late));
    const warn = (await community.get('/api/grievances?deadline=warning&pageSize=200')).json();
    expect(warn.items.map((g: { id: string }) => g.id)).toEqual([near]);
    expect(warn.items[0].deadline.state).toBe('warning');
    const overdue = (await community.get('/api/grievances?deadline=overdue&pageSize=200')).json();
    expect(overdue.items.map((g: { id: string }) => g.id)).toEqual([late]);
    const stats = (await community.get('/api/grievances/stats')).json();
    expect(stats).toMatchObject({ warning: 1, overdue: 1 });
    expect(stats.total).toBeGreaterThanOrEqual(2);
    expect(stats.satisfied).toBeGreaterThanOrEqual(1);
  });
});
