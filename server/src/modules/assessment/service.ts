import type { departmentEvaluationInput } from '@civicgrid/core/api/assessment';
import {
  type AssessmentPeriod,
  type AssessmentRules,
  type DepartmentComponentKey,
  defaultAssessmentRules,
  departmentComponents,
  itemPoints,
  periodRange,
  round2,
  type UnitRules,
  unitItems,
  type WorkerItemKey,
  workerItems,
} from '@civicgrid/core/assessment/rules';
import { rate } from '@civicgrid/core/governance/stats';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import { type Db, queryRows } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';

import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
import { exportXlsx } from '../../platform/spreadsheet.js';
import { activeUsersWith } from '../accounts/users.js';
import { nameBook } from '../cases/names.js';
import { departments, orgUnits } from '../org/tables.js';
import { missedPropertyMarks } from '../participation/property.js';
import { districtOfActor } from './policy.js';
import { assessmentRules, departmentEvaluations } from './tables.js';

export type ScoreLevel = 'worker' | 'grid' | 'community' | 'street' | 'department';

export interface ScoreRow {
  id: number | string;
  name: string;
  areaName: string;
  /** Null for a department with nothing to score it on (no cases, nothing entered): unranked. */
  score: number | null;
  rank: number | null;
  workers?: number;
  items: { key: string; label: string; value: number | null; points: number }[];
}

export interface Scorecard {
  level: ScoreLevel;
  period: AssessmentPeriod;
  from: string;
  to: string;
  label: string;
  rows: ScoreRow[];
}

const levelDepth = { street: 2, community: 3, grid: 4 } as const;

/** The district a path belongs to (its rules apply); '/' takes the first district. */
async function districtOf(db: Db, path: string): Promise<number | null> {
  const first = path.split('/').filter(Boolean)[0];
  if (first) return Number(first);
  const [d] = await db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(eq(orgUnits.level, 'district'))
    .orderBy(orgUnits.id)
    .limit(1);
  return d?.id ?? null;
}

/**
 * Saved rules completed with the defaults of items added since they were saved (e.g.
 * 帮办代办), so a district's rules from before an item existed still score it.
 */
function withDefaults(rules: AssessmentRules): AssessmentRules {
  return {
    ...rules,
    worker: { ...defaultAssessmentRules.worker, ...rules.worker },
    unit: { ...defaultAssessmentRules.unit, ...rules.unit } as UnitRules,
    department: {
      whistlePenalty: defaultAssessmentRules.department.whistlePenalty,
      propertyPenalty: defaultAssessmentRules.department.propertyPenalty,
      ...rules.department,
    },
  };
}

export async function rulesOf(db: Db, districtId: number | null): Promise<AssessmentRules> {
  if (districtId === null) return defaultAssessmentRules;
  const [r] = await db.select().from(assessmentRules).where(eq(assessmentRules.districtId, districtId));
  return r ? withDefaults(r.rules) : defaultAssessmentRules;
}

export async function getRules(db: Db, actor: Actor, orgUnitId: number | undefined) {
  const area = await resolveArea(db, actor, orgUnitId);
  const districtId = await districtOf(db, area.path);
  if (districtId === null) throw fieldError('orgUnitId', 'exists', 'ASSESSMENT_NO_DISTRICT');
  const [row] = await db.select().from(assessmentRules).where(eq(assessmentRules.districtId, districtId));
  const book = await nameBook(db);
  return {
    districtId,
    districtName: book.units.get(districtId)?.name ?? '',
    rules: row ? withDefaults(row.rules) : defaultAssessmentRules,
    isDefault: !row,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

/** Saves a district's rules whole (validated by the route's schema), audited. */
export async function saveRules(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  districtId: number,
  rules: AssessmentRules,
) {
  if (!(await districtOfActor(db, actor, districtId)))
    throw fieldError('districtId', 'inJurisdiction', 'ASSESSMENT_DISTRICT_NOT_FOUND');
  await db.transaction(async (tx) => {
    const values = {
      districtId,
      rules,
      updatedAt: new Date(),
      updatedBy: actor.userId,
      updatedByName: actor.displayName,
    };
    await tx
      .insert(assessmentRules)
      .values(values)
      .onConflictDoUpdate({ target: assessmentRules.districtId, set: values });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'assessment.rulesUpdated',
      targetType: 'orgUnit',
      targetId: districtId,
    });
  });
  return getRules(db, actor, districtId);
}

