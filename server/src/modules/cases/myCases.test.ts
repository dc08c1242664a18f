import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { cases } from './tables.js';
import { act, casesWorld, report, upload } from './testWorld.js';

let ctx: TestContext;
let community: Session;
let dept: Session;
let resident: Session;
let png: Buffer;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

beforeAll(async () => {
  ({ ctx, community, dept, resident, png, t } = await casesWorld());
}, 240_000);
afterAll(async () => {
  await ctx?.close();
});

/** A resident's report taken all the way to verification by staff, with a note and a result photo. */
async function verifiedCase(extra: Record<string, unknown> = {}) {
  const photo = (await upload(resident, png)).json().id as string;
  const res = await report(resident, {
    channel: 'resident_app',
    reporter: undefined,
    attachmentIds: [photo],
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  const deptId = t.departments.find((d) => d.name === '城管')?.id;
  expect((await act(community, id, 'accept')).statusCode).toBe(200);
  expect(
    (
      await act(community, id, 'dispatch', {
        assignee: { kind: 'department', id: deptId },
        instructions: '内部：先查线路',
      })
    ).statusCode,
  ).toBe(200);
  expect((await act(community, id, 'note', { note: '内部备注：该居民多次来电' })).statusCode).toBe(200);
  expect((await act(dept, id, 'claim')).statusCode).toBe(200);
  const after = (await upload(dept, png)).json().id as string;
  expect(
    (await act(dept, id, 'resolve', { result: '已更换灯泡，恢复照明', attachmentIds: [after] })).statusCode,
  ).toBe(200);
  expect((await act(community, id, 'verify', { passed: true, note: '内部：核查通过' })).statusCode).toBe(200);
  return { id, photo, after };
}

describe('my matters', () => {
  it('lists the resident’s own reports with a plain timeline: no staff names, no internal notes', async () => {
    const { id, photo, after } = await verifiedCase();
    const res = await resident.get('/api/my/cases');
    expect(res.statusCode).toBe(200);
    const mine = res.json().items.find((c: { id: string }) => c.id === id);
    expect(res.json().total).toBeGreaterThanOrEqual(1);
    expect(mine).toMatchObject({ status: 'verified', step: 'resolved', canRate: true, reopenUntil: null });
    expect(mine.photos).toEqual([{ url: `/api/files/${photo}`, thumbUrl: `/api/files/${photo}/thumb` }]);
    expect(mine.timeline.map((e: { step: string }) => e.step)).toEqual([
      'received',
      'accepted',
      'dispatched',
      'inProgress',
      'resolved',
    ]);
    expect(mine.timeline[2].unitName).toBe('城管');
    expect(mine.timeline[4]).toMatchObject({
      text: '已更换灯泡，恢复照明',
      photos: [{ url: `/api/files/${after}` }],
    });
    const body = res.body;
    for (const hidden of ['内部', 'community', 'dept', 'actorName', 'note'])
      expect(body).not.toContain(hidden);
    // Another resident's or a staff list of their own is empty of it.
    expect((await community.get('/api/my/cases')).json().items).toEqual([]);
    expect((await community.get(`/api/my/cases/${id}`)).statusCode).toBe(404);
    expect((await resident.get(`/api/my/cases/${id}`)).json().id).toBe(id);
    // The staff view is no way round: its trail (staff names, notes) is not the reporter's to
    // read, and the detail names no staff member.
    expect((await resident.get(`/api/cases/${id}/events`)).statusCode).toBe(404);
    expect((await community.get(`/api/cases/${id}/events`)).statusCode).toBe(200);
    const staffView = await resident.get(`/api/cases/${id}`);
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().assignee?.kind).not.toBe('user');
    expect(staffView.body).not.toContain('内部');
  });

  it('the reporter’s rating closes the case; staff may not rate for them', async () => {
    const { id } = await verifiedCase();
    expect((await act(community, id, 'rate', { rating: 'satisfied' })).statusCode).toBe(403);
    const rated = await act(resident, id, 'rate', { rating: 'satisfied', comment: '很及时' });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().status).toBe('closed');
    const mine = (await resident.get(`/api/my/cases/${id}`)).json();
    expect(mine).toMatchObject({ step: 'closed', rating: 'satisfied', canRate: false });
    expect(mine.reopenUntil).not.toBeNull();
    expect((await act(resident, id, 'rate', { rating: 'satisfied' })).statusCode).toBe(409);
  });

  it('"没修好" within 7 days sends a closed case back for rework; after 7 days it is refused', async () => {
    const { id } = await verifiedCase();
    expect((await act(resident, id, 'rate', { rating: 'dissatisfied' })).statusCode).toBe(200);
    const reopened = await act(resident, id, 'reopen', { reason: '灯又不亮了' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'rework', reworkCount: 1 });
    const mine = (await resident.get(`/api/my/cases/${id}`)).json();
    expect(mine.timeline.at(-1)).toMatchObject({ step: 'reopened', text: '灯又不亮了' });
    // The department fixes it again; verified and rated again, then closed 8 days ago.
    expect((await act(dept, id, 'resolve', { result: '更换了线路' })).statusCode).toBe(200);
    expect((await act(community, id, 'verify', { passed: true })).statusCode).toBe(200);
    expect((await act(resident, id, 'rate', { rating: 'satisfied' })).statusCode).toBe(200);
    await ctx.deps.db.update(cases).set({ closedAt: sql`now() - interval '8 days'` }).where(eq(cases.id, id));
    const late = await act(resident, id, 'reopen', { reason: '还是不亮' });
    expect(late.statusCode).toBe(409);
    expect((await resident.get(`/api/my/cases/${id}`)).json().reopenUntil).toBeNull();
  });

  it('an anonymous report carries no name or phone for staff, and is still the resident’s', async () => {
    const res = await report(resident, {
      channel: 'resident_app',
      reporter: { name: '李四', phone: '13911112222' },
      anonymous: true,
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect((await community.get(`/api/cases/${id}`)).json().reporter).toBeNull();
    expect((await resident.get(`/api/my/cases/${id}`)).json()).toMatchObject({ anonymous: true });
  });
});
