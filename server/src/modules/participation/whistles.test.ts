import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { whistleDepartments, whistles } from './tables.js';
import { whistleReportCounts } from './whistles.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let otherStreet: Session;
let community: Session;
let chengguan: Session;
let zhujian: Session;
let district: Session;
let cg: number;
let zj: number;

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const raise = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/whistles', {
    subject: '背街小巷积水成片，涉及排水与道路',
    departmentIds: [cg],
    deadline: inHours(24),
    ...extra,
  });
const report = (s: Session, id: string, departmentId: number, note = '已到场，疏通排水口') =>
  s.post(`/api/whistles/${id}/reports`, { departmentId, note });
const audits = async (action: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.deps.db,
      sql`select count(*)::int as n from audit_log where action = ${action}`,
    )
  )[0]?.n ?? 0;

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  cg = t.departments[0]?.id as number;
  zj = t.departments[1]?.id as number;
  await makeUser(ctx.deps, { username: 'st', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'st2', roles: ['streetCentre'], orgUnit: t.streets[1] });
  await makeUser(ctx.deps, { username: 'comm', roles: ['communityWorkstation'], orgUnit: t.communities[0] });
  await makeUser(ctx.deps, { username: 'cg', roles: ['departmentHandler'], departmentId: cg });
  await makeUser(ctx.deps, { username: 'zj', roles: ['departmentHandler'], departmentId: zj });
  const sessions = await Promise.all(['st', 'st2', 'comm', 'cg', 'zj'].map((u) => login(ctx.app, u)));
  street = sessions[0] as Session;
  otherStreet = sessions[1] as Session;
  community = sessions[2] as Session;
  chengguan = sessions[3] as Session;
  zhujian = sessions[4] as Session;
  await makeUser(ctx.deps, { username: 'dist', roles: ['districtCommand'], orgUnit: t.district });
  district = await login(ctx.app, 'dist');
});
afterAll(() => ctx?.close());

