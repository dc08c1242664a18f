import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { casesWorld, countCases, inGrid0, report, upload } from './testWorld.js';

/* Reporting a case: placing, idempotency, bad input, photos, duplicates. */

let ctx: TestContext;
let community: Session;
let otherCommunity: Session;
let clerk: Session;
let png: Buffer;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

beforeAll(async () => {
  ({ ctx, community, otherCommunity, clerk, png, t } = await casesWorld());
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

const caseCount = () => countCases(ctx);

describe('reporting a case', () => {
  it('places it in its grid, community and street, with the accept deadline, and returns the contract shape', async () => {
    const res = await report(clerk);
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      status: 'reported',
      gridId: t.grids[0]?.id,
      communityId: t.communities[0]?.id,
      streetId: t.streets[0]?.id,
      handlingUnitId: t.communities[0]?.id,
      categoryCode: 'C0103',
    });
    expect(c.code).toMatch(/^SJ\d{8}\d{6}$/);
    expect(c.deadlines.step).toBe('accept');
    expect(Date.parse(c.deadlines.acceptBy)).toBeGreaterThan(Date.now());
  });

  it('makes one case from the same idempotency key sent twice, even at the same time', async () => {
    const key = randomUUID();
    const before = await caseCount();
    const [a, b] = await Promise.all([
      report(clerk, { idempotencyKey: key }),
      report(clerk, { idempotencyKey: key }),
    ]);
    const c = await report(clerk, { idempotencyKey: key });
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(c.statusCode).toBe(200);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    expect(await caseCount()).toBe(before + 1);
  });

  it('sends a case outside every grid to the district pool', async () => {
    const res = await report(clerk, { location: { lat: 41.5, lng: 111.2 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ gridId: null, communityId: null, handlingUnitId: t.district.id });
  });

  it('places an address-only report where the reporter works', async () => {
    const res = await report(community, { location: undefined, address: '测试小区3号楼2单元' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      gridId: null,
      communityId: t.communities[0]?.id,
      handlingUnitId: t.communities[0]?.id,
    });
    const neither = await report(community, { location: undefined });
    expect(neither.json().errors[0].field).toBe('location');
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const before = await caseCount();
    const unknown = await report(clerk, { categoryCode: 'X9999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('categoryCode');
    const major = await report(clerk, { categoryCode: 'E01' });
    expect(major.json().errors[0]).toMatchObject({ field: 'categoryCode', rule: 'leaf' });
    const world = await report(clerk, { location: { lat: 91, lng: 200 } });
    expect(world.statusCode).toBe(400);
    expect(world.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['location.lat', 'location.lng']),
    );
    const photos = await report(clerk, { attachmentIds: Array.from({ length: 10 }, () => randomUUID()) });
    expect(photos.statusCode).toBe(400);
    expect(photos.json().errors[0].field).toBe('attachmentIds');
    const missing = await report(clerk, { attachmentIds: [randomUUID()] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('attachmentIds');
    const noDescription = await report(clerk, { description: '' });
    expect(noDescription.json().errors[0].field).toBe('description');
    expect(await caseCount()).toBe(before);
  });

  it('checks photos by their content, not their name', async () => {
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]);
    const r1 = await upload(clerk, fakeJpeg, 'photo.jpg', 'image/jpeg');
    expect(r1.statusCode).toBe(415);
    expect(r1.json().code).toBe('FILE_TYPE');
    const r2 = await upload(clerk, Buffer.from('hello'), 'photo.png', 'image/png');
    expect(r2.statusCode).toBe(415);
    const ok = await upload(clerk, png);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
    const thumb = await clerk.get(ok.json().thumbUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    // Someone else's unused upload is not theirs to see.
    expect((await otherCommunity.get(ok.json().url)).statusCode).toBe(404);
  });

  it('offers nearby open cases of the same category as duplicates', async () => {
    await report(clerk);
    const res = await clerk.get(
      `/api/cases/duplicates?lat=${inGrid0.lat}&lng=${inGrid0.lng + 0.0005}&categoryCode=C0103`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items[0].distanceM).toBeLessThanOrEqual(200);
  });
});
