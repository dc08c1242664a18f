import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { checkInToken } from './checkInCodes.js';
import { volunteerActivities, volunteerAttendances, volunteerSignUps, volunteers } from './tables.js';
import { volunteerTeamMembers } from './volunteerTeamTables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let otherCommunity: Session;
let district: Session;
let self: Session;
let stranger: Session;
let selfVolunteerId: string;

const place = { lat: 40.605, lng: 109.875 };
let phoneSeq = 0;
const nextPhone = () => `137${String(5_310_000 + ++phoneSeq).padStart(8, '0')}`;
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function volunteer(name = '李志愿'): Promise<string> {
  const res = await community.post('/api/volunteers', {
    name,
    phone: nextPhone(),
    skills: ['助老'],
    orgUnitId: t.communities[0]?.id,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function activity(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await community.post('/api/volunteer-activities', {
    title: '楼道清理',
    placeName: '3 号楼',
    location: place,
    radiusM: 100,
    startsAt: hoursFromNow(-1),
    endsAt: hoursFromNow(2),
    orgUnitId: t.communities[0]?.id,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const newTeam = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/volunteer-teams', {
    name: `助老服务队${++phoneSeq}`,
    orgUnitId: t.communities[0]?.id,
    sponsor: '包头供电局',
    serviceFocus: ['助老', '助老', '环保'],
    ...extra,
  });
async function codeOf(a: string): Promise<string> {
  const res = await community.get(`/api/volunteer-activities/${a}/check-in-code`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token;
}
const attendances = async (a: string, v: string) =>
  ctx.deps.db
    .select()
    .from(volunteerAttendances)
    .where(and(eq(volunteerAttendances.activityId, a), eq(volunteerAttendances.volunteerId, v)));

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, , c3] = t.communities;
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'comm3', roles: ['communityWorkstation'], orgUnit: c3 });
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  const me = await makeUser(ctx.deps, { username: 'vol', roles: ['volunteer'], orgUnit: c1 });
  await makeUser(ctx.deps, { username: 'novol', roles: ['volunteer'], orgUnit: c1 });
  [community, otherCommunity, district, self, stranger] = (await Promise.all(
    ['comm', 'comm3', 'dist', 'vol', 'novol'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session, Session, Session];
  selfVolunteerId = await volunteer('本人志愿者');
  await ctx.deps.db.update(volunteers).set({ userId: me.id }).where(eq(volunteers.id, selfVolunteerId));
});
afterAll(() => ctx?.close());

describe('志愿服务队', () => {
  it('forms a team with its leader among the members, lists it, and keeps one name per area (409 naming it)', async () => {
    const leader = await volunteer('张队长');
    const member = await volunteer();
    const res = await newTeam(community, { leaderVolunteerId: leader, memberIds: [member] });
    expect(res.statusCode, res.body).toBe(201);
    const team = res.json();
    expect(team).toMatchObject({
      sponsor: '包头供电局',
      serviceFocus: ['助老', '环保'],
      leader: { volunteerId: leader, name: '张队长' },
      memberCount: 2,
      hours: 0,
    });
    expect(team.members.find((m: { leader: boolean }) => m.leader).volunteerId).toBe(leader);
    expect(team.members[0].phone).toMatch(/^137\*{4}\d{4}$/);
    const again = await newTeam(community, { name: team.name });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('name');
    const listed = (await community.get(`/api/volunteer-teams?q=${encodeURIComponent(team.name)}`)).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([team.id]);
    expect((await district.get(`/api/volunteer-teams/${team.id}`)).statusCode).toBe(200);
  });

  it('refuses bad input naming the field in Chinese, writing nothing', async () => {
    const [before] = await ctx.deps.db.select({ n: count() }).from(volunteerTeamMembers);
    const foreign = (
      await otherCommunity.post('/api/volunteers', {
        name: '外区志愿者',
        phone: nextPhone(),
        orgUnitId: t.communities[2]?.id,
      })
    ).json().id as string;
    for (const [extra, field] of [
      [{ name: '' }, 'name'],
      [{ orgUnitId: t.communities[2]?.id }, 'orgUnitId'],
      [{ memberIds: [foreign] }, 'memberIds'],
      [{ leaderVolunteerId: foreign }, 'leaderVolunteerId'],
      [{ serviceFocus: ['x'.repeat(30)] }, 'serviceFocus.0'],
    ] as const) {
      const res = await newTeam(community, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      const errors = res.json().errors as { field: string; message: string }[];
      expect(errors.map((e) => e.field)).toContain(field);
      expect(errors[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const [after] = await ctx.deps.db.select({ n: count() }).from(volunteerTeamMembers);
    expect(after?.n).toBe(before?.n);
  });

  it('is read by staff of its area only: another community 404, a volunteer or the district writing 403', async () => {
    const team = (await newTeam(community)).json();
    expect((await otherCommunity.get(`/api/volunteer-teams/${team.id}`)).statusCode).toBe(404);
    expect(
      (await otherCommunity.post(`/api/volunteer-teams/${team.id}/members`, { volunteerId: selfVolunteerId }))
        .statusCode,
    ).toBe(404);
    expect((await self.get(`/api/volunteer-teams/${team.id}`)).statusCode).toBe(403);
    expect((await district.patch(`/api/volunteer-teams/${team.id}`, { name: '改名' })).statusCode).toBe(403);
    expect((await newTeam(district)).statusCode).toBe(403);
    const mine = (await otherCommunity.get('/api/volunteer-teams?pageSize=200')).json();
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(team.id);
  });

  it('adds a member once (a burst: one row, the others 409), keeps the leader, removes others', async () => {
    const leader = await volunteer('刘队长');
    const team = (await newTeam(community, { leaderVolunteerId: leader })).json();
    const v = await volunteer();
    const burst = await Promise.all(
      Array.from({ length: 4 }, () =>
        community.post(`/api/volunteer-teams/${team.id}/members`, { volunteerId: v }),
      ),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const [n] = await ctx.deps.db
      .select({ n: count() })
      .from(volunteerTeamMembers)
      .where(eq(volunteerTeamMembers.teamId, team.id));
    expect(n?.n).toBe(2);
    // The leader must be a member; the leader cannot be removed until another leads.
    const outsider = await volunteer();
    const badLeader = await community.patch(`/api/volunteer-teams/${team.id}`, {
      leaderVolunteerId: outsider,
    });
    expect(badLeader.statusCode).toBe(400);
    expect(badLeader.json().errors[0].field).toBe('leaderVolunteerId');
    expect((await community.del(`/api/volunteer-teams/${team.id}/members/${leader}`)).statusCode).toBe(409);
    const changed = await community.patch(`/api/volunteer-teams/${team.id}`, {
      leaderVolunteerId: v,
      serviceFocus: ['环保'],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ leader: { volunteerId: v }, serviceFocus: ['环保'] });
    const removed = await community.del(`/api/volunteer-teams/${team.id}/members/${leader}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().members.map((m: { volunteerId: string }) => m.volunteerId)).toEqual([v]);
    expect((await community.del(`/api/volunteer-teams/${team.id}/members/${leader}`)).statusCode).toBe(404);
  });

  it("counts the minutes credited at the team's activities as its hours; an activity of another area's team is 400", async () => {
    const team = (await newTeam(community)).json();
    const a = await activity({ teamId: team.id });
    const detail = (await community.get(`/api/volunteer-activities/${a}`)).json();
    expect(detail).toMatchObject({ teamId: team.id, teamName: team.name });
    const v = await volunteer();
    await community.post(`/api/volunteer-activities/${a}/sign-ups`, { volunteerId: v });
    await community.post(`/api/volunteer-activities/${a}/check-in`, { volunteerId: v, location: place });
    await ctx.deps.db
      .update(volunteerAttendances)
      .set({ checkedInAt: new Date(Date.now() - 90 * 60_000) })
      .where(eq(volunteerAttendances.activityId, a));
    expect(
      (await community.post(`/api/volunteer-activities/${a}/check-out`, { volunteerId: v })).statusCode,
    ).toBe(200);
    const after = (await community.get(`/api/volunteer-teams/${team.id}`)).json();
    expect(after).toMatchObject({ activityCount: 1, hours: 1 });
    expect(after.activities[0]).toMatchObject({ id: a, hours: 1 });
    const listed = (await community.get(`/api/volunteer-activities?teamId=${team.id}`)).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([a]);
    const foreignTeam = (await newTeam(otherCommunity, { orgUnitId: t.communities[2]?.id })).json();
    const refused = await community.post('/api/volunteer-activities', {
      title: '别处的活动',
      placeName: '广场',
      location: place,
      radiusM: 100,
      startsAt: hoursFromNow(1),
      endsAt: hoursFromNow(2),
      orgUnitId: t.communities[0]?.id,
      teamId: foreignTeam.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('teamId');
  });
});

describe('扫码签到', () => {
  it('gives the organiser a signed code of /m/checkin/{token} as SVG, expiring two hours after the end; not to a volunteer', async () => {
    const a = await activity();
    const res = await community.get(`/api/volunteer-activities/${a}/check-in-code`);
    expect(res.statusCode, res.body).toBe(200);
    const code = res.json();
    expect(code.path).toBe(`/m/checkin/${code.token}`);
    expect(code.svg).toContain('<svg');
    const [row] = await ctx.deps.db.select().from(volunteerActivities).where(eq(volunteerActivities.id, a));
    expect(Date.parse(code.expiresAt) - (row?.endsAt.getTime() ?? 0)).toBe(2 * 3_600_000);
    expect((await self.get(`/api/volunteer-activities/${a}/check-in-code`)).statusCode).toBe(403);
    expect((await otherCommunity.get(`/api/volunteer-activities/${a}/check-in-code`)).statusCode).toBe(404);
    const ended = await activity({ startsAt: hoursFromNow(-6), endsAt: hoursFromNow(-3) });
    expect((await community.get(`/api/volunteer-activities/${ended}/check-in-code`)).statusCode).toBe(409);
  });

  it('refuses a forged token, one of another activity, an edited expiry (404) and an expired one (410)', async () => {
    const a = await activity();
    const b = await activity();
    const token = await codeOf(a);
    const [, exp, mac] = token.split('.') as [string, string, string];
    const forged = [
      `${a}.${exp}.${'A'.repeat(mac.length)}`,
      `${b}.${exp}.${mac}`,
      `${a}.${(Number.parseInt(exp, 36) + 86_400).toString(36)}.${mac}`,
      'not-a-token',
    ];
    for (const f of forged) {
      expect((await self.get(`/api/volunteer-check-in-codes/${encodeURIComponent(f)}`)).statusCode, f).toBe(
        404,
      );
      expect(
        (await self.post(`/api/volunteer-check-in-codes/${encodeURIComponent(f)}/check-in`)).statusCode,
        f,
      ).toBe(404);
    }
    const expired = checkInToken(ctx.deps.crypto, a, new Date(Date.now() - 60_000));
    const gone = await self.post(`/api/volunteer-check-in-codes/${expired}/check-in`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().title).toMatch(/过期/);
    expect(await attendances(a, selfVolunteerId)).toEqual([]);
  });

  it('checks the volunteer in once however often he scans, signs him up on the spot, and out with the minutes credited once', async () => {
    const a = await activity({ capacity: 5 });
    const token = await codeOf(a);
    const before = (await self.get(`/api/volunteer-check-in-codes/${token}`)).json();
    expect(before).toMatchObject({
      window: 'open',
      volunteer: { id: selfVolunteerId, signedUp: false, checkedInAt: null },
    });
    const burst = await Promise.all(
      Array.from({ length: 4 }, () => self.post(`/api/volunteer-check-in-codes/${token}/check-in`)),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(burst.map((r) => r.json().outcome).sort()).toEqual([
      'alreadyIn',
      'alreadyIn',
      'alreadyIn',
      'checkedIn',
    ]);
    const rows = await attendances(a, selfVolunteerId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: 'qr', checkInDistanceM: null });
    const [signed] = await ctx.deps.db
      .select({ n: count() })
      .from(volunteerSignUps)
      .where(eq(volunteerSignUps.activityId, a));
    expect(signed?.n).toBe(1);
    const state = (await self.get(`/api/volunteer-check-in-codes/${token}`)).json();
    expect(state.volunteer).toMatchObject({ signedUp: true });
    expect(state.volunteer.checkedInAt).not.toBeNull();
    // He served 45 minutes; a burst of check-outs credits them once.
    await ctx.deps.db
      .update(volunteerAttendances)
      .set({ checkedInAt: new Date(Date.now() - 45 * 60_000) })
      .where(eq(volunteerAttendances.activityId, a));
    const outs = await Promise.all(
      Array.from({ length: 3 }, () => self.post(`/api/volunteer-check-in-codes/${token}/check-out`)),
    );
    expect(outs.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const ok = outs.find((r) => r.statusCode === 200)?.json();
    expect(ok).toMatchObject({ outcome: 'checkedOut', minutes: 45, method: 'qr', distanceM: null });
    const closed = await attendances(a, selfVolunteerId);
    expect(closed.map((r) => r.minutes)).toEqual([45]);
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'volunteer.checkedOut' and target_id = ${a}`,
    )) as [{ n: number }];
    expect(n).toBe(1);
    const record = (await self.get(`/api/volunteers/${selfVolunteerId}`)).json().record;
    expect(record.find((r: { activityId: string }) => r.activityId === a)).toMatchObject({
      method: 'qr',
      minutes: 45,
    });
  });

  it('refuses outside the check-in hours (409), an account that is no volunteer (403), staff (403) and another community (404)', async () => {
    const later = await activity({ startsAt: hoursFromNow(5), endsAt: hoursFromNow(6) });
    const early = await self.post(`/api/volunteer-check-in-codes/${await codeOf(later)}/check-in`);
    expect(early.statusCode).toBe(409);
    const a = await activity();
    const token = await codeOf(a);
    const none = await stranger.post(`/api/volunteer-check-in-codes/${token}/check-in`);
    expect(none.statusCode).toBe(403);
    expect(none.json().title).toMatch(/志愿者/);
    expect((await community.post(`/api/volunteer-check-in-codes/${token}/check-in`)).statusCode).toBe(403);
    expect((await self.post(`/api/volunteer-check-in-codes/${token}/check-out`)).statusCode).toBe(409);
    const elsewhere = (
      await otherCommunity.post('/api/volunteer-activities', {
        title: '别的社区',
        placeName: '广场',
        location: place,
        radiusM: 100,
        startsAt: hoursFromNow(-1),
        endsAt: hoursFromNow(1),
        orgUnitId: t.communities[2]?.id,
      })
    ).json().id as string;
    const foreign = checkInToken(ctx.deps.crypto, elsewhere, new Date(Date.now() + 3_600_000));
    expect((await self.post(`/api/volunteer-check-in-codes/${foreign}/check-in`)).statusCode).toBe(404);
    expect(await attendances(elsewhere, selfVolunteerId)).toEqual([]);
  });
});
