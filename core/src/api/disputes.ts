import { z } from 'zod';
import { type DisputeAction, disputeActions, disputeStates } from '../disputes/stateMachine.js';
import { intId, pageQuery } from './common.js';

// ——— 矛盾纠纷排查调处 (issue 16): the contract outside clients check — keep it exact.

export const disputeTypes = [
  'maritalFamily',
  'neighbour',
  'property',
  'labour',
  'housingLand',
  'damages',
  'consumer',
  'medical',
  'other',
] as const;
export type DisputeType = (typeof disputeTypes)[number];
export const disputeTypeNames: Record<DisputeType, string> = {
  maritalFamily: '婚姻家庭',
  neighbour: '邻里',
  property: '物业',
  labour: '劳动争议',
  housingLand: '房屋土地',
  damages: '损害赔偿',
  consumer: '消费',
  medical: '医疗',
  other: '其他',
};
export const riskLevels = ['red', 'orange', 'yellow', 'green'] as const;
export type RiskLevel = (typeof riskLevels)[number];
export const riskLevelNames: Record<RiskLevel, string> = {
  red: '红',
  orange: '橙',
  yellow: '黄',
  green: '绿',
};
/** Where a dispute came to light: the channels of cases, plus 排查, the front desk and a case. */
export const disputeSources = [
  'walk_in',
  'grid_patrol',
  'screening',
  'reception',
  'hotline_12345',
  'resident_app',
  'department',
  'case',
  'other',
] as const;
export const disputeSourceNames: Record<(typeof disputeSources)[number], string> = {
  walk_in: '来访',
  grid_patrol: '网格巡查',
  screening: '排查',
  reception: '群众接待',
  hotline_12345: '12345 热线',
  resident_app: '居民上报',
  department: '部门移交',
  case: '事件转入',
  other: '其他',
};
/** 诉调对接 (court), 警调对接 (police), 访调对接 (grievance office). */
export const referralKinds = ['court', 'police', 'petition'] as const;
export const referralKindNames: Record<(typeof referralKinds)[number], string> = {
  court: '诉调对接',
  police: '警调对接',
  petition: '访调对接',
};
export const performedValues = ['yes', 'partly', 'no'] as const;
export const performedNames: Record<(typeof performedValues)[number], string> = {
  yes: '已履行',
  partly: '部分履行',
  no: '未履行',
};
/** 人民调解委员会, 行业性专业性调委会, 调解工作室, and a department's stationed unit (派驻). */
export const committeeKinds = ['people', 'trade', 'studio', 'stationed'] as const;
export const committeeKindNames: Record<(typeof committeeKinds)[number], string> = {
  people: '人民调解委员会',
  trade: '行业性专业性调委会',
  studio: '调解工作室',
  stationed: '派驻单位',
};

const phone = z.string().regex(/^1\d{10}$/, '请输入 11 位手机号');
const latLng = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

export const disputePartyInput = z.object({
  kind: z.enum(['person', 'organization']),
  name: z.string().trim().min(1).max(100),
  /** A person's ID number (GB 11643) or an organization's unified credit code (GB 32100). */
  idNumber: z.string().trim().min(1).max(18).optional(),
  phone: phone.optional(),
  role: z.enum(['applicant', 'respondent']),
});

export const disputeInput = z.object({
  type: z.enum(disputeTypes),
  description: z.string().trim().min(2).max(4000),
  parties: z.array(disputePartyInput).min(2, '请登记申请人和被申请人').max(20),
  location: latLng.optional(),
  riskLevel: z.enum(riskLevels),
  source: z.enum(disputeSources),
  idempotencyKey: z.string().min(8).max(64),
  /** The case this dispute was turned from (a grid worker's report of a quarrel). */
  caseId: z.string().uuid().optional(),
  /** The front-desk visit it came from (群众接待). */
  receptionId: z.string().uuid().optional(),
});
export type DisputeInput = z.infer<typeof disputeInput>;

