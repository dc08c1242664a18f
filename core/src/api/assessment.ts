import { z } from 'zod';
import { departmentComponents, workerItems } from '../assessment/rules.js';
import { intId } from './common.js';

const points = z.number().min(0, '分值不能为负').max(1000, '分值不超过 1000');
const weight = z.number().min(0, '权重不能为负').max(100, '权重不超过 100');

const workerItemRule = z.object({
  points,
  monthlyCap: z.number().min(0, '上限不能为负').max(10_000, '上限不超过 10000').nullable(),
});

export const assessmentRulesSchema = z
  .object({
    worker: z.object(
      Object.fromEntries(workerItems.map((i) => [i.key, workerItemRule])) as Record<
        (typeof workerItems)[number]['key'],
        typeof workerItemRule
      >,
    ),
    unit: z
      .object({ mediationSuccess: z.object({ points }), grievancesOnTime: z.object({ points }) })
      .optional(),
    department: z.object({
      onTimeWeight: weight,
      fulfilmentWeight: weight,
      returnPenalty: points,
      overduePenalty: points,
      whistlePenalty: points.optional(),
      propertyPenalty: points.optional(),
      weights: z.object(
        Object.fromEntries(departmentComponents.map((c) => [c.key, weight])) as Record<
          (typeof departmentComponents)[number]['key'],
          typeof weight
        >,
      ),
    }),
  })
  .superRefine((r, ctx) => {
    if (r.department.onTimeWeight + r.department.fulfilmentWeight !== 100)
      ctx.addIssue({
        code: 'custom',
        path: ['department', 'onTimeWeight'],
        message: '按时办结率与落实到位率的权重之和须为 100',
      });
    const sum = Object.values(r.department.weights).reduce((a, b) => a + b, 0);
    if (sum !== 100)
      ctx.addIssue({
        code: 'custom',
        path: ['department', 'weights'],
        message: `自评、互评、群众评、第三方评与办件考核的权重之和须为 100（现为 ${sum}）`,
      });
  });

export const assessmentRulesReply = z.object({
  districtId: z.number(),
  districtName: z.string(),
  rules: assessmentRulesSchema,
  /** True while the district uses the product's defaults. */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
});

export const periodKind = z.enum(['week', 'month', 'quarter', 'year']);
export const scoreLevel = z.enum(['worker', 'grid', 'community', 'street', 'department']);

export const scorecardQuery = z.object({
  level: scoreLevel.default('worker'),
  period: periodKind.default('month'),
  /** Any day of the period (China date); the period holding it is scored. */
  start: z.string().date('日期格式为 YYYY-MM-DD'),
  orgUnitId: intId.optional(),
});

export const scoreItem = z.object({
  key: z.string(),
  label: z.string(),
  /** Null: nothing to measure (a department's rate with no case closed, a score not entered). */
  value: z.number().nullable(),
  points: z.number(),
});

export const scoreRow = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  areaName: z.string(),
  /** Null: nothing to score on (a department with no cases and nothing entered) — shown as —, unranked. */
  score: z.number().nullable(),
  rank: z.number().nullable(),
  /** Areas: how many grid workers the mean is over. */
  workers: z.number().optional(),
  items: z.array(scoreItem),
});

export const scorecardReply = z.object({
  level: scoreLevel,
  period: periodKind,
  from: z.string(),
  to: z.string(),
  label: z.string(),
  rows: z.array(scoreRow),
});

export const evaluationKind = z.enum(['self', 'peer', 'thirdParty']);

export const departmentEvaluationInput = z.object({
  departmentId: intId,
  period: periodKind,
  start: z.string().date('日期格式为 YYYY-MM-DD'),
  kind: evaluationKind,
  score: z.number().min(0, '评分在 0–100 之间').max(100, '评分在 0–100 之间'),
  note: z.string().trim().max(500, '说明不超过 500 字').optional(),
});

/** `GET /api/assessment/rules`: a district's rules, the actor's own district when unasked. */
export const assessmentRulesQuery = z.object({ orgUnitId: intId.optional() });
export const assessmentRulesSave = z.object({ districtId: intId, rules: assessmentRulesSchema });

export const departmentEvaluationQuery = z.object({
  period: periodKind,
  start: z.string().date('日期格式为 YYYY-MM-DD'),
});
const departmentEvaluationScore = z
  .object({ score: z.number(), note: z.string().nullable(), enteredByName: z.string() })
  .nullable();
export const departmentEvaluationRow = z.object({
  departmentId: z.number().int(),
  departmentName: z.string(),
  self: departmentEvaluationScore,
  peer: departmentEvaluationScore,
  thirdParty: departmentEvaluationScore,
});
export type DepartmentEvaluationRow = z.infer<typeof departmentEvaluationRow>;
/** The evaluations of every department in one period; entering one answers the period again. */
export const departmentEvaluationList = z.object({
  from: z.string(),
  to: z.string(),
  label: z.string(),
  items: z.array(departmentEvaluationRow),
});
