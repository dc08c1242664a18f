import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { sweepDeadlines } from '../cases/deadlines.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { invalidateNames } from '../cases/names.js';
import { caseEvents, cases } from '../cases/tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let clerk: Session;
let community: Session;
let district: Session;
let resident: Session;
const ids: Record<string, string[]> = {};

const reporterName = '欧阳保密';
const reporterPhone = '13987654321';
const reporterIdNumber = '150203199001011234';
const secretText = '屏幕不应显示的描述文字';

/** The centre of a test grid (0.01° squares at 40.60 °N). */
function inGrid(i: number) {
  const ring = (t.grids[i]?.geometry?.coordinates[0] ?? []) as number[][];
  return { lng: (ring[0]?.[0] as number) + 0.005, lat: (ring[0]?.[1] as number) + 0.005 };
}

async function reportIn(grid: number) {
  const r = await clerk.post('/api/cases', {
    description: `${secretText}，身份证${reporterIdNumber}`,
    categoryCode: 'C0103',
    channel: 'hotline_12345',
    location: inGrid(grid),
    address: `${reporterName}家门口`,
    reporter: { name: reporterName, phone: reporterPhone },
    idempotencyKey: randomUUID(),
  });
  expect(r.statusCode).toBe(201);
  const id = r.json().id as string;
  ids[grid] = [...(ids[grid] ?? []), id];
  return id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  invalidateNames();
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.district });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  await makeUser(ctx.deps, { username: 'district', roles: ['districtCommand'], orgUnit: t.district });
  await makeUser(ctx.deps, { username: 'resident', roles: ['resident'], orgUnit: t.grids[0] });
  clerk = await login(ctx.app, 'clerk');
  community = await login(ctx.app, 'community');
  district = await login(ctx.app, 'district');
  resident = await login(ctx.app, 'resident');
  // grids 0 and 1 are the first community's; grid 2 the next community's; grid 4 another street's.
  for (const g of [0, 0, 0, 1, 2, 2, 4]) await reportIn(g);
  const { db } = ctx.deps;
  const late = ids[0]?.[0] as string;
  await db
    .update(cases)
    .set({ dueAt: new Date(Date.now() - 60_000), warnAt: new Date(Date.now() - 120_000) })
    .where(eq(cases.id, late));
  await sweepDeadlines(db, null);
  // A closed case leaves the load of its grid.
  await db
    .update(cases)
    .set({ status: 'closed', step: 'none', closedAt: new Date() })
    .where(eq(cases.id, ids[2]?.[0] as string));
}, 60_000);
afterAll(() => ctx?.close());

type Grid = { id: number; name: string; communityName: string; open: number; overdue: number };

