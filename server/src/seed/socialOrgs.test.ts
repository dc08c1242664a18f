import { isValidCreditCode } from '@civicgrid/core';
import { creditCodePrefixOf, incubationStages } from '@civicgrid/core/participation/socialOrgs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../modules/org/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { seedDemoSocialOrgs } from './socialOrgs.js';

let ctx: TestContext;
let community: Session;
let street: Session;

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
  await seedDemoSocialOrgs(ctx.deps.db, { crypto: ctx.deps.crypto });
  [community, street] = [await login(ctx.app, 'community'), await login(ctx.app, 'street')];
}, 180_000);
afterAll(() => ctx.close());

describe('the social-organization demo', () => {
  it('registers a dozen organizations of the street with valid codes of their kind, the mediation studio among them', async () => {
    const list = (await street.get('/api/social-orgs?pageSize=50')).json();
    expect(list.total).toBe(12);
    for (const o of list.items) {
      const prefix = creditCodePrefixOf[o.type as keyof typeof creditCodePrefixOf];
      if (prefix === null) expect(o.creditCode).toBeNull();
      else {
        expect(isValidCreditCode(o.creditCode)).toBe(true);
        expect(o.creditCode.startsWith(prefix)).toBe(true);
      }
      expect(o.contactPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
    const names = list.items.map((o: { name: string }) => o.name);
    expect(names).toContain('“家长里短”调解工作室');
    // The community sees its own groups and none of the street's other communities.
    const mine = (await community.get('/api/social-orgs?pageSize=50')).json();
    expect(mine.total).toBeGreaterThan(3);
    expect(mine.total).toBeLessThan(12);
  });

  it('has incubated organizations whose history leads to their stage, in order', async () => {
    const list = (await street.get('/api/social-orgs?pageSize=50')).json();
    const incubated = list.items.filter((o: { incubationStage: string | null }) => o.incubationStage);
    expect(incubated.length).toBeGreaterThanOrEqual(4);
    for (const o of incubated) {
      const d = (await street.get(`/api/social-orgs/${o.id}`)).json();
      const stages = d.incubations.map((i: { stage: string }) => incubationStages.indexOf(i.stage as never));
      expect(stages).toEqual([...stages].sort());
      expect(d.incubations.at(-1)).toMatchObject({ stage: o.incubationStage, on: o.incubationSince });
      const days = d.incubations.map((i: { on: string }) => i.on);
      expect(days).toEqual([...days].sort());
    }
  });

  it('has 公益创投 projects in every state whose figures obey the rules: spending within budget, milestones in the period, completion with all done', async () => {
    const list = (await street.get('/api/social-projects?pageSize=50')).json();
    expect(new Set(list.items.map((p: { status: string }) => p.status))).toEqual(
      new Set(['applied', 'approved', 'inProgress', 'completed', 'terminated']),
    );
    for (const p of list.items) {
      const d = (await street.get(`/api/social-projects/${p.id}`)).json();
      expect(d.spentFen).toBeLessThanOrEqual(d.budgetFen ?? 0);
      for (const m of d.milestoneList) {
        expect(m.dueOn >= d.startsOn && m.dueOn <= d.endsOn).toBe(true);
      }
      if (d.status === 'completed') expect(d.milestonesDone).toBe(d.milestones);
      expect(d.events[0].action).toBe('apply');
      expect(d.events.at(-1).toState).toBe(d.status);
    }
    const running = list.items.find((p: { status: string }) => p.status === 'inProgress');
    const d = (await street.get(`/api/social-projects/${running.id}`)).json();
    expect(d.milestoneList.some((m: { overdue: boolean }) => m.overdue)).toBe(true);
  });
});
