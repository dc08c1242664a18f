import { z } from 'zod';
import { type CaseAction, caseActions, caseStates } from '../cases/stateMachine.js';
import { intId, pageQuery } from './common.js';

/** 来源渠道 (GLOSSARY.md). */
export const caseChannels = [
  'grid_patrol',
  'resident_app',
  'hotline_12345',
  'walk_in',
  'open311',
  'iot_alert',
  'video',
  'department',
] as const;
export type CaseChannel = (typeof caseChannels)[number];
export const caseChannelNames: Record<CaseChannel, string> = {
  grid_patrol: '网格巡查',
  resident_app: '居民上报',
  hotline_12345: '12345热线',
  walk_in: '窗口来访',
  open311: 'Open311',
  iot_alert: '物联感知',
  video: '视频巡查',
  department: '部门移交',
};

export const ratings = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type Rating = (typeof ratings)[number];
export const ratingNames: Record<Rating, string> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
};

export const handlerKinds = ['department', 'grid', 'community', 'street', 'district'] as const;
export type HandlerKind = (typeof handlerKinds)[number];
export const caseClocks = ['working', 'natural'] as const;
export const priorities = ['normal', 'urgent', 'emergency'] as const;
export type Priority = (typeof priorities)[number];

/** Deadline lengths in minutes of the category's clock (a working day is 8 working hours). */
const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 60);

export const caseCategory = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  handlerKind: z.enum(handlerKinds),
  handlerDepartmentId: z.number().int().nullable(),
  handlerDepartmentName: z.string().nullable(),
  clock: z.enum(caseClocks),
  acceptMinutes: z.number().int().nullable(),
  dispatchMinutes: z.number().int().nullable(),
  resolveMinutes: z.number().int().nullable(),
  priority: z.enum(priorities),
  selfResolvable: z.boolean(),
  autoEscalate: z.boolean(),
  /** Its reports are shown on the public map (rounded, without names). */
  publicMap: z.boolean(),
  retired: z.boolean(),
});
export type CaseCategory = z.infer<typeof caseCategory>;

export const categoryInput = z.object({
  code: z
    .string()
    .regex(/^[A-Z][0-9A-Z]{1,15}$/, '编码为大写字母开头的2–16位字母数字')
    .optional(),
  name: z.string().trim().min(1).max(40),
  parentCode: z.string().nullable().optional(),
  handlerKind: z.enum(handlerKinds),
  handlerDepartmentId: z.number().int().positive().nullable().optional(),
  clock: z.enum(caseClocks).default('working'),
  acceptMinutes: minutes.nullable().optional(),
  dispatchMinutes: minutes.nullable().optional(),
  resolveMinutes: minutes.nullable().optional(),
  priority: z.enum(priorities).default('normal'),
  selfResolvable: z.boolean().default(false),
  autoEscalate: z.boolean().default(true),
  /** Opens the category's reports to the public map; off unless set. */
  publicMap: z.boolean().optional(),
  retired: z.boolean().optional(),
});
export type CategoryInput = z.infer<typeof categoryInput>;

export const calendarDay = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD'),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().max(20).nullable().optional(),
});
export const calendarYear = z.object({
  year: z.number().int(),
  days: z.array(calendarDay),
});

export const latLng = z.object({
  lat: z.number().min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间'),
  lng: z.number().min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间'),
});

export const reportCaseInput = z.object({
  description: z.string().trim().min(2, '请描述问题（至少2个字）').max(2000),
  categoryCode: z.string().min(1).max(16),
  channel: z.enum(caseChannels),
  location: latLng.optional(),
  address: z.string().trim().max(200).optional(),
  reporter: z
    .object({
      name: z.string().trim().max(40).optional(),
      phone: z
        .string()
        .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '请输入正确的手机号或固定电话')
        .optional(),
    })
    .optional(),
  attachmentIds: z.array(z.string().uuid()).max(9, '最多9张照片').optional(),
  idempotencyKey: z.string().min(8).max(100),
  /** Self-resolution on the spot by a grid worker, with before and after photos. */
  selfResolve: z
    .object({
      result: z.string().trim().min(2).max(2000),
      beforeAttachmentIds: z.array(z.string().uuid()).min(1, '请上传处置前照片').max(9),
      afterAttachmentIds: z.array(z.string().uuid()).min(1, '请上传处置后照片').max(9),
    })
    .optional(),
  occurredAt: z.string().datetime({ offset: true }).optional(),
  /** A resident reporting anonymously: staff see neither name nor phone; the resident still follows it. */
  anonymous: z.boolean().optional(),
  /** 公开描述: the reporter lets the description appear on the public map (where its category is shown). */
  publicDescription: z.boolean().optional(),
});
export type ReportCaseInput = z.infer<typeof reportCaseInput>;

