import { idNumberCheckChar } from '@civicgrid/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { roomInWindow } from '../../test/rateWindows.js';

/**
 * Issue 12 item 2: `150221********7305` hides exactly the eight digits of the birth date
 * (GB 11643), so a reply that also carries the birth date — in any spelling — gives the
 * whole number back. These tests do what the attacker did: take every masked number a
 * reply holds, try every date-like string of the same reply in the gap, and count the
 * numbers rebuilt. For anyone without pii:reveal that count must be zero.
 */
let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let district: Session;

const idFor = (birth: string, seq: string) => {
  const first = `150203${birth}${seq}`;
  return `${first}${idNumberCheckChar(first)}`;
};
const people = [
  ['韩德胜', '19580301', '011'],
  ['韩丽', '19851231', '022'],
  ['赵小年', '20100704', '033'],
] as const;
const ids: string[] = [];
let realNumbers: Set<string>;
let buildingId: number;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  community = await login(ctx.app, 'community');
  district = await login(ctx.app, 'district');
  const b = await community.post('/api/buildings', {
    gridId: t.grids[0]?.id,
    name: '1号楼',
    address: '包头市昆都仑区阿尔丁大街12号1号楼',
    type: 'residential',
    floors: 6,
    lng: 109.875,
    lat: 40.605,
  });
  buildingId = b.json().id;
  const unit = await community.post(`/api/buildings/${buildingId}/units`, {
    unitNo: 1,
    floor: 2,
    room: '01',
    use: 'ownerOccupied',
  });
  for (const [i, [name, birth, seq]] of people.entries()) {
    const r = await community.post('/api/residents', {
      name,
      idNumber: idFor(birth, seq),
      phone: `1380000000${i}`,
      gridId: t.grids[0]?.id,
    });
    expect(r.statusCode).toBe(201);
    ids.push(r.json().id);
    await community.put(`/api/residents/${r.json().id}/household`, {
      housingUnitId: unit.json().id,
      relationToHead: i === 0 ? '户主' : '子女',
    });
  }
  realNumbers = new Set(people.map(([, birth, seq]) => idFor(birth, seq)));
}, 60_000);
afterAll(() => ctx?.close());

/**
 * The attack: every masked number (6 digits, 8 stars, last 4) in the text, filled with
 * every run of 8 digits and every date written y-m-d, y/m/d or y年m月d日 found in the
 * same text; a candidate counts when it is a real number.
 */
function rebuilt(text: string): string[] {
  const masked = [...text.matchAll(/(\d{6})\*{8}(\d{3}[\dX])/g)].map((m) => [m[1], m[2]] as const);
  const fills = new Set<string>();
  for (const m of text.matchAll(/(?<!\d)(\d{8})(?!\d)/g)) fills.add(m[1] as string);
  for (const m of text.matchAll(/(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})/g))
    fills.add(`${m[1]}${(m[2] as string).padStart(2, '0')}${(m[3] as string).padStart(2, '0')}`);
  const found = new Set<string>();
  for (const [head, tail] of masked)
    for (const fill of fills) {
      const candidate = `${head}${fill}${tail}`;
      if (realNumbers.has(candidate)) found.add(candidate);
    }
  return [...found];
}

/** Every `birthDate` anywhere in a JSON reply that is not null. */
function birthDatesIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(birthDatesIn);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'birthDate' && v !== null && v !== undefined ? [v] : birthDatesIn(v),
    );
  return [];
}

async function sheetText(res: { rawPayload: Buffer }) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[] = [];
  wb.worksheets[0]?.eachRow((row) => {
    rows.push(
      (row.values as unknown[]).map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('|'),
    );
  });
  return rows.join('\n');
}