export const disputeCreated = z.object({
  id: z.string().uuid(),
  code: z.string(),
  status: z.literal('registered'),
  /** The last day of the time limit (China date): 30 days on, counted again from acceptance. */
  deadline: z.string(),
});

const day = z.iso.date();
export const disputeActionBodies = {
  accept: z.object({ note: z.string().max(1000).optional() }),
  assign: z
    .object({
      mediatorId: intId.optional(),
      committeeId: intId.optional(),
      note: z.string().max(1000).optional(),
    })
    .refine((b) => b.mediatorId !== undefined || b.committeeId !== undefined, {
      message: '请选择调解员或调解组织',
      path: ['mediatorId'],
    }),
  session: z.object({
    at: z.iso.datetime({ offset: true }),
    place: z.string().trim().min(1).max(200),
    attendees: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    notes: z.string().trim().min(1).max(8000),
  }),
  agree: z.object({
    terms: z.array(z.string().trim().min(1).max(2000)).min(1, '请填写协议条款').max(30),
    /** The day the terms are to be performed by: today or later. */
    performBy: day,
    /** How the terms are performed (履行方式), printed on the agreement. */
    performance: z.string().trim().max(1000).optional(),
    /** 口头协议: recorded, no written agreement is printed. */
    oral: z.boolean().optional(),
  }),
  fail: z.object({
    reason: z.string().trim().min(2).max(2000),
    referral: z
      .object({
        kind: z.enum(referralKinds),
        /** The receiving unit (a court, a police station, the grievance office). */
        unit: z.string().trim().min(1).max(200),
        departmentId: intId.optional(),
      })
      .optional(),
  }),
  followUp: z.object({ performed: z.enum(performedValues), note: z.string().max(2000).optional() }),
  close: z.object({ note: z.string().max(1000).optional() }),
  extend: z.object({
    reason: z.string().trim().min(2).max(1000),
    days: z.number().int().min(1).max(30),
  }),
} satisfies Record<DisputeAction, z.ZodType>;
export type DisputeActionBody<A extends DisputeAction> = z.infer<(typeof disputeActionBodies)[A]>;

const [firstAction, ...otherActions] = disputeActions;
/** The action route's body in OpenAPI: any one action's body; the action's own schema parses it. */
export const disputeActionBody = z.union([
  (disputeActionBodies[firstAction] as z.ZodObject).loose().meta({ title: firstAction }),
  ...otherActions.map((a) => (disputeActionBodies[a] as z.ZodObject).loose().meta({ title: a })),
]);
export const disputeActionParam = z.object({ id: z.string().uuid(), action: z.enum(disputeActions) });

export const disputeListQuery = pageQuery.extend({
  status: z.enum(disputeStates).optional(),
  type: z.enum(disputeTypes).optional(),
  riskLevel: z.enum(riskLevels).optional(),
  orgUnitId: intId.optional(),
  caseId: z.string().uuid().optional(),
});
export type DisputeListQuery = z.infer<typeof disputeListQuery>;

