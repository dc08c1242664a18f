import type {
  CasePropertyClock,
  CasePropertySuggestion,
  EstateInput,
  PropertyCompany,
  PropertyCompanyInput,
  PropertyCompanyQuery,
  PropertyPerformanceQuery,
  PropertyPerformanceRow,
} from '@civicgrid/core/api/property';
import { pointInGeometry } from '@civicgrid/core/geo';
import { propertyDeadlines, rate, stepOnTime } from '@civicgrid/core/participation/property';
import { and, asc, eq, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { type Db, queryRows } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { fieldError } from '../../platform/errors.js';
import { defineJob, type Job } from '../../platform/jobs/runner.js';
import {
  type Area,
  areaCondition,
  defineScope,
  listScoped,
  loadScoped,
  pathInScope,
  resolveArea,
} from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { caseEvents, cases } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { departments, orgUnits } from '../org/tables.js';
import { propertyCompanies, propertyDispatches, propertyEstates } from './propertyTables.js';

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(propertyCompanies)
    .set({ orgPath: sql`${to} || substr(${propertyCompanies.orgPath}, ${from.length + 1})` })
    .where(sql`${propertyCompanies.orgPath} like ${`${from}%`}`);
});

/** A company is seen by the holders of property:read whose jurisdiction holds its community. */
export const propertyCompaniesScope = defineScope(propertyCompanies, {
  id: propertyCompanies.id,
  path: propertyCompanies.orgPath,
});

type CompanyRow = typeof propertyCompanies.$inferSelect;
type EstateRow = typeof propertyEstates.$inferSelect;
type Polygon = EstateRow['geometry'];

// ——— outlines ———

function cross(o: readonly number[], a: readonly number[], b: readonly number[]): number {
  return (
    ((a[0] ?? 0) - (o[0] ?? 0)) * ((b[1] ?? 0) - (o[1] ?? 0)) -
    ((a[1] ?? 0) - (o[1] ?? 0)) * ((b[0] ?? 0) - (o[0] ?? 0))
  );
}

function segmentsCross(p1: number[], p2: number[], q1: number[], q2: number[]): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/**
 * The outline as a closed GeoJSON polygon, or 400 naming the field: it needs an area and may
 * not cross itself (a point in it must have one answer).
 */
export function outlineToPolygon(outline: EstateInput['outline'], field: string): Polygon {
  const pts = outline.map(([x, y]) => [x, y]);
  const first = pts[0] as number[];
  const last = pts[pts.length - 1] as number[];
  if (first[0] === last[0] && first[1] === last[1]) pts.pop();
  let area2 = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i] as number[];
    const b = pts[(i + 1) % pts.length] as number[];
    area2 += (a[0] ?? 0) * (b[1] ?? 0) - (b[0] ?? 0) * (a[1] ?? 0);
  }
  if (pts.length < 3 || Math.abs(area2) < 1e-12)
    throw fieldError(field, 'polygon', 'PROPERTY_ESTATE_OUTLINE');
  const n = pts.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (
        segmentsCross(
          pts[i] as number[],
          pts[i + 1] as number[],
          pts[j] as number[],
          pts[(j + 1) % n] as number[],
        )
      )
        throw fieldError(field, 'polygon', 'PROPERTY_ESTATE_OUTLINE');
    }
  return { type: 'Polygon', coordinates: [[...pts, [...first]]] };
}

// ——— presenting ———

async function present(db: Db, rows: CompanyRow[]): Promise<PropertyCompany[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [estates, staff, units] = await Promise.all([
    db
      .select()
      .from(propertyEstates)
      .where(inArray(propertyEstates.companyId, ids))
      .orderBy(asc(propertyEstates.id)),
    db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        departmentId: users.departmentId,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(
        inArray(
          users.departmentId,
          rows.map((r) => r.departmentId),
        ),
      )
      .orderBy(asc(users.username)),
    db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(inArray(orgUnits.id, [...new Set(rows.map((r) => r.orgUnitId))])),
  ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    creditCode: r.creditCode,
    contactName: r.contactName,
    phone: `${'*'.repeat(7)}${r.phoneTail}`,
    orgUnitId: r.orgUnitId,
    orgUnitName: units.find((u) => u.id === r.orgUnitId)?.name ?? '',
    departmentId: r.departmentId,
    estates: estates
      .filter((e) => e.companyId === r.id)
      .map((e) => ({
        id: e.id,
        name: e.name,
        geometry: e.geometry as { type: 'Polygon'; coordinates: number[][][] },
      })),
    staff: staff
      .filter((s) => s.departmentId === r.departmentId)
      .map((s) => ({
        id: s.id,
        username: s.username,
        displayName: s.displayName,
        disabled: s.disabledAt !== null,
      })),
    createdAt: r.createdAt.toISOString(),
  }));
}

