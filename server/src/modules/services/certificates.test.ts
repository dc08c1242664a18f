import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { certificateCode, maskName, numberOfCode } from './certificates.js';

let ctx: TestContext;
let admin: Session;
let clerk: Session;
let community: Session;
let other: Session;
const first17 = '15020319750305002';
const idNumber = first17 + idNumberCheckChar(first17);

const publicCheck = (code: string) =>
  ctx.app.inject({ method: 'GET', url: `/api/public/certificates/${encodeURIComponent(code)}` });

/** A 居住证明 taken in and issued at the window, on the spot. */
async function issued(serviceCode = 'JZZM'): Promise<string> {
  const res = await clerk.post('/api/applications', {
    serviceCode,
    applicant: { idNumber, name: '王桂英' },
    materials: [{ name: '居民身份证', provided: true }],
    form: { purpose: '子女入学' },
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id;
  const done = await clerk.post(`/api/applications/${id}/actions/issue`, {});
  expect(done.statusCode, done.body).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'other', roles: ['communityWorkstation'], orgUnit: t.communities[2] });
  admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  community = await login(ctx.app, 'community');
  other = await login(ctx.app, 'other');
  for (const [code, name, issuesCertificate] of [
    ['JZZM', '居住证明', true],
    ['LDRK', '流动人口登记', false],
  ] as const) {
    const res = await admin.post('/api/services', {
      code,
      name,
      category: issuesCertificate ? 'certificate' : 'communityDirect',
      level: 'community',
      timeLimitDays: 0,
      statutoryDays: 1,
      immediate: true,
      issuesCertificate,
      materials: [{ name: '居民身份证' }],
      formFields: [{ key: 'purpose', label: '证明用途', type: 'text', required: true }],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(() => ctx.close());

describe('certificates', () => {
  it('issuing an item that ends in a certificate numbers one; the PDF names the holder and the code', async () => {
    const id = await issued();
    const info = await clerk.get(`/api/applications/${id}/certificate`);
    expect(info.statusCode, info.body).toBe(200);
    const c = info.json();
    expect(c.number).toMatch(/^ZM\d{14}$/);
    expect(c.code).toBe(certificateCode(ctx.deps.config, c.number));
    expect(c.verifyPath).toBe(`/r/verify/${c.code}`);
    expect(c.revokedAt).toBeNull();

    const res = await clerk.get(`/api/applications/${id}/certificate.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('居住证明');
    expect(text).toContain('王桂英');
    expect(text).toContain(c.number);
    expect(text).toContain(c.code);
    expect(text).toContain('子女入学');
    expect(text).toContain('本证明为电子文书');
    expect(text).not.toContain(idNumber);
    // Another community's back office does not see it at all.
    expect((await other.get(`/api/applications/${id}/certificate.pdf`)).statusCode).toBe(404);
  });

  it('an item without a certificate has none', async () => {
    const id = await issued('LDRK');
    const res = await clerk.get(`/api/applications/${id}/certificate.pdf`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CERTIFICATE_NONE');
  });

  it('the public check shows the item, issuer, date and the masked holder only', async () => {
    const id = await issued();
    const { code } = (await clerk.get(`/api/applications/${id}/certificate`)).json();
    const res = await publicCheck(code);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ valid: true, service: '居住证明', holder: '王**', revokedAt: null });
    expect(body.issuer).toBeTruthy();
    expect(body.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(body)).not.toContain('王桂英');
  });

  it('a forged or edited code is rejected by its signature, without reading a row', async () => {
    const id = await issued();
    const { code, number } = (await clerk.get(`/api/applications/${id}/certificate`)).json();
    const sig = code.slice(number.length + 1);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1);
    const editedNumber = `${flip(number, number.length - 1)}-${sig}`;
    const editedSignature = `${number}-${flip(sig, 3)}`;
    const forged = `ZM20260101000001-${'a'.repeat(20)}`;
    for (const bad of [editedNumber, editedSignature, forged, 'not-a-code', `${code}0`]) {
      expect(numberOfCode(ctx.deps.config, bad)).toBeNull();
      const res = await publicCheck(bad);
      expect(res.statusCode, bad).toBe(200);
      expect(res.json()).toEqual({ valid: false });
    }
    // A code signed with another key (another server's) does not hold here either.
    const elsewhere = certificateCode({ indexKey: Buffer.alloc(32, 7) }, number);
    expect((await publicCheck(elsewhere)).json()).toEqual({ valid: false });
  });

  it('revoked with a reason (audited, in the trail): the check then says invalid with the date', async () => {
    const id = await issued();
    const c = (await clerk.get(`/api/applications/${id}/certificate`)).json();
    // The window cannot revoke; another community's back office does not see it.
    expect((await clerk.post(`/api/certificates/${c.id}/revoke`, { reason: '信息有误' })).statusCode).toBe(
      403,
    );
    expect((await other.post(`/api/certificates/${c.id}/revoke`, { reason: '信息有误' })).statusCode).toBe(
      404,
    );
    const bad = await community.post(`/api/certificates/${c.id}/revoke`, { reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('reason');

    const res = await community.post(`/api/certificates/${c.id}/revoke`, {
      reason: '申请人提供的居住信息有误',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ revokedReason: '申请人提供的居住信息有误' });
    expect(res.json().revokedAt).toBeTruthy();
    const check = (await publicCheck(c.code)).json();
    expect(check.valid).toBe(false);
    expect(check.revokedAt).toBe(res.json().revokedAt);

    const again = await community.post(`/api/certificates/${c.id}/revoke`, { reason: '再次作废' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ field: 'id', code: 'CERTIFICATE_REVOKED_ALREADY' });

    const audit = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.targetId, c.id));
    expect(audit.map((a) => a.action)).toEqual(['certificate.revoked']);
    const detail = (await community.get(`/api/applications/${id}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toContain('revokeCertificate');
    expect(pdfText((await clerk.get(`/api/applications/${id}/certificate.pdf`)).rawPayload)).toContain(
      '作废',
    );
  });

  it('masks names keeping the family name', () => {
    expect(maskName('王桂英')).toBe('王**');
    expect(maskName('李')).toBe('*');
  });
});
