import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusEvent, createEventBus } from '../../platform/bus.js';
import { login, makeUser, type Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { sweepDeadlines } from './deadlines.js';
import { caseEvents, cases } from './tables.js';
import { casesWorld, report } from './testWorld.js';

/* The deadline job, org changes and the case configuration: apart from the workflow tests. */

let ctx: TestContext;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];
let community: Session;
let street: Session;
let clerk: Session;

beforeAll(async () => {
  ({ ctx, t, community, street, clerk } = await casesWorld());
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the deadline job', () => {
  it('marks an overdue case and escalates it once, even when two sweeps run at the same time', async () => {
    const id = (await report(clerk)).json().id as string;
    const { db } = ctx.deps;
    await db
      .update(cases)
      .set({ dueAt: new Date(Date.now() - 60_000), warnAt: new Date(Date.now() - 120_000) })
      .where(eq(cases.id, id));
    const results = await Promise.all([sweepDeadlines(db, null), sweepDeadlines(db, null)]);
    await sweepDeadlines(db, null);
    expect(results.some((r) => r.ran)).toBe(true);
    const [row] = await db.select().from(cases).where(eq(cases.id, id));
    expect(row).toMatchObject({
      overdue: true,
      everOverdue: true,
      handlingUnitId: t.streets[0]?.id,
      escalations: 1,
    });
    const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
    expect(events.filter((e) => e.action === 'overdue')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'escalate')).toHaveLength(1);
    expect(
      (await street.get('/api/cases?view=overdue')).json().items.map((c: { id: string }) => c.id),
    ).toContain(id);
    const notes = (await street.get('/api/notifications')).json().items;
    expect(
      notes.some((n: { kind: string; caseId: string }) => n.kind === 'case.overdue' && n.caseId === id),
    ).toBe(true);
  });

  it('warns at 80 % of the step', async () => {
    const id = (await report(clerk)).json().id as string;
    await ctx.deps.db
      .update(cases)
      .set({ warnAt: new Date(Date.now() - 1000), dueAt: new Date(Date.now() + 3_600_000) })
      .where(eq(cases.id, id));
    const bus = await createEventBus();
    const published: BusEvent[] = [];
    bus.subscribe((e) => published.push(e));
    await sweepDeadlines(ctx.deps.db, bus);
    // Pushed to whoever watches the case (lists, the big screen's alert feed).
    expect(published).toContainEqual(expect.objectContaining({ type: 'case', id }));
    await bus.close();
    const detail = (await community.get(`/api/cases/${id}`)).json();
    expect(detail).toMatchObject({ warning: true, overdue: false });
    const events = (await community.get(`/api/cases/${id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toContain('warning');
  });
});

describe('org changes', () => {
  it('carries a grid’s cases along when the grid moves to another community', async () => {
    await makeUser(ctx.deps, { username: 'orgadmin', roles: ['systemAdmin'] });
    const admin = await login(ctx.app, 'orgadmin');
    const grid = t.grids[1];
    const id = (await report(clerk, { location: { lat: 40.605, lng: 109.885 } })).json().id as string;
    const before = (await community.get(`/api/cases/${id}`)).json();
    expect(before).toMatchObject({ gridId: grid?.id, communityId: t.communities[0]?.id });
    const moved = await admin.post(`/api/org/units/${grid?.id}/move`, { parentId: t.communities[1]?.id });
    expect(moved.statusCode).toBe(200);
    const after = (await clerk.get(`/api/cases/${id}`)).json();
    expect(after).toMatchObject({
      gridId: grid?.id,
      communityId: t.communities[1]?.id,
      streetId: t.streets[0]?.id,
    });
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row?.orgPath).toBe(`${t.communities[1]?.path}${grid?.id}/`);
  });
});

describe('categories and calendar', () => {
  it('lists the default taxonomy and lets an admin with case:configure edit it', async () => {
    const cats = (await clerk.get('/api/case-categories')).json().items;
    expect(cats.length).toBeGreaterThan(60);
    expect(cats.find((c: { code: string }) => c.code === 'E0102')).toMatchObject({
      name: '暴露垃圾',
      parentCode: 'E01',
      selfResolvable: true,
      acceptMinutes: 60,
    });
    expect((await community.patch('/api/case-categories/E0102', { name: 'x' })).statusCode).toBe(403);
    await makeUser(ctx.deps, { username: 'sysadmin', roles: ['systemAdmin'] });
    const admin = await login(ctx.app, 'sysadmin');
    const created = await admin.post('/api/case-categories', {
      name: '共享单车乱停放',
      parentCode: 'E05',
      handlerKind: 'department',
      handlerDepartmentId: t.departments[0]?.id,
      resolveMinutes: 480,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().code).toBe('E0509');
    const edited = await admin.patch('/api/case-categories/E0509', { selfResolvable: true });
    expect(edited.json().selfResolvable).toBe(true);
    const bad = await admin.post('/api/case-categories', {
      name: 'x',
      parentCode: 'ZZZ',
      handlerKind: 'grid',
    });
    expect(bad.json().errors[0].field).toBe('parentCode');

    const year = (await admin.get('/api/calendar/2026')).json();
    expect(year.days.find((d: { day: string }) => d.day === '2026-10-01')?.kind).toBe('holiday');
    const put = await admin.put('/api/calendar/2027', {
      days: [{ day: '2027-02-20', kind: 'workday', name: '调休' }],
    });
    expect(put.json().days).toHaveLength(1);
    const wrongYear = await admin.put('/api/calendar/2027', {
      days: [{ day: '2026-02-20', kind: 'workday' }],
    });
    expect(wrongYear.statusCode).toBe(400);
  });
});