// ——— the register ———

/**
 * 登记物业企业: the company, its department row (the handling unit cases are dispatched to) and
 * its estates, in one transaction; a second company of the same credit code or name is 409.
 */
export async function registerCompany(
  deps: AppDeps,
  actor: Actor,
  input: PropertyCompanyInput,
  meta: RequestMeta,
): Promise<PropertyCompany> {
  const { db, crypto } = deps;
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (!unit || unit.retiredAt || unit.level !== 'community' || !pathInScope(actor, unit.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'PROPERTY_COMMUNITY');
  const estates = input.estates.map((e, i) => ({
    name: e.name,
    geometry: outlineToPolygon(e.outline, `estates.${i}.outline`),
  }));
  const names = estates.map((e) => e.name);
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0) throw fieldError(`estates.${dup}.name`, 'unique', 'PROPERTY_ESTATE_DUPLICATE');
  const row = await db.transaction(async (tx) => {
    const [dept] = await tx
      .insert(departments)
      .values({ code: `property-${input.creditCode.toUpperCase()}`, name: input.name })
      .onConflictDoNothing()
      .returning();
    if (!dept) return null;
    const [c] = await tx
      .insert(propertyCompanies)
      .values({
        departmentId: dept.id,
        name: input.name,
        creditCode: input.creditCode.toUpperCase(),
        contactName: input.contactName,
        phoneEnc: crypto.encrypt(input.phone),
        phoneTail: input.phone.slice(-4),
        orgUnitId: unit.id,
        orgPath: unit.path,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!c) throw fieldError('creditCode', 'unique', 'PROPERTY_DUPLICATE');
    if (estates.length)
      await tx.insert(propertyEstates).values(estates.map((e) => ({ companyId: c.id, ...e })));
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'propertyCompany.registered',
        { targetType: 'propertyCompany', targetId: c.id },
        { orgUnitId: unit.id, estates: estates.length },
      ),
    );
    return c;
  });
  if (!row) throw fieldError('creditCode', 'unique', 'PROPERTY_DUPLICATE');
  return (await present(db, [row]))[0] as PropertyCompany;
}

export async function listCompanies(db: Db, actor: Actor, q: PropertyCompanyQuery) {
  const cond: (SQL | undefined)[] = [isNull(propertyCompanies.retiredAt)];
  if (q.q) cond.push(ilike(propertyCompanies.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), propertyCompanies.orgPath));
  const { items, total } = await listScoped(db, actor, propertyCompaniesScope, {
    where: and(...cond),
    orderBy: [asc(propertyCompanies.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await present(db, items), total };
}

export async function companyDetail(db: Db, actor: Actor, id: number): Promise<PropertyCompany> {
  const row = await loadScoped(db, actor, propertyCompaniesScope, id);
  return (await present(db, [row]))[0] as PropertyCompany;
}

/** 增加服务小区: a named outline; the same name twice for one company is 409. */
export async function addEstate(
  db: Db,
  actor: Actor,
  id: number,
  input: EstateInput,
  meta: RequestMeta,
): Promise<PropertyCompany> {
  const geometry = outlineToPolygon(input.outline, 'outline');
  const company = await db.transaction(async (tx) => {
    const c = await loadScoped(tx as Db, actor, propertyCompaniesScope, id, { forUpdate: true });
    const [e] = await tx
      .insert(propertyEstates)
      .values({ companyId: c.id, name: input.name, geometry })
      .onConflictDoNothing()
      .returning();
    if (!e) throw fieldError('name', 'unique', 'PROPERTY_ESTATE_DUPLICATE');
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'propertyEstate.added',
        { targetType: 'propertyCompany', targetId: c.id },
        { estateId: e.id },
      ),
    );
    return c;
  });
  return (await present(db, [company]))[0] as PropertyCompany;
}

