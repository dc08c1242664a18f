import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { dualRegistrations, jointMeetings } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let district: Session;
let volunteerId: string;

const register = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/dual-registrations', {
    kind: 'unit',
    name: '区税务局',
    contactName: '王科长',
    phone: '13904720001',
    services: ['税务咨询', '义务清扫'],
    orgUnitId: t.communities[0]?.id,
    ...extra,
  });

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  [community, otherCommunity, district] = (await Promise.all(
    ['comm', 'comm3', 'dist'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session];
  const v = await community.post('/api/volunteers', {
    name: '李党员',
    phone: '13904720009',
    orgUnitId: t.communities[0]?.id,
  });
  expect(v.statusCode, v.body).toBe(201);
  volunteerId = v.json().id;
}, 240_000);
afterAll(() => ctx?.close());

describe('双报到', () => {
  it('registers a unit and a member with a community, phone masked and encrypted, once; lists them with the member’s hours', async () => {
    const unit = await register(community);
    expect(unit.statusCode, unit.body).toBe(201);
    expect(unit.json()).toMatchObject({
      kind: 'unit',
      name: '区税务局',
      phone: '*******0001',
      meetings: 0,
      hours: null,
    });
    const member = await register(community, {
      kind: 'member',
      name: '李党员',
      employer: '区财政局',
      phone: '13904720009',
      services: ['助老'],
      volunteerId,
    });
    expect(member.statusCode, member.body).toBe(201);
    expect(member.json()).toMatchObject({ kind: 'member', employer: '区财政局', volunteerId, hours: 0 });
    const again = await register(community);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('name');
    const [row] = await queryRows<{ phone_enc: string }>(
      ctx.deps.db,
      sql`select phone_enc from dual_registrations where name = '区税务局'`,
    );
    expect(row?.phone_enc).not.toContain('13904720001');
    const list = (await community.get('/api/dual-registrations?pageSize=50')).json();
    expect(list.items.map((i: { name: string }) => i.name).sort()).toEqual(['区税务局', '李党员']);
    expect((await community.get('/api/dual-registrations?kind=member')).json().total).toBe(1);
    // The district reads them; another community sees none.
    expect((await district.get('/api/dual-registrations')).json().total).toBe(2);
    expect((await otherCommunity.get('/api/dual-registrations')).json().total).toBe(0);
  });

  it('refuses a community outside the jurisdiction, a street, an unseen volunteer and no services, naming the field; the district only reads', async () => {
    const [before] = await ctx.deps.db.select({ n: count() }).from(dualRegistrations);
    for (const [extra, field] of [
      [{ orgUnitId: t.communities[2]?.id, name: '外单位' }, 'orgUnitId'],
      [{ orgUnitId: t.streets[0]?.id, name: '街道单位' }, 'orgUnitId'],
      [{ services: [], name: '无服务' }, 'services'],
      [{ phone: '123', name: '坏电话' }, 'phone'],
    ] as const) {
      const res = await register(community, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const unseen = await register(otherCommunity, {
      kind: 'member',
      name: '别处党员',
      orgUnitId: t.communities[2]?.id,
      volunteerId,
    });
    expect(unseen.statusCode).toBe(400);
    expect(unseen.json().errors[0].field).toBe('volunteerId');
    expect((await register(district, { name: '区里登记' })).statusCode).toBe(403);
    const [after] = await ctx.deps.db.select({ n: count() }).from(dualRegistrations);
    expect(after?.n).toBe(before?.n);
  });

  it('records a joint meeting of its registrations with the items agreed; a stranger or an item of no attendee is refused', async () => {
    const regs = (await community.get('/api/dual-registrations?pageSize=50')).json().items as {
      id: string;
      name: string;
    }[];
    const [a, b] = regs;
    const meeting = {
      orgUnitId: t.communities[0]?.id,
      heldOn: '2026-10-15',
      place: '社区会议室',
      attendeeIds: [a?.id, b?.id],
      items: [
        { registrationId: a?.id, item: '每月一次税务咨询进社区' },
        { registrationId: b?.id, item: '每周陪护独居老人' },
      ],
    };
    const res = await community.post('/api/joint-meetings', meeting);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ quarter: '2026-Q4', place: '社区会议室' });
    expect(
      res
        .json()
        .items.map((i: { name: string }) => i.name)
        .sort(),
    ).toEqual(['区税务局', '李党员']);
    const listed = (await community.get('/api/dual-registrations?pageSize=50')).json().items;
    expect(listed.every((i: { meetings: number }) => i.meetings === 1)).toBe(true);
    const [before] = await ctx.deps.db.select({ n: count() }).from(jointMeetings);
    const stranger = await community.post('/api/joint-meetings', {
      ...meeting,
      attendeeIds: [a?.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().errors[0]).toMatchObject({
      field: 'attendeeIds.1',
      code: 'JOINT_MEETING_ATTENDEE',
    });
    const orphan = await community.post('/api/joint-meetings', { ...meeting, attendeeIds: [a?.id] });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors[0].field).toBe('items.1.registrationId');
    const outside = await otherCommunity.post('/api/joint-meetings', meeting);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('orgUnitId');
    const [after] = await ctx.deps.db.select({ n: count() }).from(jointMeetings);
    expect(after?.n).toBe(before?.n);
    expect((await community.get('/api/joint-meetings')).json().total).toBe(1);
    expect((await otherCommunity.get('/api/joint-meetings')).json().total).toBe(0);
  });
});
