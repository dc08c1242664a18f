import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeUser, type Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { users } from '../accounts/tables.js';
import { act, casesWorld, inGrid0, report } from '../cases/testWorld.js';
import { residentAccounts } from '../residentAuth/tables.js';
import { residents } from '../residents/tables.js';

let ctx: TestContext;
let clerk: Session;
let community: Session;
let resident: Session;
let neighbour: Session;
let png: Buffer;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];
const first17 = '15020319800412003';
const idNumber = first17 + idNumberCheckChar(first17);

function sendMaterial(s: Session, data: Buffer) {
  const boundary = `----cg${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="id.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return s.inject({
    method: 'POST',
    url: '/api/my/material-files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function photo(s: Session = resident): Promise<string> {
  const res = await sendMaterial(s, png);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const apply = (s: Session, body: Record<string, unknown>) =>
  s.post('/api/my/applications', {
    serviceCode: 'JZZM',
    orgUnitId: t.communities[0]?.id,
    form: { purpose: '子女入学' },
    idempotencyKey: randomUUID(),
    ...body,
  });

beforeAll(async () => {
  ({ ctx, community, clerk, resident, png, t } = await casesWorld());
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'neighbour', roles: ['resident'] });
  const admin = await login(ctx.app, 'admin');
  neighbour = await login(ctx.app, 'neighbour');
  for (const [code, name, category, level] of [
    ['JZZM', '居住证明', 'certificate', 'community'],
    ['LDJY', '灵活就业人员社保登记', 'street', 'street'],
  ] as const) {
    const res = await admin.post('/api/services', {
      code,
      name,
      category,
      level,
      timeLimitDays: code === 'JZZM' ? 0 : 5,
      statutoryDays: 5,
      immediate: code === 'JZZM',
      issuesCertificate: code === 'JZZM',
      certificateTemplate: code === 'JZZM' ? 'residence' : null,
      conditions: '在本社区实际居住的居民',
      legalBasis: '《居住证暂行条例》',
      materials: [
        { name: '居民身份证', form: 'originalAndCopy', copies: 1 },
        { name: '租房合同', form: 'copy', required: false },
      ],
      formFields: [
        { key: 'purpose', label: '证明用途', type: 'text', required: true },
        { key: 'since', label: '居住起始日期', type: 'date' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 240_000);
afterAll(async () => {
  await ctx?.close();
});

describe('the service guide (public)', () => {
  it('finds items by words of the name and by category, with conditions, materials, basis and time limits, without signing in', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/service-guide?q=${encodeURIComponent('居住')}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { code: string }[];
    expect(items.map((i) => i.code)).toEqual(['JZZM']);
    expect(res.json().items[0]).toMatchObject({
      name: '居住证明',
      conditions: '在本社区实际居住的居民',
      legalBasis: '《居住证暂行条例》',
      timeLimitDays: 0,
      fee: '免费',
      materials: [
        { name: '居民身份证', form: 'originalAndCopy', copies: 1, required: true, waivable: false },
        { name: '租房合同', form: 'copy', required: false },
      ],
    });
    const street = await ctx.app.inject({ method: 'GET', url: '/api/public/service-guide?category=street' });
    expect((street.json().items as { code: string }[]).map((i) => i.code)).toEqual(['LDJY']);
    const none = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/service-guide?q=${encodeURIComponent('不存在的事项')}`,
    });
    expect(none.json().items).toEqual([]);
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/public/service-guide?category=nope' });
    expect(bad.statusCode).toBe(400);
    const communities = await ctx.app.inject({ method: 'GET', url: '/api/public/communities' });
    expect(communities.statusCode).toBe(200);
    expect(communities.json().items).toContainEqual({
      id: t.communities[0]?.id,
      name: '测试1-1社区',
      streetName: '测试1街道',
    });
  });
});