// ——— cases: which company, and the dispatch ———

type CasePlace = Pick<typeof cases.$inferSelect, 'lat' | 'lng' | 'orgPath'>;

/** The estates (of active companies of the case's community) whose outline holds the case's place. */
async function estatesHolding(db: Db, place: CasePlace, departmentId?: number) {
  if (place.lat === null || place.lng === null) return [];
  const cond: SQL[] = [
    isNull(propertyCompanies.retiredAt),
    sql`${place.orgPath} like ${propertyCompanies.orgPath} || '%'`,
  ];
  if (departmentId !== undefined) cond.push(eq(propertyCompanies.departmentId, departmentId));
  const rows = await db
    .select({ company: propertyCompanies, estate: propertyEstates })
    .from(propertyEstates)
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, propertyEstates.companyId))
    .where(and(...cond))
    .orderBy(asc(propertyCompanies.id), asc(propertyEstates.id));
  const { lat, lng } = place;
  return rows.filter((r) => pointInGeometry(lng, lat, r.estate.geometry));
}

/** 物业派单建议: the company whose estate holds the case's place, for the dispatcher to pick. */
export async function suggestionFor(db: Db, place: CasePlace): Promise<CasePropertySuggestion> {
  const [hit] = await estatesHolding(db, place);
  return {
    company: hit
      ? {
          id: hit.company.id,
          name: hit.company.name,
          departmentId: hit.company.departmentId,
          estateId: hit.estate.id,
          estateName: hit.estate.name,
        }
      : null,
  };
}

/**
 * Called by the case dispatch (cases/actions/dispatch.ts) in its transaction when a case goes to
 * a department: null when the department is no property company's; else the case must lie in
 * one of the company's estates (400 `assignee.id` otherwise), the dispatch and its three
 * deadlines are recorded, and the case's resolve deadline is the 24 h of the clock.
 */
export async function propertyDispatch(
  tx: Db,
  row: typeof cases.$inferSelect,
  departmentId: number,
  now: number,
): Promise<{ dueAt: Date; warnAt: Date } | null> {
  const [company] = await tx
    .select({ id: propertyCompanies.id })
    .from(propertyCompanies)
    .where(eq(propertyCompanies.departmentId, departmentId));
  if (!company) return null;
  const [hit] = await estatesHolding(tx, row, departmentId);
  if (!hit) throw fieldError('assignee.id', 'inEstate', 'PROPERTY_CASE_OUTSIDE_ESTATES');
  const d = propertyDeadlines(now);
  await tx.insert(propertyDispatches).values({
    caseId: row.id,
    companyId: company.id,
    estateId: hit.estate.id,
    dispatchedAt: new Date(now),
    respondBy: d.respond,
    replyBy: d.reply,
    resolveBy: d.resolve,
  });
  return { dueAt: d.resolve, warnAt: new Date(now + (d.resolve.getTime() - now) * 0.8) };
}

// ——— the clock ———

/** When each step of a dispatch was done, from the case's trail (SQL fragments over `d` and `c`). */
const respondedAt = sql`(select min(e.at) from ${caseEvents} e where e.case_id = d.case_id and e.action = 'claim' and e.at >= d.dispatched_at)`;
const repliedAt = sql`(select min(e.at) from ${caseEvents} e join ${users} u on u.id = e.actor_id
  where e.case_id = d.case_id and e.action in ('note', 'resolve') and e.at >= d.dispatched_at and u.department_id = c.department_id)`;
const resolvedAt = sql`(select min(e.at) from ${caseEvents} e where e.case_id = d.case_id and e.action = 'resolve' and e.at >= d.dispatched_at)`;

/**
 * 响应 and 回复 past their time (the 24 h of 解决 is the case's own deadline, swept with the
 * others): each late step is marked once, leaves an `overdue` event in the case's trail naming
 * the step, and marks the case as having run late (`ever_overdue`), as the case sweep does.
 */
