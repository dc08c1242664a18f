import { randomUUID } from 'node:crypto';
import { creditCodeCheckChar } from '@civicgrid/core';
import { count, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { upload } from '../cases/testWorld.js';
import {
  socialOrgs,
  socialProjectEvents,
  socialProjectSpendings,
  socialProjects,
} from './socialOrgTables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherStreet: Session;
let street: Session;
let district: Session;
let gridWorker: Session;

let serial = 0;
/** A valid GB 32100 code of a civil-affairs registration of kind `kind` (51, 52, 53). */
function code(kind = '52'): string {
  serial += 1;
  const body = `${kind}150203MJ${String(serial).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
}
const orgBody = (extra: Record<string, unknown> = {}) => ({
  name: `“家长里短”调解工作室${randomUUID().slice(0, 4)}`,
  type: 'privateNonEnterprise',
  creditCode: code(),
  registrationAuthority: '昆都仑区民政局',
  registeredOn: '2024-05-10',
  orgUnitId: t.communities[0]?.id,
  fields: ['mediation', 'governance'],
  services: '邻里纠纷调解、法律咨询、心理疏导',
  legalRepresentative: '王秀兰',
  contactName: '李明',
  contactPhone: '13904721234',
  staffCount: 3,
  volunteerCount: 25,
  ...extra,
});
async function registered(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await community.post('/api/social-orgs', orgBody(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const projectBody = (orgId: string, extra: Record<string, unknown> = {}) => ({
  socialOrgId: orgId,
  title: '邻里守望·矛盾调解进小区',
  orgUnitId: t.communities[0]?.id,
  amountFen: 5_000_000,
  startsOn: '2026-03-01',
  endsOn: '2026-11-30',
  milestones: [
    { title: '组建调解志愿者队伍', dueOn: '2026-04-30' },
    { title: '开展调解培训 4 场', dueOn: '2026-07-31' },
  ],
  idempotencyKey: randomUUID(),
  ...extra,
});
async function applied(orgId: string): Promise<string> {
  const res = await community.post('/api/social-projects', projectBody(orgId));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const act = (s: Session, id: string, action: string, body: unknown = {}) =>
  s.post(`/api/social-projects/${id}/actions/${action}`, body);
async function ok(res: Promise<{ statusCode: number; body: string; json: () => unknown }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    status: string;
    allowedActions: string[];
    mayRecord: boolean;
    spentFen: number;
    budgetFen: number | null;
    milestoneList: { id: number; doneOn: string | null; fileIds: string[] }[];
    events: { action: string }[];
  };
}
async function underWay(): Promise<{ id: string; milestones: number[] }> {
  const id = await applied(await registered());
  await ok(act(street, id, 'approve', { budgetFen: 4_000_000 }));
  const d = await ok(act(community, id, 'start'));
  return { id, milestones: d.milestoneList.map((m) => m.id) };
}
let png: Buffer;
async function photo(s: Session): Promise<string> {
  const res = await upload(s, png);
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
const orgCount = async () => Number((await ctx.deps.db.select({ n: count() }).from(socialOrgs))[0]?.n);

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#396' } })
    .png()
    .toBuffer();
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: t.communities[0] });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: t.communities[2] });
  await makeUser(ctx.deps, { username: 'st', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'gw', roles: ['gridWorker'], orgUnit: t.grids[0] });
  [community, otherStreet, street, district, gridWorker] = (await Promise.all(
    ['comm', 'comm3', 'st', 'dist', 'gw'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(() => ctx?.close());

describe('the registry', () => {
  it('registers an organization with its contact phone encrypted and shown masked; the whole number only to pii:reveal, audited', async () => {
    const res = await community.post('/api/social-orgs', orgBody());
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({
      contactPhone: '139****1234',
      orgUnitName: '测试1-1社区',
      incubationStage: null,
    });
    const [row] = await ctx.deps.db.select().from(socialOrgs).where(eq(socialOrgs.id, org.id));
    expect(row?.contactPhoneEnc).not.toContain('13904721234');
    expect(JSON.stringify(row)).not.toContain('13904721234');

    expect((await community.post(`/api/social-orgs/${org.id}/reveal`)).statusCode).toBe(403);
    const before = await audits('pii.revealed');
    const shown = await district.post(`/api/social-orgs/${org.id}/reveal`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({ contactPhone: '13904721234' });
    expect(await audits('pii.revealed')).toBe(before + 1);
    expect(await audits('socialOrg.registered')).toBeGreaterThan(0);
  });

  it('checks the GB 32100 check character and the kind the code was registered as, naming creditCode in Chinese; nothing is written', async () => {
    const before = await orgCount();
    const good = code('52');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    for (const [body, rule] of [
      [orgBody({ creditCode: wrongCheck }), 'checkDigit'],
      [orgBody({ creditCode: code('51') }), 'registrationKind'],
      [orgBody({ creditCode: undefined }), 'required'],
      [orgBody({ creditCode: 'ABC' }), 'too_small'],
    ] as const) {
      const res = await community.post('/api/social-orgs', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const err = res.json().errors[0];
      expect(err.field).toBe('creditCode');
      expect(err.rule).toBe(rule);
      expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await orgCount()).toBe(before);
    // A community group filed (备案) with the street has no code.
    const filed = await community.post(
      '/api/social-orgs',
      orgBody({ type: 'communityBased', creditCode: undefined, registrationAuthority: '测试1街道办事处' }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().creditCode).toBeNull();
  });

  it('refuses bad input naming the field, and an area outside the jurisdiction', async () => {
    const phone = await community.post('/api/social-orgs', orgBody({ contactPhone: '12345' }));
    expect(phone.statusCode).toBe(400);
    expect(phone.json().errors[0]).toMatchObject({ field: 'contactPhone', message: '请输入 11 位手机号' });
    const away = await community.post('/api/social-orgs', orgBody({ orgUnitId: t.communities[2]?.id }));
    expect(away.statusCode).toBe(400);
    expect(away.json().errors[0]).toMatchObject({ field: 'orgUnitId', code: 'SOCIAL_ORG_UNIT' });
  });

  it('registers a burst of the same organization once (the others 409)', async () => {
    const body = orgBody();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => community.post('/api/social-orgs', body)),
    );
    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(socialOrgs)
      .where(eq(socialOrgs.creditCode, body.creditCode));
    expect(n?.n).toBe(1);
  });

  it('is read in its jurisdiction only: another street finds nothing (404), a role without it is refused (403), a read-only role may not write (403)', async () => {
    const id = await registered();
    expect((await street.get(`/api/social-orgs/${id}`)).statusCode).toBe(200);
    expect((await district.get(`/api/social-orgs/${id}`)).statusCode).toBe(200);
    expect((await otherStreet.get(`/api/social-orgs/${id}`)).statusCode).toBe(404);
    expect(
      (
        await otherStreet.post(`/api/social-orgs/${id}/incubations`, {
          stage: 'incubating',
          on: '2025-01-01',
        })
      ).statusCode,
    ).toBe(404);
    expect((await gridWorker.get(`/api/social-orgs/${id}`)).statusCode).toBe(403);
    expect((await district.post('/api/social-orgs', orgBody())).statusCode).toBe(403);
    const list = await otherStreet.get('/api/social-orgs?pageSize=200');
    expect(list.json().items.map((o: { id: string }) => o.id)).not.toContain(id);
  });

  it('searches and filters the list, and exports it with phones masked', async () => {
    const id = await registered({
      name: '阳光助老服务中心',
      fields: ['elderly'],
      services: '助餐、陪诊、上门探访',
    });
    const byName = await community.get(`/api/social-orgs?q=${encodeURIComponent('阳光助老')}`);
    expect(byName.json().items.map((o: { id: string }) => o.id)).toEqual([id]);
    const byField = await community.get('/api/social-orgs?field=elderly&pageSize=200');
    expect(byField.json().items.every((o: { fields: string[] }) => o.fields.includes('elderly'))).toBe(true);
    const xlsx = await community.get('/api/social-orgs/export.xlsx?field=elderly');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('社会组织名录');
    const row = ((sheet?.getRow(2).values ?? []) as unknown[]).slice(1);
    expect(row[0]).toBe('阳光助老服务中心');
    expect(row[10]).toBe('139****1234');
    expect(await audits('socialOrg.exported')).toBe(1);
  });
});

describe('editing the registry', () => {
  it('changes services and people (the new phone encrypted, masked), audited by field names; an empty change, another street or a read-only role is refused', async () => {
    const id = await registered();
    const before = await audits('socialOrg.updated');
    const res = await community.patch(`/api/social-orgs/${id}`, {
      services: '邻里纠纷调解、婚姻家庭调解',
      volunteerCount: 40,
      contactPhone: '13804725566',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      services: '邻里纠纷调解、婚姻家庭调解',
      volunteerCount: 40,
      contactPhone: '138****5566',
    });
    expect(await audits('socialOrg.updated')).toBe(before + 1);
    const [row] = await ctx.deps.db.select().from(socialOrgs).where(eq(socialOrgs.id, id));
    expect(ctx.deps.crypto.decrypt(row?.contactPhoneEnc as string)).toBe('13804725566');
    const empty = await community.patch(`/api/social-orgs/${id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].message).toBe('请至少修改一项内容');
    const bad = await community.patch(`/api/social-orgs/${id}`, { staffCount: -1 });
    expect(bad.json().errors[0]).toMatchObject({ field: 'staffCount', message: '专职人数不能为负数' });
    expect((await otherStreet.patch(`/api/social-orgs/${id}`, { staffCount: 1 })).statusCode).toBe(404);
    expect((await district.patch(`/api/social-orgs/${id}`, { staffCount: 1 })).statusCode).toBe(403);
    expect(await audits('socialOrg.updated')).toBe(before + 1);
  });
});

