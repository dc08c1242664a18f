import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { pdfText } from '../../test/pdfText.js';
import { mobileNumber } from '../../test/personalData.js';
import { users } from '../accounts/tables.js';
import { volunteerActivities, volunteerAttendances, volunteers } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let district: Session;
let self: Session;
let selfVolunteerId: string;

// The activity's place, and points about 100 m and 1.1 km north of it (0.001° of latitude ≈ 111 m).
const place = { lat: 40.605, lng: 109.875 };
const near = { lat: 40.6059, lng: 109.875 };
const far = { lat: 40.615, lng: 109.875 };
let phoneSeq = 0;
const nextPhone = () => `139${String(4_720_000 + ++phoneSeq).padStart(8, '0')}`;

const register = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/volunteers', {
    name: '王志愿',
    phone: nextPhone(),
    skills: ['理发', '维修'],
    orgUnitId: t.communities[0]?.id,
    availability: '周末上午',
    ...extra,
  });
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const publish = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/volunteer-activities', {
    title: '社区义务理发',
    placeName: '社区广场',
    location: place,
    radiusM: 200,
    startsAt: hoursFromNow(-1),
    endsAt: hoursFromNow(2),
    orgUnitId: t.communities[0]?.id,
    ...extra,
  });
async function volunteer(s = community): Promise<string> {
  const res = await register(s);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function activity(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await publish(community, extra);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const signUp = (s: Session, a: string, v: string) =>
  s.post(`/api/volunteer-activities/${a}/sign-ups`, { volunteerId: v });
const checkIn = (s: Session, a: string, v: string, location = near) =>
  s.post(`/api/volunteer-activities/${a}/check-in`, { volunteerId: v, location });
const checkOut = (s: Session, a: string, v: string) =>
  s.post(`/api/volunteer-activities/${a}/check-out`, { volunteerId: v });
async function signedUp() {
  const a = await activity();
  const v = await volunteer();
  expect((await signUp(community, a, v)).statusCode).toBe(201);
  return { a, v };
}
/** Moves an open check-in back in time, as if the volunteer had served that long. */
async function servedFor(a: string, v: string, minutes: number) {
  await ctx.deps.db
    .update(volunteerAttendances)
    .set({ checkedInAt: new Date(Date.now() - minutes * 60_000) })
    .where(
      and(
        eq(volunteerAttendances.activityId, a),
        eq(volunteerAttendances.volunteerId, v),
        isNull(volunteerAttendances.checkedOutAt),
      ),
    );
}
const hours = async (s: Session, v: string) => {
  const r = await s.get(`/api/volunteers/${v}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().hours as number;
};

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  const me = await makeUser(ctx.deps, { username: 'vol', roles: ['volunteer'], orgUnit: c1 });
  [community, otherCommunity, district, self] = (await Promise.all(
    ['comm', 'comm3', 'dist', 'vol'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session];
  selfVolunteerId = await volunteer();
  await ctx.deps.db.update(volunteers).set({ userId: me.id }).where(eq(volunteers.id, selfVolunteerId));
});
afterAll(() => ctx?.close());

describe('the registry', () => {
  it('keeps the phone encrypted and shows it masked, audited; the same phone twice in one area is 409', async () => {
    const phone = nextPhone();
    const res = await register(community, { phone });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({ name: '王志愿', skills: ['理发', '维修'], hours: 0, availability: '周末上午' });
    expect(v.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    const [row] = await ctx.deps.db.select().from(volunteers).where(eq(volunteers.id, v.id));
    expect(row?.phoneEnc).not.toContain(phone);
    expect(ctx.deps.crypto.decrypt(row?.phoneEnc as string)).toBe(phone);
    const again = await register(community, { phone });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('phone');
    // Found by the whole number through the blind index, by name, and by skill.
    const found = (await community.get(`/api/volunteers?q=${phone}`)).json();
    expect(found.items.map((i: { id: string }) => i.id)).toEqual([v.id]);
    expect((await community.get('/api/volunteers?skill=理发&pageSize=200')).json().total).toBeGreaterThan(0);
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'volunteer.registered' and payload::text like ${`%${phone}%`}`,
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('refuses a bad phone, an area outside the jurisdiction and the district (read-only here), naming the field', async () => {
    const [before] = await ctx.deps.db.select({ n: count() }).from(volunteers);
    for (const [extra, field] of [
      [{ phone: '12345' }, 'phone'],
      [{ orgUnitId: t.communities[2]?.id }, 'orgUnitId'],
      [{ orgUnitId: t.streets[0]?.id }, 'orgUnitId'],
      [{ name: '' }, 'name'],
    ] as const) {
      const res = await register(community, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await register(district)).statusCode).toBe(403);
    const [after] = await ctx.deps.db.select({ n: count() }).from(volunteers);
    expect(after?.n).toBe(before?.n);
  });

  it('another community’s staff do not see the volunteer (404); the district reads him', async () => {
    const v = await volunteer();
    expect((await otherCommunity.get(`/api/volunteers/${v}`)).statusCode).toBe(404);
    expect((await district.get(`/api/volunteers/${v}`)).statusCode).toBe(200);
    expect((await otherCommunity.get('/api/volunteers?pageSize=200')).json().items).not.toContainEqual(
      expect.objectContaining({ id: v }),
    );
  });
});

describe('activities, sign-up and check-in', () => {
  it('a volunteer signed up checks in at the place and out again, and the hours are credited', async () => {
    const { a, v } = await signedUp();
    const inRes = await checkIn(community, a, v);
    expect(inRes.statusCode, inRes.body).toBe(200);
    expect(inRes.json().distanceM).toBeGreaterThan(90);
    expect(inRes.json().distanceM).toBeLessThan(110);
    expect((await community.get(`/api/volunteer-activities/${a}`)).json()).toMatchObject({
      signUps: 1,
      checkedIn: 1,
    });
    await servedFor(a, v, 45);
    const outRes = await checkOut(community, a, v);
    expect(outRes.statusCode, outRes.body).toBe(200);
    expect(outRes.json().minutes).toBe(45);
    expect(outRes.json().hours).toBe(0.8);
    expect(await hours(community, v)).toBe(0.8);
    const detail = (await community.get(`/api/volunteers/${v}`)).json();
    expect(detail.record).toHaveLength(1);
    expect(detail.record[0]).toMatchObject({ activityId: a, minutes: 45 });
    // A second pair adds to the first.
    expect((await checkIn(community, a, v)).statusCode).toBe(200);
    await servedFor(a, v, 30);
    expect((await checkOut(community, a, v)).statusCode).toBe(200);
    expect(await hours(community, v)).toBe(1.3);
  });

  it('a check-in far from the place is 400 naming location, and nothing is written', async () => {
    const { a, v } = await signedUp();
    const res = await checkIn(community, a, v, far);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VOLUNTEER_FAR_FROM_PLACE');
    expect(res.json().errors[0]).toMatchObject({ field: 'location', rule: 'withinRadius' });
    expect(res.json().title).toMatch(/距活动地点 1\d{3} 米/);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(volunteerAttendances)
      .where(eq(volunteerAttendances.volunteerId, v));
    expect(n?.n).toBe(0);
    const bad = await community.post(`/api/volunteer-activities/${a}/check-in`, {
      volunteerId: v,
      location: { lat: 95 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toMatch(/^location/);
  });

  it('a second check-in while checked in is 409; checking out what is not open is 409', async () => {
    const { a, v } = await signedUp();
    expect((await checkOut(community, a, v)).statusCode).toBe(409);
    expect((await checkIn(community, a, v)).statusCode).toBe(200);
    const again = await checkIn(community, a, v);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VOLUNTEER_ALREADY_CHECKED_IN');
  });

  it('a burst of the same check-in opens one pair; a burst of the same check-out credits it once', async () => {
    const { a, v } = await signedUp();
    const ins = await Promise.all(Array.from({ length: 6 }, () => checkIn(community, a, v)));
    expect(ins.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    await servedFor(a, v, 60);
    const outs = await Promise.all(Array.from({ length: 6 }, () => checkOut(community, a, v)));
    expect(outs.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const rows = await ctx.deps.db
      .select()
      .from(volunteerAttendances)
      .where(eq(volunteerAttendances.volunteerId, v));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.minutes).toBe(60);
    expect(await hours(community, v)).toBe(1);
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'volunteer.checkedOut' and payload->>'volunteerId' = ${v}`,
    )) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('only time within the activity’s hours is credited', async () => {
    const { a, v } = await signedUp();
    expect((await checkIn(community, a, v)).statusCode).toBe(200);
    // Checked in three hours ago, though the activity began one hour ago: one hour counts.
    await servedFor(a, v, 180);
    const out = await checkOut(community, a, v);
    expect(out.json().minutes).toBeGreaterThanOrEqual(59);
    expect(out.json().minutes).toBeLessThanOrEqual(60);
  });

  it('refuses check-in without a sign-up, before the window and after the end (409), and sign-up twice (409)', async () => {
    const a = await activity();
    const v = await volunteer();
    expect((await checkIn(community, a, v)).json().code).toBe('VOLUNTEER_NOT_SIGNED_UP');
    expect((await signUp(community, a, v)).statusCode).toBe(201);
    const twice = await signUp(community, a, v);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('VOLUNTEER_ALREADY_SIGNED_UP');
    const later = await activity({ startsAt: hoursFromNow(5), endsAt: hoursFromNow(7) });
    expect((await signUp(community, later, v)).statusCode).toBe(201);
    const early = await checkIn(community, later, v);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('VOLUNTEER_ACTIVITY_CLOSED');
    await ctx.deps.db
      .update(volunteerActivities)
      .set({ startsAt: new Date(Date.now() - 7_200_000), endsAt: new Date(Date.now() - 3_600_000) })
      .where(eq(volunteerActivities.id, later));
    expect((await checkIn(community, later, v)).statusCode).toBe(409);
  });

  it('a full activity takes no more sign-ups', async () => {
    const a = await activity({ capacity: 1 });
    expect((await signUp(community, a, await volunteer())).statusCode).toBe(201);
    const full = await signUp(community, a, await volunteer());
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('VOLUNTEER_ACTIVITY_FULL');
  });

  it('an activity is seen in its area only (404 elsewhere); staff cannot act for a volunteer they do not see (400 volunteerId)', async () => {
    const a = await activity();
    expect((await otherCommunity.get(`/api/volunteer-activities/${a}`)).statusCode).toBe(404);
    expect((await signUp(otherCommunity, a, selfVolunteerId)).statusCode).toBe(404);
    const res = await otherCommunity.post('/api/volunteer-activities', {
      title: '越界活动',
      placeName: '别处',
      location: place,
      radiusM: 200,
      startsAt: hoursFromNow(1),
      endsAt: hoursFromNow(2),
      orgUnitId: t.communities[0]?.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('orgUnitId');
    // The activity of another community, the volunteer of this one: staff there do not see him.
    const b = (
      await otherCommunity.post('/api/volunteer-activities', {
        title: '别的社区的活动',
        placeName: '别处广场',
        location: place,
        radiusM: 200,
        startsAt: hoursFromNow(-1),
        endsAt: hoursFromNow(2),
        orgUnitId: t.communities[2]?.id,
      })
    ).json().id as string;
    const outside = await signUp(otherCommunity, b, await volunteer());
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('volunteerId');
    // The district reads but does not sign anyone up.
    expect((await signUp(district, a, selfVolunteerId)).statusCode).toBe(403);
    const bad = await publish(community, { endsAt: hoursFromNow(-3) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('endsAt');
  });

  it('a volunteer signs himself up and checks himself in and out, for no one else (403), and reads his own hours', async () => {
    const a = await activity();
    const other = await volunteer();
    const forOther = await signUp(self, a, other);
    expect(forOther.statusCode).toBe(403);
    expect(forOther.json().code).toBe('VOLUNTEER_NOT_YOURS');
    expect((await signUp(self, a, selfVolunteerId)).statusCode).toBe(201);
    expect((await checkIn(self, a, selfVolunteerId)).statusCode).toBe(200);
    await servedFor(a, selfVolunteerId, 30);
    expect((await checkOut(self, a, selfVolunteerId)).statusCode).toBe(200);
    expect(await hours(self, selfVolunteerId)).toBe(0.5);
    // He sees himself among the participants, nobody else, and no other volunteer's record.
    await signUp(community, a, other);
    const seen = (await self.get(`/api/volunteer-activities/${a}`)).json();
    expect(seen.participants.map((p: { volunteerId: string }) => p.volunteerId)).toEqual([selfVolunteerId]);
    expect((await self.get(`/api/volunteers/${other}`)).statusCode).toBe(404);
    expect((await self.get('/api/volunteers')).statusCode).toBe(403);
    const [u] = await ctx.deps.db.select().from(users).where(eq(users.username, 'vol'));
    expect(u).toBeDefined();
  });

  it('lists activities of the area, upcoming or past, with pages', async () => {
    const a = await activity();
    const list = (await community.get('/api/volunteer-activities?when=upcoming&pageSize=200')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(a);
    expect(
      (await community.get('/api/volunteer-activities?when=past&pageSize=200')).json().items,
    ).not.toContainEqual(expect.objectContaining({ id: a }));
    expect(
      (await otherCommunity.get('/api/volunteer-activities?pageSize=200')).json().items,
    ).not.toContainEqual(expect.objectContaining({ id: a }));
    const page = (await community.get('/api/volunteer-activities?pageSize=2')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
  });
});

describe('the public results page', () => {
  it('counts the month’s credited hours, people and activities of a unit, and names no one', async () => {
    const grid = t.grids[0];
    const url = `/api/public/participation/results?orgUnitId=${grid?.id}`;
    const before = (await ctx.app.inject({ method: 'GET', url })).json();
    expect(before.volunteers).toEqual({ hours: 0, people: 0, activities: 0 });
    const a = await activity({ orgUnitId: grid?.id });
    const v = await volunteer();
    expect((await signUp(community, a, v)).statusCode).toBe(201);
    expect((await checkIn(community, a, v)).statusCode).toBe(200);
    await servedFor(a, v, 45);
    expect((await checkOut(community, a, v)).statusCode).toBe(200);
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().volunteers).toEqual({ hours: 0.8, people: 1, activities: 1 });
    expect(res.json().month).toMatch(/^\d{4}-\d{2}$/);
    expect(res.body).not.toContain('王志愿');
    expect(res.body).not.toMatch(mobileNumber);
    // Another month has none of it; a malformed month or an unknown unit is refused.
    const old = await ctx.app.inject({ method: 'GET', url: `${url}&month=2020-01` });
    expect(old.json().volunteers).toEqual({ hours: 0, people: 0, activities: 0 });
    const bad = await ctx.app.inject({ method: 'GET', url: `${url}&month=2020-13` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('month');
    const unknown = await ctx.app.inject({
      method: 'GET',
      url: '/api/public/participation/results?orgUnitId=999999',
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('the hours statement (志愿服务时长证明)', () => {
  it('prints the credited service and its total for the staff of his area and for himself, no phone; 404 to others', async () => {
    const { a, v } = await signedUp();
    expect((await checkIn(community, a, v)).statusCode).toBe(200);
    await servedFor(a, v, 45);
    expect((await checkOut(community, a, v)).statusCode).toBe(200);
    const res = await community.get(`/api/volunteers/${v}/statement.pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('志愿服务时长证明');
    expect(text).toContain('王志愿');
    expect(text).toContain('社区义务理发');
    expect(text).toContain('0.8 小时');
    expect(text).not.toMatch(mobileNumber);
    expect((await otherCommunity.get(`/api/volunteers/${v}/statement.pdf`)).statusCode).toBe(404);
    // The volunteer himself prints his own, not another's.
    expect((await self.get(`/api/volunteers/${selfVolunteerId}/statement.pdf`)).statusCode).toBe(200);
    expect((await self.get(`/api/volunteers/${v}/statement.pdf`)).statusCode).toBe(404);
  });
});
