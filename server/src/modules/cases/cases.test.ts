import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../platform/auth/load.js';
import { type BusEvent, createEventBus } from '../../platform/bus.js';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';
import { gridTeamMembers } from '../org/tables.js';
import { sweepDeadlines } from './deadlines.js';
import { ensureCaseDefaults } from './defaults.js';
import { caseMetrics } from './metrics.js';
import { caseEvents, cases } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
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

/** A point inside the first test grid (a 0.01° square at 109.87 °E, 40.60 °N). */
const inGrid0 = { lat: 40.605, lng: 109.875 };

function multipart(name: string, filename: string, data: Buffer, type: string) {
  const boundary = `----cg${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(s: Session, data: Buffer, filename = 'photo.png', type = 'image/png') {
  const m = multipart('file', filename, data, type);
  return s.inject({ method: 'POST', url: '/api/files', payload: m.payload, headers: m.headers });
}

function report(s: Session, extra: Record<string, unknown> = {}) {
  return s.post('/api/cases', {
    description: '小区门口路灯不亮，晚上出行不便',
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: inGrid0,
    reporter: { name: '王女士', phone: '13912345678' },
    idempotencyKey: randomUUID(),
    ...extra,
  });
}

const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/cases/${id}/actions/${action}`, body);

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  const chengguan = t.departments.find((d) => d.name === '城管');
  const zhujian = t.departments.find((d) => d.name === '住建');
  const [c0, , c2] = t.communities;
  const mk = (username: string, roles: string[], extra: object) =>
    makeUser(ctx.deps, { username, roles, ...extra });
  await mk('community', ['communityWorkstation'], { orgUnit: c0 });
  await mk('community2', ['communityWorkstation'], { orgUnit: c2 });
  await mk('street', ['streetCentre'], { orgUnit: t.streets[0] });
  await mk('district', ['districtCommand'], { orgUnit: t.district });
  await mk('dept', ['departmentHandler'], { departmentId: chengguan?.id });
  await mk('dept2', ['departmentHandler'], { departmentId: zhujian?.id });
  const gw = await mk('gridworker', ['gridWorker'], { orgUnit: t.grids[0] });
  await ctx.deps.db
    .insert(gridTeamMembers)
    .values({ gridId: t.grids[0]?.id as number, userId: gw.id, role: 'gridManager' });
  await mk('clerk', ['serviceClerk'], { orgUnit: t.district });
  await mk('resident', ['resident'], { orgUnit: t.grids[0] });
  const sessions = new Map<string, Session>();
  for (const u of [
    'community',
    'community2',
    'street',
    'district',
    'dept',
    'dept2',
    'gridworker',
    'clerk',
    'resident',
  ])
    sessions.set(u, await login(ctx.app, u));
  const s = (u: string) => sessions.get(u) as Session;
  community = s('community');
  otherCommunity = s('community2');
  street = s('street');
  district = s('district');
  dept = s('dept');
  otherDept = s('dept2');
  gridWorker = s('gridworker');
  clerk = s('clerk');
  resident = s('resident');
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#cc3333' } })
    .png()
    .toBuffer();
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