// ---------------------------------------------------------------- grid workers

type WorkerValues = Record<WorkerItemKey, number>;

interface Worker {
  id: string;
  name: string;
  orgUnitId: number | null;
  orgPath: string;
}

/**
 * What each worker did in the period, item by item (the `counts` of each item in
 * core/assessment/rules.ts). Every query reads one table's rows of the period once and
 * groups them by worker; case work is read from the case trail (全程留痕), so it goes to
 * whoever did it even when a case moved to another grid.
 */
async function workerValues(
  db: Db,
  ids: string[],
  from: string,
  to: string,
): Promise<Map<string, WorkerValues>> {
  const out = new Map<string, WorkerValues>();
  if (ids.length === 0) return out;
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  const idList = sql`${`{${ids.join(',')}}`}::uuid[]`;
  // Each aggregate reads a month of a district in well under a second; compiling it (JIT)
  // costs a fifth of that, so it is off for these.
  const rows = <T>(query: SQL) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      return queryRows<T>(tx, query);
    });
  const [patrols, trail, rejected, rework, ratings, visits, logs, proxies, mediated] = await Promise.all([
    rows<{ id: string; days: number; km: number }>(
      sql`select user_id as id,
          count(distinct to_char(started_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD'))::int as days,
          coalesce(sum(distance_m), 0)::float8 / 1000 as km
        from patrols where user_id = any(${idList}) and started_at >= ${start} and started_at < ${end}
        group by user_id`,
    ),
    rows<{ id: string; found: number; self: number; on_time: number; late: number; returns: number }>(
      sql`select e.actor_id as id,
          count(distinct e.case_id) filter (where e.action = 'report' and c.status not in ('rejected', 'cancelled', 'merged'))::int as found,
          count(distinct e.case_id) filter (where e.action = 'selfResolve')::int as self,
          count(distinct e.case_id) filter (where e.action in ('resolve', 'selfResolve') and c.resolved_on_time)::int as on_time,
          count(distinct e.case_id) filter (where e.action in ('resolve', 'selfResolve') and c.resolved_on_time = false)::int as late,
          count(*) filter (where e.action = 'return')::int as returns
        from case_events e join cases c on c.id = e.case_id
        where e.at >= ${start} and e.at < ${end} and e.actor_id = any(${idList})
          and e.action in ('report', 'selfResolve', 'resolve', 'return')
        group by e.actor_id`,
    ),
    // Reports turned down as not a case (不予受理) count against whoever reported them.
    rows<{ id: string; n: number }>(
      sql`with j as materialized (
          select case_id from case_events where action = 'reject' and at >= ${start} and at < ${end})
        select r.actor_id as id, count(*)::int as n
        from j join case_events r on r.case_id = j.case_id and r.action = 'report'
        where r.actor_id = any(${idList})
        group by r.actor_id`,
    ),
    // A failed verification is the rework of whoever resolved the case last before it. The
    // trail is partitioned by month: bounding the lookup by the case's report and the event's
    // own time lets PostgreSQL skip, row by row, the months that cannot hold it (a case's
    // events all come after its report; a day's margin for clocks).
    rows<{ id: string; n: number }>(
      sql`with v as materialized (
          select e.id, e.case_id, e.at, c.reported_at from case_events e join cases c on c.id = e.case_id
          where e.action = 'verify' and e.to_state = 'rework' and e.at >= ${start} and e.at < ${end})
        select h.actor_id as id, count(*)::int as n
        from v cross join lateral (
          select x.actor_id from case_events x
          where x.case_id = v.case_id and x.action in ('resolve', 'selfResolve') and x.id < v.id
            and x.at >= v.reported_at - interval '1 day' and x.at <= v.at
          order by x.id desc limit 1) h
        where h.actor_id = any(${idList})
        group by h.actor_id`,
    ),
    // Ratings given in the period, to whoever resolved the case last (bounded as above: at
    // 1M cases this lookup took 7 s over every month's partition, 1.9 s over the ones it can be in).
    rows<{ id: string; n: number }>(
      sql`with f as materialized (
          select id, case_id, at from case_events
          where action in ('followUp', 'close') and at >= ${start} and at < ${end})
        select h.actor_id as id, count(*)::int as n
        from f join cases c on c.id = f.case_id cross join lateral (
          select x.actor_id from case_events x
          where x.case_id = f.case_id and x.action in ('resolve', 'selfResolve') and x.id < f.id
            and x.at >= c.reported_at - interval '1 day' and x.at <= f.at
          order by x.id desc limit 1) h
        where c.rating in ('satisfied', 'basicallySatisfied') and h.actor_id = any(${idList})
        group by h.actor_id`,
    ),
    rows<{ id: string; n: number }>(
      sql`select id, sum(n)::int as n from (
          select by_user_id as id, count(*) as n from household_visits
          where by_user_id = any(${idList}) and visited_at >= ${start} and visited_at < ${end} group by 1
          union all
          select by_user_id, count(*) from care_visits
          where by_user_id = any(${idList}) and visited_at >= ${start} and visited_at < ${end} group by 1) v
        group by id`,
    ),
    rows<{ id: string; n: number }>(
      sql`select user_id as id, count(*)::int as n from work_logs
        where user_id = any(${idList}) and day >= ${from} and day <= ${to} group by user_id`,
    ),
    // 帮办代办: applications the worker carried for a resident, issued (办结) in the period.
    rows<{ id: string; n: number }>(
      sql`select p.agent_id as id, count(distinct p.application_id)::int as n
        from proxy_applications p join application_events e on e.application_id = p.application_id
        where e.action = 'issue' and e.at >= ${start} and e.at < ${end} and p.agent_id = any(${idList})
        group by p.agent_id`,
    ),
    // 调解纠纷: disputes the mediator settled by agreement (written or oral) in the period.
    rows<{ id: string; n: number }>(
      sql`select d.mediator_user_id as id, count(distinct d.id)::int as n
        from dispute_events e join disputes d on d.id = e.dispute_id
        where e.action = 'agree' and e.at >= ${start} and e.at < ${end} and d.mediator_user_id = any(${idList})
        group by d.mediator_user_id`,
    ),
  ]);
  const row = (id: string) => {
    let v = out.get(id);
    if (!v) {
      v = Object.fromEntries(workerItems.map((i) => [i.key, 0])) as WorkerValues;
      out.set(id, v);
    }
    return v;
  };
  for (const id of ids) row(id);
  for (const p of patrols) Object.assign(row(p.id), { patrolDays: p.days, patrolKm: round2(Number(p.km)) });
  for (const t of trail) {
    const v = row(t.id);
    v.casesFound = t.found;
    v.casesSelfResolved = t.self;
    v.casesOnTime = t.on_time;
    v.overdue = t.late;
    v.returns += t.returns;
  }
  for (const r of rejected) row(r.id).returns += r.n;
  for (const r of rework) row(r.id).rework = r.n;
  for (const r of ratings) row(r.id).ratings = r.n;
  for (const r of visits) row(r.id).visits = r.n;
  for (const r of logs) row(r.id).workLogs = r.n;
  for (const r of proxies) row(r.id).proxyCompleted = r.n;
  for (const r of mediated) row(r.id).disputesMediated = r.n;
  return out;
}

