import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { mobileNumber } from '../../test/personalData.js';
import { upload } from '../cases/testWorld.js';
import { residents } from '../residents/tables.js';
import { wishEvents, wishes } from './tables.js';
import { escalateUnclaimedWishes } from './wishes.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let resident: Session;
let neighbour: Session;
let worker: Session;
let otherWorker: Session;
let community: Session;
let volunteer: Session;
let volunteer2: Session;
let farVolunteer: Session;
let dept: Session;
let residentOnFile: string;

const post = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/wishes', {
    title: '想要一台收音机',
    description: '独居老人，眼睛不好，想听广播。联系电话 13904721234',
    gridId: t.grids[0]?.id,
    idempotencyKey: randomUUID(),
    ...extra,
  });
const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/wishes/${id}/actions/${action}`, body);

async function posted(s = resident): Promise<string> {
  const res = await post(s);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function inState(state: 'published' | 'claimed' | 'fulfilled'): Promise<string> {
  const id = await posted();
  expect((await act(worker, id, 'publish')).statusCode).toBe(200);
  if (state === 'published') return id;
  expect((await act(volunteer, id, 'claim')).statusCode).toBe(200);
  if (state === 'claimed') return id;
  expect((await act(volunteer, id, 'fulfil', { note: '送去一台收音机并教会使用' })).statusCode).toBe(200);
  return id;
}
async function counts() {
  const [w] = await ctx.deps.db.select({ n: count() }).from(wishes);
  const [e] = await ctx.deps.db.select({ n: count() }).from(wishEvents);
  return { wishes: w?.n, events: e?.n };
}
const audits = async (action: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = ${action}`,
    )
  )[0]?.n ?? 0;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, c2] = t.communities;
  const [g1, , g3] = t.grids;
  await makeUser(ctx.deps, { username: 'res', roles: ['resident'] });
  await makeUser(ctx.deps, { username: 'res2', roles: ['resident'] });
  await makeUser(ctx.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: g1 });
  await makeUser(ctx.deps, { username: 'gw3', roles: ['gridWorker'], orgUnit: g3 });
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'vol', roles: ['volunteer'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'vol2', roles: ['volunteer'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'volfar', roles: ['volunteer'], orgUnit: c2 });
  await makeUser(ctx.deps, {
    username: 'dept',
    roles: ['departmentHandler'],
    departmentId: t.departments[0]?.id,
  });
  const sessions = await Promise.all(
    ['res', 'res2', 'gw', 'gw3', 'comm', 'vol', 'vol2', 'volfar', 'dept'].map((u) => login(ctx.app, u)),
  );
  resident = sessions[0] as Session;
  neighbour = sessions[1] as Session;
  worker = sessions[2] as Session;
  otherWorker = sessions[3] as Session;
  community = sessions[4] as Session;
  volunteer = sessions[5] as Session;
  volunteer2 = sessions[6] as Session;
  farVolunteer = sessions[7] as Session;
  dept = sessions[8] as Session;
  const [r] = await ctx.deps.db
    .insert(residents)
    .values({
      name: '赵玉兰',
      idNumberEnc: ctx.deps.crypto.encrypt('150203196001010000'),
      idNumberIdx: ctx.deps.crypto.blindIndex('150203196001010000'),
      idNumberTail: '0000',
      sex: 'female',
      birthDate: '1960-01-01',
      birthplaceCode: '150203',
      gridId: (g1 as { id: number }).id,
      orgPath: (g1 as { path: string }).path,
    })
    .returning({ id: residents.id });
  residentOnFile = (r as { id: string }).id;
});
afterAll(() => ctx?.close());

