import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';

let ctx: TestContext;
let clerk: Session;
let other: Session;
const first17 = '15020319750305002';
const idNumber = first17 + idNumberCheckChar(first17);

const intake = (provided: boolean) =>
  clerk.post('/api/applications', {
    serviceCode: 'DBSQ',
    applicant: { idNumber, name: '王桂英' },
    materials: [
      { name: '居民身份证', provided: true },
      { name: '家庭收入情况声明', provided },
      { name: '家庭经济状况核对授权书', provided },
    ],
    channel: 'window',
    idempotencyKey: randomUUID(),
  });

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  await makeUser(ctx.deps, { username: 'other', roles: ['serviceClerk'], orgUnit: t.communities[2] });
  const admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  other = await login(ctx.app, 'other');
  const res = await admin.post('/api/services', {
    code: 'DBSQ',
    name: '最低生活保障申请',
    category: 'communityProxy',
    level: 'street',
    timeLimitDays: 20,
    statutoryDays: 30,
    materials: [
      { name: '居民身份证' },
      { name: '家庭收入情况声明' },
      { name: '家庭经济状况核对授权书', form: 'copy', copies: 2 },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
}, 120_000);
afterAll(() => ctx.close());

describe('receipt and notice PDFs', () => {
  it('受理回执 names the applicant, the application number and the promised date', async () => {
    const created = (await intake(true)).json();
    const res = await clerk.get(`/api/applications/${created.id}/receipt.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('受理回执');
    expect(text).toContain('王桂英');
    expect(text).toContain(created.code);
    expect(text).toContain(created.dueDate);
    expect(text).not.toContain(idNumber);
    expect((await clerk.get(`/api/applications/${created.id}/notice.pdf`)).statusCode).toBe(409);
    expect((await other.get(`/api/applications/${created.id}/receipt.pdf`)).statusCode).toBe(404);
  });

  it('一次性告知书 lists every missing material at once', async () => {
    const created = (await intake(false)).json();
    expect(created.status).toBe('incomplete');
    const res = await clerk.get(`/api/applications/${created.id}/notice.pdf`);
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('一次性告知书');
    expect(text).toContain('家庭收入情况声明');
    expect(text).toContain('家庭经济状况核对授权书');
    expect(text).toContain('复印件 2 份');
    expect((await clerk.get(`/api/applications/${created.id}/receipt.pdf`)).statusCode).toBe(409);
  });
});