function scoreWorker(values: WorkerValues, rules: AssessmentRules, period: AssessmentPeriod) {
  const items = workerItems.map((i) => ({
    key: i.key,
    label: i.label,
    value: values[i.key],
    points: round2(itemPoints(rules.worker[i.key], i.kind, values[i.key], period)),
  }));
  return { items, score: round2(items.reduce((s, i) => s + i.points, 0)) };
}

/**
 * Competition ranking (1, 2, 2, 4) by score, highest first. A row without a score (null:
 * nothing to score it on) is listed after the ranked ones, by name, with no rank — no data
 * is not a score of 0.
 */
function ranked<T extends { score: number | null; name: string }>(
  rows: T[],
): (T & { rank: T['score'] extends number ? number : number | null })[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'zh-CN');
  const scored = rows
    .filter((r) => r.score !== null)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || byName(a, b));
  let rank = 0;
  return [
    ...scored.map((r, i) => {
      if (i === 0 || r.score !== scored[i - 1]?.score) rank = i + 1;
      return { ...r, rank };
    }),
    ...rows
      .filter((r) => r.score === null)
      .sort(byName)
      .map((r) => ({ ...r, rank: null })),
  ] as (T & { rank: T['score'] extends number ? number : number | null })[];
}

// ---------------------------------------------------------------- departments

