import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { notifications } from '../cases/tables.js';
import { sweepApplicationDeadlines } from './deadlines.js';
import { applicationEvents, applications } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let clerk: Session;
let street: Session;
let users: Record<string, string>;

const subsidy = {
  code: 'GLJT',
  name: '高龄津贴申请',
  category: 'street',
  level: 'street',
  timeLimitDays: 10,
  statutoryDays: 20,
  materials: [{ name: '居民身份证', required: true }],
};

let seq = 0;
async function accepted(): Promise<string> {
  seq++;
  const first17 = `15020319600101${String(seq).padStart(3, '0')}`;
  const res = await clerk.post('/api/applications', {
    serviceCode: 'GLJT',
    applicant: { idNumber: first17 + idNumberCheckChar(first17), name: '王桂英' },
    materials: [{ name: '居民身份证', provided: true }],
    channel: 'window',
    idempotencyKey: randomUUID(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function clock(id: string, warnAt: Date, dueAt: Date) {
  await ctx.deps.db.update(applications).set({ warnAt, dueAt }).where(eq(applications.id, id));
}

async function noticesOf(userId: string, code: string) {
  return ctx.deps.db
    .select({ kind: notifications.kind, title: notifications.title })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), like(notifications.title, `%${code}%`)));
}

async function codeOf(id: string) {
  const [row] = await ctx.deps.db
    .select({ code: applications.code })
    .from(applications)
    .where(eq(applications.id, id));
  return row?.code ?? '';
}

const sweep = (now: Date) => sweepApplicationDeadlines(ctx.deps.db, null, now);

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'admin', roles: ['systemAdmin'] });
  const ids = {
    clerk: await makeUser(ctx.deps, {
      username: 'clerk',
      roles: ['serviceClerk'],
      orgUnit: t.communities[0],
    }),
    street: await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] }),
    street2: await makeUser(ctx.deps, {
      username: 'street2',
      roles: ['streetCentre'],
      orgUnit: t.streets[0],
    }),
    other: await makeUser(ctx.deps, { username: 'other', roles: ['streetCentre'], orgUnit: t.streets[1] }),
  };
  users = Object.fromEntries(Object.entries(ids).map(([k, u]) => [k, u.id]));
  const admin = await login(ctx.app, 'admin');
  clerk = await login(ctx.app, 'clerk');
  street = await login(ctx.app, 'street');
  expect((await admin.post('/api/services', subsidy)).statusCode).toBe(201);
}, 120_000);
afterAll(() => ctx.close());