export const disputeSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  type: z.enum(disputeTypes),
  status: z.enum(disputeStates),
  riskLevel: z.enum(riskLevels),
  source: z.enum(disputeSources),
  /** The parties' names, applicants first ("张三 诉 李四" is built by the UI). */
  applicants: z.array(z.string()),
  respondents: z.array(z.string()),
  orgUnitId: z.number().int(),
  gridId: z.number().int().nullable(),
  mediatorName: z.string().nullable(),
  committeeName: z.string().nullable(),
  deadline: z.string(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type DisputeSummary = z.infer<typeof disputeSummary>;
export const disputeList = z.object({ items: z.array(disputeSummary), total: z.number().int() });

export const disputeParty = z.object({
  kind: z.enum(['person', 'organization']),
  name: z.string(),
  /** Masked (region code and the last four characters). */
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(['applicant', 'respondent']),
});

export const disputeEvent = z.object({
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  at: z.string(),
});

export const disputeDetail = disputeSummary.extend({
  description: z.string(),
  location: latLng.nullable(),
  parties: z.array(disputeParty),
  mediatorId: z.number().int().nullable(),
  committeeId: z.number().int().nullable(),
  acceptedAt: z.string().nullable(),
  sessions: z.array(
    z.object({ at: z.string(), place: z.string(), attendees: z.array(z.string()), notes: z.string() }),
  ),
  agreement: z
    .object({
      terms: z.array(z.string()),
      performBy: z.string(),
      performance: z.string().nullable(),
      oral: z.boolean(),
      at: z.string(),
    })
    .nullable(),
  failure: z
    .object({
      reason: z.string(),
      referral: z
        .object({ kind: z.enum(referralKinds), unit: z.string(), departmentId: z.number().int().optional() })
        .nullable(),
    })
    .nullable(),
  followUps: z.array(
    z.object({ performed: z.enum(performedValues), note: z.string().nullable(), at: z.string() }),
  ),
  caseId: z.string().uuid().nullable(),
  receptionId: z.string().uuid().nullable(),
  events: z.array(disputeEvent),
  allowedActions: z.array(z.enum(disputeActions)),
});
export type DisputeDetail = z.infer<typeof disputeDetail>;

/** Back to the case workflow: the case's category (the dispute's facts and place go along). */
export const disputeToCaseInput = z.object({ categoryCode: z.string().min(1).max(16) });

// ——— mediation bodies (调委会 / 调解工作室 / 派驻单位) and their mediators

/** The accounts that may be named as a mediator: active ones of the user's jurisdiction. */
export const mediatorAccountQuery = z.object({ q: z.string().trim().max(30).optional() });
export const mediatorAccountList = z.object({
  items: z.array(
    z.object({
      id: z.string().uuid(),
      displayName: z.string(),
      username: z.string(),
      unitName: z.string().nullable(),
    }),
  ),
});
export const mediatorInput = z.object({
  name: z.string().trim().min(1).max(50),
  title: z.string().trim().max(50).optional(),
  /** The mediator's account, when the mediator works in the platform. */
  userId: z.string().uuid().optional(),
});
export const committeeInput = z.object({
  name: z.string().trim().min(2).max(100),
  kind: z.enum(committeeKinds),
  orgUnitId: intId,
  /** For a stationed unit: the department it comes from (公安, 法院, 司法所 …). */
  departmentId: intId.optional(),
  address: z.string().trim().max(200).optional(),
  /** The body's office telephone: a landline or a mobile, digits and dashes. */
  phone: z
    .string()
    .trim()
    .regex(/^[0-9-]{7,20}$/, '请输入正确的电话号码')
    .optional(),
  mediators: z.array(mediatorInput).max(100).default([]),
});
/** A body's own fields; its area stays (its disputes are filed under it). */
export const committeeUpdate = z
  .object({
    name: z.string().trim().min(2).max(100),
    kind: z.enum(committeeKinds),
    departmentId: intId.nullable(),
    address: z.string().trim().max(200).nullable(),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9-]{7,20}$/, '请输入正确的电话号码')
      .nullable(),
  })
  .partial();
export const committeeStatusAction = z.object({ id: intId, action: z.enum(['disable', 'enable']) });
/** One mediator of one body (移除调解员). */
export const committeeMediatorParam = z.object({ id: intId, mediatorId: intId });
export const mediator = z.object({
  id: z.number().int(),
  committeeId: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  userId: z.string().uuid().nullable(),
});
export const committee = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(committeeKinds),
  orgUnitId: z.number().int(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  mediators: z.array(mediator),
});
export type Committee = z.infer<typeof committee>;
export const committeeList = z.object({ items: z.array(committee) });
export const committeeListQuery = z.object({
  orgUnitId: intId.optional(),
  /** The registry page shows disabled bodies too; a dispute is offered only active ones. */
  status: z.enum(['active', 'disabled', 'all']).default('active'),
});

