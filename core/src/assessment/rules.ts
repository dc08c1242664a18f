/**
 * 考核 scoring rules as data (CONVENTIONS: "scoring weights are data that code reads").
 * The defaults below are the product's; a district's admin edits its own copy, which is
 * stored whole and validated by `assessmentRulesSchema` in `api/assessment.ts`.
 *
 * Grid workers (网格员) are scored on what the seeds ask of them — 工作留痕: patrols walked,
 * problems found and solved on the spot, cases handled on time, visits, daily work logs and
 * residents' ratings — less penalties for rework, returns and lateness. A worker's score is
 * the sum of the items' points; each bonus item is capped, the cap given per month and
 * scaled to the period (a week is 7/30 of a month, a quarter 3 months, a year 12), so a
 * worker cannot make up for a missing duty by piling up another.
 *
 * Departments (职能部门) are checked on 按时办结率 and 落实到位率 (the case work, 0–100)
 * and evaluated 自评、互评、群众评、第三方评; the final score weighs the five.
 */

import { weekOfDay } from '../calendar/weeks.js';

export type WorkerItemKey =
  | 'patrolDays'
  | 'patrolKm'
  | 'casesFound'
  | 'casesSelfResolved'
  | 'casesOnTime'
  | 'visits'
  | 'workLogs'
  | 'ratings'
  | 'proxyCompleted'
  | 'disputesMediated'
  | 'rework'
  | 'returns'
  | 'overdue';

export interface WorkerItemDefinition {
  key: WorkerItemKey;
  label: string;
  labelEn: string;
  unit: string;
  /** Bonus items add points up to the cap; penalties take them off, without a cap. */
  kind: 'bonus' | 'penalty';
  /** What is counted, for the rules page and the reports. */
  counts: string;
}

export const workerItems: WorkerItemDefinition[] = [
  {
    key: 'patrolDays',
    label: '巡查天数',
    labelEn: 'Patrol days',
    unit: '天',
    kind: 'bonus',
    counts: '有巡查轨迹的自然日数',
  },
  {
    key: 'patrolKm',
    label: '巡查里程',
    labelEn: 'Patrol distance',
    unit: '公里',
    kind: 'bonus',
    counts: '巡查轨迹里程之和',
  },
  {
    key: 'casesFound',
    label: '发现上报',
    labelEn: 'Cases found',
    unit: '件',
    kind: 'bonus',
    counts: '本人上报的事件（不含不予受理）',
  },
  {
    key: 'casesSelfResolved',
    label: '自行处置',
    labelEn: 'Self-resolved',
    unit: '件',
    kind: 'bonus',
    counts: '就地自处置的事件',
  },
  {
    key: 'casesOnTime',
    label: '按时办结',
    labelEn: 'Handled on time',
    unit: '件',
    kind: 'bonus',
    counts: '本人办结且在时限内的事件',
  },
  {
    key: 'visits',
    label: '入户走访',
    labelEn: 'Visits',
    unit: '次',
    kind: 'bonus',
    counts: '入户走访与关爱帮扶走访次数',
  },
  {
    key: 'workLogs',
    label: '工作日志',
    labelEn: 'Work logs',
    unit: '篇',
    kind: 'bonus',
    counts: '提交的工作日志篇数',
  },
  {
    key: 'ratings',
    label: '群众满意',
    labelEn: 'Satisfied ratings',
    unit: '件',
    kind: 'bonus',
    counts: '本人办结、回访为满意或基本满意的事件',
  },
  {
    // 帮办代办 (seed 004: 1 resident : 1 grid worker : N departments, followed to the end).
    key: 'proxyCompleted',
    label: '帮办代办',
    labelEn: 'Proxy applications completed',
    unit: '件',
    kind: 'bonus',
    counts: '本人代办、在期内办结（出件）的办件',
  },
  {
    // 综治中心 (issue 16): a mediator's work counts — the disputes he settled by agreement.
    key: 'disputesMediated',
    label: '调解纠纷',
    labelEn: 'Disputes mediated',
    unit: '件',
    kind: 'bonus',
    counts: '本人为调解员、在期内达成调解协议（含口头协议）的矛盾纠纷',
  },
  {
    key: 'rework',
    label: '返工',
    labelEn: 'Rework',
    unit: '次',
    kind: 'penalty',
    counts: '本人办结后核查不通过、被要求返工的次数',
  },
  {
    key: 'returns',
    label: '退回',
    labelEn: 'Returns',
    unit: '次',
    kind: 'penalty',
    counts: '本人上报被不予受理，或派给本人后退回的次数',
  },
  {
    key: 'overdue',
    label: '超期',
    labelEn: 'Overdue',
    unit: '件',
    kind: 'penalty',
    counts: '本人办结时已超过时限的事件',
  },
];

export interface WorkerItemRule {
  /** Points per unit counted (bonus) or taken off per unit (penalty). */
  points: number;
  /** Most points a bonus item gives in a month (scaled to the period); null: no cap. */
  monthlyCap: number | null;
}

export type DepartmentComponentKey = 'caseWork' | 'self' | 'peer' | 'public' | 'thirdParty';

export const departmentComponents: {
  key: DepartmentComponentKey;
  label: string;
  labelEn: string;
  source: string;
}[] = [
  {
    key: 'caseWork',
    label: '办件考核',
    labelEn: 'Case work',
    source: '按时办结率、落实到位率（系统计算），扣退回、超期与吹哨未按时报到',
  },
  { key: 'self', label: '自评', labelEn: 'Self', source: '部门自评分（录入）' },
  { key: 'peer', label: '互评', labelEn: 'Peer', source: '其他部门互评平均分（录入）' },
  { key: 'public', label: '群众评', labelEn: 'Public', source: '回访满意率 × 100（系统计算）' },
  { key: 'thirdParty', label: '第三方评', labelEn: 'Third party', source: '第三方测评分（录入）' },
];