interface DepartmentFigures {
  id: number;
  n: number;
  closed: number;
  closed_on_time: number;
  resolved: number;
  verified: number;
  rated: number;
  satisfied: number;
  overdue: number;
  returns: number;
  /** 街道吹哨、部门报到: summonses of the period it answered late, or not at all by now. */
  whistlesLate: number;
  /** 红管家: marks of the 15 min / 30 min / 24 h clock missed; null for a department that is no property company. */
  propertyMissed: number | null;
}

async function departmentFigures(db: Db, area: Area, from: string, to: string) {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  const within = areaCondition(area, sql.raw('c.org_path'));
  const [cases, returns, late, missed] = await Promise.all([
    queryRows<Omit<DepartmentFigures, 'returns' | 'whistlesLate' | 'propertyMissed'>>(
      db,
      sql`select d as id, count(*)::int as n,
          count(*) filter (where c.status = 'closed')::int as closed,
          count(*) filter (where c.status = 'closed' and c.resolved_on_time)::int as closed_on_time,
          count(c.resolved_at)::int as resolved, count(c.verified_at)::int as verified,
          count(c.rating)::int as rated, count(*) filter (where c.rating <> 'dissatisfied')::int as satisfied,
          count(*) filter (where c.ever_overdue)::int as overdue
        from cases c, unnest(c.department_ids) as d
        where c.reported_at >= ${start} and c.reported_at < ${end} and ${within}
        group by d`,
    ),
    queryRows<{ id: number; n: number }>(
      db,
      // Returns are few: found by time first, then matched to their cases and handlers.
      sql`with r as materialized (
          select case_id, actor_id from case_events where action = 'return' and at >= ${start} and at < ${end})
        select u.department_id as id, count(*)::int as n
        from r join users u on u.id = r.actor_id join cases c on c.id = r.case_id
        where u.department_id is not null and ${within}
        group by u.department_id`,
    ),
    queryRows<{ id: number; n: number }>(
      db,
      // Whistles raised in the area in the period whose deadline has passed: reported after it,
      // or not reported at all.
      sql`select wd.department_id as id, count(*)::int as n
        from whistle_departments wd join whistles w on w.id = wd.whistle_id
        where w.created_at >= ${start} and w.created_at < ${end} and w.deadline < now()
          and (wd.reported_at is null or wd.reported_at > w.deadline)
          and ${areaCondition(area, sql.raw('w.org_path'))}
        group by wd.department_id`,
    ),
    missedPropertyMarks(db, area, start, end),
  ]);
  const byId = new Map<number, DepartmentFigures>();
  const figuresOf = (id: number): DepartmentFigures => {
    const f = byId.get(id) ?? {
      id,
      n: 0,
      closed: 0,
      closed_on_time: 0,
      resolved: 0,
      verified: 0,
      rated: 0,
      satisfied: 0,
      overdue: 0,
      returns: 0,
      whistlesLate: 0,
      propertyMissed: null,
    };
    byId.set(id, f);
    return f;
  };
  for (const c of cases) byId.set(c.id, { ...c, returns: 0, whistlesLate: 0, propertyMissed: null });
  for (const r of returns) figuresOf(r.id).returns = r.n;
  for (const w of late) figuresOf(w.id).whistlesLate = w.n;
  for (const m of missed) figuresOf(m.id).propertyMissed = m.n;
  return byId;
}

