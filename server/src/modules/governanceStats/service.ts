import { disputeSourceNames, disputeTypeNames, riskLevelNames } from '@civicgrid/core/api/disputes';
import type {
  GovernanceStats,
  GovernanceStatsQuery,
  GovernanceSummary,
  StatsBucket,
} from '@civicgrid/core/api/governanceStats';
import { incidentLevelNames, incidentTypeNames } from '@civicgrid/core/api/incidents';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { disputeClockStates } from '@civicgrid/core/disputes/stateMachine';
import {
  type DisputeOutcome,
  daysBetweenInstants,
  disputeOutcome,
  disputeOutcomeNames,
  disputeOutcomes,
  mean1,
  median,
  mediationRates,
  percentile,
  rate,
} from '@civicgrid/core/governance/stats';
import { grievanceChannelNames } from '@civicgrid/core/grievances/stateMachine';
import { and, gte, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { type Area, areaCondition, resolveArea } from '../../platform/scope.js';
import { disputesScope } from '../disputes/policy.js';
import { disputes } from '../disputes/tables.js';
import { grievances } from '../grievances/tables.js';
import { incidentNotifications, incidents } from '../incidents/tables.js';

const dayMs = 86_400_000;
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);
const endOf = (day: string) => new Date(startOf(day).getTime() + dayMs);
/** Today as a China date, in SQL: the rows' days are China dates. */
const todaySql = sql`(now() at time zone 'Asia/Shanghai')::date`;
const clockStates = sql.raw(disputeClockStates.map((s) => `'${s}'`).join(','));

/**
 * Buckets in the order of the names' table (the order the UI lists them), each counted; a
 * key absent from the names (none today) is kept under its own name rather than dropped.
 */
function buckets<K extends string>(names: Record<K, string>, keys: readonly string[]): StatsBucket[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const known = Object.keys(names) as K[];
  const out: StatsBucket[] = known.map((k) => ({ key: k, name: names[k], count: counts.get(k) ?? 0 }));
  for (const [k, n] of counts) if (!known.includes(k as K)) out.push({ key: k, name: k, count: n });
  return out;
}

interface DisputeFigureRow {
  type: string;
  risk_level: string;
  source: string;
  status: string;
  agreed: boolean;
  oral: boolean | null;
  failed: boolean;
  referred: boolean | null;
  last_performed: 'yes' | 'partly' | 'no' | null;
  accepted_at: Date | string | null;
  closed_at: Date | string | null;
  overdue: boolean;
}

/**
 * The disputes of the area registered in the period, a few scalars each (the outcome, the
 * last follow-up's answer, the clock): the arithmetic is core's (governance/stats.ts).
 */