export const assignee = z.object({
  kind: z.enum(['department', 'orgUnit', 'user']),
  id: z.union([z.number().int().positive(), z.string().uuid()]),
});

/** Bodies of `POST /api/cases/{id}/actions/{action}`. */
export const actionBodies = {
  /** 改类: the leaf category the case belongs to (the routing suggestion's, or one chosen). */
  recategorise: z.object({
    categoryCode: z.string().trim().min(1, '请选择事件分类').max(16),
    note: z.string().max(1000).optional(),
  }),
  accept: z.object({ note: z.string().max(1000).optional() }),
  reject: z.object({ reason: z.string().trim().min(2, '请填写不予受理的理由').max(1000) }),
  dispatch: z.object({
    assignee,
    instructions: z.string().max(1000).optional(),
    deadline: z.string().datetime({ offset: true }).optional(),
  }),
  claim: z.object({ note: z.string().max(1000).optional() }),
  note: z.object({
    note: z.string().trim().min(1, '请填写内容').max(2000),
    attachmentIds: z.array(z.string().uuid()).max(9).optional(),
  }),
  resolve: z.object({
    result: z.string().trim().min(2, '请填写处置结果').max(2000),
    attachmentIds: z.array(z.string().uuid()).max(9).optional(),
  }),
  verify: z.object({
    passed: z.boolean(),
    note: z.string().max(1000).optional(),
    attachmentIds: z.array(z.string().uuid()).max(9).optional(),
  }),
  followUp: z.object({ rating: z.enum(ratings), comment: z.string().max(1000).optional() }),
  close: z.object({ note: z.string().max(1000).optional() }),
  return: z.object({ reason: z.string().trim().min(2, '请填写退回理由').max(1000) }),
  escalate: z.object({ reason: z.string().trim().min(2, '请填写上报理由').max(1000) }),
  selfResolve: z.object({
    result: z.string().trim().min(2, '请填写处置结果').max(2000),
    beforeAttachmentIds: z.array(z.string().uuid()).max(9).optional(),
    afterAttachmentIds: z.array(z.string().uuid()).max(9).optional(),
  }),
  supervise: z.object({
    order: z.string().trim().min(2, '请填写督办意见').max(1000),
    deadline: z.string().datetime({ offset: true }),
  }),
  requestExtension: z.object({
    reason: z.string().trim().min(2, '请填写延期理由').max(1000),
    until: z.string().datetime({ offset: true }),
  }),
  approveExtension: z.object({ approved: z.boolean().default(true), note: z.string().max(1000).optional() }),
  merge: z.object({ intoCaseId: z.string().uuid(), note: z.string().max(1000).optional() }),
  cancel: z.object({ reason: z.string().trim().min(2, '请填写撤销理由').max(1000) }),
  rate: z.object({ rating: z.enum(ratings), comment: z.string().max(1000).optional() }),
  reopen: z.object({ reason: z.string().trim().min(2, '请说明哪里没修好').max(1000) }),
} satisfies Record<CaseAction, z.ZodType>;

export type ActionBody<A extends CaseAction> = z.infer<(typeof actionBodies)[A]>;

/**
 * The action route's body as OpenAPI shows it: any one action's body, each titled with its
 * action. The action named in the path picks the schema the body is parsed with (strictly,
 * server side), so these members let other fields through instead of stripping them.
 */
const [firstAction, ...otherActions] = caseActions;
export const actionBody = z.union([
  actionBodies[firstAction].loose().meta({ title: firstAction }),
  ...otherActions.map((a) => actionBodies[a].loose().meta({ title: a })),
]);

export const caseActionParam = z.object({ id: z.string().uuid(), action: z.enum(caseActions) });

