import { badRatingFrom, goodRatingUpTo } from '@civicgrid/core/api/services';
import { isWorkday, localDay, makeCalendar } from '@civicgrid/core/calendar/workCalendar';
import { applicationStates } from '@civicgrid/core/services/stateMachine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationRatings, applications } from '../modules/services/tables.js';
import { makeTerritory, makeUser } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { seedDemoServices } from './services.js';

let ctx: TestContext;
let apps: (typeof applications.$inferSelect)[];
let ratings: (typeof applicationRatings.$inferSelect)[];

/** The demo service centre over a small territory (the test's), with a window clerk. */
beforeAll(async () => {
  ctx = await createTestApp();
  const t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.communities[0] });
  await seedDemoServices(ctx.deps.db, { crypto: ctx.deps.crypto });
  apps = await ctx.deps.db.select().from(applications);
  ratings = await ctx.deps.db.select().from(applicationRatings);
}, 300_000);
afterAll(() => ctx.close());

describe('the demo service centre', () => {
  it('has 90 days of applications in every state, taken in on working days in office hours', () => {
    expect(apps.length).toBeGreaterThan(1500);
    expect(new Set(apps.map((a) => a.status))).toEqual(new Set(applicationStates));
    const cal = makeCalendar([]);
    const now = Date.now();
    for (const a of apps) {
      const at = a.createdAt.getTime();
      expect(at).toBeLessThanOrEqual(now);
      expect(now - at).toBeLessThan(92 * 86_400_000);
      expect(isWorkday(cal, localDay(at))).toBe(true);
      const hour = new Date(at + 8 * 3_600_000).getUTCHours();
      expect(hour >= 9 && hour < 18 && hour !== 12).toBe(true);
    }
  });

  it('has some overdue, some due soon and some waiting for material with what is missing', () => {
    const now = Date.now();
    const running = apps.filter((a) => a.status === 'accepted' && a.dueAt && a.warnAt);
    const overdue = running.filter((a) => (a.dueAt as Date).getTime() <= now);
    const warning = running.filter(
      (a) => (a.warnAt as Date).getTime() <= now && (a.dueAt as Date).getTime() > now,
    );
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(apps.length * 0.05);
    expect(warning.length).toBeGreaterThan(0);
    const waiting = apps.filter((a) => a.status === 'incomplete');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((a) => a.missing.length > 0 && (a.dueAt === null) === (a.pausedAt === null))).toBe(
      true,
    );
    // Done on time for the most part, as a working centre is.
    const done = apps.filter((a) => a.status === 'issued' || a.status === 'collected');
    const onTime = done.filter((a) => a.completedAt && a.dueAt && a.completedAt <= a.dueAt);
    expect(onTime.length / done.length).toBeGreaterThan(0.85);
  });

  it('rates ended applications mostly well, a few badly with rectifications open and closed', () => {
    const byId = new Map(apps.map((a) => [a.id, a]));
    expect(ratings.length).toBeGreaterThan(apps.length * 0.4);
    for (const r of ratings) {
      const a = byId.get(r.applicationId);
      expect(['issued', 'collected', 'rejected']).toContain(a?.status);
      expect(r.ratedAt.getTime()).toBeGreaterThanOrEqual(
        a?.completedAt?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      expect(r.rectifyBy !== null).toBe(r.level >= badRatingFrom);
    }
    const good = ratings.filter((r) => r.level <= goodRatingUpTo).length / ratings.length;
    expect(good).toBeGreaterThan(0.9);
    expect(good).toBeLessThan(1);
    const bad = ratings.filter((r) => r.rectifyBy !== null);
    expect(bad.some((r) => r.rectifiedAt !== null && r.rectifyNote)).toBe(true);
    expect(bad.some((r) => r.rectifiedAt === null)).toBe(true);
  });
});
