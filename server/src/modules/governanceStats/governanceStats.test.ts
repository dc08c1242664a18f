import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { xlsxRows } from '../../platform/spreadsheet.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { disputeEvents, disputes } from '../disputes/tables.js';
import { grievances } from '../grievances/tables.js';
import { incidentNotifications, incidents } from '../incidents/tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let otherStreet: Session;
let screen: Session;
let grid: Session;
let setupUser: string;
let mediatorId: string;

type Unit = Awaited<ReturnType<typeof makeTerritory>>['grids'][number];
type DisputeSet = Partial<typeof disputes.$inferInsert>;
let seq = 0;
const agreement = (oral = false) => ({
  terms: ['赔偿'],
  performBy: '2026-03-01',
  performance: null,
  oral,
  at: '2026-02-01',
});
const followUp = (performed: 'yes' | 'partly' | 'no') => ({ performed, note: null, at: '2026-03-02' });

async function dispute(at: Unit, set: DisputeSet) {
  seq++;
  await ctx.deps.db.insert(disputes).values({
    code: `MJ${seq}`,
    type: 'neighbour',
    description: '统计测试纠纷',
    riskLevel: 'green',
    source: 'walk_in',
    status: 'registered',
    orgUnitId: at.id,
    orgPath: at.path,
    deadline: '2099-01-01',
    createdBy: setupUser,
    idempotencyKey: randomUUID(),
    createdAt: new Date('2026-02-10T10:00:00+08:00'),
    ...set,
  });
}

async function grievance(at: Unit, set: Partial<typeof grievances.$inferInsert>) {
  seq++;
  await ctx.deps.db.insert(grievances).values({
    code: `XF${seq}`,
    channel: 'visit',
    subject: '统计测试',
    content: '诉求',
    personName: '某人',
    status: 'registered',
    orgUnitId: at.id,
    orgPath: at.path,
    receivedOn: '2026-02-01',
    acknowledgeBy: '2026-02-16',
    createdBy: setupUser,
    idempotencyKey: randomUUID(),
    ...set,
  });
}

async function incident(at: Unit, type: string, level: string, ackMinutes: (number | null)[]) {
  seq++;
  const [row] = await ctx.deps.db
    .insert(incidents)
    .values({
      code: `YJ${seq}`,
      type: type as 'naturalDisaster',
      level: level as 'IV',
      description: '统计测试',
      lat: 40.6,
      lng: 109.8,
      orgUnitId: at.id,
      orgPath: at.path,
      status: 'closed',
      reportedBy: setupUser,
      reportedAt: new Date('2026-02-05T09:00:00+08:00'),
    })
    .returning({ id: incidents.id });
  const notifiedAt = new Date('2026-02-05T09:00:00+08:00');
  for (const m of ackMinutes) {
    const u = await makeUser(ctx.deps, {
      username: `n${seq}x${Math.random()}`,
      roles: ['streetCentre'],
      orgUnit: at,
    });
    await ctx.deps.db.insert(incidentNotifications).values({
      incidentId: row?.id as string,
      userId: u.id,
      notifiedAs: 'onCall',
      notifiedAt,
      acknowledgedAt: m === null ? null : new Date(notifiedAt.getTime() + m * 60_000),
    });
  }
}

/**
 * Street 1, hand-counted: nine disputes in February — 3 written agreements (followed up yes,
 * partly, and once no then yes), 1 oral, 2 failed (one referred to court), 3 pending (one red
 * and past its deadline); a tenth in January outside the period. Street 2 has disputes,
 * grievances and an emergency of its own that must not be counted.
 */