/**
 * An area's own governance work (综治中心, issue 16), added to the mean of its grid workers'
 * scores: 调解成功率 and 信访按期答复率 of the area in the period, each rate × its points.
 * A rate with nothing to measure (no mediation ended, no answer due) gives no points.
 */
export type UnitItemKey = 'mediationSuccess' | 'grievancesOnTime';
export const unitItems: { key: UnitItemKey; label: string; labelEn: string; counts: string }[] = [
  {
    key: 'mediationSuccess',
    label: '调解成功率',
    labelEn: 'Mediation success rate',
    counts: '辖区在期内登记的矛盾纠纷中，达成协议（含口头）÷ 调解终结，乘以分值',
  },
  {
    key: 'grievancesOnTime',
    label: '信访按期答复率',
    labelEn: 'Grievances answered on time',
    counts: '辖区在期内收到的信访事项中，按期书面答复 ÷（已答复 + 超期未答复），乘以分值',
  },
];
export type UnitRules = Record<UnitItemKey, { points: number }>;

export interface AssessmentRules {
  worker: Record<WorkerItemKey, WorkerItemRule>;
  /** Saved rules from before the unit items have none: the defaults apply. */
  unit?: UnitRules;
  department: {
    /** Weights of the case-work score (each rate × weight; the two add up to 100). */
    onTimeWeight: number;
    fulfilmentWeight: number;
    /** Points off the case-work score per case returned / per case that ran late. */
    returnPenalty: number;
    overduePenalty: number;
    /**
     * Points off per summons of 街道吹哨、部门报到 answered after its deadline or not at all
     * (issue 19); saved rules from before it have none: the default applies.
     */
    whistlePenalty?: number;
    /**
     * Points off a property company's (红管家) case-work score per mark of its 15 分钟响应 /
     * 30 分钟回复 / 24 小时解决 clock missed (issue 19 item 6); saved rules from before it have
     * none: the default applies.
     */
    propertyPenalty?: number;
    /** Weights of the final evaluation; a component without a score is left out and the rest reweighed. */
    weights: Record<DepartmentComponentKey, number>;
  };
}

export const defaultAssessmentRules: AssessmentRules = {
  worker: {
    patrolDays: { points: 2, monthlyCap: 44 },
    patrolKm: { points: 0.5, monthlyCap: 20 },
    casesFound: { points: 1, monthlyCap: 30 },
    casesSelfResolved: { points: 1.5, monthlyCap: 30 },
    casesOnTime: { points: 1, monthlyCap: 20 },
    visits: { points: 0.5, monthlyCap: 20 },
    workLogs: { points: 1, monthlyCap: 22 },
    ratings: { points: 0.5, monthlyCap: 10 },
    proxyCompleted: { points: 1, monthlyCap: 10 },
    disputesMediated: { points: 2, monthlyCap: 20 },
    rework: { points: 2, monthlyCap: null },
    returns: { points: 1, monthlyCap: null },
    overdue: { points: 2, monthlyCap: null },
  },
  unit: { mediationSuccess: { points: 10 }, grievancesOnTime: { points: 10 } },
  department: {
    onTimeWeight: 60,
    fulfilmentWeight: 40,
    returnPenalty: 1,
    overduePenalty: 0.5,
    whistlePenalty: 2,
    propertyPenalty: 1,
    weights: { caseWork: 40, self: 10, peer: 20, public: 20, thirdParty: 10 },
  },
};

export type AssessmentPeriod = 'week' | 'month' | 'quarter' | 'year';

/** How many months' worth of a monthly cap a period gets. */
export function capScale(period: AssessmentPeriod): number {
  return period === 'week' ? 7 / 30 : period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The period (China dates, both ends included) that holds `day`: weeks start on Monday,
 * quarters in January, April, July and October.
 */
export function periodRange(
  period: AssessmentPeriod,
  day: string,
): { from: string; to: string; label: string } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utc = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd));
  const iso = (t: Date) => t.toISOString().slice(0, 10);
  if (period === 'week') {
    const w = weekOfDay(iso(utc(y, m, d)));
    return { from: w.from, to: w.to, label: `${w.from} 至 ${w.to}` };
  }
  if (period === 'month')
    return { from: `${y}-${pad(m)}-01`, to: iso(utc(y, m + 1, 0)), label: `${y}年${m}月` };
  if (period === 'quarter') {
    const q = Math.floor((m - 1) / 3);
    return {
      from: `${y}-${pad(q * 3 + 1)}-01`,
      to: iso(utc(y, q * 3 + 4, 0)),
      label: `${y}年第${'一二三四'[q]}季度`,
    };
  }
  return { from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年` };
}

/** A bonus item's points: value × points, at most the cap scaled to the period. */
export function itemPoints(
  rule: WorkerItemRule,
  kind: 'bonus' | 'penalty',
  value: number,
  period: AssessmentPeriod,
) {
  if (kind === 'penalty') return -value * rule.points;
  const raw = value * rule.points;
  return rule.monthlyCap === null ? raw : Math.min(raw, rule.monthlyCap * capScale(period));
}

/** Rounded to two decimals, as scores are shown and ranked. */
export const round2 = (x: number) => Math.round(x * 100) / 100;