describe('masked ID numbers cannot be rebuilt without pii:reveal', () => {
  it('the attack works where a birth date sits beside a masked number (the detector is not blind)', () => {
    const [, birth, seq] = people[0];
    const masked = `150203********${idFor(birth, seq).slice(-4)}`;
    expect(rebuilt(JSON.stringify({ idNumber: masked, birthDate: '1958-03-01' }))).toEqual([
      idFor(birth, seq),
    ]);
    expect(rebuilt(`${masked}|1958年3月1日`)).toEqual([idFor(birth, seq)]);
    expect(rebuilt(`${masked}|age 67`)).toEqual([]);
  });

  it('no residents reply — list, search, detail, household, building — completes a masked number', async () => {
    const urls = [
      '/api/residents?pageSize=200',
      `/api/residents?q=${encodeURIComponent('韩')}`,
      `/api/residents?idNumber=${idFor('19580301', '011')}`,
      '/api/residents?ageFrom=10&ageTo=80',
      ...ids.map((id) => `/api/residents/${id}`),
      ...ids.map((id) => `/api/residents/${id}/household`),
      `/api/buildings/${buildingId}`,
    ];
    const all: string[] = [];
    for (const url of urls) {
      const res = await community.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(birthDatesIn(res.json()), url).toEqual([]);
      expect(rebuilt(res.body), url).toEqual([]);
      all.push(res.body);
    }
    // Not even across replies: the whole conversation together rebuilds nothing.
    expect(rebuilt(all.join('\n'))).toEqual([]);
    // The masked number itself is there, with the age in its place.
    const detail = (await community.get(`/api/residents/${ids[1]}`)).json();
    expect(detail.idNumber).toMatch(/^150203\*{8}\d{3}[\dX]$/);
    expect(detail.birthDate).toBeNull();
    expect(typeof detail.age).toBe('number');
  });

  it('the export carries masked numbers and ages, never a birth date', async () => {
    const res = await community.get('/api/residents/export.xlsx');
    expect(res.statusCode).toBe(200);
    const text = await sheetText(res);
    expect(text).toContain('年龄');
    expect(text).not.toContain('出生日期');
    expect(text).toMatch(/150203\*{8}/);
    expect(rebuilt(text)).toEqual([]);
  });

  it('full numbers in an export need pii:reveal and reveal=true, and each person is audited as a reveal', async () => {
    expect((await community.get('/api/residents/export.xlsx?reveal=true')).statusCode).toBe(403);
    const [{ n: before } = { n: 0 }] = await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'pii.revealed'`,
    );
    expect(before).toBe(0);
    // Without the option, pii:reveal changes nothing: masked, and no reveal audited.
    const plain = await sheetText(await district.get('/api/residents/export.xlsx'));
    expect(rebuilt(plain)).toEqual([]);
    const revealed = await district.get('/api/residents/export.xlsx?reveal=true');
    expect(revealed.statusCode).toBe(200);
    const text = await sheetText(revealed);
    for (const n of realNumbers) expect(text).toContain(n);
    const audited = await queryRows<{ target_id: string; payload: { via?: string } }>(
      ctx.deps.db,
      sql`select target_id, payload from audit_log where action = 'pii.revealed' order by id`,
    );
    expect(audited.map((a) => a.target_id).sort()).toEqual([...ids].sort());
    expect(audited.every((a) => a.payload.via === 'export')).toBe(true);
  });

  it('the audited reveal gives the number with its birth date', async () => {
    const res = await district.post(`/api/residents/${ids[2]}/reveal`);
    expect(res.json()).toEqual({
      idNumber: idFor('20100704', '033'),
      phone: '13800000002',
      birthDate: '2010-07-04',
    });
  });
});

describe('guessing through the search box', () => {
  it('searches by an exact ID or phone number are limited per user (429 with Retry-After)', async () => {
    // Each search answers one guess of the hidden digits; the budget is 60 an hour.
    const guesses = Array.from({ length: 61 }, (_, i) =>
      idFor(`1958${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, '011'),
    );
    const answers = [];
    await roomInWindow(3600, 90_000);
    for (const g of guesses) answers.push(await community.get(`/api/residents?idNumber=${g}`));
    // (The tests above spent a few searches of this user's budget already.)
    const firstRefused = answers.findIndex((r) => r.statusCode === 429);
    expect(firstRefused).toBeGreaterThan(40);
    expect(answers.slice(0, firstRefused).every((r) => r.statusCode === 200)).toBe(true);
    expect(answers.slice(firstRefused).every((r) => r.statusCode === 429)).toBe(true);
    const last = answers[60];
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    // A plain list without a number is not counted.
    expect((await community.get('/api/residents')).statusCode).toBe(200);
    // Another user's budget is his own.
    expect((await district.get(`/api/residents?phone=13800000000`)).statusCode).toBe(200);
  }, 180000);
});
