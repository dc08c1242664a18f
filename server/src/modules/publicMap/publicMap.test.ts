import { randomUUID } from 'node:crypto';
import { roundPoint } from '@civicgrid/core/api/publicReports';
import { idNumberCheckChar } from '@civicgrid/core/ids/idNumber';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeUser, type Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { act, casesWorld, inGrid0, report } from '../cases/testWorld.js';
import { residents } from '../residents/tables.js';

let ctx: TestContext;
let community: Session;
let resident: Session;
let admin: Session;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

const publicList = async (query = '') => {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/public/reports${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Record<string, unknown>[]; roundedTo: number };
};

beforeAll(async () => {
  ({ ctx, community, resident, t } = await casesWorld());
  await makeUser(ctx.deps, { username: 'sysadmin', roles: ['systemAdmin'] });
  admin = await login(ctx.app, 'sysadmin');
}, 240_000);
afterAll(async () => {
  await ctx?.close();
});

describe('rounding to ~50 m', () => {
  it('moves a point at most ~36 m, lands the same point on the same spot, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 18, max: 53, noNaN: true }),
        fc.double({ min: 73, max: 135, noNaN: true }),
        (lat, lng) => {
          const r = roundPoint({ lat, lng });
          const dy = (r.lat - lat) * 111_320;
          const dx = (r.lng - lng) * 111_320 * Math.cos((lat * Math.PI) / 180);
          expect(Math.hypot(dx, dy)).toBeLessThanOrEqual(36);
          expect(roundPoint(r)).toEqual(r);
          expect(roundPoint({ lat, lng })).toEqual(r);
        },
      ),
    );
  });

  it('joins neighbours 10 m apart into one spot most of the time, never jitters', () => {
    const a = roundPoint({ lat: 40.605, lng: 109.875 });
    expect(a).toEqual(roundPoint({ lat: 40.605, lng: 109.875 }));
    // Two points 100 m apart never share a spot.
    expect(roundPoint({ lat: 40.605 + 100 / 111_320, lng: 109.875 })).not.toEqual(a);
  });
});