describe('incubation', () => {
  it('moves forward only (入驻孵化 → 培育中 → 出壳), each stage once, on the history', async () => {
    const id = await registered();
    const path = `/api/social-orgs/${id}/incubations`;
    expect((await community.post(path, { stage: 'nurturing', on: '2025-01-01' })).statusCode).toBe(409);
    const burst = await Promise.all(
      Array.from({ length: 4 }, () =>
        community.post(path, { stage: 'incubating', on: '2025-01-01', base: '黄河西路社会组织孵化中心' }),
      ),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const back = await community.post(path, { stage: 'nurturing', on: '2024-06-01' });
    expect(back.statusCode).toBe(409);
    const d = await community.post(path, { stage: 'nurturing', on: '2025-06-01' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ incubationStage: 'nurturing', incubationSince: '2025-06-01' });
    expect(d.json().incubations.map((i: { stage: string }) => i.stage)).toEqual(['incubating', 'nurturing']);
    expect((await community.post(path, { stage: 'incubating', on: '2025-07-01' })).statusCode).toBe(409);
    expect((await community.post(path, { stage: 'graduated', on: '2025-12-01' })).statusCode).toBe(200);
    const filtered = await community.get('/api/social-orgs?incubation=graduated');
    expect(filtered.json().items.map((o: { id: string }) => o.id)).toContain(id);
  });
});

describe('公益创投 projects', () => {
  it('run 申报 → 立项 → 实施 → 结项 with milestones done on evidence and spending within the budget, on the trail and audited', async () => {
    const orgId = await registered();
    const id = await applied(orgId);
    let d = await ok(community.get(`/api/social-projects/${id}`));
    expect(d).toMatchObject({ status: 'applied', budgetFen: null, mayRecord: false });
    expect(d.allowedActions).toEqual([]);
    // 立项 is the buyer's (the street): the community may not.
    expect((await act(community, id, 'approve')).statusCode).toBe(403);
    expect((await street.get(`/api/social-projects/${id}`)).json().allowedActions).toEqual([
      'approve',
      'terminate',
    ]);
    const over = await act(street, id, 'approve', { budgetFen: 6_000_000 });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toMatchObject({
      field: 'budgetFen',
      message: '立项金额不能超过申报金额（50000.00 元）',
    });
    d = await ok(act(street, id, 'approve', { budgetFen: 4_000_000, note: '核减宣传费' }));
    expect(d).toMatchObject({ status: 'approved', budgetFen: 4_000_000 });
    d = await ok(act(community, id, 'start'));
    expect(d).toMatchObject({ status: 'inProgress', mayRecord: true });

    const [m1, m2] = d.milestoneList.map((m) => m.id) as [number, number];
    const done = (s: Session, m: number, body: Record<string, unknown>) =>
      s.post(`/api/social-projects/${id}/milestones/${m}/done`, body);
    const noFile = await done(community, m1, { doneOn: '2026-04-20', fileIds: [] });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().errors[0]).toMatchObject({ field: 'fileIds', message: '请上传至少一份佐证材料' });
    const foreign = await done(community, m1, { doneOn: '2026-04-20', fileIds: [await photo(street)] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0]).toMatchObject({ field: 'fileIds', code: 'SOCIAL_PROJECT_FILE_UNKNOWN' });
    const evidence = await photo(community);
    const burst = await Promise.all(
      Array.from({ length: 4 }, () => done(community, m1, { doneOn: '2026-04-20', fileIds: [evidence] })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    // The evidence is seen by whoever sees the project, and by nobody else.
    expect((await street.get(`/api/files/${evidence}`)).statusCode).toBe(200);
    expect((await otherStreet.get(`/api/files/${evidence}`)).statusCode).toBe(404);

    // Spending: the same key twice is one spending; past the budget is refused naming amountFen.
    const key = randomUUID();
    const spend = {
      item: '调解员培训讲课费',
      amountFen: 1_200_000,
      spentOn: '2026-05-10',
      idempotencyKey: key,
    };
    const twice = await Promise.all(
      [1, 2, 3].map(() => community.post(`/api/social-projects/${id}/spendings`, spend)),
    );
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(socialProjectSpendings)
      .where(eq(socialProjectSpendings.projectId, id));
    expect(n?.n).toBe(1);
    const tooMuch = await community.post(`/api/social-projects/${id}/spendings`, {
      ...spend,
      amountFen: 2_800_001,
      idempotencyKey: randomUUID(),
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0]).toMatchObject({
      field: 'amountFen',
      message: '支出超出预算，剩余可用 28000.00 元',
    });
    expect((await ok(community.get(`/api/social-projects/${id}`))).spentFen).toBe(1_200_000);

    // 结项 needs every milestone done.
    const early = await act(street, id, 'complete', { note: '验收合格' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SOCIAL_PROJECT_MILESTONES_OPEN');
    await ok(
      done(community, m2, {
        doneOn: '2026-07-20',
        fileIds: [await photo(community)],
        note: '培训 4 场共 86 人次',
      }),
    );
    d = await ok(act(street, id, 'complete', { note: '验收合格' }));
    expect(d.status).toBe('completed');
    expect(d.events.map((e) => e.action)).toEqual(['apply', 'approve', 'start', 'complete']);
    expect((await act(street, id, 'terminate', { note: '已结项' })).statusCode).toBe(409);
    expect(
      (
        await community.post(`/api/social-projects/${id}/spendings`, {
          ...spend,
          idempotencyKey: randomUUID(),
        })
      ).statusCode,
    ).toBe(409);
    expect(await audits('socialProject.action')).toBeGreaterThanOrEqual(3);
    expect(await audits('socialProject.milestoneDone')).toBe(2);
  });

  it('is terminated with a reason; a wrong state is 409 and leaves nothing half-written', async () => {
    const { id } = await underWay();
    const noReason = await act(street, id, 'terminate', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('note');
    const burst = await Promise.all(
      [1, 2, 3].map(() => act(street, id, 'terminate', { note: '机构负责人变更，无法继续实施' })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const events = await ctx.deps.db
      .select({ n: count() })
      .from(socialProjectEvents)
      .where(eq(socialProjectEvents.projectId, id));
    expect(events[0]?.n).toBe(4);
    expect((await act(community, id, 'start')).statusCode).toBe(409);
  });

  it('refuses an application with milestones outside the period, an unseen organization or buyer, naming the field', async () => {
    const orgId = await registered();
    const late = await community.post(
      '/api/social-projects',
      projectBody(orgId, { milestones: [{ title: '总结评估', dueOn: '2026-12-31' }] }),
    );
    expect(late.statusCode).toBe(400);
    expect(late.json().errors[0]).toMatchObject({
      field: 'milestones.0.dueOn',
      code: 'SOCIAL_PROJECT_MILESTONE_DUE',
    });
    const back = await community.post('/api/social-projects', projectBody(orgId, { endsOn: '2026-01-01' }));
    expect(back.json().errors[0].field).toBe('endsOn');
    const notFen = await community.post('/api/social-projects', projectBody(orgId, { amountFen: 12.5 }));
    expect(notFen.json().errors[0].field).toBe('amountFen');
    const unseen = await otherStreet.post(
      '/api/social-projects',
      projectBody(orgId, { orgUnitId: t.communities[2]?.id }),
    );
    expect(unseen.statusCode).toBe(400);
    expect(unseen.json().errors[0].field).toBe('socialOrgId');
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(socialProjects)
      .where(eq(socialProjects.socialOrgId, orgId));
    expect(n?.n).toBe(0);
    // The same key again is the same project.
    const body = projectBody(orgId);
    const a = await community.post('/api/social-projects', body);
    const b = await community.post('/api/social-projects', body);
    expect(b.json().id).toBe(a.json().id);
  });

  it('is out of sight to another street (404) and read-only to the district (403)', async () => {
    const { id, milestones } = await underWay();
    expect((await otherStreet.get(`/api/social-projects/${id}`)).statusCode).toBe(404);
    expect((await act(otherStreet, id, 'start')).statusCode).toBe(404);
    expect(
      (
        await otherStreet.post(`/api/social-projects/${id}/spendings`, {
          item: '物料',
          amountFen: 100,
          spentOn: '2026-05-01',
          idempotencyKey: randomUUID(),
        })
      ).statusCode,
    ).toBe(404);
    expect((await district.get(`/api/social-projects/${id}`)).statusCode).toBe(200);
    expect((await act(district, id, 'complete', { note: '验收' })).statusCode).toBe(403);
    expect(
      (
        await district.post(`/api/social-projects/${id}/milestones/${milestones[0]}/done`, {
          doneOn: '2026-04-01',
          fileIds: [randomUUID()],
        })
      ).statusCode,
    ).toBe(403);
    const list = await otherStreet.get('/api/social-projects?pageSize=200');
    expect(list.json().items.map((p: { id: string }) => p.id)).not.toContain(id);
    const mine = await street.get(`/api/social-projects?status=inProgress&pageSize=200`);
    expect(mine.json().items.map((p: { id: string }) => p.id)).toContain(id);
  });
});