/**
 * A department's evaluation: the case-work score (按时办结率 and 落实到位率 weighed, less
 * returns and late cases, within 0–100), 群众评 = 回访满意率 × 100, and the entered 自评 /
 * 互评 / 第三方评, weighed by the rules; a component with no score (no cases, nothing
 * entered) is left out and the weights of the rest scaled up to 100.
 */
export function scoreDepartment(
  f: DepartmentFigures | undefined,
  entered: Partial<Record<'self' | 'peer' | 'thirdParty', number>>,
  rules: AssessmentRules,
) {
  const r = rules.department;
  const onTime = f && f.closed > 0 ? f.closed_on_time / f.closed : null;
  const fulfilment = f && f.resolved > 0 ? f.verified / f.resolved : null;
  // With one rate unknown (nothing closed, or nothing resolved yet), the other stands for both.
  const rateScore =
    onTime === null && fulfilment === null
      ? null
      : (onTime ?? fulfilment ?? 0) * r.onTimeWeight + (fulfilment ?? onTime ?? 0) * r.fulfilmentWeight;
  const whistlePenalty = r.whistlePenalty ?? defaultAssessmentRules.department.whistlePenalty ?? 0;
  const propertyPenalty = r.propertyPenalty ?? defaultAssessmentRules.department.propertyPenalty ?? 0;
  const penalties =
    (f?.returns ?? 0) * r.returnPenalty +
    (f?.overdue ?? 0) * r.overduePenalty +
    (f?.whistlesLate ?? 0) * whistlePenalty +
    (f?.propertyMissed ?? 0) * propertyPenalty;
  const caseWork = rateScore === null ? null : Math.max(0, Math.min(100, rateScore - penalties));
  const components: Record<DepartmentComponentKey, number | null> = {
    caseWork,
    self: entered.self ?? null,
    peer: entered.peer ?? null,
    public: f && f.rated > 0 ? (f.satisfied / f.rated) * 100 : null,
    thirdParty: entered.thirdParty ?? null,
  };
  const present = departmentComponents.filter((c) => components[c.key] !== null);
  const weightSum = present.reduce((s, c) => s + r.weights[c.key], 0);
  const score =
    weightSum > 0
      ? present.reduce((s, c) => s + (components[c.key] ?? 0) * r.weights[c.key], 0) / weightSum
      : null;
  const items = [
    { key: 'cases', label: '办件数', value: f?.n ?? 0, points: 0 },
    {
      key: 'onTimeRate',
      label: '按时办结率(%)',
      value: onTime === null ? null : round2(onTime * 100),
      points: 0,
    },
    {
      key: 'fulfilmentRate',
      label: '落实到位率(%)',
      value: fulfilment === null ? null : round2(fulfilment * 100),
      points: 0,
    },
    {
      key: 'returns',
      label: '退回',
      value: f?.returns ?? 0,
      points: round2(-(f?.returns ?? 0) * r.returnPenalty),
    },
    {
      key: 'overdue',
      label: '超期',
      value: f?.overdue ?? 0,
      points: round2(-(f?.overdue ?? 0) * r.overduePenalty),
    },
    {
      key: 'whistlesLate',
      label: '吹哨未按时报到',
      value: f?.whistlesLate ?? 0,
      points: round2(-(f?.whistlesLate ?? 0) * whistlePenalty),
    },
    {
      // Every department has the line (the scorecard's columns are one set); only a property
      // company has a value.
      key: 'propertyMissed',
      label: '红管家超时',
      value: f?.propertyMissed ?? null,
      points: round2(-(f?.propertyMissed ?? 0) * propertyPenalty),
    },
    ...departmentComponents.map((c) => {
      const v = components[c.key];
      return {
        key: c.key,
        label: c.label,
        value: v === null ? null : round2(v),
        points: v === null || weightSum === 0 ? 0 : round2((v * r.weights[c.key]) / weightSum),
      };
    }),
  ];
  return { score: score === null ? null : round2(score), items };
}

