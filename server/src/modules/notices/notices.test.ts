import { idNumberCheckChar } from '@civicgrid/core/ids/idNumber';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { upload } from '../cases/testWorld.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let communityA: Session;
let communityB: Session;
let street: Session;
let residentA: Session;
let residentB: Session;
let unbound: Session;
let realName: Session;

const publish = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/notices', {
    title: '关于冬季供暖开始时间的通知',
    body: '各位居民：\n\n今年供暖自 11 月 1 日起。\n\n如有不热请联系物业。',
    kind: 'notice',
    orgUnitId: t.communities[0]?.id,
    ...extra,
  });
const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [cA, cB, , cD] = t.communities;
  await makeUser(ctx.deps, { username: 'commA', roles: ['communityWorkstation'], orgUnit: cA });
  await makeUser(ctx.deps, { username: 'commB', roles: ['communityWorkstation'], orgUnit: cB });
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  // Residents: one living in a grid of A, one in a grid of B, one bound to nothing, one bound
  // by real name to a person registered in the second street's second community.
  await makeUser(ctx.deps, { username: 'resA', roles: ['resident'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'resB', roles: ['resident'], orgUnit: t.grids[2] });
  await makeUser(ctx.deps, { username: 'resFree', roles: ['resident'] });
  const bound = await makeUser(ctx.deps, { username: 'resReal', roles: ['resident'] });
  const first17 = '15020319800101001';
  const id = first17 + idNumberCheckChar(first17);
  const grid = t.grids[6];
  if (!grid || !cD) throw new Error('territory');
  await ctx.deps.db.insert(residents).values({
    name: '王实名',
    idNumberEnc: ctx.deps.crypto.encrypt(id),
    idNumberIdx: ctx.deps.crypto.blindIndex(id),
    idNumberTail: id.slice(-4),
    sex: 'male',
    birthDate: '1980-01-01',
    birthplaceCode: '150203',
    gridId: grid.id,
    orgPath: grid.path,
  });
  await ctx.deps.db.insert(residentAccounts).values({
    userId: bound.id,
    idNumberIdx: ctx.deps.crypto.blindIndex(id),
    realNameAt: new Date(),
  });
  communityA = await login(ctx.app, 'commA');
  communityB = await login(ctx.app, 'commB');
  street = await login(ctx.app, 'street');
  residentA = await login(ctx.app, 'resA');
  residentB = await login(ctx.app, 'resB');
  unbound = await login(ctx.app, 'resFree');
  realName = await login(ctx.app, 'resReal');
}, 240_000);
afterAll(() => ctx.close());