describe('the big screen', () => {
  it('shows a community only its own grids, with the open and overdue cases of each', async () => {
    const r = await community.get('/api/screen/grids');
    expect(r.statusCode).toBe(200);
    const grids = r.json().items as Grid[];
    expect(grids.map((g) => g.id)).toEqual([t.grids[0]?.id, t.grids[1]?.id]);
    expect(grids.map((g) => [g.open, g.overdue])).toEqual([
      [3, 1],
      [1, 0],
    ]);
    expect(grids[0]?.communityName).toBe(t.communities[0]?.name);
    expect((grids[0] as unknown as { geometry: { type: string } }).geometry.type).toBe('Polygon');
  });

  it('counts every grid of the district in one reply', async () => {
    const grids = (await district.get('/api/screen/grids')).json().items as Grid[];
    expect(grids).toHaveLength(8);
    const load = new Map(grids.map((g) => [g.id, g.open]));
    expect(t.grids.map((g) => load.get(g.id))).toEqual([3, 1, 1, 0, 1, 0, 0, 0]);
  });

  it('puts only the jurisdiction’s open cases on the map, overdue ones marked', async () => {
    const mine = (await community.get('/api/screen/cases')).json();
    expect(mine.capped).toBe(false);
    const seen = mine.items.map((c: { id: string }) => c.id).sort();
    expect(seen).toEqual([...(ids[0] ?? []), ...(ids[1] ?? [])].sort());
    const late = mine.items.find((c: { id: string }) => c.id === ids[0]?.[0]);
    expect(late).toMatchObject({ overdue: true, category: '路灯不亮或损坏', status: 'reported' });
    const all = (await district.get('/api/screen/cases')).json().items as { id: string }[];
    expect(all).toHaveLength(6);
    expect(all.map((c) => c.id)).not.toContain(ids[2]?.[0]);
  });

  it('feeds new cases and alerts from the trail, and only newer ones after a cursor', async () => {
    const feed = (await community.get('/api/screen/feed')).json().items as {
      id: number;
      kind: string;
      caseId: string;
      area: string;
    }[];
    const mine = new Set([...(ids[0] ?? []), ...(ids[1] ?? [])]);
    expect(feed.every((f) => mine.has(f.caseId))).toBe(true);
    expect(feed.filter((f) => f.kind === 'reported')).toHaveLength(4);
    expect(feed.find((f) => f.kind === 'overdue')?.caseId).toBe(ids[0]?.[0]);
    expect(feed[0]?.area).toMatch(/网格$/);
    const newest = Math.max(...feed.map((f) => f.id));
    expect((await community.get(`/api/screen/feed?after=${newest}`)).json().items).toEqual([]);
    const id = await reportIn(1);
    const next = (await community.get(`/api/screen/feed?after=${newest}`)).json().items;
    expect(next.map((f: { caseId: string; kind: string }) => [f.caseId, f.kind])).toEqual([[id, 'reported']]);
    const closed = (await district.get('/api/screen/feed')).json().items as {
      caseId: string;
      kind: string;
    }[];
    expect(closed.some((f) => f.caseId === ids[4]?.[0] && f.kind === 'reported')).toBe(true);
  });

  it('lists the feed newest first by when things happened, not by the order the trail was written', async () => {
    // The last case reported in grid 0 was written after the others, but happened two hours ago.
    const early = ids[0]?.[2] as string;
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await ctx.deps.db
      .update(caseEvents)
      .set({ at: twoHoursAgo })
      .where(and(eq(caseEvents.caseId, early), eq(caseEvents.action, 'report')));
    const feed = (await community.get('/api/screen/feed')).json().items as {
      id: number;
      at: string;
      caseId: string;
    }[];
    const times = feed.map((f) => Date.parse(f.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(feed.at(-1)).toMatchObject({ caseId: early, at: twoHoursAgo.toISOString() });
    // Events of the same moment keep the order they were written in, newest first.
    for (let i = 1; i < feed.length; i++)
      if (feed[i]?.at === feed[i - 1]?.at) expect((feed[i]?.id ?? 0) < (feed[i - 1]?.id ?? 0)).toBe(true);
  });

  it('carries no personal data: no reporter, phone, ID number, address or description', async () => {
    for (const url of ['/api/screen/grids', '/api/screen/cases', '/api/screen/feed']) {
      const body = (await district.get(url)).body;
      expect(body.length).toBeGreaterThan(50);
      expect(body).not.toContain(reporterName);
      expect(body).not.toContain(secretText);
      // Whole numbers only: the digits after a coordinate's decimal point are no phone.
      expect(body).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
      expect(body).not.toMatch(/(?<![\d.])\d{17}[\dXx](?!\d)/);
      expect(body).not.toContain(reporterPhone);
      expect(body).not.toMatch(/reporter|phone|description|address/i);
    }
  });

  it('is for accounts that may read metrics', async () => {
    expect((await resident.get('/api/screen/grids')).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/screen/cases' })).statusCode).toBe(401);
    expect((await district.get('/api/screen/feed?after=-1')).statusCode).toBe(400);
  });
});