// ——— 排查 / 零报告: each grid's weekly report

export const screeningInput = z.object({
  gridId: intId,
  /** The disputes the grid found this week (registered already); none = a zero report. */
  disputeIds: z.array(z.string().uuid()).max(200).default([]),
  note: z.string().max(2000).optional(),
});
export const screeningReport = z.object({
  id: z.number().int(),
  gridId: z.number().int(),
  weekFrom: z.string(),
  disputeCount: z.number().int(),
  zero: z.boolean(),
  note: z.string().nullable(),
  reportedAt: z.string(),
});
export const screeningStatusQuery = z.object({ orgUnitId: intId.optional(), week: day.optional() });
export const screeningStatus = z.object({
  week: z.object({ from: z.string(), to: z.string() }),
  reported: z.array(screeningReport.extend({ gridName: z.string() })),
  missing: z.array(
    z.object({ gridId: z.number().int(), gridName: z.string(), communityName: z.string().nullable() }),
  ),
});

// ——— 群众接待: the front desk's visitor register

export const receptionRoutes = [
  'dispute',
  'grievance',
  'case',
  'legalConsultation',
  'legalAid',
  'answered',
] as const;
export type ReceptionRoute = (typeof receptionRoutes)[number];
export const receptionRouteNames: Record<ReceptionRoute, string> = {
  dispute: '矛盾纠纷调解',
  grievance: '信访事项',
  case: '转事件办理',
  legalConsultation: '法律咨询',
  legalAid: '法律援助',
  answered: '当场答复',
};
export const receptionInput = z.object({
  visitor: z.object({
    name: z.string().trim().min(1).max(50),
    idNumber: z.string().trim().min(1).max(18).optional(),
    phone: phone.optional(),
  }),
  matter: z.string().trim().min(2).max(4000),
  route: z.enum(receptionRoutes),
  /** The answer given (legal consultation, legal aid, answered on the spot). */
  answer: z.string().trim().max(4000).optional(),
  idempotencyKey: z.string().min(8).max(64),
});
export type ReceptionInput = z.infer<typeof receptionInput>;
export const receptionFinishInput = z.object({
  answer: z.string().trim().max(4000).optional(),
  caseId: z.string().uuid().optional(),
  grievanceId: z.string().uuid().optional(),
});
/** A waiting visit registered as a grievance (信访事项) in one step: the visitor is the person. */
export const receptionToGrievanceInput = z.object({
  subject: z.string().trim().min(2, '请填写信访事项标题').max(100),
});
/** A waiting visit reported as a case (转事件办理) in one step: the matter is its description. */
export const receptionToCaseInput = z.object({
  categoryCode: z.string().min(1, '请选择事件分类').max(16),
  location: latLng.optional(),
  address: z.string().trim().max(200).optional(),
});
export const reception = z.object({
  id: z.string().uuid(),
  number: z.number().int(),
  visitorName: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  residentId: z.string().uuid().nullable(),
  matter: z.string(),
  route: z.enum(receptionRoutes),
  answer: z.string().nullable(),
  status: z.enum(['waiting', 'done']),
  disputeId: z.string().uuid().nullable(),
  caseId: z.string().uuid().nullable(),
  grievanceId: z.string().uuid().nullable(),
  receivedByName: z.string().nullable(),
  visitedAt: z.string(),
  doneAt: z.string().nullable(),
});
export type Reception = z.infer<typeof reception>;
export const receptionListQuery = pageQuery.extend({ day: day.optional(), orgUnitId: intId.optional() });
export const receptionList = z.object({ items: z.array(reception), total: z.number().int() });
export const receptionSummaryQuery = z.object({ day: day.optional(), orgUnitId: intId.optional() });
export const receptionSummary = z.object({
  day: z.string(),
  total: z.number().int(),
  waiting: z.number().int(),
  byRoute: z.record(z.enum(receptionRoutes), z.number().int()),
});
