import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { users } from '../accounts/tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let community: Session;
let worker: Session;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  const [c1, c2] = t.communities;
  const make = async (username: string, roles: string[], orgUnit: unknown) => {
    const u = await makeUser(ctx.deps, { username, roles, orgUnit: orgUnit as NonNullable<typeof c1> });
    ids[username] = u.id;
  };
  await make('community', ['communityWorkstation'], c1);
  await make('colleague', ['communityWorkstation'], c1);
  await make('gridWorker', ['gridWorker'], t.grids[0]);
  await make('gone', ['communityWorkstation'], c1);
  await make('neighbour', ['communityWorkstation'], c2);
  await make('streetOfficer', ['streetCentre'], t.streets[0]);
  await ctx.deps.db
    .update(users)
    .set({ disabledAt: new Date() })
    .where(eq(users.id, ids.gone as string));
  community = await login(ctx.app, 'community');
  worker = await login(ctx.app, 'gridWorker');
}, 180_000);
afterAll(() => ctx.close());

describe('roster candidates', () => {
  it('are the active accounts of the unit and below it, not of other units or above', async () => {
    const res = await community.get(`/api/rosters/candidates?orgUnitId=${t.communities[0]?.id}`);
    expect(res.statusCode).toBe(200);
    const got = res.json().items.map((p: { userId: string }) => p.userId);
    expect(got).toContain(ids.community);
    expect(got).toContain(ids.colleague);
    expect(t.grids[0]?.path.startsWith(t.communities[0]?.path as string)).toBe(true);
    expect(got).toContain(ids.gridWorker);
    expect(got).not.toContain(ids.gone);
    expect(got).not.toContain(ids.neighbour);
    expect(got).not.toContain(ids.streetOfficer);
  });

  it('are refused outside the jurisdiction (400 orgUnitId) and without roster:write (403)', async () => {
    const outside = await community.get(`/api/rosters/candidates?orgUnitId=${t.communities[1]?.id}`);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('orgUnitId');
    const noRight = await worker.get(`/api/rosters/candidates?orgUnitId=${t.grids[0]?.id}`);
    expect(noRight.statusCode).toBe(403);
  });
});