describe('time limits of applications', () => {
  it('warns at 80 % and marks overdue past the due time, notifying each handler once', async () => {
    const id = await accepted();
    const code = await codeOf(id);
    const warnAt = new Date(Date.now() + 10 * 86_400_000);
    const dueAt = new Date(warnAt.getTime() + 2 * 86_400_000);
    await clock(id, warnAt, dueAt);

    expect(await sweep(new Date(warnAt.getTime() - 1))).toMatchObject({ warned: 0, overdue: 0 });
    expect(await sweep(warnAt)).toMatchObject({ warned: 1, overdue: 0, notified: 2 });
    expect(await sweep(warnAt)).toMatchObject({ warned: 0, overdue: 0, notified: 0 });
    expect(await sweep(new Date(dueAt.getTime() - 1))).toMatchObject({ warned: 0, overdue: 0 });
    // Two sweeps at once (two processes): one of them notes it.
    const both = await Promise.all([sweep(dueAt), sweep(dueAt)]);
    expect(both.reduce((n, r) => n + r.overdue, 0)).toBe(1);
    expect(await sweep(new Date(dueAt.getTime() + 86_400_000))).toMatchObject({ overdue: 0, notified: 0 });

    for (const u of [users.street, users.street2]) {
      const got = await noticesOf(u as string, code);
      expect(got.map((n) => n.kind).sort()).toEqual(['application.overdue', 'application.warning']);
      expect(got.find((n) => n.kind === 'application.warning')?.title).toBe(
        `即将超期：高龄津贴申请（${code}）`,
      );
      // No applicant's name in a notification.
      expect(got.every((n) => !n.title.includes('王桂英'))).toBe(true);
    }
    // The window that took it in and the other street's back office are not its handlers.
    expect(await noticesOf(users.clerk as string, code)).toEqual([]);
    expect(await noticesOf(users.other as string, code)).toEqual([]);
    const trail = await ctx.deps.db
      .select({ action: applicationEvents.action })
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, id));
    expect(trail.map((e) => e.action)).toEqual(['intake', 'warning', 'overdue']);
  });

  it('lists warning and overdue applications by filter, with the working days left on the detail', async () => {
    const late = await accepted();
    const soon = await accepted();
    const fresh = await accepted();
    const now = Date.now();
    await clock(late, new Date(now - 5 * 86_400_000), new Date(now - 86_400_000));
    await clock(soon, new Date(now - 60_000), new Date(now + 7 * 86_400_000));
    const ids = (q: string) =>
      street
        .get(`/api/applications?${q}&pageSize=100`)
        .then((r) => r.json().items.map((a: { id: string }) => a.id));
    const overdue = await ids('overdue=true');
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(soon);
    expect(overdue).not.toContain(fresh);
    const warning = await ids('warning=true');
    expect(warning).toContain(soon);
    expect(warning).not.toContain(late);
    expect(warning).not.toContain(fresh);

    const rows = (await street.get('/api/applications?pageSize=100')).json().items;
    const tagOf = (id: string) => rows.find((a: { id: string }) => a.id === id);
    expect(tagOf(late)).toMatchObject({ overdue: true, warning: false });
    expect(tagOf(soon)).toMatchObject({ overdue: false, warning: true });
    expect(tagOf(fresh)).toMatchObject({ overdue: false, warning: false });

    const left = async (id: string) => (await street.get(`/api/applications/${id}`)).json().workingDaysLeft;
    expect(await left(late)).toBeLessThan(0);
    const soonLeft = await left(soon);
    expect(soonLeft).toBeGreaterThan(0);
    expect(soonLeft).toBeLessThanOrEqual(6);
    // Ten working days from now, less the minutes already spent.
    expect(await left(fresh)).toBeGreaterThan(9.5);
  });

  it('stands still while waiting for material: neither warned, overdue nor listed as such, and resumes with the time left', async () => {
    const id = await accepted();
    const asked = await street.post(`/api/applications/${id}/actions/requestMaterial`, {
      missing: ['户口簿'],
    });
    expect(asked.statusCode, asked.body).toBe(200);
    // The clock stopped two working days before its due time; long after, it is still waiting.
    const pausedAt = new Date('2026-11-30T01:00:00Z');
    const dueAt = new Date('2026-12-02T01:00:00Z');
    await ctx.deps.db
      .update(applications)
      .set({ pausedAt, dueAt, warnAt: new Date('2026-11-30T10:00:00Z') })
      .where(eq(applications.id, id));
    await sweep(new Date('2026-12-20T01:00:00Z'));
    const noted = async () =>
      (
        await ctx.deps.db
          .select({ action: applicationEvents.action })
          .from(applicationEvents)
          .where(eq(applicationEvents.applicationId, id))
      ).map((e) => e.action);
    expect(await noted()).toEqual(['intake', 'requestMaterial']);
    const listed = (await street.get('/api/applications?overdue=true&pageSize=100')).json().items;
    expect(listed.map((a: { id: string }) => a.id)).not.toContain(id);
    const detail = (await street.get(`/api/applications/${id}`)).json();
    expect(detail).toMatchObject({
      status: 'incomplete',
      overdue: false,
      warning: false,
      workingDaysLeft: null,
    });

    const back = await clerk.post(`/api/applications/${id}/actions/supplement`, {});
    expect(back.statusCode, back.body).toBe(200);
    const resumed = back.json();
    expect(resumed).toMatchObject({ status: 'accepted', overdue: false });
    // The two working days that were left run from now.
    expect(resumed.workingDaysLeft).toBeGreaterThan(1.9);
    expect(resumed.workingDaysLeft).toBeLessThanOrEqual(2);
    await sweep(new Date());
    expect(await noted()).toEqual(['intake', 'requestMaterial', 'supplement']);
  });
});
