import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { serviceItems } from './tables.js';

/* 事项清单管理 (issue 15 item 1): the admin's list, versions on every edit, retire and restore. */

let ctx: TestContext;
let admin: Session;
let clerk: Session;

const first17 = '15020319680412003';
const idNumber = first17 + idNumberCheckChar(first17);

const oldAge = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'street',
  level: 'street',
  legalBasis: '《内蒙古自治区高龄老人津贴发放办法》',
  conditions: '年满 80 周岁的本地户籍老人',
  timeLimitDays: 10,
  statutoryDays: 20,
  fee: '免费',
  materials: [
    { name: '居民身份证', form: 'originalAndCopy', copies: 1, required: true },
    { name: '户口簿', form: 'copy', copies: 2, required: true, note: '首页及本人页' },
    { name: '本人银行卡（社保卡）', form: 'copy', required: true, waivable: true },
  ],
  formFields: [
    { key: 'bank', label: '开户银行', type: 'choice', required: true, options: ['农业银行', '建设银行'] },
  ],
};
const residence = {
  code: 'JZZM',
  name: '居住证明',
  category: 'certificate',
  level: 'community',
  timeLimitDays: 0,
  statutoryDays: 1,
  issuesCertificate: true,
  certificateTemplate: 'residence',
  immediate: true,
  materials: [{ name: '居民身份证' }],
};

