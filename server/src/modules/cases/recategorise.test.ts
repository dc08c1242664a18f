import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import type { Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { caseEvents, cases } from './tables.js';
import { act, casesWorld, report } from './testWorld.js';

let ctx: TestContext;
let community: Session;
let otherCommunity: Session;
let gridWorker: Session;
let clerk: Session;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

beforeAll(async () => {
  ({ ctx, community, otherCommunity, gridWorker, clerk, t } = await casesWorld());
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

const reported = async () => {
  const res = await report(clerk);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};

describe('改类 (recategorise) before dispatch', () => {
  it('the dispatcher puts a reported case in another leaf category: priority follows, state stays, trail and audit', async () => {
    const id = await reported();
    const before = (await community.get(`/api/cases/${id}`)).json();
    expect(before).toMatchObject({ status: 'reported', categoryCode: 'C0103', priority: 'normal' });
    expect(before.allowedActions).toContain('recategorise');
    const res = await act(community, id, 'recategorise', { categoryCode: 'C0101' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'reported',
      categoryCode: 'C0101',
      categoryName: '井盖破损或缺失',
      priority: 'emergency',
    });
    const [ev] = await ctx.deps.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, id), eq(caseEvents.action, 'recategorise')));
    expect(ev).toMatchObject({
      fromState: 'reported',
      toState: 'reported',
      data: {
        from: { code: 'C0103', name: '路灯不亮或损坏' },
        to: { code: 'C0101', name: '井盖破损或缺失' },
      },
    });
    const audits = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.action'), eq(auditLog.targetId, id)));
    expect(audits.map((a) => (a.payload as { action: string }).action)).toEqual(['recategorise']);
    // Accepted, it may still change; dispatched, no more (409).
    expect((await act(community, id, 'accept')).statusCode).toBe(200);
    expect((await act(community, id, 'recategorise', { categoryCode: 'C0103' })).statusCode).toBe(200);
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    const dis = await act(community, id, 'dispatch', { assignee: { kind: 'department', id: deptId } });
    expect(dis.statusCode, dis.body).toBe(200);
    expect(dis.json().allowedActions).not.toContain('recategorise');
    const late = await act(community, id, 'recategorise', { categoryCode: 'C0101' });
    expect(late.statusCode).toBe(409);
    expect((await community.get(`/api/cases/${id}`)).json().categoryCode).toBe('C0103');
  });

  it('refuses a major class, an unknown code, the same category and no code, naming categoryCode', async () => {
    const id = await reported();
    for (const [body, rule] of [
      [{ categoryCode: 'C01' }, 'leaf'],
      [{ categoryCode: 'ZZ9999' }, 'exists'],
      [{ categoryCode: 'C0103' }, 'different'],
      [{}, undefined],
    ] as const) {
      const res = await act(community, id, 'recategorise', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].field).toBe('categoryCode');
      if (rule) expect(res.json().errors[0].rule).toBe(rule);
    }
    const events = await ctx.deps.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, id), eq(caseEvents.action, 'recategorise')));
    expect(events).toEqual([]);
  });

  it('only the handling level’s dispatchers: another community 404, a grid worker 403', async () => {
    const id = await reported();
    expect((await act(otherCommunity, id, 'recategorise', { categoryCode: 'C0101' })).statusCode).toBe(404);
    expect((await act(gridWorker, id, 'recategorise', { categoryCode: 'C0101' })).statusCode).toBe(403);
    expect((await gridWorker.get(`/api/cases/${id}`)).json().allowedActions ?? []).not.toContain(
      'recategorise',
    );
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row?.categoryCode).toBe('C0103');
  });

  it('is one transaction: when its trail event fails, the category stays and nothing is audited', async () => {
    const { db } = ctx.deps;
    const id = await reported();
    await db.execute(sql`create or replace function test_refuse_recategorise() returns trigger as $$
      begin if new.action = 'recategorise' then raise exception 'refused by test'; end if; return new; end $$
      language plpgsql`);
    await db.execute(sql`create trigger test_refuse_recategorise before insert on case_events
      for each row execute function test_refuse_recategorise()`);
    try {
      expect((await act(community, id, 'recategorise', { categoryCode: 'C0101' })).statusCode).toBe(500);
    } finally {
      await db.execute(sql`drop trigger test_refuse_recategorise on case_events`);
    }
    const [row] = await db.select().from(cases).where(eq(cases.id, id));
    expect(row).toMatchObject({ categoryCode: 'C0103', priority: 'normal' });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.action'), eq(auditLog.targetId, id)));
    expect(audits).toEqual([]);
  });
});