describe('posting a wish (群众点单)', () => {
  it('a resident posts one: 201 {id, status: submitted}, trail and audit in one go; the same key finds the same wish', async () => {
    const before = await audits('wish.posted');
    const key = randomUUID();
    const a = await post(resident, { idempotencyKey: key });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toEqual({ id: expect.any(String), status: 'submitted' });
    const again = await post(resident, { idempotencyKey: key });
    expect(again.json().id).toBe(a.json().id);
    expect(await audits('wish.posted')).toBe(before + 1);
    const detail = (await resident.get(`/api/wishes/${a.json().id}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['post']);
    expect(detail.allowedActions).toEqual(['withdraw']);
  });

  it('bad input names the field and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'x' }, 'title'],
      [{ gridId: t.communities[0]?.id }, 'gridId'],
      [{ gridId: 999_999 }, 'gridId'],
      [{ description: '' }, 'description'],
      [{ title: '\u0000\u0001' }, 'title'],
    ];
    for (const [extra, field] of cases) {
      const res = await post(resident, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('a grid worker posts for a resident of his grid; a resident outside his jurisdiction, or a resident naming one, is refused', async () => {
    const ok = await post(worker, { forResidentId: residentOnFile });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = (await worker.get(`/api/wishes/${ok.json().id}`)).json();
    expect(d.forResidentName).toBe('赵玉兰');
    const outside = await post(otherWorker, { forResidentId: residentOnFile, gridId: t.grids[2]?.id });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('forResidentId');
    const byResident = await post(resident, { forResidentId: residentOnFile });
    expect(byResident.statusCode).toBe(400);
    const otherGrid = await post(worker, { gridId: t.grids[2]?.id });
    expect(otherGrid.statusCode).toBe(400);
    expect(otherGrid.json().errors[0].field).toBe('gridId');
  });

  it('a volunteer and a department handler may not post', async () => {
    expect((await post(volunteer)).statusCode).toBe(403);
    expect((await post(dept)).statusCode).toBe(403);
  });
});

describe('the loop: publish, claim, fulfil, rate', () => {
  it('runs end to end with a trail row and an audit row per step, and allowedActions at each', async () => {
    const before = await audits('wish.action');
    const id = await posted();
    // Under review the volunteers do not see it.
    expect((await volunteer.get(`/api/wishes/${id}`)).statusCode).toBe(404);
    const published = await act(worker, id, 'publish', { note: '已核实' });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
    const seen = (await volunteer.get(`/api/wishes/${id}`)).json();
    expect(seen.allowedActions).toEqual(['claim']);
    // What the volunteer sees names nobody: the resident's name is staff's business.
    expect(seen.forResidentName).toBeNull();
    expect(seen.postedByName).not.toBeNull();
    const claimed = await act(volunteer, id, 'claim');
    expect(claimed.json().status).toBe('claimed');
    expect(claimed.json().allowedActions).toEqual(['fulfil']);
    const fulfilled = await act(volunteer, id, 'fulfil', { note: '已送达收音机' });
    expect(fulfilled.statusCode, fulfilled.body).toBe(200);
    expect((await resident.get(`/api/wishes/${id}`)).json().allowedActions).toEqual(['rate']);
    const rated = await act(resident, id, 'rate', { rating: 5, comment: '谢谢' });
    expect(rated.json().status).toBe('rated');
    expect(rated.json().rating).toBe(5);
    expect(rated.json().allowedActions).toEqual([]);
    expect(rated.json().events.map((e: { action: string }) => e.action)).toEqual([
      'post',
      'publish',
      'claim',
      'fulfil',
      'rate',
    ]);
    expect(await audits('wish.action')).toBe(before + 4);
  });

  it('refuses in order: 404 outside sight, 403 without the permission or not one’s own, 409 in the wrong state', async () => {
    const id = await posted();
    // Another grid's worker and a volunteer of another community do not see it.
    expect((await act(otherWorker, id, 'publish')).statusCode).toBe(404);
    expect((await neighbour.get(`/api/wishes/${id}`)).statusCode).toBe(404);
    // The resident may not publish his own wish; the volunteer may not claim what is under review.
    expect((await act(resident, id, 'publish')).statusCode).toBe(403);
    expect((await act(volunteer, id, 'claim')).statusCode).toBe(404);
    expect((await act(worker, id, 'rate', { rating: 3 })).statusCode).toBe(403);
    expect((await act(worker, id, 'publish')).statusCode).toBe(200);
    expect((await act(worker, id, 'publish')).statusCode).toBe(409);
    expect((await act(farVolunteer, id, 'claim')).statusCode).toBe(404);
    expect((await act(volunteer, id, 'fulfil', { note: '没认领就完成' })).statusCode).toBe(409);
    expect((await act(resident, id, 'rate', { rating: 4 })).statusCode).toBe(409);
    expect((await act(volunteer, id, 'claim')).statusCode).toBe(200);
    // Only the one who claimed it fulfils it.
    const other = await act(volunteer2, id, 'fulfil', { note: '我来完成' });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('WISH_NOT_YOURS');
    expect((await act(resident, id, 'withdraw')).statusCode).toBe(409);
  });

  it('a second claim is 409: of a burst of 20 claims exactly one wins, with one trail row and one audit row', async () => {
    const id = await inState('published');
    const before = await audits('wish.action');
    const sessions = [volunteer, volunteer2];
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => act(sessions[i % 2] as Session, id, 'claim')),
    );
    const codes = replies.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    expect(replies.find((r) => r.statusCode === 409)?.json().code).toBe('WISH_ALREADY_CLAIMED');
    const claims = await ctx.deps.db
      .select({ n: count() })
      .from(wishEvents)
      .where(sql`${wishEvents.wishId} = ${id} and ${wishEvents.action} = 'claim'`);
    expect(claims[0]?.n).toBe(1);
    expect(await audits('wish.action')).toBe(before + 1);
  });

  it('fulfil wants a note and accepts only the claimer’s own photos; a bad rating names the field; nothing half-written', async () => {
    const id = await inState('claimed');
    const before = await counts();
    const noNote = await act(volunteer, id, 'fulfil', {});
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0].field).toBe('note');
    const strange = await act(volunteer, id, 'fulfil', { note: '完成了', fileIds: [randomUUID()] });
    expect(strange.statusCode).toBe(400);
    expect(strange.json().errors[0].field).toBe('fileIds');
    expect(await counts()).toEqual(before);
    expect((await volunteer.get(`/api/wishes/${id}`)).json().status).toBe('claimed');
    expect((await act(volunteer, id, 'fulfil', { note: '完成了' })).statusCode).toBe(200);
    const bad = await act(resident, id, 'rate', { rating: 9 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('rating');
  });

  it('a fulfilment photo is seen by who sees the wish: the resident who posted it, its grid worker; not another resident', async () => {
    const id = await inState('claimed');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#396' } })
      .png()
      .toBuffer();
    const up = await upload(volunteer, png);
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id as string;
    const done = await act(volunteer, id, 'fulfil', { note: '送到了', fileIds: [fileId] });
    expect(done.json().fileIds).toEqual([fileId]);
    expect((await resident.get(`/api/files/${fileId}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/files/${fileId}/thumb`)).statusCode).toBe(200);
    expect((await neighbour.get(`/api/files/${fileId}`)).statusCode).toBe(404);
    expect((await otherWorker.get(`/api/files/${fileId}`)).statusCode).toBe(404);
  });

  it('the poster or the reviewer withdraws an unclaimed wish; another resident cannot', async () => {
    const a = await posted();
    expect((await act(resident, a, 'withdraw', { reason: '已解决' })).json().status).toBe('withdrawn');
    const b = await inState('published');
    expect((await act(neighbour, b, 'withdraw')).statusCode).toBe(404);
    expect((await act(volunteer, b, 'withdraw')).statusCode).toBe(403);
    expect((await act(worker, b, 'withdraw', { reason: '不宜公开' })).json().status).toBe('withdrawn');
    // A withdrawn wish leaves the volunteers' sight.
    expect((await volunteer.get(`/api/wishes/${b}`)).statusCode).toBe(404);
  });
});

describe('lists', () => {
  it('a resident lists only his own; a volunteer his community’s wall and what he claimed; a grid worker his grid', async () => {
    const mine = await posted();
    const theirs = await posted(neighbour);
    const ids = (s: Session, q = '') =>
      s.get(`/api/wishes?pageSize=200${q}`).then((r) => r.json().items.map((i: { id: string }) => i.id));
    expect(await ids(resident)).toContain(mine);
    expect(await ids(resident)).not.toContain(theirs);
    const wall = await inState('published');
    expect(await ids(volunteer)).toContain(wall);
    expect(await ids(volunteer)).not.toContain(mine);
    expect(await ids(farVolunteer)).not.toContain(wall);
    expect(await ids(worker)).toEqual(expect.arrayContaining([mine, theirs, wall]));
    expect(await ids(otherWorker)).not.toContain(mine);
    expect(await ids(community, '&status=submitted')).toContain(mine);
    expect(await ids(dept)).toEqual([]);
  });
});

describe('the public wall', () => {
  it('shows published wishes by community without names, phones, ID numbers or grids', async () => {
    const id = await posted(resident);
    await ctx.deps.db
      .update(wishes)
      .set({ title: '想要收音机 电话13904721234 身份证150203196001010000' })
      .where(eq(wishes.id, id));
    expect((await act(worker, id, 'publish')).statusCode).toBe(200);
    const pending = await posted();
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/wishes?pageSize=200' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const ids = body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(pending);
    const text = res.body;
    expect(text).not.toMatch(mobileNumber);
    expect(text).not.toMatch(/\d{17}[\dXx]/);
    expect(text).not.toContain('赵玉兰');
    expect(text).not.toContain('测试res');
    expect(text).not.toContain(t.grids[0]?.name as string);
    expect(text).not.toContain('独居老人');
    expect(Object.keys(body.items[0]).sort()).toEqual(
      ['communityName', 'fulfilledAt', 'id', 'publishedAt', 'status', 'title'].sort(),
    );
    expect(
      body.counts.find((c: { communityName: string }) => c.communityName === t.communities[0]?.name),
    ).toBeDefined();
  });

  it('lists a community’s grids for the portal’s picker', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/grids?communityId=${t.communities[0]?.id}`,
    });
    expect(res.json().items.map((g: { id: number }) => g.id)).toEqual([t.grids[0]?.id, t.grids[1]?.id]);
  });
});

describe('escalation', () => {
  it('a wish published days ago and unclaimed is escalated once, with its trail; claimed ones are left alone', async () => {
    const old = await inState('published');
    const taken = await inState('claimed');
    const long = new Date(Date.now() - 5 * 86_400_000);
    await ctx.deps.db
      .update(wishes)
      .set({ publishedAt: long })
      .where(sql`${wishes.id} in (${old}, ${taken})`);
    const n = await escalateUnclaimedWishes(ctx.deps.db);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await escalateUnclaimedWishes(ctx.deps.db)).toBe(0);
    const d = (await community.get(`/api/wishes/${old}`)).json();
    expect(d.escalated).toBe(true);
    expect(d.events.at(-1).action).toBe('escalate');
    expect((await community.get(`/api/wishes/${taken}`)).json().escalated).toBe(false);
    const listed = (await community.get('/api/wishes?escalated=true&pageSize=200')).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(old);
  });

  it('is a registered job', async () => {
    expect((await ctx.app.jobs.status()).map((j) => j.name)).toContain('wish-escalation');
  });
});