describe('街道吹哨', () => {
  it('a street summons departments: 201 with each department waiting, audited', async () => {
    const before = await audits('whistle.raised');
    const res = await raise(street, { departmentIds: [cg, zj, cg] });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json();
    expect(w.orgUnitId).toBe(t.streets[0]?.id);
    expect(
      w.departments.map((d: { departmentId: number; state: string }) => [d.departmentId, d.state]).sort(),
    ).toEqual(
      [
        [cg, 'waiting'],
        [zj, 'waiting'],
      ].sort(),
    );
    expect(await audits('whistle.raised')).toBe(before + 1);
  });

  it('refuses a past deadline, an unknown department, an unseen case and a non-street raiser, naming the field; nothing written', async () => {
    const [before] = await ctx.deps.db.select({ n: count() }).from(whistles);
    const bad: [Session, Record<string, unknown>, string, number][] = [
      [street, { deadline: inHours(-1) }, 'deadline', 400],
      [street, { deadline: 'tomorrow' }, 'deadline', 400],
      [street, { departmentIds: [] }, 'departmentIds', 400],
      [street, { departmentIds: [cg, 999_999] }, 'departmentIds', 400],
      [street, { caseId: randomUUID() }, 'caseId', 400],
      [street, { subject: '' }, 'subject', 400],
    ];
    for (const [s, extra, field, status] of bad) {
      const res = await raise(s, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // Only streets raise whistles: a community has no whistle:raise, a department neither.
    expect((await raise(community)).statusCode).toBe(403);
    expect((await raise(chengguan)).statusCode).toBe(403);
    const [after] = await ctx.deps.db.select({ n: count() }).from(whistles);
    expect(after?.n).toBe(before?.n);
  });
});

describe('部门报到', () => {
  it('each summoned department reports once for itself; another department, an unsummoned one or a second report is refused', async () => {
    const id = (await raise(street, { departmentIds: [cg] })).json().id as string;
    // 住建 was not summoned: the whistle does not exist for it.
    expect((await report(zhujian, id, zj)).statusCode).toBe(404);
    expect((await zhujian.get(`/api/whistles/${id}`)).statusCode).toBe(404);
    // 城管 reports only for 城管.
    const forOther = await report(chengguan, id, zj);
    expect(forOther.statusCode).toBe(403);
    expect(forOther.json().code).toBe('WHISTLE_OTHER_DEPARTMENT');
    const ok = await report(chengguan, id, cg);
    expect(ok.statusCode, ok.body).toBe(200);
    const d = ok.json().departments[0];
    expect(d).toMatchObject({ departmentId: cg, state: 'reported', note: '已到场，疏通排水口' });
    const again = await report(chengguan, id, cg);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('WHISTLE_ALREADY_REPORTED');
    // The street may read but not report.
    expect((await report(street, id, cg)).statusCode).toBe(403);
  });

  it('a bad report names the field', async () => {
    const id = (await raise(street)).json().id as string;
    const res = await chengguan.post(`/api/whistles/${id}/reports`, { departmentId: cg, note: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('note');
  });

  it('lateness is kept: a report after the deadline is late, none at all is missing, and both are counted per department', async () => {
    const id = (await raise(street, { departmentIds: [cg, zj] })).json().id as string;
    const past = new Date(Date.now() - 3_600_000);
    await ctx.deps.db.update(whistles).set({ deadline: past }).where(eq(whistles.id, id));
    const late = await report(chengguan, id, cg, '迟到报到');
    expect(late.statusCode).toBe(200);
    const states = Object.fromEntries(
      late.json().departments.map((d: { departmentId: number; state: string }) => [d.departmentId, d.state]),
    );
    expect(states).toEqual({ [cg]: 'late', [zj]: 'missing' });
    const rows = await whistleReportCounts(
      ctx.deps.db,
      new Date(past.getTime() - 1000),
      new Date(past.getTime() + 1000),
    );
    expect(rows.find((r) => r.departmentId === cg)).toMatchObject({ summoned: 1, late: 1, missing: 0 });
    expect(rows.find((r) => r.departmentId === zj)).toMatchObject({ summoned: 1, late: 0, missing: 1 });
    const [kept] = await ctx.deps.db
      .select()
      .from(whistleDepartments)
      .where(eq(whistleDepartments.whistleId, id))
      .orderBy(whistleDepartments.departmentId);
    expect(kept?.reportedAt).not.toBeNull();
  });

  it('the department evaluation takes points off for each summons answered late or not at all', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const res = await district.get(`/api/assessment/scorecards?start=${today}&period=week&level=department`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { id: number; items: { key: string; value: number; points: number }[] }[];
    const late = (id: number) => rows.find((r) => r.id === id)?.items.find((i) => i.key === 'whistlesLate');
    // 城管 reported after the deadline, 住建 not at all: one each, 2 points off by the default rule.
    expect(late(cg)).toMatchObject({ value: 1, points: -2 });
    expect(late(zj)).toMatchObject({ value: 1, points: -2 });
  });

  it('lists: the street sees its whistles, another street none of them, a department only those summoning it', async () => {
    const a = (await raise(street, { departmentIds: [zj] })).json().id as string;
    const ids = (s: Session, q = '') =>
      s.get(`/api/whistles?pageSize=200${q}`).then((r) => r.json().items.map((i: { id: string }) => i.id));
    expect(await ids(street)).toContain(a);
    expect(await ids(otherStreet)).not.toContain(a);
    expect(await ids(zhujian)).toContain(a);
    expect(await ids(chengguan)).not.toContain(a);
    expect(await ids(street, '&status=open')).toContain(a);
    await report(zhujian, a, zj);
    expect(await ids(street, '&status=open')).not.toContain(a);
    expect(await ids(street, '&status=done')).toContain(a);
  });
});
