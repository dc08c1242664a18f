import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { cameras } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let otherStreet: Session;
let worker: Session;
/** Inside the first test grid (0.01° square at 109.87 °E) and the second street's first grid. */
const inGrid0 = { lat: 40.605, lng: 109.875 };
const inStreet2 = { lat: 40.605, lng: 109.915 };
const code = (n: number) => `1502030000132${String(n).padStart(7, '0')}`;

const register = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/cameras', {
    code: code(1),
    name: '钢铁大街与阿尔丁大街路口',
    location: inGrid0,
    owner: '昆区公安分局',
    type: 'ptz',
    streamUrl: 'https://video.example.gov.cn/live/0001.m3u8',
    ...extra,
  });
const total = async () => (await ctx.deps.db.select({ n: count() }).from(cameras))[0]?.n;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'street2', roles: ['streetCentre'], orgUnit: t.streets[1] });
  await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  street = await login(ctx.app, 'street');
  otherStreet = await login(ctx.app, 'street2');
  worker = await login(ctx.app, 'worker');
}, 120_000);
afterAll(() => ctx.close());

describe('the camera registry', () => {
  it('registers a camera in its grid and shows it in the map viewport', async () => {
    const res = await register(street);
    expect(res.statusCode, res.body).toBe(201);
    const cam = res.json();
    expect(cam).toMatchObject({ code: code(1), gridId: t.grids[0]?.id, location: inGrid0 });
    const inView = (await worker.get('/api/cameras?bbox=109.87,40.60,109.88,40.61')).json();
    expect(inView.items).toEqual([
      {
        id: cam.id,
        code: code(1),
        name: '钢铁大街与阿尔丁大街路口',
        location: inGrid0,
        streamUrl: 'https://video.example.gov.cn/live/0001.m3u8',
        owner: '昆区公安分局',
        type: 'ptz',
        gridId: t.grids[0]?.id,
      },
    ]);
    expect((await worker.get('/api/cameras?bbox=109.90,40.60,109.95,40.61')).json().items).toEqual([]);
    expect((await otherStreet.get('/api/cameras')).json().items).toEqual([]);
    expect((await otherStreet.get(`/api/cameras/${cam.id}`)).statusCode).toBe(404);
  });

  it('refuses a code of the wrong shape naming the field, and a code twice', async () => {
    const before = await total();
    for (const [bad, rule] of [
      ['1502030000132000001', 'format'],
      ['15020300001320000x1', 'format'],
      ['15000000001320000001', 'region'],
      ['15020300002000000001', 'type'],
    ] as const) {
      const res = await register(street, { code: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors[0]).toMatchObject({ field: 'code', rule });
    }
    expect((await register(street)).statusCode).toBe(409);
    expect((await register(street, { code: code(2), location: inStreet2 })).json().errors[0].field).toBe(
      'location',
    );
    expect((await register(street, { code: code(3), streamUrl: 'rtsp://x/1' })).statusCode).toBe(400);
    expect((await register(worker, { code: code(4) })).statusCode).toBe(403);
    expect(await total()).toBe(before);
  });

  it('finds the cameras near a case, nearest first, and edits one', async () => {
    const near = await register(street, {
      code: code(5),
      name: '近处',
      location: { lat: 40.6052, lng: 109.8752 },
    });
    expect(near.statusCode).toBe(201);
    await register(street, {
      code: code(6),
      name: '远处',
      location: { lat: 40.6095, lng: 109.8795 },
      streamUrl: null,
    });
    const found = (
      await worker.get(`/api/cameras/near?lat=${inGrid0.lat}&lng=${inGrid0.lng}&radius=200`)
    ).json();
    expect(found.items.map((c: { name: string }) => c.name)).toEqual(['钢铁大街与阿尔丁大街路口', '近处']);
    expect(found.items[1].distanceM).toBeGreaterThan(0);
    const edited = await street.patch(`/api/cameras/${near.json().id}`, { streamUrl: null, owner: '社区' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ streamUrl: null, owner: '社区' });
    expect((await otherStreet.patch(`/api/cameras/${near.json().id}`, { owner: '他人' })).statusCode).toBe(
      404,
    );
  });
});
