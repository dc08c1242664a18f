import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../modules/org/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { seedDemoGovernance } from './governance.js';

let ctx: TestContext;
let street: Session;
let community: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  const db = ctx.deps.db;
  // The demo's names on the test territory: its first street and community.
  await db
    .update(orgUnits)
    .set({ name: '黄河西路街道' })
    .where(eq(orgUnits.id, t.streets[0]?.id as number));
  await db
    .update(orgUnits)
    .set({ name: '保利新华社区' })
    .where(eq(orgUnits.id, t.communities[0]?.id as number));
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'gridworker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  await seedDemoGovernance(db, { crypto: ctx.deps.crypto });
  street = await login(ctx.app, 'street');
  community = await login(ctx.app, 'community');
}, 180_000);
afterAll(() => ctx.close());

describe('the governance demo', () => {
  it('has a quarter of grievances in several states, 40 cameras, a closed emergency and a briefing', async () => {
    const g = (await street.get('/api/grievances?pageSize=200')).json();
    expect(g.total).toBe(26);
    const states = new Set(g.items.map((x: { status: string }) => x.status));
    for (const s of ['registered', 'accepted', 'answered', 'closed', 'declined']) expect(states).toContain(s);
    const stats = (await street.get('/api/grievances/stats')).json();
    expect(stats.answered).toBeGreaterThan(0);
    // One near its answer's deadline and one not told in time, so the list shows both.
    expect(stats).toMatchObject({ warning: 1, overdue: 1 });
    // No step is dated after today.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const item of g.items) {
      const d = (await street.get(`/api/grievances/${item.id}`)).json();
      for (const st of Object.values(d.steps) as { doneOn: string | null }[])
        if (st.doneOn) expect(st.doneOn <= today, `${d.code} ${st.doneOn}`).toBe(true);
    }
    expect((await street.get('/api/cameras')).json().items).toHaveLength(40);
    const incidents = (await street.get('/api/incidents?status=closed')).json();
    expect(incidents.total).toBe(1);
    const report = await street.get(`/api/incidents/${incidents.items[0].id}/report.pdf`);
    expect(report.statusCode).toBe(200);
    const b = (await street.get('/api/briefings')).json();
    expect(b.items[0]).toMatchObject({ decisions: 3, done: 1 });
    // The community's own task from the meeting is on its list.
    expect((await community.get('/api/briefing-tasks?open=true')).json().total).toBeGreaterThanOrEqual(1);
    expect(
      (
        await community.get(
          `/api/rosters?orgUnitId=${incidents.items[0].orgUnitId}&from=2000-01-01&to=2100-01-01`,
        )
      ).json().items,
    ).toHaveLength(7);
  });
});
