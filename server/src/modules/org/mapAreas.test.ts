import type { AreaGeometry } from '@civicgrid/core/api/org';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { orgUnits } from './tables.js';

let t: TestContext;
let territory: Awaited<ReturnType<typeof makeTerritory>>;

const square = (lng: number, lat: number, d: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + d, lat],
      [lng + d, lat + d],
      [lng, lat + d],
      [lng, lat],
    ],
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  territory = await makeTerritory(t.deps.db);
  const [s1, s2] = territory.streets;
  const [c11, c12, c21] = territory.communities;
  const db = t.deps.db;
  await db
    .update(orgUnits)
    .set({ geometry: square(109.8, 40.6, 0.2) })
    .where(eq(orgUnits.id, territory.district.id));
  for (const [u, lng] of [
    [s1, 109.8],
    [s2, 109.9],
    [c11, 109.8],
    [c21, 109.9],
  ] as const)
    await db
      .update(orgUnits)
      .set({ geometry: square(lng, 40.6, 0.05) })
      .where(eq(orgUnits.id, u?.id as number));
  // A community without a drawn area, and a retired one, are not on the map.
  await db
    .update(orgUnits)
    .set({ geometry: null })
    .where(eq(orgUnits.id, c12?.id as number));
  await db
    .update(orgUnits)
    .set({ retiredAt: new Date() })
    .where(inArray(orgUnits.id, [c21?.id as number]));
  await makeUser(t.deps, { username: 'district', roles: ['districtCommand'], orgUnit: territory.district });
  await makeUser(t.deps, { username: 'street1', roles: ['streetCentre'], orgUnit: s1 });
  await makeUser(t.deps, {
    username: 'dept',
    roles: ['departmentHandler'],
    departmentId: territory.departments[0]?.id,
  });
});
afterAll(() => t.close());

describe('map areas (GET /api/org/areas)', () => {
  it('gives the district, its streets and communities with their shapes — not grids, undrawn or retired areas', async () => {
    const s = await login(t.app, 'district');
    const res = await s.get('/api/org/areas');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; level: string; name: string; geometry: unknown }[];
    expect(items.map((a) => [a.code, a.level])).toEqual([
      ['150203', 'district'],
      ['150203001', 'street'],
      ['150203001001', 'community'],
      ['150203002', 'street'],
    ]);
    expect(items[1]).toMatchObject({ name: '测试1街道', geometry: square(109.8, 40.6, 0.05) });
  });

  it('keeps to the jurisdiction: a street sees itself and its communities', async () => {
    const s = await login(t.app, 'street1');
    const codes = ((await s.get('/api/org/areas')).json().items as { code: string }[]).map((a) => a.code);
    expect(codes).toEqual(['150203001', '150203001001']);
  });

  it('is refused without org:read', async () => {
    const s = await login(t.app, 'dept');
    expect((await s.get('/api/org/areas')).statusCode).toBe(403);
  });
});
