import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { cases, notifications } from '../cases/tables.js';
import { disputeEvents, disputeParties, disputes, mediationCommittees, mediators } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let mediator: Session;
let otherMediator: Session;
let worker: Session;
let clerk: Session;
let otherStreet: Session;
let ids: { street: string; district: string; otherStreet: string; mediator: string };
let mediatorId: number;
let otherMediatorId: number;
let committeeId: number;

const idNumber = (seq: number) => {
  const first17 = `15020319800101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

const leak = (extra: Record<string, unknown> = {}) => ({
  type: 'neighbour',
  description: '楼上卫生间漏水，渗到楼下天花板，双方就维修费用协商不成。',
  parties: [
    { kind: 'person', name: '王建国', idNumber: idNumber(1), phone: '13904721234', role: 'applicant' },
    { kind: 'person', name: '李秀英', idNumber: idNumber(2), phone: '13904725678', role: 'respondent' },
  ],
  riskLevel: 'yellow',
  source: 'walk_in',
  idempotencyKey: randomUUID(),
  ...extra,
});

const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/disputes/${id}/actions/${action}`, body);

async function registered(s = mediator, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await s.post('/api/disputes', leak(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const inDays = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

/** Registered, accepted, assigned to the street's mediator, one session held. */
async function mediating(): Promise<string> {
  const id = await registered();
  expect((await act(mediator, id, 'accept')).statusCode).toBe(200);
  expect((await act(mediator, id, 'assign', { mediatorId })).statusCode).toBe(200);
  const s = await act(mediator, id, 'session', {
    at: new Date().toISOString(),
    place: '黄河西路街道矛盾纠纷调处室',
    attendees: ['王建国', '李秀英'],
    notes: '双方陈述，物业到场确认漏水点为楼上卫生间防水层。',
  });
  expect(s.statusCode, s.body).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  const [s1, s2] = t.streets;
  const u = {
    street: await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: s1 }),
    district: await makeUser(ctx.deps, {
      username: 'district',
      roles: ['districtCommand'],
      orgUnit: t.district,
    }),
    otherStreet: await makeUser(ctx.deps, { username: 'street2', roles: ['streetCentre'], orgUnit: s2 }),
    mediator: await makeUser(ctx.deps, { username: 'mediator', roles: ['mediator'], orgUnit: s1 }),
    otherMediator: await makeUser(ctx.deps, { username: 'mediator2', roles: ['mediator'], orgUnit: s1 }),
  };
  await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  ids = {
    street: u.street.id,
    district: u.district.id,
    otherStreet: u.otherStreet.id,
    mediator: u.mediator.id,
  };
  street = await login(ctx.app, 'street');
  mediator = await login(ctx.app, 'mediator');
  otherMediator = await login(ctx.app, 'mediator2');
  worker = await login(ctx.app, 'worker');
  clerk = await login(ctx.app, 'clerk');
  otherStreet = await login(ctx.app, 'street2');
  const c = await street.post('/api/mediation-committees', {
    name: '测试1街道人民调解委员会',
    kind: 'people',
    orgUnitId: s1?.id,
    mediators: [
      { name: '黄调解', title: '专职调解员', userId: u.mediator.id },
      { name: '赵调解', userId: u.otherMediator.id },
    ],
  });
  expect(c.statusCode, c.body).toBe(201);
  committeeId = c.json().id;
  [mediatorId, otherMediatorId] = c.json().mediators.map((m: { id: number }) => m.id);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('assigning a disabled mediation body', () => {
  it('is refused naming the field, and works again once the body is enabled', async () => {
    const id = await registered();
    expect((await act(mediator, id, 'accept')).statusCode).toBe(200);
    expect((await street.post(`/api/mediation-committees/${committeeId}/actions/disable`)).statusCode).toBe(
      200,
    );
    try {
      const byBody = await act(mediator, id, 'assign', { committeeId });
      expect(byBody.statusCode).toBe(400);
      expect(byBody.json().errors[0]).toMatchObject({
        field: 'committeeId',
        code: 'DISPUTE_COMMITTEE_DISABLED',
      });
      const byMediator = await act(mediator, id, 'assign', { mediatorId });
      expect(byMediator.statusCode).toBe(400);
      expect(byMediator.json().errors[0].field).toBe('mediatorId');
      expect((await mediator.get(`/api/disputes/${id}`)).json().status).toBe('accepted');
    } finally {
      expect((await street.post(`/api/mediation-committees/${committeeId}/actions/enable`)).statusCode).toBe(
        200,
      );
    }
    expect((await act(mediator, id, 'assign', { committeeId })).statusCode).toBe(200);
  });
});

describe('removing a mediator (移除调解员)', () => {
  it('takes him out of the body and the assign step, keeps the disputes he mediated, once', async () => {
    const added = await street.post(`/api/mediation-committees/${committeeId}/mediators`, { name: '赵临时' });
    expect(added.statusCode, added.body).toBe(201);
    const gone = (added.json().mediators as { id: number; name: string }[]).find((m) => m.name === '赵临时');
    const id = await registered();
    expect((await act(mediator, id, 'accept')).statusCode).toBe(200);
    // Another street cannot reach the body (404); a parallel burst removes him once.
    const url = `/api/mediation-committees/${committeeId}/mediators/${gone?.id}`;
    expect((await otherStreet.del(url)).statusCode).toBe(404);
    const burst = await Promise.all(Array.from({ length: 4 }, () => street.del(url)));
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const ok = burst.find((r) => r.statusCode === 200);
    expect(((ok?.json().mediators ?? []) as { id: number }[]).map((m) => m.id)).not.toContain(gone?.id);
    expect(burst.find((r) => r.statusCode === 409)?.json().code).toBe('DISPUTE_MEDIATOR_RETIRED');
    const refused = await act(mediator, id, 'assign', { mediatorId: gone?.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'mediatorId', code: 'DISPUTE_MEDIATOR_UNKNOWN' });
    expect((await mediator.get(`/api/disputes/${id}`)).json().status).toBe('accepted');
    // The body's own mediator still takes it.
    expect((await act(mediator, id, 'assign', { mediatorId })).statusCode).toBe(200);
  });
});

describe('registering a dispute', () => {
  it('answers with the number, registered and a deadline 30 days on; parties are stored encrypted', async () => {
    const res = await mediator.post('/api/disputes', leak());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'registered', deadline: inDays(30) });
    expect(body.code).toMatch(/^TJ\d{14}$/);
    const rows = await ctx.deps.db.select().from(disputeParties).where(eq(disputeParties.disputeId, body.id));
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.idEnc).not.toContain('150203');
      expect(r.phoneEnc).not.toContain('1390472');
    }
  });

  it('shows ID numbers and phones masked in the detail', async () => {
    const id = await registered();
    const d = (await mediator.get(`/api/disputes/${id}`)).json();
    expect(d.parties[0]).toMatchObject({ name: '王建国', role: 'applicant' });
    expect(d.parties[0].idNumber).toMatch(/^150203\*{8}\d{3}[\dX]$/);
    expect(d.parties[0].phone).toBe('139****1234');
    expect(JSON.stringify(d)).not.toContain(idNumber(1));
    expect(d.allowedActions).toEqual(['accept']);
  });

  it('makes one dispute of a retried key', async () => {
    const body = leak();
    const a = await mediator.post('/api/disputes', body);
    const b = await mediator.post('/api/disputes', body);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
  });

  it('tells the street and the district at once when the risk is red, and no other street', async () => {
    const before = async (userId: string) =>
      Number(
        (
          await ctx.deps.db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId))
        )[0]?.n,
      );
    const [s0, d0, o0] = await Promise.all([
      before(ids.street),
      before(ids.district),
      before(ids.otherStreet),
    ]);
    await registered(mediator, { riskLevel: 'red' });
    expect(await before(ids.street)).toBe(s0 + 1);
    expect(await before(ids.district)).toBe(d0 + 1);
    expect(await before(ids.otherStreet)).toBe(o0);
    await registered(mediator, { riskLevel: 'orange' });
    expect(await before(ids.street)).toBe(s0 + 1);
  });

  it.each([
    ['parties', { parties: [] }],
    ['parties', { parties: [leak().parties[0]] }],
    ['parties', { parties: [leak().parties[0], { ...leak().parties[0], name: '张三' }] }],
    ['type', { type: 'quarrel' }],
    ['riskLevel', { riskLevel: 'purple' }],
    [
      'parties.1.idNumber',
      { parties: [leak().parties[0], { ...leak().parties[1], idNumber: '150203198001010021' }] },
    ],
  ])('refuses bad input naming %s, writing nothing', async (field, extra) => {
    const before = (await ctx.deps.db.select({ n: count() }).from(disputes))[0]?.n;
    const res = await mediator.post('/api/disputes', leak(extra));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await ctx.deps.db.select({ n: count() }).from(disputes))[0]?.n).toBe(before);
  });

  it('needs dispute:register (a service clerk has none)', async () => {
    expect((await clerk.post('/api/disputes', leak())).statusCode).toBe(403);
  });
});