export async function sweepPropertyClocks(db: Db, now = new Date()): Promise<{ late: number }> {
  return db.transaction(async (tx) => {
    let late = 0;
    for (const step of ['respond', 'reply'] as const) {
      const flag = step === 'respond' ? sql.raw('respond_late') : sql.raw('reply_late');
      const due = step === 'respond' ? sql.raw('respond_by') : sql.raw('reply_by');
      const done = step === 'respond' ? respondedAt : repliedAt;
      const rows = await queryRows<{ case_id: string; due: string; status: string }>(
        tx as Db,
        sql`update property_dispatches d set ${flag} = true
          from property_companies c, cases k
          where c.id = d.company_id and k.id = d.case_id and not d.${flag} and d.${due} <= ${now}
            and coalesce(${done} <= d.${due}, false) = false
          returning d.case_id::text as case_id, d.${due}::text as due, k.status`,
      );
      for (const r of rows) {
        await tx.insert(caseEvents).values({
          caseId: r.case_id,
          action: 'overdue',
          fromState: r.status,
          toState: r.status,
          actorName: '系统',
          at: now,
          data: { step, property: true, dueAt: new Date(r.due).toISOString() },
        });
        await tx.update(cases).set({ everOverdue: true }).where(eq(cases.id, r.case_id));
      }
      late += rows.length;
    }
    return { late };
  });
}

/** 红管家时限: each dispatch of the case to a company, with its three deadlines and when each was met. */
export async function propertyClockOf(db: Db, caseId: string, now = new Date()): Promise<CasePropertyClock> {
  const rows = await queryRows<{
    company: string;
    estate: string;
    dispatched_at: string;
    respond_by: string;
    reply_by: string;
    resolve_by: string;
    responded: string | null;
    replied: string | null;
    resolved: string | null;
  }>(
    db,
    sql`select c.name as company, e.name as estate, d.dispatched_at::text as dispatched_at,
        d.respond_by::text as respond_by, d.reply_by::text as reply_by, d.resolve_by::text as resolve_by,
        (${respondedAt})::text as responded, (${repliedAt})::text as replied, (${resolvedAt})::text as resolved
      from property_dispatches d join property_companies c on c.id = d.company_id
        join property_estates e on e.id = d.estate_id
      where d.case_id = ${caseId}
      order by d.dispatched_at`,
  );
  const iso = (v: string) => new Date(v).toISOString();
  const step = (name: 'respond' | 'reply' | 'resolve', due: string, done: string | null) => ({
    step: name,
    dueAt: iso(due),
    doneAt: done ? iso(done) : null,
    onTime: stepOnTime(new Date(due), done ? new Date(done) : null, now),
  });
  return {
    dispatches: rows.map((r) => ({
      companyName: r.company,
      estateName: r.estate,
      dispatchedAt: iso(r.dispatched_at),
      steps: [
        step('respond', r.respond_by, r.responded),
        step('reply', r.reply_by, r.replied),
        step('resolve', r.resolve_by, r.resolved),
      ],
    })),
  };
}

// ——— performance ———

/**
 * 红管家 in the assessment (issue 19 item 6): for each property company's department, the marks
 * of the 15 分钟响应 / 30 分钟回复 / 24 小时解决 clock missed by its dispatches of [start, end)
 * to cases of the area — a step done after its deadline, or not done by a deadline now past (a
 * step still running has missed nothing yet). Read from the case trail, as the performance page
 * reads it; every live company has a row (0 when it missed none).
 */
export async function missedPropertyMarks(
  db: Db,
  area: Area,
  start: Date,
  end: Date,
  now = new Date(),
): Promise<{ id: number; n: number }[]> {
  return queryRows<{ id: number; n: number }>(
    db,
    sql`select pc.department_id as id, coalesce(sum(x.missed), 0)::int as n
      from property_companies pc left join (
        select d.company_id,
          (coalesce(${respondedAt}, ${now}) > d.respond_by)::int
            + (coalesce(${repliedAt}, ${now}) > d.reply_by)::int
            + (coalesce(${resolvedAt}, ${now}) > d.resolve_by)::int as missed
        from property_dispatches d join property_companies c on c.id = d.company_id
          join cases k on k.id = d.case_id
        where d.dispatched_at >= ${start} and d.dispatched_at < ${end}
          and ${areaCondition(area, sql.raw('k.org_path'))}
      ) x on x.company_id = pc.id
      where pc.retired_at is null
      group by pc.department_id`,
  );
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > to || out.length > 36) break;
    out.push(s);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** Start of a month in China's time (UTC+8), as an instant. */