async function caseCount() {
  const [r] = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from cases`);
  return r?.n ?? 0;
}

describe('reporting a case', () => {
  it('places it in its grid, community and street, with the accept deadline, and returns the contract shape', async () => {
    const res = await report(clerk);
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      status: 'reported',
      gridId: t.grids[0]?.id,
      communityId: t.communities[0]?.id,
      streetId: t.streets[0]?.id,
      handlingUnitId: t.communities[0]?.id,
      categoryCode: 'C0103',
    });
    expect(c.code).toMatch(/^SJ\d{8}\d{6}$/);
    expect(c.deadlines.step).toBe('accept');
    expect(Date.parse(c.deadlines.acceptBy)).toBeGreaterThan(Date.now());
  });

  it('makes one case from the same idempotency key sent twice, even at the same time', async () => {
    const key = randomUUID();
    const before = await caseCount();
    const [a, b] = await Promise.all([
      report(clerk, { idempotencyKey: key }),
      report(clerk, { idempotencyKey: key }),
    ]);
    const c = await report(clerk, { idempotencyKey: key });
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(c.statusCode).toBe(200);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    expect(await caseCount()).toBe(before + 1);
  });

  it('sends a case outside every grid to the district pool', async () => {
    const res = await report(clerk, { location: { lat: 41.5, lng: 111.2 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ gridId: null, communityId: null, handlingUnitId: t.district.id });
  });

  it('places an address-only report where the reporter works', async () => {
    const res = await report(community, { location: undefined, address: '测试小区3号楼2单元' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      gridId: null,
      communityId: t.communities[0]?.id,
      handlingUnitId: t.communities[0]?.id,
    });
    const neither = await report(community, { location: undefined });
    expect(neither.json().errors[0].field).toBe('location');
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const before = await caseCount();
    const unknown = await report(clerk, { categoryCode: 'X9999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('categoryCode');
    const major = await report(clerk, { categoryCode: 'E01' });
    expect(major.json().errors[0]).toMatchObject({ field: 'categoryCode', rule: 'leaf' });
    const world = await report(clerk, { location: { lat: 91, lng: 200 } });
    expect(world.statusCode).toBe(400);
    expect(world.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['location.lat', 'location.lng']),
    );
    const photos = await report(clerk, { attachmentIds: Array.from({ length: 10 }, () => randomUUID()) });
    expect(photos.statusCode).toBe(400);
    expect(photos.json().errors[0].field).toBe('attachmentIds');
    const missing = await report(clerk, { attachmentIds: [randomUUID()] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('attachmentIds');
    const noDescription = await report(clerk, { description: '' });
    expect(noDescription.json().errors[0].field).toBe('description');
    expect(await caseCount()).toBe(before);
  });

  it('checks photos by their content, not their name', async () => {
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]);
    const r1 = await upload(clerk, fakeJpeg, 'photo.jpg', 'image/jpeg');
    expect(r1.statusCode).toBe(415);
    expect(r1.json().code).toBe('FILE_TYPE');
    const r2 = await upload(clerk, Buffer.from('hello'), 'photo.png', 'image/png');
    expect(r2.statusCode).toBe(415);
    const ok = await upload(clerk, png);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
    const thumb = await clerk.get(ok.json().thumbUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    // Someone else's unused upload is not theirs to see.
    expect((await otherCommunity.get(ok.json().url)).statusCode).toBe(404);
  });

  it('offers nearby open cases of the same category as duplicates', async () => {
    await report(clerk);
    const res = await clerk.get(
      `/api/cases/duplicates?lat=${inGrid0.lat}&lng=${inGrid0.lng + 0.0005}&categoryCode=C0103`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items[0].distanceM).toBeLessThanOrEqual(200);
  });
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

describe('notes and live notifications', () => {
  it('adds a progress note with photos without changing the state', async () => {
    const id = (await report(clerk)).json().id as string;
    const photo = (await upload(community, png)).json().id;
    const res = await act(community, id, 'note', {
      note: '已电话联系反映人，约定明早到现场',
      attachmentIds: [photo],
    });
    expect(res.json().status).toBe('reported');
    const events = (await community.get(`/api/cases/${id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ action: 'note', fromState: 'reported', toState: 'reported' });
    expect(events.at(-1).attachments).toHaveLength(1);
    expect((await act(community, id, 'note', {})).json().errors[0].field).toBe('note');
  });

  it('does an action sent twice with the same Idempotency-Key once, even at the same time', async () => {
    const id = (await report(clerk)).json().id as string;
    const send = () =>
      community.inject({
        method: 'POST',
        url: `/api/cases/${id}/actions/note`,
        payload: { note: '现场核实中' },
        headers: { 'idempotency-key': 'phone-entry-0001' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`.slice(0, 600)).toEqual([200, 200]);
    expect((await send()).statusCode).toBe(200);
    const notes = (await community.get(`/api/cases/${id}/events`))
      .json()
      .items.filter((e: { action: string }) => e.action === 'note');
    expect(notes).toHaveLength(1);
    // Another key is another action.
    await community.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/note`,
      payload: { note: '第二次进展' },
      headers: { 'idempotency-key': 'phone-entry-0002' },
    });
    const after = (await community.get(`/api/cases/${id}/events`)).json().items;
    expect(after.filter((e: { action: string }) => e.action === 'note')).toHaveLength(2);
  });

  it('pushes a dispatch to the department over Server-Sent Events', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/notifications/stream`, {
      headers: { cookie: dept.cookie },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('event: notification')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    const id = (await report(clerk)).json().id as string;
    await act(community, id, 'accept');
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    await act(community, id, 'dispatch', { assignee: { kind: 'department', id: deptId } });
    const text = await received;
    controller.abort();
    expect(text).toContain('event: case');
    expect(text).toContain(`"caseId":"${id}"`);
    expect(text).toContain('case.dispatched');
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
