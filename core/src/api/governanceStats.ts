import { z } from 'zod';
import { intId } from './common.js';

// ——— 综治统计 (issue 16 item 8): `GET /api/governance/stats` and its Excel export.

/** An area of the actor's jurisdiction (unasked, the whole of it) and a period of China days. */
export const governanceStatsQuery = z
  .object({
    orgUnitId: intId.optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: '结束日期不能早于开始日期',
  });
export type GovernanceStatsQuery = z.infer<typeof governanceStatsQuery>;

const rate = z.number().min(0).max(1).nullable();
const bucket = z.object({ key: z.string(), name: z.string(), count: z.number().int() });
export type StatsBucket = z.infer<typeof bucket>;

/** One statutory step of a grievance: done by its day, done late, and running past it now. */
const grievanceStep = z.object({
  done: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  /** Not done and past its last day now (超期未办). */
  overdue: z.number().int(),
  onTimeRate: rate,
});
export type GrievanceStepStats = z.infer<typeof grievanceStep>;

export const governanceStats = z.object({
  area: z.object({ id: z.number().int().nullable(), name: z.string().nullable() }),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Disputes registered in the period (by the China day registered). */
  disputes: z.object({
    total: z.number().int(),
    byType: z.array(bucket),
    byRisk: z.array(bucket),
    bySource: z.array(bucket),
    byOutcome: z.array(bucket),
    /** Mediations ended (agreement, written or oral, or none) and those agreed. */
    ended: z.number().int(),
    agreed: z.number().int(),
    /** 调解成功率: agreed ÷ ended. */
    successRate: rate,
    /** Agreements followed up (回访), by the last visit: performed, partly, not. */
    followedUp: z.number().int(),
    performed: z.number().int(),
    partly: z.number().int(),
    notPerformed: z.number().int(),
    /** 协议履行率: performed in full ÷ followed up. */
    performanceRate: rate,
    /** Calendar days from acceptance to closure, mean over the closed; one decimal. */
    meanDaysToClose: z.number().nullable(),
    closed: z.number().int(),
    /** Open disputes past their time limit now. */
    overdue: z.number().int(),
  }),
  /** Grievances received in the period: each step against the 信访工作条例's days. */
  grievances: z.object({
    total: z.number().int(),
    byChannel: z.array(bucket),
    acknowledge: grievanceStep,
    answer: grievanceStep,
    review: grievanceStep,
    /** Running past the deadline of whatever step is due now. */
    overdue: z.number().int(),
  }),
  /** Emergencies reported in the period, and how fast the people notified acknowledged. */
  incidents: z.object({
    total: z.number().int(),
    active: z.number().int(),
    byType: z.array(bucket),
    byLevel: z.array(bucket),
    notified: z.number().int(),
    acknowledged: z.number().int(),
    /** Minutes from notice to acknowledgement: median and 90th percentile (nearest rank). */
    ackMedianMinutes: z.number().nullable(),
    ackP90Minutes: z.number().nullable(),
  }),
});
export type GovernanceStats = z.infer<typeof governanceStats>;

/** The dashboard's small governance block (the same figures, the last 30 days). */
export const governanceSummary = z.object({
  disputes: z.number().int(),
  redDisputes: z.number().int(),
  successRate: rate,
  performanceRate: rate,
  grievances: z.number().int(),
  grievancesOverdue: z.number().int(),
  grievanceAnswerOnTimeRate: rate,
  incidents: z.number().int(),
  ackMedianMinutes: z.number().nullable(),
});
export type GovernanceSummary = z.infer<typeof governanceSummary>;
