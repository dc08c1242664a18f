import { count, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { mobileNumber } from '../../test/personalData.js';
import { deliberationSuggestions, deliberationSupports } from './deliberationPublicTables.js';
import { deliberations } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherStreetCommunity: Session;
let street: Session;
let gridWorker: Session;
let resident: Session;
let resident2: Session;
let anonymous: (method: 'GET' | 'POST', url: string, payload?: object) => Promise<LightMyRequestResponse>;

let keyN = 0;
const key = () => `test-key-${Date.now()}-${keyN++}`;
const suggest = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/deliberation-suggestions', {
    orgUnitId: t.communities[0]?.id,
    title: '小区东门加装遮雨棚',
    body: '东门等校车的孩子和老人下雨天无处避雨，建议加装遮雨棚。',
    idempotencyKey: key(),
    ...extra,
  });
async function suggested(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await suggest(resident, extra);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const audits = async (action: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = ${action}`,
    )
  )[0]?.n ?? 0;
const firstError = (body: string) => JSON.parse(body).errors?.[0] as { field: string; message: string };

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'st', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'res', roles: ['resident'] });
  await makeUser(ctx.deps, { username: 'res2', roles: ['resident'] });
  [community, otherStreetCommunity, street, gridWorker, resident, resident2] = (await Promise.all(
    ['comm', 'comm3', 'st', 'gw', 'res', 'res2'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session, Session];
  anonymous = (method, url, payload) => ctx.app.inject({ method, url, ...(payload ? { payload } : {}) });
});
afterAll(() => ctx?.close());

describe('居民建议 and 附议', () => {
  it('a resident suggests to a community once per key; bad text is a 400 naming the field in Chinese', async () => {
    const k = key();
    const a = await suggest(resident, { idempotencyKey: k });
    const b = await suggest(resident, { idempotencyKey: k });
    expect(a.statusCode, a.body).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const control = await suggest(resident, { body: '建议加装遮雨棚\u0007\u202e，越快越好越快越好' });
    expect(control.statusCode).toBe(400);
    expect(firstError(control.body)).toMatchObject({
      field: 'body',
      message: expect.stringMatching(/控制字符/),
    });
    const long = await suggest(resident, { title: '长'.repeat(61) });
    expect(firstError(long.body).field).toBe('title');
    const grid = await suggest(resident, { orgUnitId: t.grids[0]?.id });
    expect(grid.statusCode).toBe(400);
    expect(firstError(grid.body).field).toBe('orgUnitId');
    // Staff post nothing here; a stranger is not signed in.
    expect((await suggest(community)).statusCode).toBe(403);
    expect((await anonymous('POST', '/api/deliberation-suggestions', {})).statusCode).toBe(401);
  });

  it('a burst of supports from one resident counts once; another adds one; withdrawing takes his away', async () => {
    const id = await suggested();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => resident2.post(`/api/deliberation-suggestions/${id}/support`)),
    );
    for (const r of burst) expect(r.statusCode, r.body).toBe(200);
    const [rows] = await ctx.deps.db
      .select({ n: count() })
      .from(deliberationSupports)
      .where(eq(deliberationSupports.suggestionId, id));
    expect(rows?.n).toBe(1);
    const mine = await resident.post(`/api/deliberation-suggestions/${id}/support`);
    expect(mine.json()).toEqual({ supportCount: 2, supportedByMe: true });
    const off = await Promise.all(
      [1, 2, 3].map(() => resident2.del(`/api/deliberation-suggestions/${id}/support`)),
    );
    expect(off.map((r) => r.json().supportCount)).toEqual([1, 1, 1]);
    const [row] = await ctx.deps.db
      .select({ n: deliberationSuggestions.supportCount })
      .from(deliberationSuggestions)
      .where(eq(deliberationSuggestions.id, id));
    expect(row?.n).toBe(1);
    // What a resident reads: the count and his own marks, nobody's name.
    const list = (
      await resident2.get(`/api/deliberation-suggestions?orgUnitId=${t.communities[0]?.id}`)
    ).json();
    const item = list.items.find((s: { id: string }) => s.id === id);
    expect(item).toMatchObject({ supportCount: 1, supportedByMe: false, mine: false, status: 'open' });
    expect(JSON.stringify(list)).not.toMatch(/res2|postedBy|userId/);
  });

  it('mine=posted lists a resident’s own suggestions, in whichever community, and nobody else’s', async () => {
    const here = await suggested();
    const there = await suggested({ orgUnitId: t.communities[1]?.id });
    const theirs = (await suggest(resident2)).json().id;
    const mine = (await resident.get('/api/deliberation-suggestions?mine=posted&pageSize=200')).json();
    const ids = mine.items.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([here, there]));
    expect(ids).not.toContain(theirs);
    expect(mine.items.every((s: { mine: boolean }) => s.mine)).toBe(true);
    expect((await resident.get('/api/deliberation-suggestions?mine=someone')).statusCode).toBe(400);
  });

  it('staff see their jurisdiction’s by support; the community proposes one once, and the deliberation keeps the link', async () => {
    const low = await suggested({ title: '楼道加装声控灯' });
    const high = await suggested({ title: '增设快递柜' });
    await resident.post(`/api/deliberation-suggestions/${high}/support`);
    await resident2.post(`/api/deliberation-suggestions/${high}/support`);
    const list = (await community.get('/api/deliberation-suggestions?status=open&pageSize=200')).json();
    const order = list.items.map((s: { id: string }) => s.id);
    expect(order.indexOf(high)).toBeLessThan(order.indexOf(low));
    expect((await otherStreetCommunity.get('/api/deliberation-suggestions')).json().items).toEqual([]);
    expect(
      (await otherStreetCommunity.post(`/api/deliberation-suggestions/${high}/actions/propose`, {}))
        .statusCode,
    ).toBe(404);
    expect(
      (await gridWorker.post(`/api/deliberation-suggestions/${high}/actions/propose`, {})).statusCode,
    ).toBe(403);

    const before = await audits('deliberation.suggestionProposed');
    const burst = await Promise.all(
      [1, 2, 3].map(() => community.post(`/api/deliberation-suggestions/${high}/actions/propose`, {})),
    );
    const codes = burst.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409]);
    const made = burst.find((r) => r.statusCode === 201)?.json();
    expect(await audits('deliberation.suggestionProposed')).toBe(before + 1);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(deliberations)
      .where(eq(deliberations.title, '增设快递柜'));
    expect(n?.n).toBe(1);
    const d = (await community.get(`/api/deliberations/${made.deliberationId}`)).json();
    expect(d).toMatchObject({ status: 'proposed', suggestion: { id: high, supportCount: 2 } });
    expect(d.proposal).toContain('东门等校车');
    const closed = await resident.del(`/api/deliberation-suggestions/${high}/support`);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('SUGGESTION_CLOSED');
  });
});

describe('居民群众全程监督: the public page and comments', () => {
  async function deliberation(status = 'proposed'): Promise<string> {
    const res = await community.post('/api/deliberations', {
      title: '小区加装电动车充电桩',
      proposal: '党支部建议在 3 号楼北侧空地加装 20 个充电桩。联系人电话 13904721234',
      orgUnitId: t.communities[0]?.id,
    });
    const id = res.json().id as string;
    if (status !== 'proposed')
      await ctx.deps.db
        .update(deliberations)
        .set({ status: status as 'rejected' })
        .where(eq(deliberations.id, id));
    return id;
  }

  it('shows each step with its date and the published texts, and no name, phone or meeting note', async () => {
    const id = await deliberation();
    await community.post(`/api/deliberations/${id}/actions/convene`, {
      at: '2026-04-20T19:00:00+08:00',
      attendees: 24,
      representatives: 30,
      place: '社区议事厅',
      note: '内部备注：王某某情绪激动，电话 13812345678',
    });
    const page = await anonymous('GET', `/api/public/deliberations/${id}`);
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json();
    expect(body).toMatchObject({ status: 'convened', meeting: { attendees: 24, representatives: 30 } });
    expect(body.steps.map((s: { step: string }) => s.step)).toEqual(['propose', 'convene']);
    const text = page.body;
    expect(text).not.toMatch(mobileNumber);
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('王某某');
    expect(text).not.toMatch(/"comm"|actorName|proposedBy|测试1街道/);
    const list = await anonymous('GET', '/api/public/open-deliberations?pageSize=200');
    expect(list.json().items.some((d: { id: string }) => d.id === id)).toBe(true);
    expect(list.body).not.toMatch(mobileNumber);
    // A rejected outcome is public only once published.
    const rejected = await deliberation('rejected');
    expect((await anonymous('GET', `/api/public/deliberations/${rejected}`)).statusCode).toBe(404);
  });

  it('a signed-in resident comments; control characters and over-long text are 400 naming the body; staff hide one, audited', async () => {
    const id = await deliberation();
    const posted = await resident.post(`/api/deliberations/${id}/comments`, {
      body: '支持！希望充电桩有防雨棚。',
      idempotencyKey: key(),
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const bad = await resident.post(`/api/deliberations/${id}/comments`, {
      body: '好\u0000的',
      idempotencyKey: key(),
    });
    expect(bad.statusCode).toBe(400);
    expect(firstError(bad.body)).toMatchObject({ field: 'body', message: expect.stringMatching(/控制字符/) });
    const long = await resident.post(`/api/deliberations/${id}/comments`, {
      body: '长'.repeat(501),
      idempotencyKey: key(),
    });
    expect(firstError(long.body)).toMatchObject({ field: 'body', message: '评论不能超过 500 个字' });
    expect(
      (
        await anonymous('POST', `/api/deliberations/${id}/comments`, {
          body: '匿名评论',
          idempotencyKey: key(),
        })
      ).statusCode,
    ).toBe(401);
    const abusive = await resident2.post(`/api/deliberations/${id}/comments`, {
      body: '物业都是骗子，滚出小区！',
      idempotencyKey: key(),
    });
    const commentId = abusive.json().id;
    let pub = (await anonymous('GET', `/api/public/deliberations/${id}/comments`)).json();
    expect(pub.total).toBe(2);
    expect(JSON.stringify(pub)).not.toMatch(/res2|author/);

    const hideUrl = `/api/deliberations/${id}/comments/${commentId}/actions/hide`;
    expect((await gridWorker.post(hideUrl, { reason: 'abusive' })).statusCode).toBe(403);
    expect((await otherStreetCommunity.post(hideUrl, { reason: 'abusive' })).statusCode).toBe(404);
    const noReason = await community.post(hideUrl, {});
    expect(noReason.statusCode).toBe(400);
    expect(firstError(noReason.body).field).toBe('reason');
    const before = await audits('deliberation.commentHidden');
    const hidden = await community.post(hideUrl, { reason: 'abusive', note: '人身攻击' });
    expect(hidden.json()).toMatchObject({ hidden: true, hiddenReason: 'abusive', hiddenNote: '人身攻击' });
    await community.post(hideUrl, { reason: 'abusive' });
    expect(await audits('deliberation.commentHidden')).toBe(before + 1);
    pub = (await anonymous('GET', `/api/public/deliberations/${id}/comments`)).json();
    expect(pub.items.map((c: { body: string }) => c.body)).toEqual(['支持！希望充电桩有防雨棚。']);
    const staff = (await community.get(`/api/deliberations/${id}/comments`)).json();
    expect(staff.total).toBe(2);
    // A deliberation that is not public takes no comment.
    const rejected = await deliberation('rejected');
    expect(
      (
        await resident.post(`/api/deliberations/${rejected}/comments`, {
          body: '评论一下',
          idempotencyKey: key(),
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('街道议事会', () => {
  let councilId: number;
  const members: string[] = [];
  const categories = [
    'npc',
    'npc',
    'cppcc',
    'cppcc',
    'resident',
    'resident',
    'resident',
    'resident',
    'resident',
    'unit',
    'unit',
    'unit',
    'socialOrg',
    'socialOrg',
    'other',
  ];

  it('a street sets up its council once and seats members by category, phones masked', async () => {
    const made = await street.post('/api/street-councils', {
      streetId: t.streets[0]?.id,
      name: '测试1街道议事会',
      termStart: '2026-01-01',
      termEnd: '2028-12-31',
    });
    expect(made.statusCode, made.body).toBe(201);
    councilId = made.json().id;
    const again = await street.post('/api/street-councils', {
      streetId: t.streets[0]?.id,
      name: '重复',
      termStart: '2026-01-01',
      termEnd: '2028-12-31',
    });
    expect(again.statusCode).toBe(409);
    const elsewhere = await street.post('/api/street-councils', {
      streetId: t.streets[1]?.id,
      name: '外街道',
      termStart: '2026-01-01',
      termEnd: '2028-12-31',
    });
    expect(firstError(elsewhere.body).field).toBe('streetId');
    for (const [i, category] of categories.entries()) {
      const r = await street.post(`/api/street-councils/${councilId}/members`, {
        name: `成员${i + 1}`,
        category,
        affiliation: '测试单位',
        phone: `1390472${String(1000 + i)}`,
      });
      expect(r.statusCode, r.body).toBe(201);
      members.push(r.json().id);
    }
    const bad = await street.post(`/api/street-councils/${councilId}/members`, {
      name: '某某',
      category: 'mayor',
    });
    expect(firstError(bad.body).field).toBe('category');
    const detail = await street.get(`/api/street-councils/${councilId}`);
    expect(detail.json().members).toHaveLength(15);
    expect(detail.json().byCategory).toMatchObject({
      npc: 2,
      cppcc: 2,
      resident: 5,
      unit: 3,
      socialOrg: 2,
      other: 1,
    });
    expect(detail.body).not.toMatch(mobileNumber);
    expect(detail.json().members[0].phone).toMatch(/^\*{7}\d{4}$/);
    expect((await otherStreetCommunity.get(`/api/street-councils/${councilId}`)).statusCode).toBe(404);
    expect((await gridWorker.get(`/api/street-councils/${councilId}`)).statusCode).toBe(403);
  });

  it('a street-level deliberation counts attendance member by member against the council, and its quorum', async () => {
    const res = await street.post('/api/deliberations', {
      title: '沿街商铺外摆规范',
      proposal: '沿街商铺外摆统一划线管理，早 7 点至晚 10 点允许外摆。',
      orgUnitId: t.streets[0]?.id,
    });
    const id = res.json().id as string;
    const convene = (body: Record<string, unknown>) =>
      street.post(`/api/deliberations/${id}/actions/convene`, { at: '2026-05-01T09:00:00+08:00', ...body });
    const wrongCount = await convene({
      representatives: 27,
      attendees: 9,
      attendeeMemberIds: members.slice(0, 9),
    });
    expect(firstError(wrongCount.body)).toMatchObject({ field: 'representatives' });
    expect(wrongCount.json().title).toContain('15');
    const stranger = await convene({
      representatives: 15,
      attendees: 2,
      attendeeMemberIds: [members[0], '00000000-0000-4000-8000-000000000000'],
    });
    expect(firstError(stranger.body).field).toBe('attendeeMemberIds.1');
    const mismatch = await convene({
      representatives: 15,
      attendees: 10,
      attendeeMemberIds: members.slice(0, 9),
    });
    expect(firstError(mismatch.body).field).toBe('attendees');
    // 9 of 15: short of the quorum of 10 (two thirds).
    const short = await convene({
      representatives: 15,
      attendees: 9,
      attendeeMemberIds: members.slice(0, 9),
    });
    expect(short.statusCode, short.body).toBe(200);
    const below = await street.post(`/api/deliberations/${id}/actions/vote`, {
      for: 9,
      against: 0,
      abstain: 0,
    });
    expect(below.statusCode).toBe(409);
    expect(below.json().code).toBe('DELIBERATION_BELOW_QUORUM');
    const quorate = await convene({
      representatives: 15,
      attendees: 11,
      attendeeMemberIds: members.slice(0, 11),
    });
    expect(quorate.json()).toMatchObject({ meeting: { quorum: 10, quorate: true } });
    expect(quorate.json().attendance).toHaveLength(11);
    const vote = await street.post(`/api/deliberations/${id}/actions/vote`, {
      for: 8,
      against: 2,
      abstain: 1,
    });
    expect(vote.json()).toMatchObject({ status: 'adopted', vote: { needed: 6, passed: true } });
    // The public page has the counts, not the members' names.
    const page = await anonymous('GET', `/api/public/deliberations/${id}`);
    expect(page.json()).toMatchObject({ level: 'street', meeting: { representatives: 15, attendees: 11 } });
    expect(page.body).not.toContain('成员');
    // A member who leaves is out of the quorum; his attendance stays on the record.
    expect((await street.del(`/api/street-councils/${councilId}/members/${members[14]}`)).statusCode).toBe(
      200,
    );
    expect((await street.del(`/api/street-councils/${councilId}/members/${members[14]}`)).statusCode).toBe(
      409,
    );
    const detail = (await street.get(`/api/street-councils/${councilId}`)).json();
    expect(detail.members).toHaveLength(14);
    expect(detail.members.find((m: { id: string }) => m.id === members[0]).attended).toBe(1);
  });
});
