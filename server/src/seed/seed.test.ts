import { builtInRoles, dutyConflict, holdsAdminDuty } from '@civicgrid/core';
import { bboxOf, type Geometry, pointInGeometry } from '@civicgrid/core/geo';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { locateGrid } from '../modules/org/locator.js';
import { departments, gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import { createFieldCrypto } from '../platform/crypto.js';
import type { Database } from '../platform/db.js';
import { queryRows } from '../platform/db.js';
import { createTestDatabase } from '../test/harness.js';
import { seeded } from './geometry.js';
import type { DemoAccount } from './kundulun.js';
import { seedIfEmpty } from './seed.js';

let database: Database;
let accounts: DemoAccount[] | null;
const crypto = createFieldCrypto('aes', Buffer.alloc(32, 1), Buffer.alloc(32, 2));

type Unit = typeof orgUnits.$inferSelect;
let units: Unit[];

beforeAll(async () => {
  database = await createTestDatabase();
  accounts = await seedIfEmpty(database.db, { seedDemo: true, crypto, demoPassword: 'Demo@2026' });
  units = await database.db.select().from(orgUnits);
}, 900_000);
afterAll(() => database.close());

const bbox = (u: Unit) => {
  const ring = (u.geometry as { coordinates: number[][][] }).coordinates[0] as number[][];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  return { w: Math.min(...xs), e: Math.max(...xs), s: Math.min(...ys), n: Math.max(...ys), ring };
};

describe('the Kundulun demo', () => {
  it('has the real streets and communities of 150203 from the division data', () => {
    const streets = units.filter((u) => u.level === 'street');
    const communities = units.filter((u) => u.level === 'community');
    expect(streets).toHaveLength(16);
    expect(communities).toHaveLength(112);
    expect(streets.map((s) => s.name)).toContain('黄河西路街道');
    const baoli = communities.find((c) => c.name === '保利新华社区');
    expect(baoli?.code).toBe('150203012027');
    expect(units.find((u) => u.id === baoli?.parentId)?.name).toBe('黄河西路街道');
  });

  it('nests codes and paths: each child starts with its parent', () => {
    const byId = new Map(units.map((u) => [u.id, u]));
    for (const u of units) {
      if (u.parentId === null) {
        expect(u.path).toBe(`/${u.id}/`);
        continue;
      }
      const parent = byId.get(u.parentId) as Unit;
      expect(u.code.startsWith(parent.code)).toBe(true);
      expect(u.path).toBe(`${parent.path}${u.id}/`);
    }
    for (const g of units.filter((u) => u.level === 'grid')) expect(g.code).toMatch(/^150203\d{9}$/);
  });

  it('draws the district’s real outline, tiled by grids: a point falls in one grid, found by the locator', async () => {
    const district = units.find((u) => u.level === 'district') as Unit;
    const outline = district.geometry as Geometry;
    expect(bbox(district).ring.length).toBeGreaterThan(300);
    const box = bboxOf(outline);
    expect((box.minX + box.maxX) / 2).toBeCloseTo(109.74, 1);
    expect((box.minY + box.maxY) / 2).toBeCloseTo(40.69, 1);
    const grids = units.filter((u) => u.level === 'grid');
    const byId = new Map(units.map((u) => [u.id, u]));
    const rand = seeded('seed test points');
    for (let n = 0; n < 300; ) {
      const lng = box.minX + (box.maxX - box.minX) * rand();
      const lat = box.minY + (box.maxY - box.minY) * rand();
      if (!pointInGeometry(lng, lat, outline)) continue;
      n++;
      const hits = grids.filter((g) => pointInGeometry(lng, lat, g.geometry as Geometry));
      expect(
        hits.map((g) => g.name),
        `${lng},${lat}`,
      ).toHaveLength(1);
      const grid = hits[0] as Unit;
      expect((await locateGrid(database.db, lat, lng))?.gridId).toBe(grid.id);
      const community = byId.get(grid.parentId as number) as Unit;
      expect(pointInGeometry(lng, lat, community.geometry as Geometry), community.name).toBe(true);
    }
  });

  it('gives every grid one manager and two to five assistants', async () => {
    const rows = await database.db.select().from(gridTeamMembers);
    for (const g of units.filter((u) => u.level === 'grid')) {
      const team = rows.filter((r) => r.gridId === g.id);
      expect(team.filter((m) => m.role === 'gridManager')).toHaveLength(1);
      const assistants = team.filter((m) => m.role === 'gridAssistant').length;
      expect(assistants).toBeGreaterThanOrEqual(2);
      expect(assistants).toBeLessThanOrEqual(5);
    }
  });

  it('creates the named demo accounts with their roles', async () => {
    const expected: Record<string, string> = {
      admin: 'systemAdmin',
      security: 'securityAdmin',
      auditor: 'auditAdmin',
      district: 'districtCommand',
      street: 'streetCentre',
      community: 'communityWorkstation',
      gridworker: 'gridWorker',
      dept: 'departmentHandler',
    };
    for (const [username, role] of Object.entries(expected)) {
      const rows = await database.db
        .select({ role: roles.code, unit: users.orgUnitId, dept: users.departmentId })
        .from(users)
        .innerJoin(userRoles, eq(userRoles.userId, users.id))
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(eq(users.username, username));
      expect(
        rows.map((r) => r.role),
        username,
      ).toEqual([role]);
    }
    expect(accounts?.map((a) => a.username)).toEqual(expect.arrayContaining(Object.keys(expected)));
    const [gw] = await database.db.select().from(users).where(eq(users.username, 'gridworker'));
    const grid = units.find((u) => u.id === gw?.orgUnitId);
    expect(grid?.name).toBe('保利新华社区第1网格');
    const [dept] = await database.db.select().from(users).where(eq(users.username, 'dept'));
    const [cg] = await database.db
      .select()
      .from(departments)
      .where(eq(departments.id, dept?.departmentId as number));
    expect(cg?.name).toBe('城管');
  });

  it('seeds the 15 departments and every built-in role', async () => {
    // 红管家's companies are handling units of their own: department rows that a company holds.
    const [depts] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from departments d
        where not exists (select 1 from property_companies c where c.department_id = d.id)`,
    );
    expect(depts?.n).toBe(15);
    const codes = (await database.db.select().from(roles)).map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(builtInRoles.map((r) => r.code)));
  });

  it('gives no demo account two administrator duties, and the three administrators a second factor', async () => {
    const rows = await database.db
      .select({ username: users.username, permissions: roles.permissions, totp: roles.totpRequired })
      .from(users)
      .innerJoin(userRoles, eq(userRoles.userId, users.id))
      .innerJoin(roles, eq(roles.id, userRoles.roleId));
    const held = new Map<string, string[]>();
    for (const r of rows) held.set(r.username, [...(held.get(r.username) ?? []), ...r.permissions]);
    expect(held.size).toBeGreaterThan(100);
    for (const [username, permissions] of held) expect(dutyConflict(permissions), username).toBeNull();
    const admins = [...held].filter(([, p]) => holdsAdminDuty(p)).map(([u]) => u);
    expect(admins.sort()).toEqual(['admin', 'auditor', 'security']);
    for (const r of rows.filter((x) => admins.includes(x.username))) expect(r.totp, r.username).toBe(true);
  });

  it('seeds once: a second start changes nothing', async () => {
    const before = await database.db.select({ n: count() }).from(users);
    expect(await seedIfEmpty(database.db, { seedDemo: true, crypto, demoPassword: 'Demo@2026' })).toBeNull();
    expect(await database.db.select({ n: count() }).from(users)).toEqual(before);
  });
});

describe('the demo cases', () => {
  it('cover 90 days and every state, each with a consistent trail', async () => {
    const { caseEvents, cases } = await import('../modules/cases/tables.js');
    const { caseStates } = await import('@civicgrid/core/cases/stateMachine');
    const rows = await database.db.select().from(cases);
    expect(rows.length).toBeGreaterThan(4000);
    const states = new Set(rows.map((r) => r.status));
    for (const s of caseStates) expect(states, s).toContain(s);
    const oldest = Math.min(...rows.map((r) => r.reportedAt.getTime()));
    expect(Date.now() - oldest).toBeGreaterThan(85 * 86_400_000);
    // In the order they were written (case_events is partitioned by month: no order is implied).
    const events = await database.db.select().from(caseEvents).orderBy(caseEvents.id);
    const byCase = new Map<string, typeof events>();
    for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    for (const r of rows) {
      const trail = (byCase.get(r.id) ?? []).sort((a, b) => a.id - b.id);
      expect(trail[0]?.action).toBe('report');
      // Each transition starts where the last one ended, and the trail ends at the case's state.
      let state = 'reported';
      for (const e of trail.slice(1)) {
        expect(e.fromState, `${r.code} ${e.action}`).toBe(state);
        state = e.toState ?? state;
      }
      expect(state, r.code).toBe(r.status);
      if (r.status === 'closed') expect(r.verifiedAt && r.closedAt && r.verifiedAt <= r.closedAt).toBe(true);
      if (r.overdue) expect(r.dueAt && r.dueAt.getTime() < Date.now()).toBe(true);
    }
    expect(rows.some((r) => r.overdue)).toBe(true);
    expect(rows.some((r) => r.supervised)).toBe(true);
    expect(rows.some((r) => r.extension !== null)).toBe(true);
  });

  it('give the named demo accounts work to do', async () => {
    const { cases } = await import('../modules/cases/tables.js');
    const rows = await database.db.select().from(cases);
    const baoli = units.find((u) => u.name === '保利新华社区');
    const [chengguan] = await database.db.select().from(departments).where(eq(departments.name, '城管'));
    const atBaoli = rows.filter((r) => r.communityId === baoli?.id);
    expect(atBaoli.filter((r) => r.status === 'reported').length).toBeGreaterThan(0);
    expect(
      rows.filter((r) => r.status === 'dispatched' && r.assigneeDepartmentId === chengguan?.id).length,
    ).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === 'closed' && r.rating).length).toBeGreaterThan(1000);
  });
});

describe('the demo residents', () => {
  it('fill every grid with people whose ID numbers are valid and stored encrypted', async () => {
    const { residents } = await import('../modules/residents/tables.js');
    const { parseIdNumber } = await import('@civicgrid/core');
    const rows = await database.db.select().from(residents);
    const grids = units.filter((u) => u.level === 'grid');
    expect(new Set(rows.map((r) => r.gridId)).size).toBe(grids.length);
    for (const r of rows.slice(0, 500)) {
      expect(r.idNumberEnc).not.toMatch(/^\d{17}/);
      const id = crypto.decrypt(r.idNumberEnc);
      const parsed = parseIdNumber(id);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.birthDate).toBe(r.birthDate);
    }
    expect(rows.some((r) => r.tags.includes('独居老人'))).toBe(true);
  });
});

describe('the demo places and care cases', () => {
  it('give every grid buildings with housing units, households in them and facilities', async () => {
    const { buildings, housingUnits, households, facilities, organizations } = await import(
      '../modules/places/tables.js'
    );
    const { residents } = await import('../modules/residents/tables.js');
    const { isValidCreditCode } = await import('@civicgrid/core');
    const grids = units.filter((u) => u.level === 'grid');
    const b = await database.db.select().from(buildings);
    expect(new Set(b.map((x) => x.gridId)).size).toBe(grids.length);
    for (const x of b.slice(0, 50)) {
      const grid = grids.find((g) => g.id === x.gridId) as Unit;
      expect(x.code.startsWith(grid.code)).toBe(true);
      const box = bbox(grid);
      expect(x.lng).toBeGreaterThan(box.w);
      expect(x.lng).toBeLessThan(box.e);
    }
    const [u] = await database.db.select({ n: count() }).from(housingUnits);
    expect(Number(u?.n)).toBe(b.length * 24);
    const people = await database.db.select().from(residents);
    const housed = people.filter((p) => p.householdId !== null);
    expect(housed.length / people.length).toBeGreaterThan(0.95);
    const hh = await database.db.select().from(households);
    // Every household has exactly one head.
    const heads = new Map<number, number>();
    for (const p of housed)
      if (p.relationToHead === '户主')
        heads.set(p.householdId as number, 1 + (heads.get(p.householdId as number) ?? 0));
    expect(hh.every((h) => heads.get(h.id) === 1)).toBe(true);
    const orgs = await database.db.select().from(organizations);
    expect(orgs.length).toBeGreaterThan(50);
    expect(orgs.every((o) => isValidCreditCode(o.creditCode))).toBe(true);
    const f = await database.db.select().from(facilities);
    expect(f.every((x) => /^150203\d{10}$/.test(x.code) && x.code.slice(6, 10) === x.typeCode)).toBe(true);
  });

  it('give the demo grid worker care cases, two of them overdue, assigned to them', async () => {
    const { careCases, careCaseWorkers } = await import('../modules/care/tables.js');
    const [worker] = await database.db.select().from(users).where(eq(users.username, 'gridworker'));
    const mine = await database.db
      .select({ due: careCases.nextVisitDue })
      .from(careCaseWorkers)
      .innerJoin(careCases, eq(careCases.id, careCaseWorkers.caseId))
      .where(eq(careCaseWorkers.userId, worker?.id as string));
    expect(mine.length).toBe(3);
    expect(mine.filter((c) => (c.due as Date).getTime() < Date.now())).toHaveLength(2);
  });

  it('give every grid worker six weeks of patrols, work logs and visits, varying from worker to worker', async () => {
    const [r] = await queryRows<{
      workers: number;
      patrolled: number;
      logged: number;
      visited: number;
      spread: number;
    }>(
      database.db,
      sql`select (select count(distinct ur.user_id) from user_roles ur join roles ro on ro.id = ur.role_id
                  where ro.code = 'gridWorker')::int as workers,
        (select count(distinct user_id) from patrols)::int as patrolled,
        (select count(distinct user_id) from work_logs)::int as logged,
        (select count(distinct by_user_id) from household_visits)::int as visited,
        (select count(distinct n) from (select count(*) as n from patrols group by user_id) x)::int as spread`,
    );
    expect(r?.patrolled).toBe(r?.workers);
    expect(r?.logged).toBe(r?.workers);
    expect(r?.visited).toBeGreaterThan((r?.workers ?? 0) * 0.8);
    expect(r?.spread).toBeGreaterThan(5);
    // Every patrol is on a weekday of the last six weeks, in the worker's own grid.
    const [bad] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from patrols p join users u on u.id = p.user_id
        where p.grid_id is distinct from u.org_unit_id or extract(isodow from p.started_at at time zone 'Asia/Shanghai') > 5
          or p.started_at < now() - interval '44 days'`,
    );
    expect(bad?.n).toBe(0);
  });
});