function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00+08:00`);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * 红管家履职考核: per company of the area and per month of its dispatches, how many were
 * answered (响应), replied to (回复) and resolved (解决) in time, and the rates. A step not
 * done is late once its deadline passed; one still running counts in no rate yet.
 */
export async function propertyPerformance(
  db: Db,
  actor: Actor,
  q: PropertyPerformanceQuery,
  now = new Date(),
): Promise<{ items: PropertyPerformanceRow[] }> {
  const months = monthsBetween(q.from, q.to);
  const area = await resolveArea(db, actor, q.orgUnitId);
  const companies = await db
    .select({ id: propertyCompanies.id, name: propertyCompanies.name })
    .from(propertyCompanies)
    .where(
      and(
        isNull(propertyCompanies.retiredAt),
        propertyCompaniesScope.where(actor),
        areaCondition(area, propertyCompanies.orgPath),
      ),
    )
    .orderBy(asc(propertyCompanies.id));
  if (companies.length === 0) return { items: [] };
  const start = monthStart(q.from);
  const end = monthStart(nextMonth(months[months.length - 1] ?? q.to));
  const rows = await queryRows<{
    company_id: number;
    month: string;
    dispatched: number;
    responded: number;
    replied: number;
    resolved: number;
    respond_judged: number;
    reply_judged: number;
    resolve_judged: number;
    late: number;
  }>(
    db,
    sql`select x.company_id, x.month, count(*)::int as dispatched,
        count(*) filter (where x.responded <= x.respond_by)::int as responded,
        count(*) filter (where x.replied <= x.reply_by)::int as replied,
        count(*) filter (where x.resolved <= x.resolve_by)::int as resolved,
        count(*) filter (where x.responded is not null or x.respond_by < ${now})::int as respond_judged,
        count(*) filter (where x.replied is not null or x.reply_by < ${now})::int as reply_judged,
        count(*) filter (where x.resolved is not null or x.resolve_by < ${now})::int as resolve_judged,
        count(*) filter (where coalesce(x.responded, ${now}) > x.respond_by
          or coalesce(x.replied, ${now}) > x.reply_by
          or coalesce(x.resolved, ${now}) > x.resolve_by)::int as late
      from (
        select d.company_id, d.respond_by, d.reply_by, d.resolve_by,
          to_char(d.dispatched_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
          ${respondedAt} as responded, ${repliedAt} as replied, ${resolvedAt} as resolved
        from property_dispatches d join property_companies c on c.id = d.company_id
        where d.company_id in (${sql.join(
          companies.map((c) => sql`${c.id}`),
          sql`, `,
        )}) and d.dispatched_at >= ${start} and d.dispatched_at < ${end}
      ) x
      group by x.company_id, x.month`,
  );
  const items: PropertyPerformanceRow[] = [];
  for (const c of companies)
    for (const month of months) {
      const r = rows.find((x) => x.company_id === c.id && x.month === month);
      const n = r?.dispatched ?? 0;
      items.push({
        companyId: c.id,
        companyName: c.name,
        month,
        dispatched: n,
        respondedOnTime: r?.responded ?? 0,
        repliedOnTime: r?.replied ?? 0,
        resolvedOnTime: r?.resolved ?? 0,
        late: r?.late ?? 0,
        // A step still running (not done, deadline ahead) is not rated yet.
        respondRate: rate(r?.responded ?? 0, r?.respond_judged ?? 0),
        replyRate: rate(r?.replied ?? 0, r?.reply_judged ?? 0),
        resolveRate: rate(r?.resolved ?? 0, r?.resolve_judged ?? 0),
      });
    }
  return { items };
}

/** The 响应 / 回复 sweep as a job of the runner, every minute (the shortest step is 15 min). */
export function propertyClockJob(db: Db): Job {
  return defineJob({
    name: 'property-clock',
    schedule: { everyMs: 60_000 },
    startDelayMs: 15_000,
    run: async () => sweepPropertyClocks(db),
  });
}