async function disputeFigures(db: Db, actor: Actor, area: Area, q: GovernanceStatsQuery) {
  const d = disputes;
  const where = and(
    disputesScope.where(actor),
    areaCondition(area, d.orgPath),
    q.from ? gte(d.createdAt, startOf(q.from)) : undefined,
    q.to ? lt(d.createdAt, endOf(q.to)) : undefined,
  ) as SQL;
  const rows = await queryRows<DisputeFigureRow>(
    db,
    sql`select ${d.type} as type, ${d.riskLevel} as risk_level, ${d.source} as source, ${d.status} as status,
        jsonb_typeof(${d.agreement}) = 'object' as agreed,
        (${d.agreement}->>'oral')::boolean as oral,
        jsonb_typeof(${d.failure}) = 'object' as failed,
        jsonb_typeof(${d.failure}->'referral') = 'object' as referred,
        ${d.followUps}->-1->>'performed' as last_performed,
        ${d.acceptedAt} as accepted_at, ${d.closedAt} as closed_at,
        (${d.status} in (${clockStates}) and ${d.deadline} < ${todaySql}) as overdue
      from ${d} where ${where}`,
  );
  const outcomes: DisputeOutcome[] = rows.map((r) =>
    disputeOutcome({
      agreement: r.agreed ? { oral: r.oral === true } : null,
      failure: r.failed ? { referral: r.referred ? {} : null } : null,
    }),
  );
  const followUps = rows
    .filter((r) => r.agreed && r.last_performed !== null)
    .map((r) => r.last_performed as 'yes' | 'partly' | 'no');
  const m = mediationRates(outcomes, followUps);
  const closedDays = rows
    .filter((r) => r.status === 'closed' && r.accepted_at !== null && r.closed_at !== null)
    .map((r) => daysBetweenInstants(new Date(r.accepted_at as Date), new Date(r.closed_at as Date)));
  return {
    total: rows.length,
    byType: buckets(
      disputeTypeNames,
      rows.map((r) => r.type),
    ),
    byRisk: buckets(
      riskLevelNames,
      rows.map((r) => r.risk_level),
    ),
    bySource: buckets(
      disputeSourceNames,
      rows.map((r) => r.source),
    ).filter((b) => b.count > 0),
    byOutcome: buckets(
      Object.fromEntries(disputeOutcomes.map((o) => [o, disputeOutcomeNames[o]])) as Record<
        DisputeOutcome,
        string
      >,
      outcomes,
    ),
    ended: m.ended,
    agreed: m.agreed,
    successRate: m.successRate,
    followedUp: m.followedUp,
    performed: m.performed,
    partly: m.partly,
    notPerformed: m.notPerformed,
    performanceRate: m.performanceRate,
    meanDaysToClose: mean1(closedDays),
    closed: closedDays.length,
    overdue: rows.filter((r) => r.overdue).length,
  };
}

type StepRow = { done: number; on_time: number; overdue: number };
const step = (r: StepRow) => {
  const late = r.done - r.on_time;
  return {
    done: r.done,
    onTime: r.on_time,
    late,
    overdue: r.overdue,
    onTimeRate: rate(r.on_time, r.done + r.overdue),
  };
};

/**
 * Grievances received in the period, registered in the area or handled by a unit of it; each
 * statutory step: done by its last day, done late, and not done and past it now. The on-time
 * rate of a step is over those that are due — done, or overdue undone — so a step left
 * undone past its day lowers it. Counts only: no grievance is read, nothing to audit.
 */
async function grievanceFigures(db: Db, area: Area, q: GovernanceStatsQuery) {
  const g = grievances;
  const where = and(
    or(areaCondition(area, g.orgPath), areaCondition(area, sql`coalesce(${g.handlingPath}, '')`)),
    q.from ? gte(g.receivedOn, q.from) : undefined,
    q.to ? lte(g.receivedOn, q.to) : undefined,
  ) as SQL;
  const n = (cond: SQL) => sql`(count(*) filter (where ${cond}))::int`;
  const [r] = await queryRows<Record<string, number>>(
    db,
    sql`select count(*)::int as total,
        ${n(sql`${g.acknowledgedOn} is not null`)} as ack_done,
        ${n(sql`${g.acknowledgedOn} <= ${g.acknowledgeBy}`)} as ack_on_time,
        ${n(sql`${g.acknowledgedOn} is null and ${g.status} = 'registered' and ${g.acknowledgeBy} < ${todaySql}`)} as ack_overdue,
        ${n(sql`${g.answeredOn} is not null`)} as ans_done,
        ${n(sql`${g.answeredOn} <= ${g.answerBy}`)} as ans_on_time,
        ${n(sql`${g.answeredOn} is null and ${g.status} = 'accepted' and ${g.answerBy} < ${todaySql}`)} as ans_overdue,
        ${n(sql`${g.reviewedOn} is not null`)} as rev_done,
        ${n(sql`${g.reviewedOn} <= ${g.reviewAnswerBy}`)} as rev_on_time,
        ${n(sql`${g.reviewedOn} is null and ${g.status} = 'reviewRequested' and ${g.reviewAnswerBy} < ${todaySql}`)} as rev_overdue,
        ${n(sql`${g.dueOn} is not null and ${g.dueOn} < ${todaySql}`)} as overdue
      from ${g} where ${where}`,
  );
  const channels = await queryRows<{ channel: string }>(
    db,
    sql`select ${g.channel} as channel from ${g} where ${where}`,
  );
  const f = r ?? {};
  const v = (k: string) => Number(f[k] ?? 0);
  return {
    total: v('total'),
    byChannel: buckets(
      grievanceChannelNames,
      channels.map((c) => c.channel),
    ),
    acknowledge: step({ done: v('ack_done'), on_time: v('ack_on_time'), overdue: v('ack_overdue') }),
    answer: step({ done: v('ans_done'), on_time: v('ans_on_time'), overdue: v('ans_overdue') }),
    review: step({ done: v('rev_done'), on_time: v('rev_on_time'), overdue: v('rev_overdue') }),
    overdue: v('overdue'),
  };
}

