import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { gridTeamMembers } from '../org/tables.js';
import { ensureCaseDefaults } from './defaults.js';
import { caseEvents } from './tables.js';

/**
 * Issue 12 item 6: an idempotency key is the sender's own. Reporting with another street's
 * case key returned that case (200) though GET of it was 404.
 */
let ctx: TestContext;
let clerkA: Session;
let residentB: Session;
let gridWorkerB: Session;
let gridWorkerB2: Session;
let t: Awaited<ReturnType<typeof makeTerritory>>;

const inGrid = (i: number) => {
  const g = t.grids[i]?.geometry as { coordinates: [number, number][][] };
  const [lng, lat] = g.coordinates[0]?.[0] ?? [0, 0];
  return { lat: lat + 0.005, lng: lng + 0.005 };
};

const report = (s: Session, key: string, grid: number, channel = 'hotline_12345') =>
  s.post('/api/cases', {
    description: '小区门口路灯不亮',
    categoryCode: 'C0103',
    channel,
    location: inGrid(grid),
    idempotencyKey: key,
  });

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'clerkA', roles: ['serviceClerk'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'residentB', roles: ['resident'], orgUnit: t.grids[7] });
  const gw = await makeUser(ctx.deps, { username: 'gridB', roles: ['gridWorker'], orgUnit: t.grids[7] });
  await ctx.deps.db
    .insert(gridTeamMembers)
    .values({ gridId: t.grids[7]?.id as number, userId: gw.id, role: 'gridManager' });
  const gw2 = await makeUser(ctx.deps, { username: 'gridB2', roles: ['gridWorker'], orgUnit: t.grids[7] });
  await ctx.deps.db
    .insert(gridTeamMembers)
    .values({ gridId: t.grids[7]?.id as number, userId: gw2.id, role: 'gridAssistant' });
  gridWorkerB2 = await login(ctx.app, 'gridB2');
  clerkA = await login(ctx.app, 'clerkA');
  residentB = await login(ctx.app, 'residentB');
  gridWorkerB = await login(ctx.app, 'gridB');
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('idempotency keys belong to their sender', () => {
  it("another user's key is a new key: it never returns the other user's case", async () => {
    const key = randomUUID();
    const first = await report(clerkA, key, 0);
    expect(first.statusCode).toBe(201);
    const theirs = first.json();
    expect((await residentB.get(`/api/cases/${theirs.id}`)).statusCode).toBe(404);

    const probe = await report(residentB, key, 7, 'resident_app');
    expect(probe.statusCode).toBe(201);
    expect(probe.json().id).not.toBe(theirs.id);
    expect(probe.json().code).not.toBe(theirs.code);
    expect(JSON.stringify(probe.json())).not.toContain(theirs.code);
  });

  it('the same sender retrying with the same key gets the same case, once', async () => {
    const key = randomUUID();
    const [a, b] = await Promise.all([report(clerkA, key, 0), report(clerkA, key, 0)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    const again = await report(clerkA, key, 0);
    expect(again.json().id).toBe(a.json().id);
  });

  it("an action key used by someone else on the same case does not mark this user's action done", async () => {
    const c = (await report(gridWorkerB, randomUUID(), 7, 'grid_patrol')).json();
    const key = randomUUID();
    // The grid worker adds a note with a key; the same key from a colleague is his own action,
    // and from the clerk (outside the case's street) a plain 404.
    const mine = await gridWorkerB.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/note`,
      headers: { 'idempotency-key': key },
      payload: { note: '已到现场查看' },
    });
    expect(mine.statusCode).toBe(200);
    const foreign = await clerkA.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/note`,
      headers: { 'idempotency-key': key },
      payload: { note: '探测' },
    });
    expect(foreign.statusCode).toBe(404);
    const colleague = await gridWorkerB2.inject({
      method: 'POST',
      url: `/api/cases/${c.id}/actions/note`,
      headers: { 'idempotency-key': key },
      payload: { note: '同组网格员补充情况' },
    });
    expect(colleague.statusCode).toBe(200);
    const notes = await ctx.deps.db
      .select({ note: caseEvents.note })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'note')));
    expect(notes.map((n) => n.note).sort()).toEqual(['同组网格员补充情况', '已到现场查看'].sort());
  });
});