// ---------------------------------------------------------------- scorecards

export async function scorecard(
  db: Db,
  actor: Actor,
  q: { level: ScoreLevel; period: AssessmentPeriod; start: string; orgUnitId?: number | undefined },
): Promise<Scorecard> {
  const area = await resolveArea(db, actor, q.orgUnitId);
  const range = periodRange(q.period, q.start);
  const rules = await rulesOf(db, await districtOf(db, area.path));
  const book = await nameBook(db);
  const head = { level: q.level, period: q.period, ...range };

  if (q.level === 'department') {
    const [figures, entered, depts] = await Promise.all([
      departmentFigures(db, area, range.from, range.to),
      db
        .select()
        .from(departmentEvaluations)
        .where(and(eq(departmentEvaluations.period, q.period), eq(departmentEvaluations.start, range.from))),
      db.select().from(departments).where(sql`${departments.retiredAt} is null`),
    ]);
    const byDept = new Map<number, Partial<Record<'self' | 'peer' | 'thirdParty', number>>>();
    for (const e of entered) byDept.set(e.departmentId, { ...byDept.get(e.departmentId), [e.kind]: e.score });
    const rows = depts.map((d) => ({
      id: d.id,
      name: d.name,
      areaName: '',
      ...scoreDepartment(figures.get(d.id), byDept.get(d.id) ?? {}, rules),
    }));
    return { ...head, rows: ranked(rows) };
  }

  const gridWorkers = await activeUsersWith(db, 'fieldwork:record', area.path);
  // The people's mediators (role 调解员) are scored too on the worker level, by the disputes
  // they settled (issue 16); areas stay the mean of their grid workers.
  const mediators =
    q.level === 'worker' ? await activeMediators(db, area.path, new Set(gridWorkers.map((w) => w.id))) : [];
  const workers: Worker[] = [...gridWorkers, ...mediators].map((w) => ({
    ...w,
    orgPath: w.orgPath ?? '',
  }));
  const values = await workerValues(
    db,
    workers.map((w) => w.id),
    range.from,
    range.to,
  );
  const scored = workers.map((w) => ({
    worker: w,
    ...scoreWorker(values.get(w.id) as WorkerValues, rules, q.period),
  }));
  if (q.level === 'worker') {
    return {
      ...head,
      rows: ranked(
        scored.map((s) => ({
          id: s.worker.id,
          name: s.worker.name,
          areaName: unitTrail(book, s.worker.orgUnitId),
          score: s.score,
          items: s.items,
        })),
      ),
    };
  }
  // An area's score is the mean of its grid workers' scores (and of each item), so large
  // and small areas compare; an area with no grid worker shows with none and scores 0.
  const depth = levelDepth[q.level];
  const areas = [...book.units]
    .map(([id, u]) => ({ id, ...u }))
    .filter((u) => u.level === q.level && u.path.startsWith(area.path))
    .sort((a, b) => a.path.localeCompare(b.path));
  const governance = await areaGovernance(db, area.path, range.from, range.to);
  const unitRules = rules.unit ?? (defaultAssessmentRules.unit as UnitRules);
  const rows = areas.map((u) => {
    const mine = scored.filter(
      (s) =>
        s.worker.orgPath.split('/').filter(Boolean).length >= depth && s.worker.orgPath.startsWith(u.path),
    );
    const n = mine.length;
    const mean = (f: (s: (typeof scored)[number]) => number) =>
      n ? round2(mine.reduce((a, s) => a + f(s), 0) / n) : 0;
    const own = governance(u.path);
    const unitScored = unitItems.map((i) => ({
      key: i.key,
      label: i.label,
      value: own[i.key],
      points: round2((own[i.key] ?? 0) * unitRules[i.key].points),
    }));
    return {
      id: u.id,
      name: u.name,
      areaName: unitTrail(book, u.parentId),
      workers: n,
      score: round2(mean((s) => s.score) + unitScored.reduce((a, i) => a + i.points, 0)),
      items: [
        ...workerItems.map((i, k) => ({
          key: i.key,
          label: i.label,
          value: mean((s) => s.items[k]?.value ?? 0),
          points: mean((s) => s.items[k]?.points ?? 0),
        })),
        ...unitScored,
      ],
    };
  });
  return { ...head, rows: ranked(rows) };
}