beforeAll(async () => {
  ctx = await createTestApp({}, { logger: process.env.DEBUG_LOG === '1' });
  t = await makeTerritory(ctx.deps.db);
  const [s1, s2] = t.streets as [Unit, Unit];
  const [g1, g2] = t.grids as [Unit, Unit];
  const g5 = t.grids[4] as Unit;
  setupUser = (
    await makeUser(ctx.deps, { username: 'setup', roles: ['districtCommand'], orgUnit: t.district })
  ).id;
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: s1 });
  await makeUser(ctx.deps, { username: 'street2', roles: ['streetCentre'], orgUnit: s2 });
  await makeUser(ctx.deps, { username: 'screen', roles: ['screenDisplay'], orgUnit: s1 });
  await makeUser(ctx.deps, { username: 'grid', roles: ['gridWorker'], orgUnit: g1 });
  mediatorId = (await makeUser(ctx.deps, { username: 'mediator', roles: ['mediator'], orgUnit: s1 })).id;
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'street2');
  screen = await login(ctx.app, 'screen');
  grid = await login(ctx.app, 'grid');

  const accepted = new Date('2026-02-10T10:00:00+08:00');
  const closedAfter = (days: number) => new Date(accepted.getTime() + days * 86_400_000);
  await dispute(g1, {
    type: 'neighbour',
    riskLevel: 'yellow',
    status: 'closed',
    agreement: agreement(),
    followUps: [followUp('yes')],
    acceptedAt: accepted,
    closedAt: closedAfter(4),
    mediatorUserId: mediatorId,
  });
  // The mediator recorded that agreement on 12 February (the trail is what the assessment reads).
  const [mine] = await ctx.deps.db
    .select({ id: disputes.id })
    .from(disputes)
    .where(sql`mediator_user_id = ${mediatorId}`);
  await ctx.deps.db.insert(disputeEvents).values({
    disputeId: mine?.id as string,
    action: 'agree',
    fromState: 'mediating',
    toState: 'agreed',
    actorId: mediatorId,
    at: new Date('2026-02-12T10:00:00+08:00'),
  });
  await dispute(g1, {
    type: 'neighbour',
    riskLevel: 'green',
    status: 'agreed',
    agreement: agreement(),
    followUps: [followUp('partly')],
    acceptedAt: accepted,
  });
  await dispute(g2, {
    type: 'property',
    riskLevel: 'orange',
    source: 'screening',
    status: 'closed',
    agreement: agreement(),
    followUps: [followUp('no'), followUp('yes')],
    acceptedAt: accepted,
    closedAt: closedAfter(10),
  });
  await dispute(g2, {
    type: 'labour',
    riskLevel: 'green',
    source: 'screening',
    status: 'closed',
    agreement: agreement(true),
    acceptedAt: accepted,
    closedAt: closedAfter(1),
  });
  await dispute(g1, {
    type: 'labour',
    riskLevel: 'yellow',
    status: 'failed',
    failure: { reason: '不同意', referral: { kind: 'court', unit: '昆区法院' } },
    acceptedAt: accepted,
  });
  await dispute(g1, {
    type: 'damages',
    riskLevel: 'green',
    status: 'closed',
    failure: { reason: '不同意', referral: null },
    acceptedAt: accepted,
    closedAt: closedAfter(3),
  });
  await dispute(g1, {
    type: 'neighbour',
    riskLevel: 'red',
    status: 'mediating',
    acceptedAt: accepted,
    deadline: '2026-03-12',
  });
  await dispute(g1, { type: 'maritalFamily', riskLevel: 'green', status: 'registered' });
  await dispute(g2, { type: 'consumer', riskLevel: 'green', status: 'assigned', acceptedAt: accepted });
  await dispute(g1, {
    type: 'neighbour',
    riskLevel: 'red',
    createdAt: new Date('2026-01-20T10:00:00+08:00'),
  });
  // Another street's: not counted, whatever it holds.
  await dispute(g5, {
    type: 'neighbour',
    riskLevel: 'red',
    status: 'closed',
    agreement: agreement(),
    followUps: [followUp('no')],
    acceptedAt: accepted,
    closedAt: closedAfter(30),
  });

  // Grievances of street 1 received in February: acknowledged on time ×2 and late ×1, one
  // never acknowledged and past its 15 days; answered on time, late, and one overdue; a review on time.
  await grievance(g1, {
    status: 'closed',
    acknowledgedOn: '2026-02-10',
    answerBy: '2026-04-11',
    answeredOn: '2026-03-20',
    channel: 'letter',
  });
  await grievance(g1, {
    status: 'accepted',
    acknowledgedOn: '2026-02-16',
    answerBy: '2099-04-16',
    channel: 'phone',
  });
  await grievance(g2, {
    status: 'reviewed',
    acknowledgedOn: '2026-02-20',
    answerBy: '2026-02-25',
    answeredOn: '2026-03-01',
    reviewAnswerBy: '2026-04-01',
    reviewedOn: '2026-03-25',
  });
  await grievance(g2, {
    status: 'registered',
    dueStep: 'acknowledge',
    dueOn: '2026-02-16',
    warnOn: '2026-02-13',
  });
  await grievance(g1, {
    status: 'accepted',
    acknowledgedOn: '2026-02-03',
    answerBy: '2026-03-05',
    dueStep: 'answer',
    dueOn: '2026-03-05',
    warnOn: '2026-02-25',
  });
  await grievance(g5, {
    status: 'registered',
    dueStep: 'acknowledge',
    dueOn: '2026-02-16',
    warnOn: '2026-02-13',
  });

  // Emergencies: notices acknowledged after 1, 3, 5, 20 minutes and one never; street 2's slow one not counted.
  await incident(g1, 'naturalDisaster', 'III', [1, 3, null]);
  await incident(g2, 'publicHealth', 'IV', [5, 20]);
  await incident(g5, 'socialSecurity', 'I', [600]);
}, 300_000);