describe('notices (通知公告)', () => {
  it('a community publishes to its community: its residents see it, a neighbour community’s do not', async () => {
    const res = await publish(communityA);
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json();
    expect(n).toMatchObject({
      status: 'published',
      kind: 'notice',
      orgUnitName: t.communities[0]?.name,
      readCount: 0,
      authorName: '测试commA',
      allowedActions: ['edit', 'withdraw', 'pin'],
    });
    const mine = (await residentA.get('/api/my/notices')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toContain(n.id);
    expect(mine.community).toEqual({ id: t.communities[0]?.id, name: t.communities[0]?.name, how: 'bound' });
    expect(mine.items[0]).not.toHaveProperty('authorName');
    expect(ids(await residentB.get('/api/my/notices'))).not.toContain(n.id);
    expect((await residentB.get(`/api/my/notices/${n.id}`)).statusCode).toBe(404);
    // The audit trail holds the publication.
    const [row] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'notice.published'), eq(auditLog.targetId, n.id)));
    expect(row?.payload).toMatchObject({ orgUnitId: t.communities[0]?.id, kind: 'notice' });
  });

  it('a community worker cannot publish to another community or to the street above', async () => {
    for (const orgUnitId of [t.communities[1]?.id, t.streets[0]?.id, t.communities[2]?.id]) {
      const res = await publish(communityA, { orgUnitId });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'orgUnitId', code: 'AREA_NOT_IN_JURISDICTION' });
    }
    const missing = await publish(communityA, { orgUnitId: 999_999 });
    expect(missing.statusCode).toBe(400);
  });

  it('another community’s staff neither see nor change the notice (404), a resident may not manage (403)', async () => {
    const n = (await publish(communityA, { title: '社区 A 的内部安排' })).json();
    expect((await communityB.get(`/api/notices/${n.id}`)).statusCode).toBe(404);
    expect((await communityB.patch(`/api/notices/${n.id}`, { title: '改' })).statusCode).toBe(404);
    expect((await communityB.post(`/api/notices/${n.id}/actions/withdraw`, {})).statusCode).toBe(404);
    expect((await communityB.post(`/api/notices/${n.id}/actions/pin`, { pinned: true })).statusCode).toBe(
      404,
    );
    expect(ids(await communityB.get('/api/notices'))).not.toContain(n.id);
    // The street above sees its community's notice.
    expect((await street.get(`/api/notices/${n.id}`)).statusCode).toBe(200);
    expect((await residentA.get('/api/notices')).statusCode).toBe(403);
    expect((await residentA.post('/api/notices', { title: 'x' })).statusCode).toBe(403);
  });

  it('a street’s notice reaches every community of the street, not the next street', async () => {
    const n = (
      await publish(street, { orgUnitId: t.streets[0]?.id, kind: 'policy', title: '高龄津贴申报政策' })
    ).json();
    expect(n.status).toBe('published');
    expect(ids(await residentA.get('/api/my/notices'))).toContain(n.id);
    expect(ids(await residentB.get('/api/my/notices'))).toContain(n.id);
    expect(ids(await realName.get('/api/my/notices'))).not.toContain(n.id);
    // The community's staff do not manage the street's notice.
    expect((await communityA.get(`/api/notices/${n.id}`)).statusCode).toBe(404);
  });

  it('a read is counted once per resident, staff opening it are not counted', async () => {
    const n = (await publish(communityA, { title: '疫苗接种安排' })).json();
    const before = (await residentA.get('/api/my/notices')).json();
    expect(before.items.find((i: { id: string }) => i.id === n.id).read).toBe(false);
    for (let i = 0; i < 3; i++) expect((await residentA.get(`/api/my/notices/${n.id}`)).statusCode).toBe(200);
    await Promise.all([residentA.get(`/api/my/notices/${n.id}`), residentA.get(`/api/my/notices/${n.id}`)]);
    expect((await communityA.get(`/api/my/notices/${n.id}`)).statusCode).toBe(200);
    expect((await communityA.get(`/api/notices/${n.id}`)).json().readCount).toBe(1);
    const after = (await residentA.get('/api/my/notices')).json();
    expect(after.items.find((i: { id: string }) => i.id === n.id).read).toBe(true);
    expect(after.unread).toBe(before.unread - 1);
    const listed = (await communityA.get('/api/notices?q=疫苗')).json();
    expect(listed.items).toEqual([expect.objectContaining({ id: n.id, readCount: 1 })]);
  });

  it('a timed notice waits for its time: scheduled for staff, unseen by residents', async () => {
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const n = (await publish(communityA, { title: '防汛演练预告', publishAt: at })).json();
    expect(n).toMatchObject({ status: 'scheduled' });
    expect(new Date(n.publishAt).toISOString()).toBe(at);
    expect(ids(await residentA.get('/api/my/notices'))).not.toContain(n.id);
    expect((await residentA.get(`/api/my/notices/${n.id}`)).statusCode).toBe(404);
    expect(ids(await communityA.get('/api/notices?status=scheduled'))).toEqual([n.id]);
    expect(ids(await communityA.get('/api/notices?status=published'))).not.toContain(n.id);
    // Brought forward to now: out.
    const now = (
      await communityA.patch(`/api/notices/${n.id}`, { publishAt: new Date().toISOString() })
    ).json();
    expect(now.status).toBe('published');
    expect(ids(await residentA.get('/api/my/notices'))).toContain(n.id);
  });

  it('edit, pin and withdraw: pinned first for residents; withdrawn gone for them and closed to change', async () => {
    const n = (await publish(communityA, { title: '垃圾分类宣传', kind: 'publicity' })).json();
    const edited = await communityA.patch(`/api/notices/${n.id}`, { title: '垃圾分类宣传周安排' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().title).toBe('垃圾分类宣传周安排');
    const pinned = await communityA.post(`/api/notices/${n.id}/actions/pin`, { pinned: true });
    expect(pinned.json().pinned).toBe(true);
    expect((await residentA.get('/api/my/notices')).json().items[0]).toMatchObject({
      id: n.id,
      pinned: true,
    });
    expect(ids(await communityA.get('/api/notices?kind=publicity'))).toEqual([n.id]);
    const withdrawn = await communityA.post(`/api/notices/${n.id}/actions/withdraw`, { reason: '内容有误' });
    expect(withdrawn.json()).toMatchObject({
      status: 'withdrawn',
      withdrawReason: '内容有误',
      allowedActions: [],
    });
    expect(ids(await residentA.get('/api/my/notices'))).not.toContain(n.id);
    expect((await residentA.get(`/api/my/notices/${n.id}`)).statusCode).toBe(404);
    for (const res of [
      await communityA.patch(`/api/notices/${n.id}`, { title: '再改' }),
      await communityA.post(`/api/notices/${n.id}/actions/withdraw`, {}),
      await communityA.post(`/api/notices/${n.id}/actions/pin`, { pinned: false }),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('NOTICE_WITHDRAWN');
    }
    expect(ids(await communityA.get('/api/notices?status=withdrawn'))).toEqual([n.id]);
    const actions = await ctx.deps.db
      .select({ a: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.targetId, n.id));
    expect(actions.map((r) => r.a).sort()).toEqual([
      'notice.pinned',
      'notice.published',
      'notice.updated',
      'notice.withdrawn',
    ]);
  });

  it('a resident bound to nothing picks a community; one bound by real name reads his dwelling’s', async () => {
    const n = (await publish(communityA, { title: '老旧小区改造公示', kind: 'publicity' })).json();
    expect((await unbound.get('/api/my/notices')).json()).toMatchObject({
      items: [],
      total: 0,
      community: null,
    });
    const list = (await unbound.get('/api/my/notice-communities')).json();
    expect(list.items).toHaveLength(4);
    expect(list.items[0]).toMatchObject({ id: t.communities[0]?.id, streetName: t.streets[0]?.name });
    const grid = await unbound.put('/api/my/notice-community', { communityId: t.grids[0]?.id });
    expect(grid.statusCode).toBe(400);
    expect(grid.json().errors[0]).toMatchObject({ field: 'communityId' });
    const picked = await unbound.put('/api/my/notice-community', { communityId: t.communities[0]?.id });
    expect(picked.statusCode).toBe(200);
    expect(picked.json().community).toMatchObject({ id: t.communities[0]?.id, how: 'picked' });
    expect(picked.json().items.map((i: { id: string }) => i.id)).toContain(n.id);
    // Real-name binding: the registered person's grid, in the second street's second community.
    const d = (await street.get('/api/notices')).json();
    expect(d.total).toBeGreaterThan(0);
    const mine = (await realName.get('/api/my/notices')).json();
    expect(mine.community).toEqual({ id: t.communities[3]?.id, name: t.communities[3]?.name, how: 'bound' });
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(n.id);
  });

  it('an attachment is seen by the notice’s readers and staff, not by another community’s residents', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const file = (await upload(communityA, png)).json().id as string;
    const theirs = (await upload(residentB, png)).json().id as string;
    const refused = await publish(communityA, { attachmentIds: [theirs] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'attachmentIds' });
    const n = (await publish(communityA, { title: '带附件的通知', attachmentIds: [file] })).json();
    expect(n.attachments).toEqual([{ id: file, name: '附件1.png', url: `/api/files/${file}` }]);
    expect((await residentA.get(`/api/files/${file}`)).statusCode).toBe(200);
    expect((await communityB.get(`/api/files/${file}`)).statusCode).not.toBe(200);
    expect((await residentB.get(`/api/files/${file}`)).statusCode).not.toBe(200);
  });

  it('bad input names the field, in Chinese', async () => {
    const res = await publish(communityA, { title: '  ', kind: 'memo' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'kind']));
    const date = await publish(communityA, { publishAt: '明天' });
    expect(date.json().errors[0]).toMatchObject({ field: 'publishAt', message: '发布时间格式不正确' });
    expect((await communityA.get('/api/notices/not-a-uuid')).statusCode).toBe(400);
    expect((await communityA.get('/api/notices?status=gone')).statusCode).toBe(400);
  });
});