describe('applying online', () => {
  it('needs the resident’s real-name binding: he applies in his own name only', async () => {
    const res = await apply(neighbour, {
      materials: [{ name: '居民身份证', fileId: await photo(neighbour) }, { name: '租房合同' }],
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('ONLINE_REAL_NAME_REQUIRED');
    const bound = await resident.post('/api/me/resident/real-name', { name: '刘淑珍', idNumber });
    expect(bound.statusCode, bound.body).toBe(200);
  });

  it('checks the form against the item’s schema and every material against its list, naming the field', async () => {
    const file = await photo();
    const materials = [{ name: '居民身份证', fileId: file }, { name: '租房合同' }];
    const noPurpose = await apply(resident, { materials, form: {} });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().errors[0]).toMatchObject({
      field: 'form.purpose',
      code: 'APPLICATION_FORM_REQUIRED',
    });
    const badDate = await apply(resident, { materials, form: { purpose: '入学', since: '2020-13-45' } });
    expect(badDate.json().errors[0]).toMatchObject({ field: 'form.since', code: 'APPLICATION_FORM_INVALID' });
    const unknownField = await apply(resident, { materials, form: { purpose: '入学', salary: 1 } });
    expect(unknownField.json().errors[0]).toMatchObject({ field: 'form.salary' });
    const noFile = await apply(resident, { materials: [{ name: '居民身份证' }, { name: '租房合同' }] });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().errors[0]).toMatchObject({
      field: 'materials.0.fileId',
      code: 'ONLINE_MATERIAL_FILE_REQUIRED',
    });
    const missingOne = await apply(resident, { materials: [{ name: '居民身份证', fileId: file }] });
    expect(missingOne.json().errors[0]).toMatchObject({
      field: 'materials',
      code: 'APPLICATION_MATERIAL_MISSING',
    });
    const unknown = await apply(resident, { materials: [...materials, { name: '结婚证' }] });
    expect(unknown.json().errors[0]).toMatchObject({ field: 'materials.2.name' });
    const othersFile = await apply(resident, {
      materials: [{ name: '居民身份证', fileId: await photo(neighbour) }, { name: '租房合同' }],
    });
    expect(othersFile.json().errors[0]).toMatchObject({ code: 'APPLICATION_FILE_UNKNOWN' });
    const noWindow = await apply(resident, { materials, orgUnitId: undefined });
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.json().errors[0]).toMatchObject({
      field: 'orgUnitId',
      code: 'ONLINE_COMMUNITY_REQUIRED',
    });
    const gridNotCommunity = await apply(resident, { materials, orgUnitId: t.grids[0]?.id });
    expect(gridNotCommunity.json().errors[0]).toMatchObject({
      field: 'orgUnitId',
      code: 'ONLINE_COMMUNITY_UNKNOWN',
    });
    const unknownItem = await apply(resident, { materials, serviceCode: 'NOPE' });
    expect(unknownItem.json().errors[0]).toMatchObject({ field: 'serviceCode' });
    expect((await resident.get('/api/my/applications')).json().total).toBe(0);
  });

  it('takes it in once per key, as channel online, waiting at the community window; the resident follows it to the certificate and rates it', async () => {
    const key = randomUUID();
    const body = {
      materials: [{ name: '居民身份证', fileId: await photo() }, { name: '租房合同' }],
      idempotencyKey: key,
    };
    const [a, b] = await Promise.all([apply(resident, body), apply(resident, body)]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const id = a.json().id as string;
    expect(a.json()).toMatchObject({ status: 'submitted', dueDate: null });
    const mine = await resident.get('/api/my/applications');
    expect(mine.json()).toMatchObject({
      total: 1,
      items: [{ id, serviceName: '居住证明', step: 'submitted' }],
    });

    // The window sees it as an online application of its community, and takes it in.
    const staffView = await clerk.get(`/api/applications/${id}`);
    expect(staffView.statusCode, staffView.body).toBe(200);
    expect(staffView.json()).toMatchObject({
      channel: 'online',
      applicantName: '刘淑珍',
      status: 'submitted',
      dueDate: null,
    });
    // 预审: the window takes it in (受理), asks for material (补正) or declines (不予受理).
    expect(staffView.json().allowedActions).toEqual(['accept', 'requireMaterial', 'decline', 'withdraw']);
    // The resident is no clerk: he cannot take his own application in.
    expect((await resident.post(`/api/applications/${id}/actions/accept`, {})).statusCode).toBe(403);
    const accepted = await clerk.post(`/api/applications/${id}/actions/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    expect(accepted.json().acceptedAt).not.toBeNull();
    expect((await clerk.post(`/api/applications/${id}/actions/accept`, {})).statusCode).toBe(409);
    expect((await resident.get(`/api/my/applications/${id}`)).json()).toMatchObject({ step: 'accepted' });
    const issued = await clerk.post(`/api/applications/${id}/actions/issue`, { note: '内部：已核对原件' });
    expect(issued.statusCode, issued.body).toBe(200);

    const detail = await resident.get(`/api/my/applications/${id}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    expect(d).toMatchObject({ step: 'done', certificate: true, canRate: true, rating: null });
    expect(d.timeline.map((x: { step: string }) => x.step)).toEqual(['submitted', 'accepted', 'done']);
    expect(JSON.stringify(d)).not.toContain('内部');
    expect(JSON.stringify(d)).not.toContain('测试clerk');

    // His notifications name the application and open it in the portal.
    const notes = await resident.get('/api/notifications');
    const about = (notes.json().items as { subjectId: string }[]).filter((n) => n.subjectId === id);
    expect(about.map((n) => (n as unknown as { title: string }).title)).toEqual([
      '您的申请已办结',
      '您的申请已受理',
    ]);
    expect(about[0]).toMatchObject({
      subjectType: 'application',
      link: `/r/applications/${id}`,
      readAt: null,
    });
    expect(JSON.stringify(about)).not.toContain('测试clerk');
    expect(notes.json().unread).toBeGreaterThanOrEqual(2);

    const pdf = await resident.get(`/api/my/applications/${id}/certificate.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.rawPayload)).toContain('刘淑珍');

    // Nobody else's: another resident gets 404 for the detail, the certificate and the rating.
    expect((await neighbour.get(`/api/my/applications/${id}`)).statusCode).toBe(404);
    expect((await neighbour.get(`/api/my/applications/${id}/certificate.pdf`)).statusCode).toBe(404);
    expect((await neighbour.post(`/api/my/applications/${id}/rating`, { level: 5 })).statusCode).toBe(404);
    expect((await neighbour.get('/api/my/applications')).json().total).toBe(0);
    // Nor a window application of staff, through the resident's routes.
    expect((await clerk.get(`/api/my/applications/${id}`)).statusCode).toBe(404);

    const rated = await resident.post(`/api/my/applications/${id}/rating`, { level: 1, comment: '很快' });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ level: 1, channel: 'online' });
    const again = await resident.post(`/api/my/applications/${id}/rating`, { level: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RATING_EXISTS');
    expect((await resident.get(`/api/my/applications/${id}`)).json()).toMatchObject({
      rating: 1,
      canRate: false,
    });
  });

  it('an application not yet ended cannot be rated; a refusal reaches him with its reason', async () => {
    const res = await apply(resident, {
      materials: [{ name: '居民身份证', fileId: await photo() }, { name: '租房合同' }],
    });
    const id = res.json().id as string;
    const early = await resident.post(`/api/my/applications/${id}/rating`, { level: 1 });
    expect(early.statusCode).toBe(409);
    expect((await clerk.post(`/api/applications/${id}/actions/accept`, {})).statusCode).toBe(200);
    const rejected = await community.post(`/api/applications/${id}/actions/reject`, {
      reason: '不在本社区居住',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const d = (await resident.get(`/api/my/applications/${id}`)).json();
    expect(d).toMatchObject({
      step: 'rejected',
      result: '不在本社区居住',
      certificate: false,
      canRate: true,
    });
    expect(d.timeline.at(-1)).toMatchObject({ step: 'rejected', note: '不在本社区居住' });
    const n = (await resident.get('/api/notifications')).json().items[0];
    expect(n).toMatchObject({ title: '您的申请未予受理', subjectId: id });
  });
});

describe('the window’s pre-check of an online application (预审)', () => {
  const fresh = async () => {
    const res = await apply(resident, {
      materials: [{ name: '居民身份证', fileId: await photo() }, { name: '租房合同' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'submitted', dueDate: null });
    return res.json().id as string;
  };

  it('补正 names every material at once, the clock waits; the material handed in starts it', async () => {
    const id = await fresh();
    const unknown = await clerk.post(`/api/applications/${id}/actions/requireMaterial`, {
      missing: ['居民身份证', '结婚证'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({
      field: 'missing.1',
      code: 'APPLICATION_MATERIAL_UNKNOWN',
    });
    const empty = await clerk.post(`/api/applications/${id}/actions/requireMaterial`, { missing: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0]).toMatchObject({ field: 'missing' });
    expect((await clerk.get(`/api/applications/${id}`)).json().status).toBe('submitted');
    const asked = await clerk.post(`/api/applications/${id}/actions/requireMaterial`, {
      missing: ['居民身份证'],
      note: '内部：照片模糊',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ status: 'incomplete', missing: ['居民身份证'], dueDate: null });
    expect(asked.json().allowedActions).toContain('supplement');
    const mine = (await resident.get(`/api/my/applications/${id}`)).json();
    expect(mine).toMatchObject({ step: 'needMaterial', missing: ['居民身份证'] });
    expect(mine.timeline.map((x: { step: string }) => x.step)).toEqual(['submitted', 'needMaterial']);
    expect(mine.timeline[1].note).toBe('居民身份证');
    expect(JSON.stringify(mine)).not.toContain('内部');
    const n = (await resident.get('/api/notifications')).json().items[0];
    expect(n).toMatchObject({ title: '您的申请需要补正材料', subjectId: id });
    const handed = await clerk.post(`/api/applications/${id}/actions/supplement`, {});
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().status).toBe('accepted');
    expect(handed.json().acceptedAt).not.toBeNull();
  });

  it('不予受理 ends it with the reason he reads; only from the pre-check, only by the window', async () => {
    const id = await fresh();
    expect((await clerk.post(`/api/applications/${id}/actions/decline`, { reason: '' })).statusCode).toBe(
      400,
    );
    expect(
      (await resident.post(`/api/applications/${id}/actions/decline`, { reason: '不在本社区居住' }))
        .statusCode,
    ).toBe(403);
    const declined = await clerk.post(`/api/applications/${id}/actions/decline`, {
      reason: '不在本社区居住',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'rejected', allowedActions: [] });
    const d = (await resident.get(`/api/my/applications/${id}`)).json();
    expect(d).toMatchObject({ step: 'rejected', result: '不在本社区居住' });
    expect(d.timeline.at(-1)).toMatchObject({ step: 'rejected', note: '不在本社区居住' });
    expect((await resident.get('/api/notifications')).json().items[0]).toMatchObject({
      title: '您的申请不予受理',
      subjectId: id,
    });
    // An application already taken in is past its pre-check.
    const other = await fresh();
    expect((await clerk.post(`/api/applications/${other}/actions/accept`, {})).statusCode).toBe(200);
    const late = await clerk.post(`/api/applications/${other}/actions/decline`, { reason: '不在本社区居住' });
    expect(late.statusCode).toBe(409);
  });

  it('the window’s list filters the applications waiting for the pre-check, and its to-do counts them', async () => {
    const id = await fresh();
    const list = await clerk.get('/api/applications?status=submitted&pageSize=100');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { id: string; status: string }[];
    expect(items.map((i) => i.id)).toContain(id);
    expect(items.every((i) => i.status === 'submitted')).toBe(true);
    const todos = (await clerk.get('/api/applications/todos')).json();
    const precheck = todos.tiles.find((x: { kind: string }) => x.kind === 'precheck');
    expect(precheck.count).toBe(items.length);
  });
});

describe('his applications taken in at a window (我的办件)', () => {
  it('appear in his list with the same plain timeline; another resident never sees them', async () => {
    const taken = await clerk.post('/api/applications', {
      serviceCode: 'JZZM',
      applicant: { idNumber, name: '刘淑珍' },
      materials: [
        { name: '居民身份证', provided: true },
        { name: '租房合同', provided: false },
      ],
      form: { purpose: '子女入学' },
      channel: 'window',
      idempotencyKey: randomUUID(),
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const id = taken.json().id as string;
    // Someone else's window application, taken in the same minute.
    const otherFirst17 = '15020319800412011';
    const elsewhere = await clerk.post('/api/applications', {
      serviceCode: 'JZZM',
      applicant: { idNumber: otherFirst17 + idNumberCheckChar(otherFirst17), name: '王建国' },
      materials: [
        { name: '居民身份证', provided: true },
        { name: '租房合同', provided: false },
      ],
      form: { purpose: '子女入学' },
      channel: 'window',
      idempotencyKey: randomUUID(),
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    expect(
      (await clerk.post(`/api/applications/${id}/actions/issue`, { note: '内部：原件已核' })).statusCode,
    ).toBe(200);

    // His binding is only a claim until a resident file holds that ID number with the phone he
    // signed in with: a squatter who typed someone's name and number sees nothing taken elsewhere.
    const mine = async () =>
      ((await resident.get('/api/my/applications?pageSize=50')).json().items as { id: string }[]).map(
        (i) => i.id,
      );
    expect(await mine()).not.toContain(id);
    expect((await resident.get(`/api/my/applications/${id}`)).statusCode).toBe(404);
    const phone = '13904721234';
    const { crypto, db } = ctx.deps;
    const [acc] = await db.select().from(users).where(eq(users.username, 'resident'));
    await db
      .update(residentAccounts)
      .set({ phoneIdx: crypto.blindIndex(phone) })
      .where(eq(residentAccounts.userId, acc?.id as string));
    const grid = t.grids[0] as { id: number; path: string };
    const fileOf = (p: string) => ({
      name: '刘淑珍',
      idNumberEnc: crypto.encrypt(idNumber),
      idNumberIdx: crypto.blindIndex(idNumber),
      idNumberTail: idNumber.slice(-4),
      phoneEnc: crypto.encrypt(p),
      phoneIdx: crypto.blindIndex(p),
      sex: 'female' as const,
      birthDate: '1980-04-12',
      birthplaceCode: '150203',
      gridId: grid.id,
      orgPath: grid.path,
    });
    // A file with another phone does not confirm him; one with his phone does.
    const [other] = await db.insert(residents).values(fileOf('13904729999')).returning({ id: residents.id });
    expect(await mine()).not.toContain(id);
    await db.delete(residents).where(eq(residents.id, other?.id as string));
    await db.insert(residents).values(fileOf(phone));

    const list = (await resident.get('/api/my/applications?pageSize=50')).json();
    const ids = (list.items as { id: string }[]).map((i) => i.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(elsewhere.json().id);
    expect(list.total).toBe(ids.length);
    const d = (await resident.get(`/api/my/applications/${id}`)).json();
    expect(d).toMatchObject({ step: 'done', serviceName: '居住证明', certificate: true, canRate: false });
    expect(d.timeline.map((x: { step: string }) => x.step)).toEqual(['accepted', 'done']);
    expect(JSON.stringify(d)).not.toContain('内部');
    expect(JSON.stringify(d)).not.toContain('测试clerk');
    const pdf = await resident.get(`/api/my/applications/${id}/certificate.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(await pdfText(pdf.rawPayload)).toContain('刘淑珍');
    // Rated at the window or on the phone, not online by him.
    expect((await resident.post(`/api/my/applications/${id}/rating`, { level: 5 })).statusCode).toBe(404);

    // Another resident: not in his list, 404 for the detail and the certificate.
    expect(
      ((await neighbour.get('/api/my/applications')).json().items as { id: string }[]).map((i) => i.id),
    ).not.toContain(id);
    expect((await neighbour.get(`/api/my/applications/${id}`)).statusCode).toBe(404);
    expect((await neighbour.get(`/api/my/applications/${id}/certificate.pdf`)).statusCode).toBe(404);
    expect((await resident.get(`/api/my/applications/${elsewhere.json().id}`)).statusCode).toBe(404);
  });
});

describe('notifications to a reporter', () => {
  it('the resident hears when his case is accepted and dispatched, with a portal link and no staff name', async () => {
    const res = await report(resident, { channel: 'resident_app', reporter: undefined, location: inGrid0 });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await act(community, id, 'accept')).statusCode).toBe(200);
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    const dispatched = await act(community, id, 'dispatch', {
      assignee: { kind: 'department', id: deptId },
      instructions: '内部：先查线路',
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const items = (await resident.get('/api/notifications')).json().items as Record<string, unknown>[];
    const about = items.filter((n) => n.subjectId === id);
    expect(about.map((n) => n.title)).toEqual(['您反映的问题已派单处理', '您反映的问题已受理']);
    expect(about[0]).toMatchObject({ subjectType: 'case', caseId: id, link: `/r/cases/${id}` });
    expect(JSON.stringify(about)).not.toMatch(/内部|测试community/);
    // Marked read one by one.
    const first = about[0] as { id: number };
    expect((await resident.post(`/api/notifications/${first.id}/read`)).statusCode).toBe(200);
    const after = (await resident.get('/api/notifications')).json().items as {
      id: number;
      readAt: string | null;
    }[];
    expect(after.find((n) => n.id === first.id)?.readAt).not.toBeNull();
    // Staff's own notifications keep opening the console page of the case.
    const staff = (await community.get('/api/notifications')).json().items as {
      link: string | null;
      caseId: string | null;
    }[];
    for (const n of staff.filter((x) => x.caseId)) expect(n.link).toBe(`/cases/${n.caseId}`);
  });

  it('a case the resident did not report tells him nothing', async () => {
    const before = (await resident.get('/api/notifications')).json().total;
    const res = await report(community);
    expect((await act(community, res.json().id, 'accept')).statusCode).toBe(200);
    expect((await resident.get('/api/notifications')).json().total).toBe(before);
  });
});