afterAll(async () => ctx?.close());

const period = 'from=2026-02-01&to=2026-02-28';
const count = (list: { key: string; count: number }[], key: string) => list.find((b) => b.key === key)?.count;

describe('综治统计 (GET /api/governance/stats)', () => {
  it('counts the street’s disputes of the period as counted by hand', async () => {
    const res = await street.get(`/api/governance/stats?${period}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().disputes;
    expect(d.total).toBe(9);
    expect(count(d.byType, 'neighbour')).toBe(3);
    expect(count(d.byType, 'labour')).toBe(2);
    expect(count(d.byType, 'medical')).toBe(0);
    expect(count(d.byRisk, 'red')).toBe(1);
    expect(count(d.bySource, 'screening')).toBe(2);
    expect(count(d.byOutcome, 'agreed')).toBe(3);
    expect(count(d.byOutcome, 'oral')).toBe(1);
    expect(count(d.byOutcome, 'referred')).toBe(1);
    expect(count(d.byOutcome, 'failed')).toBe(1);
    expect(count(d.byOutcome, 'pending')).toBe(3);
    // 调解成功率 = 4 agreed ÷ 6 ended; 协议履行率 = 2 performed (by the last visit) ÷ 3 followed up.
    expect(d).toMatchObject({ ended: 6, agreed: 4, successRate: 0.667 });
    expect(d).toMatchObject({
      followedUp: 3,
      performed: 2,
      partly: 1,
      notPerformed: 0,
      performanceRate: 0.667,
    });
    // Closed after 4, 10, 1 and 3 days: mean 4.5.
    expect(d).toMatchObject({ closed: 4, meanDaysToClose: 4.5, overdue: 1 });
  });

  it('counts each grievance step against its statutory days', async () => {
    const g = (await street.get(`/api/governance/stats?${period}`)).json().grievances;
    expect(g.total).toBe(5);
    expect(g.acknowledge).toEqual({ done: 4, onTime: 3, late: 1, overdue: 1, onTimeRate: 0.6 });
    expect(g.answer).toEqual({ done: 2, onTime: 1, late: 1, overdue: 1, onTimeRate: 0.333 });
    expect(g.review).toEqual({ done: 1, onTime: 1, late: 0, overdue: 0, onTimeRate: 1 });
    expect(g.overdue).toBe(2);
    expect(count(g.byChannel, 'visit')).toBe(3);
  });

  it('times the acknowledgements of emergency notices: median and p90 over those acknowledged', async () => {
    const e = (await street.get(`/api/governance/stats?${period}`)).json().incidents;
    expect(e).toMatchObject({ total: 2, active: 0, notified: 5, acknowledged: 4 });
    expect(e.ackMedianMinutes).toBe(4);
    expect(e.ackP90Minutes).toBe(20);
    expect(count(e.byType, 'naturalDisaster')).toBe(1);
    expect(count(e.byLevel, 'IV')).toBe(1);
  });

  it('another street sees only its own, and may not ask for ours', async () => {
    const res = await otherStreet.get(`/api/governance/stats?${period}`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.disputes.total).toBe(1);
    expect(s.grievances.total).toBe(1);
    expect(s.incidents).toMatchObject({ total: 1, ackMedianMinutes: 600 });
    const ours = await otherStreet.get(`/api/governance/stats?orgUnitId=${t.streets[0]?.id}`);
    expect(ours.statusCode).toBe(400);
    expect(ours.json().errors?.[0]?.field ?? ours.body).toContain('orgUnitId');
  });

  it('the read-only wall display reads the figures; a grid worker may not', async () => {
    const res = await screen.get(`/api/governance/stats?${period}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().disputes.total).toBe(9);
    expect((await grid.get('/api/governance/stats')).statusCode).toBe(403);
  });

  it('a period ending before it starts is a 400 naming `to`', async () => {
    const res = await street.get('/api/governance/stats?from=2026-03-01&to=2026-02-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('to');
    expect((await street.get('/api/governance/stats?from=yesterday')).statusCode).toBe(400);
  });

  it('exports the same figures, and audits each download (a refused one leaves no row)', async () => {
    const audited = () =>
      queryRows<{ payload: Record<string, unknown> }>(
        ctx.deps.db,
        sql`select payload from audit_log where action = 'governanceStats.exported' order by id`,
      );
    const before = (await audited()).length;
    const res = await street.get(`/api/governance/stats/export.xlsx?${period}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = [...xlsxRows(res.rawPayload)].flat();
    const figures = Object.fromEntries(rows.slice(2).map((r) => [r[0], r[1]]));
    expect(figures).toMatchObject({ '矛盾纠纷（件）': '9', '达成协议（件）': '4', '信访事项（件）': '5' });
    expect(Number(figures.调解成功率)).toBeCloseTo(0.667, 3);
    const after = await audited();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.payload).toEqual({ orgUnitId: null, from: '2026-02-01', to: '2026-02-28' });
    expect(
      (await otherStreet.get(`/api/governance/stats/export.xlsx?orgUnitId=${t.streets[0]?.id}`)).statusCode,
    ).toBe(400);
    expect((await grid.get('/api/governance/stats/export.xlsx')).statusCode).toBe(403);
    expect(await audited()).toHaveLength(before + 1);
  });
});

describe('综治 figures in the dashboard and the assessment', () => {
  it('the dashboard carries a governance block for holders of governance:stats, none for a grid worker', async () => {
    await dispute(t.grids[0] as Unit, { riskLevel: 'red', createdAt: new Date() });
    const res = await street.get('/api/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().governance).toMatchObject({ disputes: 1, redDisputes: 1 });
    const g = await grid.get('/api/dashboard');
    expect(g.statusCode).toBe(200);
    expect(g.json().governance).toBeUndefined();
  });

  it('a street scores its mediation success and grievances answered on time; a mediator his disputes', async () => {
    const res = await street.get('/api/assessment/scorecards?level=street&period=month&start=2026-02-01');
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json().rows.find((r: { id: number }) => r.id === t.streets[0]?.id);
    const item = (k: string) => mine.items.find((i: { key: string }) => i.key === k);
    // 4 agreed ÷ 6 ended × 10 points; 1 answered on time ÷ 3 due × 10 points.
    expect(item('mediationSuccess')).toMatchObject({ value: 0.667, points: 6.67 });
    expect(item('grievancesOnTime')).toMatchObject({ value: 0.333, points: 3.33 });
    expect(mine.score).toBe(10);
    const workers = await street.get('/api/assessment/scorecards?level=worker&period=month&start=2026-02-01');
    const row = workers.json().rows.find((r: { id: string }) => r.id === mediatorId);
    expect(row.items.find((i: { key: string }) => i.key === 'disputesMediated')).toMatchObject({
      value: 1,
      points: 2,
    });
  });
});