function intake(serviceCode: string, materials: string[], form: Record<string, string> = {}) {
  return clerk.post('/api/applications', {
    serviceCode,
    applicant: { idNumber, name: '赵桂兰' },
    materials: materials.map((name) => ({ name, provided: true })),
    form,
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
}

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  for (const item of [oldAge, residence]) {
    const res = await admin.post('/api/services', item);
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(() => ctx.close());

describe('the catalogue admin’s list', () => {
  it('searches by code or name and filters by category, paged', async () => {
    const all = (await admin.get('/api/services/catalogue')).json();
    expect(all).toMatchObject({ total: 2 });
    expect(all.items[0]).toMatchObject({
      code: 'GLJT',
      version: 1,
      retiredAt: null,
      versionBy: '测试admin',
      materials: [
        { name: '居民身份证', form: 'originalAndCopy' },
        { name: '户口簿', copies: 2, note: '首页及本人页' },
        { name: '本人银行卡（社保卡）', waivable: true },
      ],
    });
    expect(
      (await admin.get('/api/services/catalogue?q=居住')).json().items.map((i: { code: string }) => i.code),
    ).toEqual(['JZZM']);
    expect((await admin.get('/api/services/catalogue?q=gljt')).json().total).toBe(1);
    expect((await admin.get('/api/services/catalogue?category=certificate')).json().items[0].code).toBe(
      'JZZM',
    );
    const paged = (await admin.get('/api/services/catalogue?pageSize=1&page=2')).json();
    expect(paged).toMatchObject({ total: 2, items: [{ code: 'JZZM' }] });
    // A search for a LIKE wildcard finds nothing rather than everything.
    expect((await admin.get('/api/services/catalogue?q=%25')).json().total).toBe(0);
    expect((await clerk.get('/api/services/catalogue')).statusCode).toBe(403);
  });
});

describe('versions', () => {
  it('an edit is a new version; an application keeps its own, with its materials and time limit', async () => {
    const taken = await intake('GLJT', ['居民身份证', '户口簿', '本人银行卡（社保卡）'], {
      bank: '农业银行',
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const edited = await admin.patch('/api/services/GLJT', {
      timeLimitDays: 5,
      materials: [
        { name: '居民身份证', form: 'original', required: true },
        { name: '户口簿', form: 'copy', required: true },
      ],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, timeLimitDays: 5, statutoryDays: 20 });
    // The form and everything not sent is carried over to the new version.
    expect(edited.json().formFields).toEqual(oldAge.formFields);
    const detail = (await clerk.get(`/api/applications/${taken.json().id}`)).json();
    expect(detail).toMatchObject({ serviceVersion: 1, form: { bank: '农业银行' } });
    expect(detail.materials.map((m: { name: string }) => m.name)).toEqual(
      oldAge.materials.map((m) => m.name),
    );
    // The new version's rules hold for what is taken in now.
    const now = await intake('GLJT', ['居民身份证', '户口簿'], { bank: '建设银行' });
    expect(now.statusCode, now.body).toBe(201);
    expect((await clerk.get(`/api/applications/${now.json().id}`)).json().serviceVersion).toBe(2);
    const versions = (await admin.get('/api/services/GLJT/versions')).json();
    expect(
      versions.items.map((v: { version: number; timeLimitDays: number }) => [v.version, v.timeLimitDays]),
    ).toEqual([
      [2, 5],
      [1, 10],
    ]);
    const rows = await ctx.deps.db.select().from(serviceItems).where(eq(serviceItems.code, 'GLJT'));
    expect(rows.filter((r) => r.current).map((r) => r.version)).toEqual([2]);
  });

  it('retires an item (no new intake; the one under way goes on) and restores it as a new version', async () => {
    const before = await intake('JZZM', ['居民身份证']);
    expect(before.statusCode).toBe(201);
    const retired = await admin.patch('/api/services/JZZM', { retired: true });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().version).toBe(2);
    const listed = (await admin.get('/api/services/catalogue?retired=true')).json();
    expect(listed.items.map((i: { code: string; retiredAt: string }) => [i.code, !!i.retiredAt])).toEqual([
      ['JZZM', true],
    ]);
    expect((await clerk.get('/api/services')).json().items.map((i: { code: string }) => i.code)).toEqual([
      'GLJT',
    ]);
    const refused = await intake('JZZM', ['居民身份证']);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'serviceCode', code: 'SERVICE_UNKNOWN' });
    // The application taken in before is issued under its own version.
    const issued = await clerk.post(`/api/applications/${before.json().id}/actions/issue`, {});
    expect(issued.statusCode, issued.body).toBe(200);
    const restored = await admin.patch('/api/services/JZZM', { retired: false });
    expect(restored.json()).toMatchObject({ version: 3 });
    expect((await admin.get('/api/services/catalogue?retired=false')).json().total).toBe(2);
    expect((await intake('JZZM', ['居民身份证'])).statusCode).toBe(201);
  });
});

describe('validation', () => {
  const fresh = (over: Record<string, unknown>) => ({
    ...oldAge,
    code: `X${randomUUID().slice(0, 6).toUpperCase()}`,
    ...over,
  });
  const fieldOf = async (body: unknown, patch = false) => {
    const res = patch
      ? await admin.patch('/api/services/GLJT', body)
      : await admin.post('/api/services', body);
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    return res.json().errors[0];
  };

  it('names the field and says why, in Chinese; nothing is written', async () => {
    const [{ n: before } = { n: 0 }] = await ctx.deps.db.select({ n: count() }).from(serviceItems);
    expect(await fieldOf(fresh({ timeLimitDays: 30 }))).toMatchObject({
      field: 'timeLimitDays',
      code: 'SERVICE_TIME_LIMIT_OVER_STATUTORY',
      message: '承诺时限（30 个工作日）不能超过法定时限（20 个工作日）',
    });
    // Against the version it replaces: a shorter statutory limit under the promised one.
    expect(await fieldOf({ statutoryDays: 3 }, true)).toMatchObject({ field: 'timeLimitDays' });
    expect(await fieldOf(fresh({ materials: [{ name: '户口簿' }, { name: '户口簿' }] }))).toMatchObject({
      field: 'materials.1.name',
      code: 'SERVICE_MATERIAL_DUPLICATE',
    });
    expect(
      await fieldOf(
        fresh({
          formFields: [
            { key: 'bank', label: '开户银行', type: 'text' },
            { key: 'bank', label: '银行', type: 'text' },
          ],
        }),
      ),
    ).toMatchObject({ field: 'formFields.1.key', code: 'SERVICE_FORM_KEY_DUPLICATE' });
    expect(
      await fieldOf(
        fresh({ formFields: [{ key: 'kind', label: '类别', type: 'choice', options: ['一类'] }] }),
      ),
    ).toMatchObject({ field: 'formFields.0.options', message: '选择题“类别”至少要有两个选项' });
    expect(await fieldOf(fresh({ name: '证' }))).toMatchObject({
      field: 'name',
      message: '事项名称至少 2 个字',
    });
    expect(await fieldOf(fresh({ code: 'gljt 2' }))).toMatchObject({ field: 'code' });
    expect(await fieldOf(fresh({ materials: [{ name: '户口簿', copies: 0 }] }))).toMatchObject({
      field: 'materials.0.copies',
      message: '份数至少 1 份',
    });
    expect(await fieldOf(fresh({ certificateTemplate: 'forged' }))).toMatchObject({
      field: 'certificateTemplate',
    });
    expect(await fieldOf(fresh({ departmentId: 999_999 }))).toMatchObject({
      field: 'departmentId',
      code: 'SERVICE_DEPARTMENT_UNKNOWN',
    });
    const [{ n: after } = { n: 0 }] = await ctx.deps.db.select({ n: count() }).from(serviceItems);
    expect(after).toBe(before);
  });

  it('a certificate item prints the general layout unless one is chosen; others carry none', async () => {
    const plain = await admin.post('/api/services', {
      ...residence,
      code: 'ZMTY',
      certificateTemplate: undefined,
    });
    expect(plain.json().certificateTemplate).toBe('general');
    const none = await admin.post('/api/services', {
      ...oldAge,
      code: 'GLJT2',
      issuesCertificate: false,
      certificateTemplate: 'residence',
    });
    expect(none.json().certificateTemplate).toBeNull();
  });
});