/** "黄河西路街道 / 保利新华社区" — where a worker or area sits, below the district. */
function unitTrail(book: Awaited<ReturnType<typeof nameBook>>, id: number | null): string {
  const names: string[] = [];
  let u = id === null ? undefined : book.units.get(id);
  while (u && u.level !== 'district') {
    names.unshift(u.name);
    u = u.parentId === null ? undefined : book.units.get(u.parentId);
  }
  return names.join(' / ');
}

// ---------------------------------------------------------------- department evaluations

export async function listEvaluations(db: Db, period: AssessmentPeriod, start: string) {
  const range = periodRange(period, start);
  const [depts, rows] = await Promise.all([
    db.select().from(departments).where(sql`${departments.retiredAt} is null`).orderBy(departments.code),
    db
      .select()
      .from(departmentEvaluations)
      .where(and(eq(departmentEvaluations.period, period), eq(departmentEvaluations.start, range.from))),
  ]);
  return {
    ...range,
    items: depts.map((d) => {
      const mine = rows.filter((r) => r.departmentId === d.id);
      const of = (k: 'self' | 'peer' | 'thirdParty') => {
        const r = mine.find((m) => m.kind === k);
        return r ? { score: r.score, note: r.note, enteredByName: r.enteredByName } : null;
      };
      return {
        departmentId: d.id,
        departmentName: d.name,
        self: of('self'),
        peer: of('peer'),
        thirdParty: of('thirdParty'),
      };
    }),
  };
}

export async function enterEvaluation(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  input: z.infer<typeof departmentEvaluationInput>,
) {
  const [d] = await db.select().from(departments).where(eq(departments.id, input.departmentId));
  if (!d || d.retiredAt) throw fieldError('departmentId', 'exists', 'ASSESSMENT_DEPARTMENT_NOT_FOUND');
  const range = periodRange(input.period, input.start);
  await db.transaction(async (tx) => {
    const values = {
      departmentId: input.departmentId,
      period: input.period,
      start: range.from,
      kind: input.kind,
      score: input.score,
      note: input.note ?? null,
      enteredBy: actor.userId,
      enteredByName: actor.displayName,
      enteredAt: new Date(),
    };
    await tx
      .insert(departmentEvaluations)
      .values(values)
      .onConflictDoUpdate({
        target: [
          departmentEvaluations.departmentId,
          departmentEvaluations.period,
          departmentEvaluations.start,
          departmentEvaluations.kind,
        ],
        set: values,
      });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'assessment.evaluationEntered',
      targetType: 'department',
      targetId: input.departmentId,
      payload: { period: input.period, start: range.from, kind: input.kind },
    });
  });
  return listEvaluations(db, input.period, range.from);
}

// ---------------------------------------------------------------- export

const levelNames: Record<ScoreLevel, string> = {
  worker: '网格员',
  grid: '网格',
  community: '社区',
  street: '街道',
  department: '职能部门',
};