export const deadlines = z.object({
  step: z.enum(['accept', 'dispatch', 'resolve', 'none']),
  dueAt: z.string().nullable(),
  warnAt: z.string().nullable(),
  acceptBy: z.string().nullable(),
  dispatchBy: z.string().nullable(),
  resolveBy: z.string().nullable(),
  supervisionDueAt: z.string().nullable(),
});

export const caseSummary = z.object({
  id: z.string(),
  code: z.string(),
  status: z.enum(caseStates),
  categoryCode: z.string(),
  categoryName: z.string(),
  channel: z.enum(caseChannels),
  priority: z.enum(priorities),
  description: z.string(),
  address: z.string().nullable(),
  location: latLng.nullable(),
  gridId: z.number().int().nullable(),
  gridName: z.string().nullable(),
  communityId: z.number().int().nullable(),
  communityName: z.string().nullable(),
  streetId: z.number().int().nullable(),
  streetName: z.string().nullable(),
  handlingUnitId: z.number().int(),
  handlingUnitName: z.string(),
  handlingLevel: z.string(),
  assignee: z
    .object({ kind: z.enum(['department', 'orgUnit', 'user']), id: z.string(), name: z.string() })
    .nullable(),
  deadlines,
  warning: z.boolean(),
  overdue: z.boolean(),
  supervised: z.boolean(),
  reportedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const attachment = z.object({
  id: z.string(),
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  thumbUrl: z.string(),
});
export type Attachment = z.infer<typeof attachment>;

export const caseDetail = caseSummary.extend({
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  attachments: z.array(attachment),
  rating: z.enum(ratings).nullable(),
  ratingComment: z.string().nullable(),
  reworkCount: z.number().int(),
  mergedInto: z.string().nullable(),
  extension: z
    .object({ reason: z.string(), until: z.string(), requestedBy: z.string(), requestedAt: z.string() })
    .nullable(),
  supervision: z.object({ order: z.string(), deadline: z.string(), by: z.string() }).nullable(),
  /** The actions this user may take now (permission, scope, state and guards all checked). */
  allowedActions: z.array(z.enum(caseActions)),
  duplicates: z.array(
    z.object({ id: z.string(), code: z.string(), description: z.string(), distanceM: z.number() }),
  ),
});
export type CaseDetail = z.infer<typeof caseDetail>;

/** `POST /api/cases/{id}/reporter/reveal`: the reporter's full phone, audited. */
export const revealedReporter = z.object({ phone: z.string().nullable() });
export type RevealedReporter = z.infer<typeof revealedReporter>;

export const reportedCase = caseSummary.extend({
  /** The contract's short names, alongside the full summary. */
  deadlines,
});

export const caseEvent = z.object({
  id: z.number().int(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(attachment),
});
export type CaseEvent = z.infer<typeof caseEvent>;

/** The to-do views each role works from. */
export const caseViews = [
  'all',
  'toAccept',
  'toDispatch',
  'toClaim',
  'inProgress',
  'toVerify',
  'toFollowUp',
  'warning',
  'overdue',
  'supervised',
  'mine',
] as const;
export type CaseView = (typeof caseViews)[number];
export const caseViewNames: Record<CaseView, string> = {
  all: '全部',
  toAccept: '待受理',
  toDispatch: '待派遣',
  toClaim: '待签收',
  inProgress: '处置中',
  toVerify: '待核查',
  toFollowUp: '待回访',
  warning: '即将超期',
  overdue: '已超期',
  supervised: '督办',
  mine: '我上报的',
};

/**
 * The to-do views (我的待办) and the action each waits for: a case is in a view when that
 * action is allowed to the viewer now — the same rule as the detail page's buttons. The
 * actions start from different states, so a case is in one view at most.
 */
export const todoViewActions = {
  toAccept: 'accept',
  toDispatch: 'dispatch',
  toClaim: 'claim',
  inProgress: 'resolve',
  toVerify: 'verify',
  toFollowUp: 'followUp',
} as const satisfies Partial<Record<CaseView, CaseAction>>;
export type TodoView = keyof typeof todoViewActions;
export const todoViews = Object.keys(todoViewActions) as TodoView[];

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const caseListQuery = pageQuery.extend({
  view: z.enum(caseViews).optional(),
  status: csv(caseStates).optional(),
  categoryCode: z.string().max(16).optional(),
  channel: csv(caseChannels).optional(),
  orgUnitId: intId.optional(),
  departmentId: intId.optional(),
  from: z.string().date('日期格式为 YYYY-MM-DD').optional(),
  to: z.string().date('日期格式为 YYYY-MM-DD').optional(),
  overdue: boolParam.optional(),
  supervised: boolParam.optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(['reportedAt', '-reportedAt', 'dueAt']).default('-reportedAt'),
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

export const batchDispatchInput = z.object({
  caseIds: z.array(z.string().uuid()).min(1).max(200),
  assignee,
  instructions: z.string().max(1000).optional(),
});
/** Each case of a batch is dispatched on its own: those that could not be say why. */
export const batchDispatchReply = z.object({
  succeeded: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});

export const caseList = z.object({ items: z.array(caseSummary), total: z.number() });
export const caseCounts = z.record(z.enum(caseViews), z.number().int());
export const caseEventList = z.object({ items: z.array(caseEvent) });
/** The list's filters without paging or order: the map and the export. */
export const caseFilterQuery = caseListQuery.omit({ page: true, pageSize: true, sort: true });
export type CaseFilterQuery = z.infer<typeof caseFilterQuery>;
export const caseMapPoint = z.object({
  id: z.string(),
  code: z.string(),
  lat: z.number(),
  lng: z.number(),
  status: z.string(),
  overdue: z.boolean(),
  categoryName: z.string(),
});
/** `GET /api/cases/map`: the points of the filtered cases, at most 20 000 (then `truncated`). */
export const caseMap = z.object({ items: z.array(caseMapPoint), truncated: z.boolean() });
export const duplicatesQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  categoryCode: z.string().max(16),
});
export const duplicateList = z.object({ items: caseDetail.shape.duplicates });

export const categoryCodeParam = z.object({ code: z.string().max(16) });
export const categoryList = z.object({ items: z.array(caseCategory) });
export const calendarYearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const calendarInput = z.object({ days: z.array(calendarDay).max(366) });

/** `GET /api/cases/{id}/assignees`: whom a dispatch may name; people found by name with `q`. */
export const assigneeQuery = z.object({ q: z.string().max(40).optional() });
export const assigneeChoices = z.object({
  departments: z.array(z.object({ id: z.number(), name: z.string() })),
  units: z.array(z.object({ id: z.number(), name: z.string(), level: z.string() })),
  /** Who can handle cases (case:handle) at or below the handling unit, and department handlers. */
  users: z.array(z.object({ id: z.string(), name: z.string(), unitName: z.string().nullable() })),
});
export type AssigneeChoices = z.infer<typeof assigneeChoices>;

export const metricsQuery = z.object({
  orgUnitId: intId.optional(),
  from: z.string().date('日期格式为 YYYY-MM-DD').optional(),
  to: z.string().date('日期格式为 YYYY-MM-DD').optional(),
});

const countRow = z.object({ key: z.string(), name: z.string(), count: z.number().int() });
export const caseMetrics = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byCategory: z.array(countRow),
  byChannel: z.array(countRow),
  byArea: z.array(countRow),
  onTimeRate: z.number().nullable(),
  fulfilmentRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  gridResolvedShare: z.number().nullable(),
  overdue: z.number().int(),
  supervised: z.number().int(),
  /** Mean hours from one step to the next, over cases that made the step in the period. */
  meanHours: z.object({
    accept: z.number().nullable(),
    dispatch: z.number().nullable(),
    claim: z.number().nullable(),
    resolve: z.number().nullable(),
    close: z.number().nullable(),
  }),
});
export type CaseMetrics = z.infer<typeof caseMetrics>;

export const notification = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  caseId: z.string().nullable(),
  /** What it is about: a case or an application (null for a notice about neither). */
  subjectType: z.enum(['case', 'application']).nullable(),
  subjectId: z.string().nullable(),
  /** The page to open for it, on the recipient's own surface (/cases/…, /applications/…, /r/…). */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notification>;
export const notificationList = z.object({
  items: z.array(notification),
  total: z.number(),
  unread: z.number(),
});
export const notificationIdParam = z.object({ id: z.coerce.number().int().positive() });
