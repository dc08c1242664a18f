import { z } from 'zod';
import {
  type GrievanceAction,
  grievanceActions,
  grievanceChannels,
  grievanceStates,
  satisfactionLevels,
} from '../grievances/stateMachine.js';
import { intId, pageQuery } from './common.js';

/** The contract: `{channel, subject, content, person:{name, idNumber?, phone?}, idempotencyKey}`. */
export const grievanceInput = z.object({
  channel: z.enum(grievanceChannels),
  subject: z.string().trim().min(2, '请填写信访事项标题').max(100),
  content: z.string().trim().min(2, '请填写信访事项内容').max(5000),
  person: z.object({
    name: z.string().trim().min(1).max(50),
    idNumber: z.string().trim().min(1).max(18).optional(),
    phone: z
      .string()
      .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, '请输入手机号或固定电话')
      .optional(),
  }),
  /** Where it happened or whom it concerns, when it is not the registering unit. */
  orgUnitId: intId.optional(),
  idempotencyKey: z.string().min(8).max(100),
});
export type GrievanceInput = z.infer<typeof grievanceInput>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const grievanceCreated = z.object({
  id: z.string().uuid(),
  code: z.string(),
  /**
   * China dates: told by (15 days from receipt), answered by (60 days from acceptance; until
   * it is accepted, as if accepted on the day of receipt — the latest it may be).
   */
  deadlines: z.object({ acknowledgeBy: day, answerBy: day }),
});

const reason = (msg: string) => z.string().trim().min(2, msg).max(2000);
export const grievanceActionBodies = {
  /** 告知: accepted, and who handles it (this unit, another unit below or a department). */
  accept: z.object({
    handlingUnitId: intId.optional(),
    departmentId: intId.optional(),
    note: z.string().max(1000).optional(),
  }),
  decline: z.object({ reason: reason('请填写不予受理的理由') }),
  extend: z.object({
    reason: reason('请填写延期理由'),
    days: z.number().int(),
    /** How the person was told of the extension and its reason (书面告知 is the rule). */
    noticeBy: z.enum(['letter', 'phone', 'visit', 'online']).default('letter'),
  }),
  answer: z.object({ opinion: reason('请填写处理意见') }),
  requestReview: z.object({ reason: reason('请填写复查请求的理由'), requestedOn: day.optional() }),
  review: z.object({ opinion: reason('请填写复查意见'), upheld: z.boolean() }),
  close: z.object({ satisfaction: z.enum(satisfactionLevels), note: z.string().max(1000).optional() }),
} satisfies Record<GrievanceAction, z.ZodType>;
export type GrievanceActionBody<A extends GrievanceAction> = z.infer<(typeof grievanceActionBodies)[A]>;

const [firstAction, ...otherActions] = grievanceActions;
export const grievanceActionBody = z.union([
  grievanceActionBodies[firstAction].loose().meta({ title: firstAction }),
  ...otherActions.map((a) => (grievanceActionBodies[a] as z.ZodObject).loose().meta({ title: a })),
]);
export const grievanceActionParam = z.object({ id: z.string().uuid(), action: z.enum(grievanceActions) });

export const grievanceListQuery = pageQuery.extend({
  status: z.enum(grievanceStates).optional(),
  channel: z.enum(grievanceChannels).optional(),
  orgUnitId: intId.optional(),
  /** The running deadline: near (past 80 %) or overdue. */
  deadline: z.enum(['warning', 'overdue']).optional(),
});
export type GrievanceListQuery = z.infer<typeof grievanceListQuery>;

export const deadlineStep = z.enum(['acknowledge', 'answer', 'reviewAnswer']);
/** The deadline now running, if any: which step, its last day, and how it stands today. */
export const runningDeadline = z.object({
  step: deadlineStep,
  due: day,
  warn: day,
  state: z.enum(['running', 'warning', 'overdue']),
});

export const grievanceSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  channel: z.enum(grievanceChannels),
  subject: z.string(),
  status: z.enum(grievanceStates),
  personName: z.string(),
  orgUnitId: z.number().int(),
  handlingUnitId: z.number().int().nullable(),
  departmentId: z.number().int().nullable(),
  receivedOn: day,
  deadline: runningDeadline.nullable(),
  createdAt: z.string(),
});
export const grievanceList = z.object({ items: z.array(grievanceSummary), total: z.number().int() });

/** Each statutory step: its last day and, once done, the day it was done (late when after). */
const step = z.object({ due: day.nullable(), doneOn: day.nullable(), late: z.boolean() });
export const grievanceDetail = grievanceSummary.extend({
  content: z.string(),
  /** Masked always: the grievance needs no one's full ID number. */
  personIdNumber: z.string().nullable(),
  personPhone: z.string().nullable(),
  steps: z.object({ acknowledge: step, answer: step, reviewRequest: step, reviewAnswer: step }),
  extension: z.object({ days: z.number().int(), reason: z.string(), on: day }).nullable(),
  opinion: z.string().nullable(),
  reviewOpinion: z.string().nullable(),
  satisfaction: z.enum(satisfactionLevels).nullable(),
  events: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
      at: z.string(),
    }),
  ),
  allowedActions: z.array(z.enum(grievanceActions)),
});
export type GrievanceDetail = z.infer<typeof grievanceDetail>;

export const grievanceStatsQuery = z.object({ orgUnitId: intId.optional() });
/** Counted over the grievances in sight: open, near a deadline, overdue, and each step on time. */
export const grievanceStats = z.object({
  total: z.number().int(),
  open: z.number().int(),
  warning: z.number().int(),
  overdue: z.number().int(),
  acknowledgedOnTime: z.number().int(),
  acknowledged: z.number().int(),
  answeredOnTime: z.number().int(),
  answered: z.number().int(),
  satisfied: z.number().int(),
  rated: z.number().int(),
});
