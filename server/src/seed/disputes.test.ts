import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../modules/org/tables.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { seedDemoDisputes } from './disputes.js';

let ctx: TestContext;
let mediator: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await ctx.deps.db
    .update(orgUnits)
    .set({ name: '黄河西路街道' })
    .where(eq(orgUnits.id, t.streets[0]?.id as number));
  await makeUser(ctx.deps, { username: 'mediator', roles: ['mediator'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await seedDemoDisputes(ctx.deps.db, { crypto: ctx.deps.crypto });
  mediator = await login(ctx.app, 'mediator');
}, 180_000);
afterAll(() => ctx.close());

describe('the dispute demo', () => {
  it('gives the mediator a quarter of disputes of his street in every state, with agreements to print', async () => {
    const list = (await mediator.get('/api/disputes?pageSize=200')).json();
    expect(list.total).toBeGreaterThan(40);
    const states = new Set(list.items.map((x: { status: string }) => x.status));
    for (const s of ['registered', 'mediating', 'agreed', 'failed', 'closed']) expect(states).toContain(s);
    const closed = list.items.find((x: { status: string }) => x.status === 'closed');
    const d = (await mediator.get(`/api/disputes/${closed.id}`)).json();
    expect(d.events.map((e: { action: string }) => e.action)).toEqual([
      'register',
      'accept',
      'assign',
      'session',
      'agree',
      'followUp',
    ]);
    expect(d.parties[0].phone).toMatch(/^139\*{4}\d{4}$/);
    const registered = list.items.find((x: { status: string }) => x.status === 'registered');
    expect((await mediator.get(`/api/disputes/${registered.id}`)).json().allowedActions).toContain('accept');
  });

  it('has the registry, this week’s screening with grids missing, and today’s visitors', async () => {
    const bodies = (await mediator.get('/api/mediation-committees')).json().items;
    expect(bodies.map((b: { kind: string }) => b.kind)).toEqual(
      expect.arrayContaining(['people', 'studio', 'trade', 'stationed']),
    );
    const s = (await mediator.get('/api/dispute-screenings')).json();
    expect(s.missing.length).toBeGreaterThan(0);
    expect(s.reported.length).toBeGreaterThan(0);
    expect((await mediator.get('/api/receptions/summary')).json().total).toBe(4);
  });
});
