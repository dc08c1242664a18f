import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { count, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { residents } from '../residents/tables.js';
import { applications, materialFiles } from './tables.js';

/*
 * The window (issue 15 item 2): a scan per material (PDF or image, told by its bytes), a
 * newcomer registered on the spot through the residents and places services, and the staff's
 * phone follow-up rating (item 6).
 */

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let clerk: Session;
let otherClerk: Session;
let community: Session;
let dwelling: number;
let foreignDwelling: number;

const idOf = (seq: number) => {
  const first17 = `15020319900215${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};
const wrongDigit = (id: string) => `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
let png: Buffer;

function send(s: Session, data: Buffer, filename: string, type: string) {
  const boundary = `----cg${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return s.inject({
    method: 'POST',
    url: '/api/material-files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function building(s: Session, gridIndex: number, name: string) {
  const g = t.grids[gridIndex];
  const lng =
    109.8 + (gridIndex < 4 ? 0.04 : 0.08) + (gridIndex % 4 < 2 ? 0.02 : 0.04) + ((gridIndex % 2) + 1) * 0.01;
  const b = await s.post('/api/buildings', {
    name,
    address: `包头市昆都仑区钢铁大街${gridIndex + 1}号${name}`,
    floors: 6,
    gridId: g?.id,
    lng,
    lat: 40.6,
  });
  expect(b.statusCode, b.body).toBe(201);
  const u = await s.post(`/api/buildings/${b.json().id}/units`, { unitNo: 1, floor: 3, room: '2' });
  expect(u.statusCode, u.body).toBe(201);
  return u.json().id as number;
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'otherClerk', roles: ['serviceClerk'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'community', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'other', roles: ['communityWorkstation'], orgUnit: c3 });
  const admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  otherClerk = await login(ctx.app, 'otherClerk');
  community = await login(ctx.app, 'community');
  const other = await login(ctx.app, 'other');
  dwelling = await building(community, 0, '3号楼');
  foreignDwelling = await building(other, 4, '9号楼');
  png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  const item = await admin.post('/api/services', {
    code: 'LDRK',
    name: '流动人口登记',
    category: 'communityDirect',
    level: 'community',
    timeLimitDays: 0,
    statutoryDays: 1,
    immediate: true,
    materials: [
      { name: '居民身份证', required: true },
      { name: '租赁合同', form: 'copy', required: true },
    ],
  });
  expect(item.statusCode, item.body).toBe(201);
}, 120_000);
afterAll(() => ctx.close());

describe('material scans', () => {
  it('takes a PDF or an image by its bytes, and refuses anything else naming the file', async () => {
    const asPdf = await send(clerk, pdf, 'scan.pdf', 'application/pdf');
    expect(asPdf.statusCode, asPdf.body).toBe(201);
    expect(asPdf.json()).toMatchObject({ mime: 'application/pdf', size: pdf.length });
    // A photo sent under a PDF's name and type is still a PNG.
    const photo = await send(clerk, png, 'contract.pdf', 'application/pdf');
    expect(photo.statusCode, photo.body).toBe(201);
    expect(photo.json().mime).toBe('image/png');
    const before = await ctx.deps.db.select({ n: count() }).from(materialFiles);
    for (const [data, name, type] of [
      [Buffer.from('MZ\x90\x00 an executable'), 'scan.pdf', 'application/pdf'],
      [Buffer.from('<html><script>alert(1)</script>'), 'photo.png', 'image/png'],
      // A PNG signature on bytes that do not decode is no image.
      [Buffer.concat([png.subarray(0, 16), Buffer.alloc(64)]), 'photo.png', 'image/png'],
    ] as const) {
      const res = await send(clerk, data, name, type);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json()).toMatchObject({ code: 'MATERIAL_FILE_TYPE' });
      expect(res.json().errors[0]).toMatchObject({ field: 'file', rule: 'type' });
    }
    const after = await ctx.deps.db.select({ n: count() }).from(materialFiles);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('links scans to the materials they show; another clerk cannot link or read them', async () => {
    const scan = (await send(clerk, pdf, 'id.pdf', 'application/pdf')).json();
    const photo = (await send(clerk, png, 'contract.png', 'image/png')).json();
    const body = (key: string) => ({
      serviceCode: 'LDRK',
      applicant: { idNumber: idOf(1), name: '马晓东' },
      materials: [
        { name: '居民身份证', provided: true, fileId: scan.id },
        { name: '租赁合同', provided: true, fileId: photo.id },
      ],
      channel: 'window',
      idempotencyKey: key,
    });
    const stolen = await otherClerk.post('/api/applications', body(randomUUID()));
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().errors[0]).toMatchObject({ field: 'materials', code: 'APPLICATION_FILE_UNKNOWN' });
    expect((await otherClerk.get(scan.url)).statusCode).toBe(404);
    const res = await clerk.post('/api/applications', body(randomUUID()));
    expect(res.statusCode, res.body).toBe(201);
    const detail = (await community.get(`/api/applications/${res.json().id}`)).json();
    expect(detail.materials.map((m: { fileId: string }) => m.fileId)).toEqual([scan.id, photo.id]);
    // The back office of the area reads the scan through the application it belongs to.
    const read = await community.get(scan.url);
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toContain('application/pdf');
    expect(read.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('a newcomer registered at the window', () => {
  it('finds the dwellings of the clerk’s area only', async () => {
    const mine = (await clerk.get('/api/service-window/dwellings?q=钢铁大街')).json();
    expect(mine.items.map((d: { housingUnitId: number }) => d.housingUnitId)).toEqual([dwelling]);
    expect(mine.items[0]).toMatchObject({ householdId: null, members: 0, hasHead: false });
    expect(mine.items[0].address).toContain('3号楼');
    const theirs = (await otherClerk.get('/api/service-window/dwellings')).json();
    expect(theirs.items.map((d: { housingUnitId: number }) => d.housingUnitId)).toEqual([foreignDwelling]);
  });

  it('registers the person into the dwelling’s household, then the intake finds the file', async () => {
    const res = await clerk.post('/api/service-window/residents', {
      name: '马晓东',
      idNumber: idOf(2),
      phone: '13847201234',
      housingUnitId: dwelling,
      relationToHead: '户主',
      residenceType: 'migrant',
    });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json();
    expect(made).toMatchObject({ name: '马晓东', phone: '138****1234' });
    expect(made.idNumber).not.toContain('19900215');
    expect(made.address).toContain('3号楼');
    const [row] = await ctx.deps.db.select().from(residents).where(eq(residents.id, made.id));
    expect(row).toMatchObject({
      gridId: t.grids[0]?.id,
      householdId: made.householdId,
      relationToHead: '户主',
      residenceType: 'migrant',
    });
    // The community's resident file has the person, with the household.
    const profile = await community.get(`/api/residents/${made.id}`);
    expect(profile.statusCode, profile.body).toBe(200);
    const now = (await clerk.get('/api/service-window/dwellings?q=钢铁大街')).json().items[0];
    expect(now).toMatchObject({ householdId: made.householdId, members: 1, hasHead: true });
    // …and the intake goes on: the application is linked to the resident file.
    const intake = await clerk.post('/api/applications', {
      serviceCode: 'LDRK',
      applicant: { idNumber: idOf(2), name: '马晓东' },
      materials: [
        { name: '居民身份证', provided: true },
        { name: '租赁合同', provided: true },
      ],
      channel: 'window',
      idempotencyKey: randomUUID(),
    });
    expect(intake.statusCode, intake.body).toBe(201);
    const [app] = await ctx.deps.db
      .select({ residentId: applications.residentId })
      .from(applications)
      .where(eq(applications.id, intake.json().id));
    expect(app?.residentId).toBe(made.id);
  });

  it('refuses half-done registrations: nobody is written when a step fails', async () => {
    const people = async () => (await ctx.deps.db.select({ n: count() }).from(residents))[0]?.n;
    const audits = async () => (await ctx.deps.db.select({ n: count() }).from(auditLog))[0]?.n;
    const [p0, a0] = [await people(), await audits()];
    const person = { name: '刘芳', phone: '13947201234', relationToHead: '配偶' };
    const cases = [
      // A second head for a household that has one: the person must not stay registered.
      [
        { ...person, idNumber: idOf(3), housingUnitId: dwelling, relationToHead: '户主' },
        'relationToHead',
        400,
      ],
      // Someone already on file is not registered twice.
      [{ ...person, idNumber: idOf(2), housingUnitId: dwelling }, 'idNumber', 400],
      // A dwelling outside the clerk's area.
      [{ ...person, idNumber: idOf(4), housingUnitId: foreignDwelling }, 'housingUnitId', 400],
      // A wrong check digit.
      [{ ...person, idNumber: wrongDigit(idOf(5)), housingUnitId: dwelling }, 'idNumber', 400],
    ] as const;
    for (const [body, field, status] of cases) {
      const res = await clerk.post('/api/service-window/residents', body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(status);
      expect(res.json().errors[0].field).toBe(field);
    }
    expect(await people()).toBe(p0);
    expect(await audits()).toBe(a0);
  });

  it('is for those who take matters in: a role without intake is refused', async () => {
    const res = await community.post('/api/service-window/residents', {
      name: '刘芳',
      idNumber: idOf(6),
      housingUnitId: dwelling,
      relationToHead: '配偶',
    });
    // The community workstation takes matters in too; the system admin does not.
    expect(res.statusCode).toBe(201);
    const admin = await login(ctx.app, 'admin');
    const refused = await admin.post('/api/service-window/residents', {
      name: '刘芳',
      idNumber: idOf(7),
      housingUnitId: dwelling,
      relationToHead: '配偶',
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('phone follow-up (电话回访)', () => {
  it('records the rating with channel phone; a bad one opens a rectification', async () => {
    const taken = await clerk.post('/api/applications', {
      serviceCode: 'LDRK',
      applicant: { idNumber: idOf(2), name: '马晓东' },
      materials: [
        { name: '居民身份证', provided: true },
        { name: '租赁合同', provided: true },
      ],
      channel: 'window',
      idempotencyKey: randomUUID(),
    });
    const id = taken.json().id;
    expect((await clerk.post(`/api/applications/${id}/actions/issue`, {})).statusCode).toBe(200);
    const rated = await community.post(`/api/applications/${id}/rating`, {
      level: 4,
      comment: '电话回访：排队时间太长',
      channel: 'phone',
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ channel: 'phone', levelName: '不满意' });
    expect(rated.json().rectification).toMatchObject({ applicationId: id, rectifiedAt: null });
    const open = (await community.get('/api/rectifications?open=true')).json();
    expect(open.items.map((r: { applicationId: string }) => r.applicationId)).toContain(id);
    const detail = (await community.get(`/api/applications/${id}`)).json();
    expect(detail.events.at(-1)).toMatchObject({ action: 'rate', note: '电话回访：排队时间太长' });
    // Once per application, whatever the channel.
    const again = await clerk.post(`/api/applications/${id}/rating`, { level: 1, channel: 'window' });
    expect(again.statusCode).toBe(409);
  });
});
