import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../modules/org/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { seedDemoParticipation } from './participation.js';
import { seedDemoVolunteerTeams } from './volunteerTeams.js';

let ctx: TestContext;
let community: Session;
let street: Session;
let volunteer: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ctx.deps.db
    .update(orgUnits)
    .set({ name: '黄河西路街道' })
    .where(eq(orgUnits.id, t.streets[0]?.id as number));
  await ctx.deps.db
    .update(orgUnits)
    .set({ name: '保利新华社区' })
    .where(eq(orgUnits.id, t.communities[0]?.id as number));
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'volunteer', roles: ['volunteer'], orgUnit: t.communities[0] });
  await seedDemoParticipation(ctx.deps.db, { crypto: ctx.deps.crypto });
  await seedDemoVolunteerTeams(ctx.deps.db, { crypto: ctx.deps.crypto });
  [community, street, volunteer] = (await Promise.all(
    ['community', 'street', 'volunteer'].map((u) => login(ctx.app, u)),
  )) as [Session, Session, Session];
}, 180_000);
afterAll(() => ctx.close());

describe('the volunteer-team demo', () => {
  it('forms three teams in 保利新华社区 (the demo volunteer leads one) and one next door, with activities and hours', async () => {
    const mine = (await community.get('/api/volunteer-teams?pageSize=50')).json();
    expect(mine.total).toBe(3);
    const all = (await street.get('/api/volunteer-teams?pageSize=50')).json();
    expect(all.total).toBe(4);
    const care = mine.items.find((t: { name: string }) => t.name === '保利新华社区助老志愿服务队');
    expect(care.leader.name).toBe('双报到党员');
    for (const t of mine.items) {
      expect(t.memberCount).toBeGreaterThan(0);
      expect(t.activityCount).toBeGreaterThan(0);
    }
    expect(mine.items.some((t: { hours: number }) => t.hours > 0)).toBe(true);
  });

  it('has an activity of a team under way now, whose code the demo volunteer can scan to check in', async () => {
    const list = (await community.get('/api/volunteer-activities?when=upcoming&pageSize=50')).json();
    const now = Date.now();
    const running = list.items.find(
      (a: { startsAt: string; endsAt: string }) =>
        Date.parse(a.startsAt) <= now && Date.parse(a.endsAt) > now,
    );
    expect(running.teamName).toBe('保利新华社区助老志愿服务队');
    const code = (await community.get(`/api/volunteer-activities/${running.id}/check-in-code`)).json();
    const res = await volunteer.post(`/api/volunteer-check-in-codes/${code.token}/check-in`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().outcome).toBe('checkedIn');
  });
});
