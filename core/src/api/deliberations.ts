import { z } from 'zod';
import {
  type DeliberationStep,
  deliberationStates,
  deliberationSteps,
} from '../participation/deliberation.js';
import { intId, pageQuery } from './common.js';

/**
 * 议事协商 (issue 19 item 7). The contract outside checks rely on:
 * `POST /api/deliberations {title, proposal, orgUnitId}` → 201 (status proposed);
 * `POST /api/deliberations/{id}/actions/{step}` — convene, vote, implement, review, publish;
 * a vote below quorum → 409 `DELIBERATION_BELOW_QUORUM`; ballots over those present → 400.
 */
const fraction = z.object({
  numerator: z.number().int().min(1).max(100),
  denominator: z.number().int().min(1).max(100),
});
export const voteRules = z.object({
  /** At least this share of all representatives attends. */
  quorum: fraction,
  /** More than this share of `majorityOf` votes for. */
  majority: fraction,
  majorityOf: z.enum(['attendees', 'representatives']),
});

export const deliberationInput = z.object({
  title: z.string().trim().min(2, '请填写议题（至少 2 个字）').max(100),
  /** 党支部提出建议: what is proposed and why (published with the outcome). */
  proposal: z.string().trim().min(5, '请说明建议内容（至少 5 个字）').max(5000),
  /** The community (居民代表会议) or street (街道议事会) that deliberates. */
  orgUnitId: intId,
  /** The department that reviews the implementation (职能部门审查指导); the street when absent. */
  reviewDepartmentId: intId.optional(),
  /** Quorum and majority; the defaults (2/3 attend, more than half of those present) when absent. */
  rules: voteRules.optional(),
});
export type DeliberationInput = z.infer<typeof deliberationInput>;

const count = (field: string) =>
  z
    .number({ error: `请填写${field}` })
    .int(`${field}须为整数`)
    .min(0, `${field}不能为负数`)
    .max(100_000);

export const deliberationStepBodies = {
  convene: z.object({
    /** When the representatives' meeting was held. */
    at: z.string().datetime({ offset: true, message: '请填写开会时间' }),
    /** Representatives present. */
    attendees: count('到会人数'),
    /** All the representatives of the community (or members of the street council). */
    representatives: count('代表总数').min(1, '代表总数至少 1 人'),
    place: z.string().trim().max(100).optional(),
    note: z.string().trim().max(2000).optional(),
    /**
     * 街道议事会: the council members present, one by one (a street-level deliberation whose
     * street has a council); `attendees` is then their number.
     */
    attendeeMemberIds: z.array(z.string().uuid('请选择到会成员')).max(500).optional(),
  }),
  vote: z.object({
    for: count('赞成票'),
    against: count('反对票'),
    abstain: count('弃权票'),
    /** The decision as recorded (决议). */
    note: z.string().trim().max(2000).optional(),
  }),
  implement: z.object({ note: z.string().trim().min(2, '请说明落实情况（至少 2 个字）').max(2000) }),
  review: z.object({
    passed: z.boolean({ error: '请选择审查是否通过' }),
    note: z.string().trim().min(2, '请填写审查意见（至少 2 个字）').max(2000),
  }),
  publish: z.object({ note: z.string().trim().max(2000).optional() }),
} satisfies Record<DeliberationStep, z.ZodType>;
export type DeliberationStepBody<S extends DeliberationStep> = z.infer<(typeof deliberationStepBodies)[S]>;

const [firstStep, ...otherSteps] = deliberationSteps;
export const deliberationStepBody = z.union([
  deliberationStepBodies[firstStep].loose().meta({ title: firstStep }),
  ...otherSteps.map((s) => (deliberationStepBodies[s] as z.ZodObject).loose().meta({ title: s })),
]);
export const deliberationStepParam = z.object({ id: z.string().uuid(), step: z.enum(deliberationSteps) });

export const deliberationCreated = z.object({ id: z.string().uuid(), status: z.literal('proposed') });

export const deliberationListQuery = pageQuery.extend({
  status: z.enum(deliberationStates).optional(),
  orgUnitId: intId.optional(),
  q: z.string().trim().max(50).optional(),
});
export type DeliberationListQuery = z.infer<typeof deliberationListQuery>;

const meeting = z.object({
  at: z.string(),
  representatives: z.number().int(),
  attendees: z.number().int(),
  /** The fewest present for a quorum, by the deliberation's rules. */
  quorum: z.number().int(),
  quorate: z.boolean(),
  place: z.string().nullable(),
});
const vote = z.object({
  for: z.number().int(),
  against: z.number().int(),
  abstain: z.number().int(),
  needed: z.number().int(),
  passed: z.boolean(),
});

export const deliberationSummary = z.object({
  id: z.string().uuid(),
  title: z.string(),
  status: z.enum(deliberationStates),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  reviewDepartmentName: z.string().nullable(),
  meeting: meeting.nullable(),
  vote: vote.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeliberationSummary = z.infer<typeof deliberationSummary>;
export const deliberationList = z.object({ items: z.array(deliberationSummary), total: z.number().int() });

export const deliberationDetail = deliberationSummary.extend({
  proposal: z.string(),
  proposedByName: z.string().nullable(),
  rules: voteRules,
  decision: z.string().nullable(),
  implementation: z.string().nullable(),
  review: z.object({ passed: z.boolean(), note: z.string() }).nullable(),
  publishedAt: z.string().nullable(),
  events: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
      at: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(deliberationSteps)),
  /** The residents' suggestion it was proposed from (居民建议), with its supports. */
  suggestion: z
    .object({ id: z.string().uuid(), title: z.string(), supportCount: z.number().int() })
    .nullable()
    .optional(),
  /** 街道议事会: the members present at its meeting. */
  attendance: z
    .array(z.object({ memberId: z.string().uuid(), name: z.string(), category: z.string() }))
    .nullable()
    .optional(),
});
export type DeliberationDetail = z.infer<typeof deliberationDetail>;

/**
 * 居民群众全程监督: a published deliberation as anyone may read it — the texts the committee
 * published and the counts, never a person's name.
 */
export const publicDeliberationQuery = pageQuery.extend({ orgUnitId: intId.optional() });
export const publicDeliberation = z.object({
  id: z.string().uuid(),
  title: z.string(),
  proposal: z.string(),
  orgUnitName: z.string(),
  outcome: z.enum(['adopted', 'rejected']),
  meeting: z
    .object({ at: z.string(), representatives: z.number().int(), attendees: z.number().int() })
    .nullable(),
  vote: z.object({ for: z.number().int(), against: z.number().int(), abstain: z.number().int() }).nullable(),
  decision: z.string().nullable(),
  implementation: z.string().nullable(),
  reviewNote: z.string().nullable(),
  publishedAt: z.string(),
  /** When each step was taken (proposed, convened, voted, implemented, reviewed, published). */
  steps: z.array(z.object({ step: z.string(), at: z.string() })),
});
export const publicDeliberationList = z.object({
  items: z.array(publicDeliberation),
  total: z.number().int(),
});
