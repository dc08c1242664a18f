import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { elderContacts } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let clerk: Session;
let resident: Session;
const ids: Record<string, string> = {};

/** An ID number of someone born on 1 January of `year`. */
const idOf = (year: number, seq: number) => {
  const first17 = `150203${year}0101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

type Item = {
  id: string;
  name: string;
  age: number;
  livingAlone: boolean;
  hasDevice: boolean;
  allowance: { eligible: boolean; applicationId: string | null; status: string | null };
};
const list = async (s: Session, q = '') => {
  const res = await s.get(`/api/elders?pageSize=200${q}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; total: number };
};

beforeAll(async () => {
  ctx = await createTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'res', roles: ['resident'] });
  const admin = await login(ctx.app, 'admin');
  [community, otherCommunity, clerk, resident] = (await Promise.all(
    ['comm', 'comm3', 'clerk', 'res'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session];
  const item = await admin.post('/api/services', {
    code: 'GLJT',
    name: '高龄津贴申请',
    category: 'communityProxy',
    level: 'community',
    timeLimitDays: 5,
    statutoryDays: 10,
    materials: [{ name: '居民身份证', required: true }],
  });
  expect(item.statusCode, item.body).toBe(201);
  // In community 1: 86 (applied for 高龄津贴), 85 (living alone, not applied), 66, and 45 (no elder).
  const people = [
    ['applied', '王秀兰', 1940, t.grids[0]],
    ['alone', '李国庆', 1941, t.grids[0]],
    ['young', '张建华', 1960, t.grids[1]],
    ['adult', '赵小明', 1981, t.grids[0]],
  ] as const;
  for (const [key, name, year, grid] of people) {
    const idNumber = idOf(year, Object.keys(ids).length + 1);
    const res = await community.post('/api/residents', { name, idNumber, gridId: grid?.id });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
    ids[`${key}Id`] = idNumber;
  }
  const profile = await community.put(`/api/elders/${ids.alone}/profile`, {
    livingAlone: true,
    careLevel: 'partial',
    chronicConditions: '高血压',
  });
  expect(profile.statusCode, profile.body).toBe(200);
  const applied = await clerk.post('/api/applications', {
    serviceCode: 'GLJT',
    applicant: { idNumber: ids.appliedId, name: '王秀兰' },
    materials: [{ name: '居民身份证', provided: true }],
    form: {},
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
  expect(applied.statusCode, applied.body).toBe(201);
  ids.application = applied.json().id;
}, 240_000);
afterAll(() => ctx?.close());

describe('老年人档案', () => {
  it('lists the area’s residents of 60 and over, oldest first, with 高龄津贴 at 80 linked to its application', async () => {
    const { items, total } = await list(community);
    expect(items.map((i) => i.name)).toEqual(['王秀兰', '李国庆', '张建华']);
    expect(total).toBe(3);
    const byName = Object.fromEntries(items.map((i) => [i.name, i]));
    expect(byName.王秀兰?.allowance).toEqual({
      eligible: true,
      applicationId: ids.application,
      status: 'accepted',
    });
    expect(byName.李国庆).toMatchObject({
      livingAlone: true,
      hasDevice: false,
      allowance: { eligible: true, applicationId: null, status: null },
    });
    expect(byName.张建华?.allowance.eligible).toBe(false);
    // No health data in the list, whoever reads it.
    expect(JSON.stringify(items)).not.toContain('高血压');
  });

  it('filters by age, living alone and 高龄津贴 not yet applied for', async () => {
    expect((await list(community, '&minAge=80')).items.map((i) => i.name)).toEqual(['王秀兰', '李国庆']);
    expect((await list(community, '&livingAlone=true')).items.map((i) => i.name)).toEqual(['李国庆']);
    expect((await list(community, '&allowance=unapplied')).items.map((i) => i.name)).toEqual(['李国庆']);
    expect((await list(community, '&allowance=applied')).items.map((i) => i.name)).toEqual(['王秀兰']);
    expect((await list(community, '&q=秀兰')).items.map((i) => i.name)).toEqual(['王秀兰']);
    const bad = await community.get('/api/elders?minAge=50');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('minAge');
  });

  it('shows another community none of them, and a resident nothing', async () => {
    expect((await list(otherCommunity)).total).toBe(0);
    expect((await resident.get('/api/elders')).statusCode).toBe(403);
  });
});

describe('editing an elder’s file', () => {
  const phonesOnFile = async () =>
    (
      await ctx.deps.db
        .select()
        .from(elderContacts)
        .where(eq(elderContacts.residentId, ids.alone as string))
        .orderBy(asc(elderContacts.sort))
    ).map((c) => `${c.name}:${ctx.deps.crypto.decrypt(c.phoneEnc)}`);
  const profileOf = async () => {
    const res = await community.get(`/api/elders/${ids.alone}/profile`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('keeps the health data and the stored phones of the contacts it is not sent again', async () => {
    const first = await community.put(`/api/elders/${ids.alone}/profile`, {
      livingAlone: true,
      careLevel: 'partial',
      contacts: [
        { name: '李强', relation: '儿子', kind: 'family', phone: '13900001111' },
        { name: '周阿姨', relation: '邻居', kind: 'neighbour', phone: '13900002222' },
      ],
    });
    expect(first.statusCode, first.body).toBe(200);
    const saved = first.json();
    // Health data left out of the save is kept, and it is shown to the community's care staff.
    expect(saved).toMatchObject({
      chronicConditions: '高血压',
      healthVisible: true,
      mobility: 'independent',
    });
    expect(saved.contacts.map((c: { phone: string }) => c.phone)).toEqual(['*******1111', '*******2222']);

    // The editor sees only masked numbers: he reorders the two, renames one, adds a third, and
    // sends the numbers he does not change as nothing at all.
    const [son, neighbour] = saved.contacts as { id: number; name: string; relation: string; kind: string }[];
    const second = await community.put(`/api/elders/${ids.alone}/profile`, {
      livingAlone: true,
      careLevel: 'dependent',
      mobility: 'wheelchair',
      contacts: [
        { id: neighbour?.id, name: '周桂英', relation: '邻居', kind: 'neighbour' },
        { id: son?.id, name: '李强', relation: '儿子', kind: 'family' },
        { name: '李梅', relation: '女儿', kind: 'family', phone: '13900003333' },
      ],
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({
      careLevel: 'dependent',
      mobility: 'wheelchair',
      chronicConditions: '高血压',
    });
    expect(await phonesOnFile()).toEqual(['周桂英:13900002222', '李强:13900001111', '李梅:13900003333']);
    expect(JSON.stringify(second.json())).not.toContain('13900001111');
  });

  it('refuses a new contact without a phone and an id that is not on this file, changing nothing', async () => {
    const before = await phonesOnFile();
    const noPhone = await community.put(`/api/elders/${ids.alone}/profile`, {
      contacts: [{ name: '王五', relation: '侄子', kind: 'family' }],
    });
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().errors[0]).toMatchObject({
      field: 'contacts.0.phone',
      code: 'ELDER_CONTACT_PHONE_REQUIRED',
    });
    const stranger = await community.put(`/api/elders/${ids.alone}/profile`, {
      contacts: [{ id: 99_999_999, name: '王五', relation: '侄子', kind: 'family' }],
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().errors[0].field).toBe('contacts.0.id');
    // Another elder's contact cannot be pulled into this file to learn its number either.
    const other = await community.put(`/api/elders/${ids.applied}/profile`, {
      contacts: [{ name: '王大', relation: '儿子', kind: 'family', phone: '13900004444' }],
    });
    const foreignId = other.json().contacts[0].id as number;
    const pulled = await community.put(`/api/elders/${ids.alone}/profile`, {
      contacts: [{ id: foreignId, name: '王大', relation: '儿子', kind: 'family' }],
    });
    expect(pulled.statusCode).toBe(400);
    expect(await phonesOnFile()).toEqual(before);
    expect((await profileOf()).careLevel).toBe('dependent');
  });

  it('clears the health data when sent empty; another community and the window cannot edit', async () => {
    const cleared = await community.put(`/api/elders/${ids.alone}/profile`, {
      livingAlone: true,
      chronicConditions: null,
      contacts: [],
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ chronicConditions: null, contacts: [] });
    expect((await otherCommunity.put(`/api/elders/${ids.alone}/profile`, { contacts: [] })).statusCode).toBe(
      404,
    );
    expect((await clerk.put(`/api/elders/${ids.alone}/profile`, { contacts: [] })).statusCode).toBe(403);
    const bad = await community.put(`/api/elders/${ids.alone}/profile`, { mobility: 'flying' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('mobility');
  });
});