describe('the mediation workflow', () => {
  it('runs accept → assign → session → agree → followUp (yes) closes, with the trail and audit', async () => {
    const id = await registered();
    const a = await act(mediator, id, 'accept');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'accepted', deadline: inDays(30) });
    const as = await act(mediator, id, 'assign', { mediatorId });
    expect(as.json()).toMatchObject({ status: 'assigned', mediatorName: '黄调解', committeeId });
    const s = await act(mediator, id, 'session', {
      at: new Date().toISOString(),
      place: '调解室',
      notes: '第一次调解',
    });
    expect(s.json().status).toBe('mediating');
    expect(s.json().sessions).toHaveLength(1);
    const ag = await act(mediator, id, 'agree', {
      terms: ['李秀英于 7 日内修复卫生间防水层', '李秀英赔偿王建国天花板修缮费 1500 元'],
      performBy: inDays(7),
      performance: '现金一次性支付',
    });
    expect(ag.statusCode, ag.body).toBe(200);
    expect(ag.json().status).toBe('agreed');
    expect(ag.json().allowedActions).toEqual(['followUp']);
    const f = await act(mediator, id, 'followUp', { performed: 'yes', note: '已修复并支付' });
    expect(f.json()).toMatchObject({ status: 'closed', followUps: [{ performed: 'yes' }] });
    const events = await ctx.deps.db.select().from(disputeEvents).where(eq(disputeEvents.disputeId, id));
    expect(events.map((e) => e.action)).toEqual([
      'register',
      'accept',
      'assign',
      'session',
      'agree',
      'followUp',
    ]);
    const audits = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audits.filter((x) => x.action === 'dispute.action')).toHaveLength(5);
  });

  it('keeps a partly performed agreement open, and closes it after that follow-up', async () => {
    const id = await mediating();
    await act(mediator, id, 'agree', { terms: ['赔偿 800 元'], performBy: today() });
    const f = await act(mediator, id, 'followUp', { performed: 'partly' });
    expect(f.json().status).toBe('agreed');
    expect(f.json().allowedActions).toEqual(['followUp', 'close']);
    expect((await act(mediator, id, 'close')).json().status).toBe('closed');
  });

  it('refuses to close an agreement before the follow-up (409)', async () => {
    const id = await mediating();
    await act(mediator, id, 'agree', { terms: ['赔偿 800 元'], performBy: inDays(3) });
    const res = await act(mediator, id, 'close');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DISPUTE_FOLLOW_UP_FIRST');
  });

  it('records a failure with its referral, then closes', async () => {
    const id = await mediating();
    const f = await act(mediator, id, 'fail', {
      reason: '双方对赔偿金额分歧过大',
      referral: { kind: 'court', unit: '昆都仑区人民法院' },
    });
    expect(f.json()).toMatchObject({
      status: 'failed',
      failure: { referral: { kind: 'court', unit: '昆都仑区人民法院' } },
    });
    expect((await act(mediator, id, 'close')).json().status).toBe('closed');
  });

  it('extends the deadline with a reason', async () => {
    const id = await registered();
    await act(mediator, id, 'accept');
    const e = await act(mediator, id, 'extend', { reason: '当事人外出务工，需延期调解', days: 15 });
    expect(e.statusCode, e.body).toBe(200);
    expect(e.json().deadline).toBe(inDays(45));
    expect((await act(mediator, id, 'extend', { days: 5 })).statusCode).toBe(400);
  });

  it('refuses an agreement without terms or due in the past, naming the field, changing nothing', async () => {
    const id = await mediating();
    const noTerms = await act(mediator, id, 'agree', { terms: [], performBy: inDays(3) });
    expect(noTerms.statusCode).toBe(400);
    expect(noTerms.json().errors[0].field).toBe('terms');
    const past = await act(mediator, id, 'agree', { terms: ['赔偿'], performBy: inDays(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('performBy');
    const [row] = await ctx.deps.db.select().from(disputes).where(eq(disputes.id, id));
    expect(row?.status).toBe('mediating');
    expect(row?.agreement).toBeNull();
  });

  it('refuses in the order 404 (out of scope) → 403 (no permission / not the mediator) → 409 (wrong state)', async () => {
    // In the worker's grid, so the grid worker sees it (and may not accept it).
    const id = await registered(mediator, { location: { lat: 40.605, lng: 109.875 } });
    expect((await worker.get(`/api/disputes/${id}`)).json().gridId).toBe(t.grids[0]?.id);
    expect((await act(otherStreet, id, 'accept')).statusCode).toBe(404);
    expect((await otherStreet.get(`/api/disputes/${id}`)).statusCode).toBe(404);
    expect((await act(worker, id, 'accept')).statusCode).toBe(403);
    expect(
      (await act(mediator, id, 'session', { at: new Date().toISOString(), place: 'x', notes: 'y' }))
        .statusCode,
    ).toBe(409);
    expect((await act(mediator, id, 'followUp', { performed: 'yes' })).statusCode).toBe(409);
    await act(mediator, id, 'accept');
    expect((await act(mediator, id, 'accept')).statusCode).toBe(409);
    await act(mediator, id, 'assign', { mediatorId: otherMediatorId });
    const res = await act(mediator, id, 'session', { at: new Date().toISOString(), place: 'x', notes: 'y' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('DISPUTE_NOT_MEDIATOR');
    const own = await act(otherMediator, id, 'session', {
      at: new Date().toISOString(),
      place: 'x',
      notes: 'y',
    });
    expect(own.statusCode).toBe(200);
    // The street may take over a session of its mediator's dispute.
    expect(
      (await act(street, id, 'session', { at: new Date().toISOString(), place: 'x', notes: 'y' })).statusCode,
    ).toBe(200);
    expect((await act(mediator, id, 'assign', { mediatorId: 999999 })).statusCode).toBe(409);
  });

  it('refuses an unknown mediator naming the field', async () => {
    const id = await registered();
    await act(mediator, id, 'accept');
    const res = await act(mediator, id, 'assign', { mediatorId: 999999 });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('mediatorId');
    expect((await act(mediator, id, 'assign', {})).statusCode).toBe(400);
  });

  it('lets the assigned mediator see a dispute outside his unit', async () => {
    const [s2] = t.streets.slice(1);
    const [c] = await ctx.deps.db
      .insert(mediationCommittees)
      .values({ name: '区物业纠纷调委会', kind: 'trade', orgUnitId: t.district.id, orgPath: t.district.path })
      .returning();
    const [m] = await ctx.deps.db
      .insert(mediators)
      .values({ committeeId: c?.id as number, name: '黄调解', userId: ids.mediator })
      .returning();
    const id = await registered(otherStreet, { riskLevel: 'green' });
    expect((await mediator.get(`/api/disputes/${id}`)).statusCode).toBe(404);
    await act(otherStreet, id, 'accept');
    expect((await act(otherStreet, id, 'assign', { mediatorId: m?.id })).statusCode).toBe(200);
    expect((await mediator.get(`/api/disputes/${id}`)).statusCode).toBe(200);
    expect(s2).toBeDefined();
  });
});

describe('lists and the agreement', () => {
  it('filters by status, type and risk within the jurisdiction', async () => {
    const id = await registered(mediator, { type: 'property', riskLevel: 'orange' });
    const list = (await street.get('/api/disputes?type=property&riskLevel=orange&status=registered')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(id);
    expect(list.items.every((x: { type: string }) => x.type === 'property')).toBe(true);
    expect(list.items[0]).toMatchObject({ applicants: ['王建国'], respondents: ['李秀英'] });
    expect((await otherStreet.get('/api/disputes?type=property')).json().total).toBe(0);
    expect((await street.get(`/api/disputes?orgUnitId=${t.streets[1]?.id}`)).statusCode).toBe(400);
  });

  it('prints the 人民调解协议书 with both parties, the terms, the mediator and no full ID number', async () => {
    const id = await mediating();
    expect((await mediator.get(`/api/disputes/${id}/agreement.pdf`)).statusCode).toBe(409);
    await act(mediator, id, 'agree', {
      terms: ['李秀英于十二月十日前修复防水层', '李秀英赔偿修缮费一千五百元'],
      performBy: inDays(8),
    });
    const res = await mediator.get(`/api/disputes/${id}/agreement.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload).replace(/\s+/g, '');
    for (const s of [
      '人民调解协议书',
      '王建国',
      '李秀英',
      '李秀英于十二月十日前修复防水层',
      '李秀英赔偿修缮费一千五百元',
      '黄调解',
      '签名',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain(idNumber(1));
    expect((await otherStreet.get(`/api/disputes/${id}/agreement.pdf`)).statusCode).toBe(404);
  });

  it('keeps the ids of the parties of every dispute written (no orphan rows on a refusal)', async () => {
    const all = await ctx.deps.db.select({ id: disputes.id }).from(disputes);
    const parties = await ctx.deps.db
      .select({ n: count() })
      .from(disputeParties)
      .where(
        inArray(
          disputeParties.disputeId,
          all.map((a) => a.id),
        ),
      );
    expect(Number(parties[0]?.n)).toBe(
      Number((await ctx.deps.db.select({ n: count() }).from(disputeParties))[0]?.n),
    );
  });
});

describe('cases and disputes meet', () => {
  it('turns a case into a dispute and a dispute into a case, each keeping the link', async () => {
    const c = await street.post('/api/cases', {
      description: '网格员报告：两户居民因漏水争吵',
      categoryCode: 'C0103',
      channel: 'grid_patrol',
      address: '测试小区 3 号楼',
      idempotencyKey: randomUUID(),
    });
    expect(c.statusCode, c.body).toBe(201);
    const caseId = c.json().id;
    const d = await street.post('/api/disputes', leak({ caseId, source: 'case' }));
    expect(d.statusCode, d.body).toBe(201);
    expect((await street.get(`/api/disputes/${d.json().id}`)).json().caseId).toBe(caseId);
    expect(
      (await street.get(`/api/disputes?caseId=${caseId}`)).json().items.map((x: { id: string }) => x.id),
    ).toEqual([d.json().id]);
    expect((await otherStreet.post('/api/disputes', leak({ caseId }))).json().errors[0].field).toBe('caseId');

    const back = await street.post(`/api/disputes/${await registered()}/case`, { categoryCode: 'C0103' });
    expect(back.statusCode, back.body).toBe(200);
    const newCase = back.json().caseId;
    expect(newCase).toMatch(/^[0-9a-f-]{36}$/);
    expect(back.json().events.at(-1).action).toBe('toCase');
    const theCase = (await street.get(`/api/cases/${newCase}`)).json();
    expect(theCase.description).toContain(back.json().code);
    expect(
      (await street.post(`/api/disputes/${back.json().id}/case`, { categoryCode: 'C0103' })).statusCode,
    ).toBe(409);
    expect(
      (await mediator.post(`/api/disputes/${back.json().id}/case`, { categoryCode: 'C0103' })).statusCode,
    ).toBe(403);
  });
});

describe('a dispute turned into a case is one transaction', () => {
  it('leaves neither the case nor the link when the dispute half fails', async () => {
    const { db } = ctx.deps;
    const id = await registered(street);
    // The dispute's trail refuses the toCase event once: the case written before it must go too.
    await db.execute(sql`create or replace function test_refuse_to_case() returns trigger as $$
      begin if new.action = 'toCase' then raise exception 'refused by test'; end if; return new; end $$
      language plpgsql`);
    await db.execute(sql`create trigger test_refuse_to_case before insert on dispute_events
      for each row execute function test_refuse_to_case()`);
    try {
      const res = await street.post(`/api/disputes/${id}/case`, { categoryCode: 'C0103' });
      expect(res.statusCode).toBe(500);
    } finally {
      await db.execute(sql`drop trigger test_refuse_to_case on dispute_events`);
    }
    const orphans = await db
      .select({ id: cases.id })
      .from(cases)
      .where(eq(cases.idempotencyKey, `dispute-${id}`));
    expect(orphans).toEqual([]);
    expect((await street.get(`/api/disputes/${id}`)).json().caseId).toBeNull();
    const again = await street.post(`/api/disputes/${id}/case`, { categoryCode: 'C0103' });
    expect(again.statusCode, again.body).toBe(200);
    const made = await db
      .select({ id: cases.id })
      .from(cases)
      .where(eq(cases.idempotencyKey, `dispute-${id}`));
    expect(made.map((c) => c.id)).toEqual([again.json().caseId]);
  });
});