describe('the public map of reports', () => {
  it('lists nothing of a category not opened to it; an admin opens it from the category config', async () => {
    const res = await report(resident, {
      channel: 'resident_app',
      reporter: undefined,
      publicDescription: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await publicList()).items).toEqual([]);
    const opened = await admin.patch('/api/case-categories/C0103', { publicMap: true });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().publicMap).toBe(true);
    const list = await publicList();
    expect(list.roundedTo).toBe(50);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toEqual({
      ref: 1,
      category: '路灯不亮',
      status: 'open',
      statusText: '已收到',
      reportedAt: expect.any(String),
      updatedAt: expect.any(String),
      closedAt: null,
      location: roundPoint(inGrid0),
      description: '小区门口路灯不亮，晚上出行不便',
    });
    // Closed again: gone.
    await admin.patch('/api/case-categories/C0103', { publicMap: false });
    expect((await publicList()).items).toEqual([]);
    await admin.patch('/api/case-categories/C0103', { publicMap: true });
  });

  it('shows the description only with the reporter’s consent, and the status in plain words', async () => {
    const quiet = (
      await report(resident, { channel: 'resident_app', reporter: undefined, description: '不愿公开的描述' })
    ).json();
    const list = await publicList();
    expect(list.items.some((i) => i.description === '不愿公开的描述')).toBe(false);
    expect(list.items.filter((i) => i.description === null)).toHaveLength(1);
    expect((await act(community, quiet.id, 'accept')).statusCode).toBe(200);
    const dept = t.departments.find((d) => d.name === '城管')?.id;
    expect(
      (await act(community, quiet.id, 'dispatch', { assignee: { kind: 'department', id: dept } })).statusCode,
    ).toBe(200);
    const after = await publicList();
    expect(after.items.find((i) => i.description === null)).toMatchObject({
      status: 'inProgress',
      statusText: '处理中',
    });
  });

  it('filters by bbox and since; bad ones are 400 naming the field', async () => {
    expect((await publicList('?bbox=109.87,40.60,109.88,40.61')).items.length).toBeGreaterThan(0);
    expect((await publicList('?bbox=109.90,40.60,109.95,40.61')).items).toEqual([]);
    expect(
      (await publicList(`?since=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`)).items,
    ).toEqual([]);
    for (const [q, field] of [
      ['?bbox=1,2,3', 'bbox'],
      ['?bbox=110,40,109,41', 'bbox'],
      ['?since=昨天', 'since'],
    ] as const) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/public/reports${q}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
  });

  it('no field of any public item holds a name, phone or ID number of the people behind the reports', async () => {
    const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'];
    const given = ['建国', '秀英', '桂兰', '志强', '海燕', '晓明', '丽娟', '文博'];
    const person = fc.record({
      name: fc.tuple(fc.constantFrom(...surnames), fc.constantFrom(...given)).map(([a, b]) => a + b),
      phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`),
      id17: fc
        .integer({ min: 0, max: 999 })
        .map((n) => `15020319${60 + (n % 40)}0101${String(n).padStart(3, '0')}`),
      anonymous: fc.boolean(),
      consent: fc.boolean(),
      dx: fc.double({ min: -0.004, max: 0.004, noNaN: true }),
    });
    const people = fc.sample(person, { numRuns: 12, seed: 20261202 });
    const seen: string[] = [];
    for (const [i, p] of people.entries()) {
      const id = p.id17 + idNumberCheckChar(p.id17);
      // The person is in the register too (the seeded data the map must not leak).
      await ctx.deps.db
        .insert(residents)
        .values({
          name: p.name,
          idNumberEnc: ctx.deps.crypto.encrypt(id),
          idNumberIdx: ctx.deps.crypto.blindIndex(id),
          idNumberTail: id.slice(-4),
          phoneEnc: ctx.deps.crypto.encrypt(p.phone),
          phoneIdx: ctx.deps.crypto.blindIndex(p.phone),
          sex: 'female',
          birthDate: '1970-01-01',
          birthplaceCode: '150203',
          gridId: t.grids[0]?.id as number,
          orgPath: t.grids[0]?.path as string,
        })
        .onConflictDoNothing();
      const named = p.anonymous ? '' : `我是${p.name}，`;
      const res = await report(community, {
        channel: 'walk_in',
        description: `${named}电话 ${p.phone}，身份证 ${id}，楼下路灯坏了 ${i}`,
        address: `昆区钢铁大街 ${i} 号 ${p.name} 家门口`,
        reporter: p.anonymous ? undefined : { name: p.name, phone: p.phone },
        anonymous: p.anonymous,
        publicDescription: p.consent,
        location: { lat: inGrid0.lat, lng: inGrid0.lng + p.dx },
        idempotencyKey: randomUUID(),
      });
      expect(res.statusCode, res.body).toBe(201);
      seen.push(p.name, p.phone, id, id.slice(0, 17), p.phone.slice(3));
    }
    const list = await publicList();
    expect(list.items.length).toBeGreaterThanOrEqual(people.length);
    expect(
      list.items.some((i) => typeof i.description === 'string' && i.description.includes('路灯坏了')),
    ).toBe(people.some((p) => p.consent));
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const item of list.items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'category',
          'closedAt',
          'description',
          'location',
          'ref',
          'reportedAt',
          'status',
          'statusText',
          'updatedAt',
        ].sort(),
      );
      for (const s of strings(item)) for (const secret of seen) expect(s).not.toContain(secret);
    }
    // The point is the rounded one, never the reported one.
    for (const item of list.items) {
      const loc = item.location as { lat: number; lng: number };
      expect(roundPoint(loc)).toEqual(loc);
    }
  });
});