/** Emergencies reported in the area in the period, and the minutes each notice took to be acknowledged. */
async function incidentFigures(db: Db, area: Area, q: GovernanceStatsQuery) {
  const i = incidents;
  const where = and(
    areaCondition(area, i.orgPath),
    q.from ? gte(i.reportedAt, startOf(q.from)) : undefined,
    q.to ? lt(i.reportedAt, endOf(q.to)) : undefined,
  ) as SQL;
  const rows = await queryRows<{ id: string; type: string; level: string; status: string }>(
    db,
    sql`select ${i.id} as id, ${i.type} as type, ${i.level} as level, ${i.status} as status from ${i} where ${where}`,
  );
  const n = incidentNotifications;
  const notices = await queryRows<{ minutes: number | null }>(
    db,
    sql`select extract(epoch from (${n.acknowledgedAt} - ${n.notifiedAt}))::float8 / 60 as minutes
      from ${n} join ${i} on ${i.id} = ${n.incidentId} where ${where}`,
  );
  const minutes = notices.filter((x) => x.minutes !== null).map((x) => Math.max(0, Number(x.minutes)));
  const one = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    total: rows.length,
    active: rows.filter((r) => r.status === 'active').length,
    byType: buckets(
      incidentTypeNames,
      rows.map((r) => r.type),
    ),
    byLevel: buckets(
      incidentLevelNames,
      rows.map((r) => r.level),
    ),
    notified: notices.length,
    acknowledged: minutes.length,
    ackMedianMinutes: one(median(minutes)),
    ackP90Minutes: one(percentile(minutes, 0.9)),
  };
}

/**
 * 综治统计 of an area (one the actor's jurisdiction holds, checked by the scope service; 400
 * `orgUnitId` outside it) and a period of China days: disputes, grievances and emergencies.
 */
export async function governanceStatsOf(
  db: Db,
  actor: Actor,
  q: GovernanceStatsQuery,
): Promise<GovernanceStats> {
  const area = await resolveArea(db, actor, q.orgUnitId);
  const [d, g, e] = await Promise.all([
    disputeFigures(db, actor, area, q),
    grievanceFigures(db, area, q),
    incidentFigures(db, area, q),
  ]);
  return {
    area: { id: area.id, name: area.name },
    from: q.from ?? null,
    to: q.to ?? null,
    disputes: d,
    grievances: g,
    incidents: e,
  };
}

/** The dashboard's governance block: the last 30 China days of the same figures. */
export async function governanceSummaryOf(
  db: Db,
  actor: Actor,
  orgUnitId: number | undefined,
): Promise<GovernanceSummary> {
  const to = localDay(Date.now());
  const from = localDay(Date.now() - 29 * dayMs);
  const s = await governanceStatsOf(db, actor, { orgUnitId, from, to });
  return {
    disputes: s.disputes.total,
    redDisputes: s.disputes.byRisk.find((b) => b.key === 'red')?.count ?? 0,
    successRate: s.disputes.successRate,
    performanceRate: s.disputes.performanceRate,
    grievances: s.grievances.total,
    grievancesOverdue: s.grievances.overdue,
    grievanceAnswerOnTimeRate: s.grievances.answer.onTimeRate,
    incidents: s.incidents.total,
    ackMedianMinutes: s.incidents.ackMedianMinutes,
  };
}