/** The scorecard as a workbook: one row per worker / area / department, one column per item. */
export async function exportScorecard(
  db: Db,
  actor: Actor,
  meta: RequestMeta,
  q: { level: ScoreLevel; period: AssessmentPeriod; start: string; orgUnitId?: number | undefined },
) {
  const card = await scorecard(db, actor, q);
  const itemHeads = card.rows[0]?.items ?? [];
  const areaLevel = q.level !== 'worker' && q.level !== 'department';
  const heads = [
    '名次',
    levelNames[q.level],
    '所属区域',
    ...(areaLevel ? ['网格员人数'] : []),
    '总分',
    ...itemHeads.flatMap((i) => (q.level === 'department' ? [i.label] : [i.label, `${i.label}得分`])),
  ];
  const data = await exportXlsx([
    {
      name: `${levelNames[q.level]}考核`,
      title: `${card.label} ${levelNames[q.level]}考核计分（${card.from} 至 ${card.to}）`,
      columns: heads.map((header, i) => ({ header, width: i === 1 || i === 2 ? 22 : 12 })),
      rows: card.rows.map((r) => [
        r.rank ?? '—',
        r.name,
        r.areaName,
        ...(areaLevel ? [r.workers ?? 0] : []),
        r.score ?? '—',
        ...r.items.flatMap((i) => (q.level === 'department' ? [i.value ?? '—'] : [i.value ?? '—', i.points])),
      ]),
    },
  ]);
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'assessment.exported',
      payload: { level: q.level, period: q.period, from: card.from, orgUnitId: q.orgUnitId ?? null },
    }),
  );
  return { data, card };
}

/** Active accounts holding the built-in 调解员 role in an area, but for those already listed. */
async function activeMediators(db: Db, path: string, listed: Set<string>) {
  const rows = await queryRows<{
    id: string;
    name: string;
    org_unit_id: number | null;
    org_path: string | null;
  }>(
    db,
    sql`select distinct u.id, u.display_name as name, u.org_unit_id, u.org_path
      from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
      where r.code = 'mediator' and u.disabled_at is null and u.org_path like ${`${path}%`}
      order by u.org_path, u.display_name`,
  );
  return rows
    .filter((r) => !listed.has(r.id))
    .map((r) => ({ id: r.id, name: r.name, orgUnitId: r.org_unit_id, orgPath: r.org_path }));
}

/**
 * Each area's 调解成功率 and 信访按期答复率 for the period (disputes registered, grievances
 * received in it), the same definitions as 综治统计 (modules/governanceStats): read once for
 * the whole area asked, then split by path.
 */
async function areaGovernance(db: Db, path: string, from: string, to: string) {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  const like = `${path}%`;
  const [ds, gs] = await Promise.all([
    queryRows<{ path: string; agreed: boolean; ended: boolean }>(
      db,
      sql`select org_path as path, jsonb_typeof(agreement) = 'object' as agreed,
          (jsonb_typeof(agreement) = 'object' or jsonb_typeof(failure) = 'object') as ended
        from disputes where org_path like ${like} and created_at >= ${start} and created_at < ${end}`,
    ),
    queryRows<{ path: string; handling: string | null; on_time: boolean; due: boolean }>(
      db,
      sql`select org_path as path, handling_path as handling,
          coalesce(answered_on <= answer_by, false) as on_time,
          (answered_on is not null or (status = 'accepted' and answer_by < (now() at time zone 'Asia/Shanghai')::date)) as due
        from grievances where (org_path like ${like} or handling_path like ${like})
          and received_on >= ${from} and received_on <= ${to}`,
    ),
  ]);
  return (areaPath: string): Record<'mediationSuccess' | 'grievancesOnTime', number | null> => {
    const d = ds.filter((x) => x.path.startsWith(areaPath));
    const g = gs.filter((x) => x.path.startsWith(areaPath) || (x.handling ?? '').startsWith(areaPath));
    return {
      mediationSuccess: rate(d.filter((x) => x.agreed).length, d.filter((x) => x.ended).length),
      grievancesOnTime: rate(g.filter((x) => x.on_time).length, g.filter((x) => x.due).length),
    };
  };
}
