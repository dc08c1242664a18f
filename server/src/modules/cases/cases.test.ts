import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../platform/auth/load.js';
import { queryRows } from '../../platform/db.js';
import type { Session } from '../../test/factories.js';
import { makeUser } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';
import { caseMetrics } from './metrics.js';
import { notifications } from './tables.js';
import { act, casesWorld, report, upload } from './testWorld.js';

let ctx: TestContext;
let community: Session;
let otherCommunity: Session;
let street: Session;
let district: Session;
let dept: Session;
let otherDept: Session;
let gridWorker: Session;
let clerk: Session;
let resident: Session;
let png: Buffer;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

beforeAll(async () => {
  ({
    ctx,
    community,
    otherCommunity,
    street,
    district,
    dept,
    otherDept,
    gridWorker,
    clerk,
    resident,
    png,
    t,
  } = await casesWorld());
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the workflow', () => {
  it('runs report → accept → dispatch → claim → resolve (photo) → verify → follow-up → closed, with the trail', async () => {
    const id = (await report(clerk)).json().id as string;
    const acc = await act(community, id, 'accept');
    expect(acc.statusCode).toBe(200);
    expect(acc.json().status).toBe('accepted');
    expect(acc.json().allowedActions).toContain('dispatch');
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    const dis = await act(community, id, 'dispatch', {
      assignee: { kind: 'department', id: deptId },
      instructions: '请尽快修复',
    });
    expect(dis.statusCode).toBe(200);
    expect(dis.json()).toMatchObject({
      status: 'dispatched',
      assignee: { kind: 'department', name: '城管' },
    });
    expect(dis.json().deadlines.step).toBe('resolve');

    // The department sees it in its to-do list and is told.
    const todo = await dept.get('/api/cases?view=toClaim');
    expect(todo.json().items.map((c: { id: string }) => c.id)).toContain(id);
    const notes = await dept.get('/api/notifications');
    expect(notes.json().unread).toBeGreaterThan(0);
    expect(notes.json().items[0]).toMatchObject({ kind: 'case.dispatched', caseId: id });

    expect((await act(dept, id, 'claim')).json().status).toBe('in_progress');
    const photo = (await upload(dept, png)).json().id as string;
    const res = await act(dept, id, 'resolve', { result: '已更换灯泡，恢复照明', attachmentIds: [photo] });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('resolved');
    expect(res.json().attachments.map((a: { id: string }) => a.id)).toContain(photo);
    expect((await act(community, id, 'verify', { passed: true })).json().status).toBe('verified');
    const closed = await act(community, id, 'followUp', { rating: 'satisfied', comment: '很及时' });
    expect(closed.json()).toMatchObject({ status: 'closed', rating: 'satisfied' });
    expect(closed.json().allowedActions).toEqual([]);

    const events = (await community.get(`/api/cases/${id}/events`)).json().items as {
      action: string;
      fromState: string | null;
      toState: string;
      attachments: unknown[];
    }[];
    expect(events.map((e) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'claim',
      'resolve',
      'verify',
      'followUp',
    ]);
    for (let i = 1; i < events.length; i++) expect(events[i]?.fromState).toBe(events[i - 1]?.toState);
    expect(events[4]?.attachments).toHaveLength(1);
    // Every write was audited in its transaction.
    const [audit] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where target_id = ${id} and action = 'case.action'`,
    );
    expect(audit?.n).toBe(6);
  });

  it('tells the acceptors of the case’s community of a report, and no one else', async () => {
    const c0 = t.communities[0];
    // Bound to the same community: one whose account is disabled, one whose role cannot accept.
    const off = await makeUser(ctx.deps, {
      username: 'community-off',
      roles: ['communityWorkstation'],
      orgUnit: c0,
    });
    await ctx.deps.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, off.id));
    const looker = await makeUser(ctx.deps, {
      username: 'community-look',
      roles: ['gridWorker'],
      orgUnit: c0,
    });
    const res = await report(clerk, { description: '井盖缺失，存在安全隐患' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const told = await ctx.deps.db
      .select({
        userId: notifications.userId,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        subjectType: notifications.subjectType,
        subjectId: notifications.subjectId,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(eq(notifications.caseId, id));
    const communityId = (
      await ctx.deps.db.select({ id: users.id }).from(users).where(eq(users.username, 'community'))
    )[0]?.id;
    expect(told).toEqual([
      {
        userId: communityId,
        kind: 'case.reported',
        title: '新事件待受理：路灯不亮或损坏',
        body: '井盖缺失，存在安全隐患',
        link: `/cases/${id}`,
        subjectType: 'case',
        subjectId: id,
        readAt: null,
      },
    ]);
    expect(told.map((n) => n.userId)).not.toContain(off.id);
    expect(told.map((n) => n.userId)).not.toContain(looker.id);
    // The community sees it in its list, unread.
    const mine = (await community.get('/api/notifications')).json();
    expect(mine.items[0]).toMatchObject({ kind: 'case.reported', caseId: id, readAt: null });
  });

  it('refuses: 403 without the permission, 404 outside the jurisdiction, 409 in the wrong state', async () => {
    const id = (await report(clerk)).json().id as string;
    // A department handler may not accept.
    expect((await act(dept, id, 'accept')).statusCode).toBe(404);
    expect((await act(gridWorker, id, 'accept')).statusCode).toBe(403);
    // Another community does not see it at all.
    expect((await otherCommunity.get(`/api/cases/${id}`)).statusCode).toBe(404);
    expect((await act(otherCommunity, id, 'accept')).statusCode).toBe(404);
    // Dispatch before accept is the wrong state.
    const early = await act(community, id, 'dispatch', {
      assignee: { kind: 'department', id: t.departments[0]?.id },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('CASE_INVALID_STATE');
    // Missing fields name the field.
    const noReason = await act(community, id, 'reject', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const unknown = await act(community, id, 'fly', {});
    expect(unknown.statusCode).toBe(400);

    await act(community, id, 'accept');
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    await act(community, id, 'dispatch', { assignee: { kind: 'department', id: deptId } });
    // The grid worker may handle cases, but this one is the department's.
    const notYours = await act(gridWorker, id, 'claim');
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().code).toBe('CASE_NOT_YOURS');
    // Another department never saw it.
    expect((await act(otherDept, id, 'claim')).statusCode).toBe(404);
    // Dispatching outside the jurisdiction is refused, naming the field.
    const far = await act(community, id, 'return', { reason: '不属于本部门' });
    expect(far.statusCode).toBe(403);
    expect((await act(dept, id, 'return', { reason: '不属于本部门职责' })).json().status).toBe('accepted');
    const outside = await act(community, id, 'dispatch', {
      assignee: { kind: 'orgUnit', id: t.grids[4]?.id },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('assignee.id');
  });

  it('sends a failed verification back for rework and counts it', async () => {
    const id = (await report(clerk)).json().id as string;
    await act(community, id, 'accept');
    await act(community, id, 'dispatch', { assignee: { kind: 'orgUnit', id: t.grids[0]?.id } });
    expect((await act(gridWorker, id, 'claim')).statusCode).toBe(200);
    await act(gridWorker, id, 'resolve', { result: '已处理' });
    const fail = await act(community, id, 'verify', { passed: false, note: '现场仍未修复' });
    expect(fail.json()).toMatchObject({ status: 'rework', reworkCount: 1 });
    expect((await act(gridWorker, id, 'resolve', { result: '已彻底修复' })).json().status).toBe('resolved');
    // The grid's own worker may verify on site.
    expect((await act(gridWorker, id, 'verify', { passed: true })).json().status).toBe('verified');
    expect((await act(gridWorker, id, 'close', {})).json().status).toBe('closed');
  });

  it('escalates one level at a time, and not beyond the district', async () => {
    const id = (await report(clerk)).json().id as string;
    const up = await act(community, id, 'escalate', { reason: '需街道协调' });
    expect(up.json()).toMatchObject({ status: 'reported', handlingUnitId: t.streets[0]?.id });
    // The community no longer handles it; the street does.
    expect((await act(community, id, 'accept')).statusCode).toBe(403);
    expect((await act(street, id, 'accept')).json().status).toBe('accepted');
    expect((await act(street, id, 'escalate', { reason: '需区级协调' })).json().handlingUnitId).toBe(
      t.district.id,
    );
    const top = await act(district, id, 'escalate', { reason: '无上级' });
    expect(top.statusCode).toBe(409);
  });

  it('lets a grid worker self-resolve allowed categories only, on the spot', async () => {
    const before = (await upload(gridWorker, png)).json().id;
    const after = (await upload(gridWorker, png)).json().id;
    const res = await report(gridWorker, {
      categoryCode: 'E0102',
      channel: 'grid_patrol',
      description: '路边暴露垃圾一堆',
      selfResolve: { result: '已清理', beforeAttachmentIds: [before], afterAttachmentIds: [after] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().status).toBe('resolved');
    const detail = (await community.get(`/api/cases/${res.json().id}`)).json();
    expect(detail.allowedActions).toContain('verify');
    const events = (await community.get(`/api/cases/${res.json().id}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['report', 'selfResolve']);

    const notAllowed = await report(gridWorker, { categoryCode: 'C0103', channel: 'grid_patrol' });
    const refused = await act(gridWorker, notAllowed.json().id, 'selfResolve', { result: '已处理' });
    expect(refused.statusCode).toBe(409);
    // The community's dispatcher is not on the grid team.
    const other = await report(gridWorker, { categoryCode: 'E0102', channel: 'grid_patrol' });
    expect((await act(community, other.json().id, 'selfResolve', { result: '已清理' })).statusCode).toBe(403);
    expect((await act(gridWorker, other.json().id, 'selfResolve', { result: '已清理' })).json().status).toBe(
      'resolved',
    );
  });

  it('supervises, extends, merges, rejects and cancels', async () => {
    const id = (await report(clerk)).json().id as string;
    await act(community, id, 'accept');
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    await act(community, id, 'dispatch', { assignee: { kind: 'department', id: deptId } });
    const past = await act(street, id, 'supervise', {
      order: '请加快办理',
      deadline: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('deadline');
    const sup = await act(street, id, 'supervise', {
      order: '请加快办理',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(sup.json()).toMatchObject({ supervised: true, supervision: { order: '请加快办理' } });
    expect(
      (await dept.get('/api/cases?view=supervised')).json().items.map((c: { id: string }) => c.id),
    ).toContain(id);

    await act(dept, id, 'claim');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await act(community, id, 'approveExtension', {})).statusCode).toBe(409);
    const req = await act(dept, id, 'requestExtension', { reason: '需采购配件', until });
    expect(req.json().extension.until).toBe(until);
    const ok = await act(community, id, 'approveExtension', { approved: true });
    expect(ok.json().deadlines.resolveBy).toBe(until);
    expect(ok.json().extension).toBeNull();

    const a = (await report(clerk)).json().id as string;
    const b = (await report(clerk)).json().id as string;
    const merged = await act(community, b, 'merge', { intoCaseId: a });
    expect(merged.json()).toMatchObject({ status: 'merged', mergedInto: a });
    expect((await act(community, a, 'merge', { intoCaseId: b })).json().errors[0].field).toBe('intoCaseId');

    const r = (await report(clerk)).json().id as string;
    expect((await act(community, r, 'reject', { reason: '不属于受理范围' })).json().status).toBe('rejected');
    expect((await act(community, r, 'accept')).statusCode).toBe(409);
    const c = (await report(clerk)).json().id as string;
    expect((await act(community, c, 'cancel', { reason: '重复登记' })).json().status).toBe('cancelled');
  });

  it('batch-dispatches, reporting each case that could not be dispatched', async () => {
    const ids = await Promise.all(
      [report(clerk), report(clerk), report(clerk)].map(async (p) => (await p).json().id),
    );
    await act(community, ids[0], 'accept');
    await act(community, ids[1], 'accept');
    const res = await community.post('/api/cases/batch-dispatch', {
      caseIds: ids,
      assignee: { kind: 'department', id: t.departments[0]?.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().succeeded).toEqual([ids[0], ids[1]]);
    expect(res.json().failed).toEqual([expect.objectContaining({ id: ids[2], code: 'CASE_INVALID_STATE' })]);
  });
});

describe('lists, exports and metrics', () => {
  it('filters by view, status, category, area and keyword within the jurisdiction', async () => {
    const mine = await report(clerk, { description: '独一无二的测试描述：井盖松动', categoryCode: 'C0101' });
    const id = mine.json().id;
    const byQ = await community.get(`/api/cases?q=${encodeURIComponent('独一无二')}`);
    expect(byQ.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    const byCat = await community.get('/api/cases?categoryCode=C01&status=reported&pageSize=200');
    // Not vacuous: the case just reported is among them.
    expect(byCat.json().items.length).toBeGreaterThan(0);
    expect(
      byCat
        .json()
        .items.every(
          (c: { categoryCode: string; status: string }) =>
            c.categoryCode.startsWith('C01') && c.status === 'reported',
        ),
    ).toBe(true);
    const other = await otherCommunity.get('/api/cases?pageSize=200');
    expect(other.json().items.map((c: { id: string }) => c.id)).not.toContain(id);
    const byArea = await district.get(`/api/cases?orgUnitId=${t.streets[1]?.id}`);
    expect(byArea.json().total).toBe(0);
    const counts = (await community.get('/api/cases/counts')).json();
    expect(counts.toAccept).toBeGreaterThan(0);
    const bad = await community.get('/api/cases?pageSize=1000');
    expect(bad.statusCode).toBe(400);
    // A resident sees only what they reported.
    await report(resident, { channel: 'resident_app', reporter: undefined });
    expect((await resident.get(`/api/cases/${id}`)).statusCode).toBe(404);
  });

  it('exports the list as Excel without the reporters’ phone numbers', async () => {
    const res = await community.get('/api/cases/export.xlsx?status=reported');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).getCell(1).value).toBe('事件编号');
    expect((ws?.rowCount ?? 0) - 1).toBe((await community.get('/api/cases?status=reported')).json().total);
    expect(res.rawPayload.toString('latin1')).not.toContain('13912345678');
  });

  it('computes the rates from the trail', async () => {
    const m = await district.get(`/api/metrics/cases?orgUnitId=${t.district.id}`);
    expect(m.statusCode).toBe(200);
    const body = m.json();
    const [expected] = await queryRows<{ total: number; closed: number; rated: number; ok: number }>(
      ctx.deps.db,
      sql`select count(*)::int as total, count(*) filter (where status = 'closed')::int as closed,
          count(*) filter (where rating is not null)::int as rated,
          count(*) filter (where rating in ('satisfied','basicallySatisfied'))::int as ok from cases`,
    );
    expect(body.total).toBe(expected?.total);
    expect(body.byStatus.closed).toBe(expected?.closed);
    expect(body.satisfactionRate).toBe(1);
    expect(body.reworkRate).toBeGreaterThan(0);
    expect(body.gridResolvedShare).toBeGreaterThan(0);
    expect(body.byArea.map((a: { name: string }) => a.name)).toContain('测试1街道');
    const comm = await community.get(`/api/metrics/cases?orgUnitId=${t.communities[2]?.id}`);
    expect(comm.statusCode).toBe(400);
  });

  it('reads a district from the daily roll-ups with the same figures as from the cases themselves', async () => {
    const [u] = await ctx.deps.db.select().from(users).where(eq(users.username, 'district'));
    const actor = await loadActor(ctx.deps.db, u as typeof users.$inferSelect, 'session', null);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const q of [{}, { from: '2020-01-01', to: today }, { from: today, to: today }]) {
      const fromRollup = await caseMetrics(ctx.deps.db, actor, q);
      const fromCases = await caseMetrics(ctx.deps.db, actor, q, { rollup: false });
      expect(fromRollup.total).toBeGreaterThan(0);
      const sorted = (m: typeof fromCases) => ({
        ...m,
        byCategory: [...m.byCategory].sort((a, b) => a.key.localeCompare(b.key)),
        byChannel: [...m.byChannel].sort((a, b) => a.key.localeCompare(b.key)),
        byArea: [...m.byArea].sort((a, b) => a.key.localeCompare(b.key)),
      });
      expect(sorted(fromRollup)).toEqual(sorted(fromCases));
    }
    const none = await caseMetrics(ctx.deps.db, actor, { from: '2020-01-01', to: '2020-01-02' });
    expect(none.total).toBe(0);
  });
});