describe('the demo holds to the rules of real data', () => {
  it('has households whose members’ ages fit their relation: no child heads a household', async () => {
    const { residents } = await import('../modules/residents/tables.js');
    const { ageOn, implausible } = await import('./households.js');
    const { localDay } = await import('@civicgrid/core/calendar/workCalendar');
    const today = localDay(Date.now());
    const people = await database.db
      .select({
        household: residents.householdId,
        relation: residents.relationToHead,
        birthDate: residents.birthDate,
      })
      .from(residents);
    const headAge = new Map<number, number>();
    for (const p of people)
      if (p.relation === '户主' && p.household !== null) headAge.set(p.household, ageOn(p.birthDate, today));
    const wrong: string[] = [];
    for (const p of people) {
      // A relation to a head means a household to be head of.
      if (p.relation !== null && p.household === null) wrong.push(`${p.relation} without a household`);
      if (p.household === null || p.relation === null) continue;
      const why = implausible(p.relation, ageOn(p.birthDate, today), headAge.get(p.household) ?? -1);
      if (why) wrong.push(why);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(Math.min(...headAge.values())).toBeGreaterThanOrEqual(18);
    expect(new Set(people.map((p) => p.relation)).size).toBeGreaterThanOrEqual(4);
  });

  it('has patrols whose distance is the length of their points, walked at a walking pace inside their grid', async () => {
    const { patrolPoints, patrols } = await import('../modules/fieldwork/tables.js');
    const { distanceM, pointInGeometry } = await import('@civicgrid/core/geo');
    const all = await database.db.select().from(patrols);
    const points = await database.db
      .select({
        patrolId: patrolPoints.patrolId,
        lat: patrolPoints.lat,
        lng: patrolPoints.lng,
        segment: patrolPoints.segment,
      })
      .from(patrolPoints)
      .orderBy(patrolPoints.patrolId, patrolPoints.seq);
    const byPatrol = new Map<string, typeof points>();
    for (const p of points) {
      const list = byPatrol.get(p.patrolId);
      if (list) list.push(p);
      else byPatrol.set(p.patrolId, [p]);
    }
    const grids = new Map(units.map((u) => [u.id, u]));
    const wrong: string[] = [];
    for (const p of all) {
      const pts = byPatrol.get(p.id) ?? [];
      let length = 0;
      for (let i = 1; i < pts.length; i++)
        if (pts[i]?.segment === pts[i - 1]?.segment)
          length += distanceM(pts[i - 1] as never, pts[i] as never);
      if (pts.length !== p.points) wrong.push(`${p.id}: ${p.points} points claimed, ${pts.length} stored`);
      if (pts.length === 0 ? p.distanceM !== 0 : Math.abs(p.distanceM - length) > 0.01 * length)
        wrong.push(`${p.id}: ${p.distanceM} m claimed, ${Math.round(length)} m walked`);
      const pace = p.durationS ? length / p.durationS : 0;
      if (pts.length > 1 && (pace < 0.5 || pace > 1.6)) wrong.push(`${p.id}: ${pace.toFixed(2)} m/s`);
      const area =
        p.gridId === null
          ? null
          : ((grids.get(p.gridId) as Unit).geometry as Parameters<typeof pointInGeometry>[2]);
      if (area && pts.some((x) => !pointInGeometry(x.lng, x.lat, area)))
        wrong.push(`${p.id}: a point outside its grid`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(all.length).toBeGreaterThan(1000);
    expect(all.every((p) => p.points > 1)).toBe(true);
  });

  it('has cases whose steps follow one another in time, with nothing in the future', async () => {
    const [r] = await queryRows<{
      disordered: number;
      future: number;
      unsorted: number;
      beforeReport: number;
    }>(
      database.db,
      sql`select
        (select count(*) from cases c cross join lateral (
           select array_remove(array[c.reported_at, c.accepted_at, c.dispatched_at, c.claimed_at, c.resolved_at,
             c.verified_at, c.closed_at], null) as steps) s
         where exists (select 1 from generate_subscripts(s.steps, 1) i where i > 1 and s.steps[i] < s.steps[i - 1])
        )::int as disordered,
        ((select count(*) from case_events where at > now())
          + (select count(*) from cases where reported_at > now()))::int as future,
        (select count(*) from (select at, lag(at) over (partition by case_id order by id) as before from case_events) e
         where at < before)::int as unsorted,
        (select count(*) from case_events e join cases c on c.id = e.case_id where e.at < c.reported_at)::int as "beforeReport"`,
    );
    expect(r).toEqual({ disordered: 0, future: 0, unsorted: 0, beforeReport: 0 });
  });

  it('places every case, building and facility inside the polygon of its own grid', async () => {
    const gridShape = new Map(
      units.filter((u) => u.level === 'grid').map((u) => [u.id, u.geometry as Geometry]),
    );
    const outside = async (table: string) => {
      const rows = await queryRows<{ gridId: number; lng: number; lat: number }>(
        database.db,
        sql`select grid_id as "gridId", lng, lat from ${sql.raw(table)} where lng is not null and grid_id is not null`,
      );
      expect(rows.length).toBeGreaterThan(0);
      return rows.filter((r) => {
        const g = gridShape.get(r.gridId);
        return !g || !pointInGeometry(r.lng, r.lat, g);
      }).length;
    };
    expect({
      cases: await outside('cases'),
      buildings: await outside('buildings'),
      facilities: await outside('facilities'),
    }).toEqual({ cases: 0, buildings: 0, facilities: 0 });
  });

  it('has work logs whose figures are the day’s records', async () => {
    const { workLogs } = await import('../modules/fieldwork/tables.js');
    const { daySummaries } = await import('../modules/fieldwork/service.js');
    const logs = (await database.db.select().from(workLogs).limit(300)).filter((l) => l.day);
    const days = logs.map((l) => l.day).sort();
    const live = await daySummaries(
      database.db,
      [...new Set(logs.map((l) => l.userId))],
      days[0] as string,
      days.at(-1) as string,
    );
    for (const l of logs)
      expect(l.summary, `${l.userName} ${l.day}`).toEqual(
        live.get(`${l.userId}|${l.day}`) ?? {
          patrols: 0,
          patrolDistanceM: 0,
          patrolMinutes: 0,
          casesReported: 0,
          casesSelfResolved: 0,
          casesHandled: 0,
          visits: 0,
        },
      );
    expect(logs.some((l) => (l.summary as { patrols: number }).patrols > 0)).toBe(true);
  });

  it('has every proxy application carried for a resident on file, with consent, by an agent who may carry it', async () => {
    const one = async (q: ReturnType<typeof sql>) =>
      (await queryRows<{ n: number }>(database.db, q))[0]?.n ?? -1;
    expect(
      await one(sql`select count(*)::int as n from applications where channel = 'proxy'`),
    ).toBeGreaterThan(20);
    const broken = {
      // no proxy record (agent, resident, consent) for a proxy application
      unrecorded: await one(sql`select count(*)::int as n from applications a
        left join proxy_applications p on p.application_id = a.id
        where a.channel = 'proxy' and p.application_id is null`),
      // a proxy record on an application not taken in by proxy
      stray: await one(sql`select count(*)::int as n from proxy_applications p
        join applications a on a.id = p.application_id where a.channel <> 'proxy'`),
      // the applicant is not the resident the record names, or the consent came after the intake
      wrongResident: await one(sql`select count(*)::int as n from proxy_applications p
        join applications a on a.id = p.application_id
        left join residents r on r.id = p.resident_id
        where r.id is null or r.id_number_idx <> a.applicant_id_idx or r.name <> a.applicant_name
          or p.consent_at > a.created_at or r.org_path not like a.org_path || '%'`),
      // the agent is neither an agent of the open point serving the resident nor a worker of his grid
      wrongAgent: await one(sql`select count(*)::int as n from proxy_applications p
        join residents r on r.id = p.resident_id
        join users u on u.id = p.agent_id
        left join proxy_points pt on pt.id = p.proxy_point_id
        left join proxy_point_agents pa on pa.point_id = pt.id and pa.user_id = p.agent_id
        where case when p.proxy_point_id is null then u.org_unit_id is distinct from r.grid_id
          else pa.user_id is null or pt.retired_at is not null or r.org_path not like pt.org_path || '%' end`),
      // the trail does not name the agent
      untraced: await one(sql`select count(*)::int as n from proxy_applications p
        where not exists (select 1 from application_events e
          where e.application_id = p.application_id and e.action = 'proxy' and e.actor_id = p.agent_id)`),
    };
    expect(broken).toEqual({ unrecorded: 0, stray: 0, wrongResident: 0, wrongAgent: 0, untraced: 0 });
  });
  it('has volunteers whose hours are their check-in pairs, and deliberations whose figures obey their rules', async () => {
    const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);
    const [vol] = await rows<{ hours: number; pairs: number }>(sql`select
        coalesce(sum(a.minutes), 0)::int as hours, count(a.id)::int as pairs
      from volunteers v join users u on u.id = v.user_id
      left join volunteer_attendances a on a.volunteer_id = v.id where u.username = 'volunteer'`);
    // The demo volunteer took part in the three activities already held.
    expect(vol?.pairs).toBe(3);
    expect(vol?.hours).toBeGreaterThan(300);
    const broken = await rows<{ n: number }>(sql`select count(*)::int as n from volunteer_attendances a
      join volunteer_activities v on v.id = a.activity_id
      where a.checked_in_at < v.starts_at or a.checked_out_at > v.ends_at or a.checked_out_at > now()
        or a.minutes <> round(extract(epoch from a.checked_out_at - a.checked_in_at) / 60)
        or a.check_in_distance_m > v.radius_m
        or not exists (select 1 from volunteer_sign_ups s where s.activity_id = a.activity_id and s.volunteer_id = a.volunteer_id)`);
    expect(broken[0]?.n).toBe(0);
    const states = await rows<{ status: string }>(
      sql`select distinct status from deliberations order by status`,
    );
    expect(states.map((s) => s.status)).toEqual([
      'adopted',
      'convened',
      'implemented',
      'proposed',
      'published',
      'rejected',
      'reviewed',
    ]);
    // Every vote at a quorate meeting (2/3 present), adopted with more than half of those present,
    // and a trail step for each state passed.
    const wrong = await rows<{ n: number }>(sql`select count(*)::int as n from deliberations d
      where (d.votes_for is not null and (d.attendees * 3 < d.representatives * 2
          or (d.status <> 'rejected') <> (d.votes_for * 2 > d.attendees)))
        or (select count(*) from deliberation_events e where e.deliberation_id = d.id) <>
          case d.status when 'proposed' then 1 when 'convened' then 2 when 'adopted' then 3 when 'rejected' then 3
            when 'implemented' then 4 when 'reviewed' then 5 else 6 end`);
    expect(wrong[0]?.n).toBe(0);
    // 双报到: units and members of 保利新华社区, the demo account linked to its volunteer hours,
    // and a joint meeting whose items are taken on by its attendees.
    const [dual] = await rows<{ units: number; members: number; linked: number; stray: number }>(sql`select
        count(*) filter (where d.kind = 'unit')::int as units,
        count(*) filter (where d.kind = 'member')::int as members,
        count(*) filter (where u.username = 'volunteer')::int as linked,
        (select count(*)::int from joint_meetings m, jsonb_array_elements(m.items) i
          where not (i->>'registrationId')::uuid = any(m.attendee_ids)) as stray
      from dual_registrations d left join volunteers v on v.id = d.volunteer_id left join users u on u.id = v.user_id`);
    expect(dual).toEqual({ units: 4, members: 3, linked: 1, stray: 0 });
  });
  it('has 红管家: three companies with estates and staff, their cases in their estates, some late, one waiting', async () => {
    const [row] = await queryRows<{
      companies: number;
      estates: number;
      dispatches: number;
      outside: number;
      late: number;
      waiting: number;
      staff: string | null;
    }>(
      database.db,
      sql`select
          (select count(*)::int from property_companies) as companies,
          (select count(*)::int from property_estates) as estates,
          (select count(*)::int from property_dispatches) as dispatches,
          (select count(*)::int from property_dispatches d join cases k on k.id = d.case_id
            join property_companies c on c.id = d.company_id
            where k.assignee_department_id <> c.department_id or k.org_path not like c.org_path || '%') as outside,
          (select count(*)::int from property_dispatches where respond_late or reply_late) as late,
          (select count(*)::int from property_dispatches d join cases k on k.id = d.case_id where k.status = 'dispatched') as waiting,
          (select r.code from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
            where u.username = 'property') as staff`,
    );
    expect(row).toMatchObject({ companies: 3, estates: 4, outside: 0, waiting: 1, staff: 'propertyStaff' });
    expect(row?.dispatches).toBeGreaterThan(30);
    expect(row?.late).toBeGreaterThan(0);
    expect(accounts?.map((a) => a.username)).toEqual(
      expect.arrayContaining(['property', 'property2', 'property3']),
    );
  });
  it('has 高龄津贴 applications for residents on file of 80 and over, so the elders’ files link them', async () => {
    const [row] = await queryRows<{ linked: number; young: number; wrongPerson: number }>(
      database.db,
      sql`select count(a.resident_id)::int as linked,
          count(*) filter (where r.birth_date > to_char(now() - interval '80 years', 'YYYY-MM-DD'))::int as young,
          count(*) filter (where r.id_number_idx <> a.applicant_id_idx or r.name <> a.applicant_name)::int as "wrongPerson"
        from applications a join residents r on r.id = a.resident_id
        where a.service_code in (select code from service_items where name like '%高龄津贴%')`,
    );
    expect(row?.linked).toBeGreaterThan(10);
    expect(row?.young).toBe(0);
    expect(row?.wrongPerson).toBe(0);
  });
  it('has the street council of 黄河西路街道 by category, suggestions whose counts are their supports, and comments', async () => {
    const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);
    const [c] = await rows<{ members: number; categories: number; clearPhones: number }>(sql`select
        count(*)::int as members, count(distinct m.category)::int as categories,
        count(*) filter (where m.phone_enc ~ '^1[3-9][0-9]{9}$')::int as "clearPhones"
      from street_councils s join org_units o on o.id = s.street_id
      join street_council_members m on m.council_id = s.id where o.name = '黄河西路街道'`);
    expect(c).toEqual({ members: 15, categories: 6, clearPhones: 0 });
    const [s] = await rows<{ n: number; wrong: number }>(sql`select count(*)::int as n,
        count(*) filter (where g.support_count <> (select count(*) from deliberation_supports p
          where p.suggestion_id = g.id))::int as wrong
      from deliberation_suggestions g join org_units o on o.id = g.org_unit_id where o.name = '保利新华社区'`);
    expect(s).toEqual({ n: 4, wrong: 0 });
    const [k] = await rows<{ n: number }>(sql`select count(*)::int as n from deliberation_comments`);
    expect(k?.n).toBeGreaterThan(0);
  });
});
