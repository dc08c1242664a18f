import { z } from 'zod';
import { type ApplicationAction, applicationActions, applicationStates } from '../services/stateMachine.js';
import { intId, pageQuery } from './common.js';
import { applicationProxy } from './proxyConsent.js';
import { residenceTypes } from './residents.js';

/** 事项类别 (issue 15): 证明开具, 社区直办, 社区代办, 街道办理, 转区级部门. */
export const serviceCategories = [
  'certificate',
  'communityDirect',
  'communityProxy',
  'street',
  'districtDepartment',
] as const;
export const serviceCategoryNames: Record<(typeof serviceCategories)[number], string> = {
  certificate: '证明开具',
  communityDirect: '社区直办',
  communityProxy: '社区代办',
  street: '街道办理',
  districtDepartment: '转区级部门',
};
/** The level whose back office handles the item: the accepting unit's community, street or district. */
export const serviceLevels = ['community', 'street', 'district'] as const;
export const materialForms = ['original', 'copy', 'originalAndCopy'] as const;
export const formFieldTypes = ['text', 'number', 'date', 'choice', 'idNumber', 'phone', 'address'] as const;
export const applicationChannels = ['window', 'proxy', 'online'] as const;

/**
 * 证明模板: the layouts a certificate item may end in. Each prints the item's name, the
 * holder and the form's answers (certificates.ts); the template names the kind of proof.
 */
export const certificateTemplates = [
  'residence',
  'kinship',
  'hardship',
  'unemployed',
  'marriageBirth',
  'alive',
  'onlyChild',
  'volunteer',
  'general',
] as const;
export const certificateTemplateNames: Record<(typeof certificateTemplates)[number], string> = {
  residence: '居住证明',
  kinship: '亲属关系证明',
  hardship: '家庭困难证明',
  unemployed: '无业（失业）证明',
  marriageBirth: '婚育情况证明',
  alive: '生存（健在）证明',
  onlyChild: '独生子女证明',
  volunteer: '志愿服务证明',
  general: '通用证明',
};

const serviceCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, '事项编码为 2–32 位大写字母、数字、- 或 _');
const days = z
  .number()
  .int('时限须为整数个工作日')
  .min(0, '时限不能为负')
  .max(365, '时限不能超过 365 个工作日');
const certificateTemplate = z.enum(certificateTemplates, '请选择证明模板');

export const serviceMaterial = z.object({
  name: z.string().trim().min(1, '请填写材料名称').max(100, '材料名称不超过 100 字'),
  form: z.enum(materialForms).default('original'),
  copies: z.number().int().min(1, '份数至少 1 份').max(20, '份数不超过 20 份').default(1),
  required: z.boolean().default(true),
  /** 容缺: may be handed in later, by a promised date, without holding up acceptance. */
  waivable: z.boolean().default(false),
  note: z.string().max(500, '备注不超过 500 字').nullable().default(null),
});

export const serviceFormField = z.object({
  key: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, '字段标识以小写字母开头，仅含字母和数字'),
  label: z.string().trim().min(1, '请填写字段名称').max(50, '字段名称不超过 50 字'),
  type: z.enum(formFieldTypes),
  required: z.boolean().default(false),
  options: z.array(z.string().max(50)).max(50).optional(),
});

const itemFields = {
  name: z.string().trim().min(2, '事项名称至少 2 个字').max(100, '事项名称不超过 100 字'),
  category: z.enum(serviceCategories),
  level: z.enum(serviceLevels),
  /** The department that decides, for items sent on to one (转区级部门). */
  departmentId: intId.nullable().default(null),
  legalBasis: z.string().max(2000).default(''),
  conditions: z.string().max(2000).default(''),
  materials: z.array(serviceMaterial).max(40, '材料不超过 40 项'),
  formFields: z.array(serviceFormField).max(40, '表单字段不超过 40 个').default([]),
  /** 承诺时限, in working days of the work calendar; 0: done on the spot. */
  timeLimitDays: days,
  /** 法定时限, in working days. */
  statutoryDays: days,
  fee: z.string().trim().min(1, '请填写收费标准（不收费填“免费”）').max(100).default('免费'),
  issuesCertificate: z.boolean().default(false),
  certificateTemplate: certificateTemplate.nullable().default(null),
  /** 即办件: the window may issue the result without a back-office approval. */
  immediate: z.boolean().default(false),
};

export const serviceItemInput = z.object({ code: serviceCode, ...itemFields });
export type ServiceItemInput = z.infer<typeof serviceItemInput>;
/** An edit makes a new version; applications already taken in keep theirs. */
export const serviceItemPatch = z
  .object({
    name: itemFields.name,
    category: itemFields.category,
    level: itemFields.level,
    departmentId: intId.nullable(),
    legalBasis: z.string().max(2000),
    conditions: z.string().max(2000),
    materials: itemFields.materials,
    formFields: z.array(serviceFormField).max(40),
    timeLimitDays: days,
    statutoryDays: days,
    fee: itemFields.fee.unwrap(),
    issuesCertificate: z.boolean(),
    certificateTemplate: certificateTemplate.nullable(),
    immediate: z.boolean(),
    /** Withdrawn from the catalogue (no new applications). */
    retired: z.boolean(),
  })
  .partial();
export type ServiceItemPatch = z.infer<typeof serviceItemPatch>;
export const serviceCodeParam = z.object({ code: serviceCode });

/** One catalogue entry as the list and the service guide show it (the issue's contract, and more). */
export const serviceItem = z.object({
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  category: z.enum(serviceCategories),
  level: z.enum(serviceLevels),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  legalBasis: z.string(),
  conditions: z.string(),
  timeLimitDays: z.number().int(),
  statutoryDays: z.number().int(),
  fee: z.string(),
  issuesCertificate: z.boolean(),
  certificateTemplate: z.string().nullable(),
  immediate: z.boolean(),
  materials: z.array(
    z.object({
      name: z.string(),
      form: z.enum(materialForms),
      copies: z.number().int(),
      required: z.boolean(),
      waivable: z.boolean(),
      note: z.string().nullable(),
    }),
  ),
  formFields: z.array(serviceFormField),
});
export type ServiceItem = z.infer<typeof serviceItem>;
export const serviceList = z.object({ items: z.array(serviceItem) });

// ——— applications (办件)

export const applicationInput = z.object({
  serviceCode: z.string().min(1).max(32),
  applicant: z.object({
    idNumber: z.string().trim().min(1).max(18),
    name: z.string().trim().min(1).max(50),
    phone: z
      .string()
      .regex(/^1\d{10}$/, '请输入 11 位手机号')
      .optional(),
  }),
  /** Every material of the item's current version, ticked or not. */
  materials: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(100),
        provided: z.boolean(),
        fileId: z.string().uuid().optional(),
        /** 容缺: the date the applicant promises the missing material by. */
        promisedDate: z.iso.date().optional(),
      }),
    )
    .max(40),
  form: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).optional(),
  channel: z.enum(applicationChannels),
  /** 帮办代办: the agent and the resident's consent; required with channel "proxy". */
  proxy: applicationProxy.optional(),
  /** The window's key for this intake: sent again (a retry, a double click), it finds the same application. */
  idempotencyKey: z.string().min(8).max(64),
});
export type ApplicationInput = z.infer<typeof applicationInput>;

export const applicationCreated = z.object({
  id: z.string().uuid(),
  code: z.string(),
  /** submitted: an online application waiting for the window's pre-check (受理/补正/不予受理). */
  status: z.enum(['submitted', 'accepted', 'incomplete']),
  /** The promised date (China time); null while waiting for material (the clock has not started). */
  dueDate: z.string().nullable(),
});

export const applicationActionBodies = {
  accept: z.object({ note: z.string().max(1000).optional() }),
  requireMaterial: z.object({
    missing: z.array(z.string().trim().min(1).max(100)).min(1, '请列出需补正的全部材料').max(40),
    note: z.string().max(1000).optional(),
  }),
  decline: z.object({ reason: z.string().trim().min(2, '请填写不予受理的理由').max(1000) }),
  supplement: z.object({
    /** The materials handed in now; every one still missing when none are named. */
    materials: z
      .array(z.object({ name: z.string().min(1).max(100), fileId: z.string().uuid().optional() }))
      .optional(),
    note: z.string().max(1000).optional(),
  }),
  approve: z.object({ result: z.string().max(2000).optional() }),
  reject: z.object({ reason: z.string().trim().min(2, '请填写不予办理的理由').max(1000) }),
  transfer: z
    .object({
      orgUnitId: intId.optional(),
      departmentId: intId.optional(),
      note: z.string().max(1000).optional(),
    })
    .refine((b) => (b.orgUnitId === undefined) !== (b.departmentId === undefined), {
      message: '请选择转办的单位或部门（二选一）',
      path: ['orgUnitId'],
    }),
  requestMaterial: z.object({
    missing: z.array(z.string().trim().min(1).max(100)).min(1, '请列出需补正的全部材料').max(40),
    note: z.string().max(1000).optional(),
  }),
  issue: z.object({ note: z.string().max(1000).optional() }),
  collect: z.object({ note: z.string().max(1000).optional() }),
  withdraw: z.object({ reason: z.string().max(1000).optional() }),
} satisfies Record<ApplicationAction, z.ZodType>;
export type ApplicationActionBody<A extends ApplicationAction> = z.infer<(typeof applicationActionBodies)[A]>;

/**
 * The action route's body in OpenAPI: any one action's body, each titled with its action.
 * Loose, so the route passes the body on whole; the action's own schema then parses it.
 */
const [firstAction, ...otherActions] = applicationActions;
export const applicationActionBody = z.union([
  applicationActionBodies[firstAction].loose().meta({ title: firstAction }),
  ...otherActions.map((a) => (applicationActionBodies[a] as z.ZodObject).loose().meta({ title: a })),
]);
export const applicationActionParam = z.object({ id: z.string().uuid(), action: z.enum(applicationActions) });

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * 我的待办 of the service centre, in the order work flows: each kind is one action the user
 * may take now (the detail's allowedActions); an application counts under the first kind
 * whose action it allows, so the kinds do not overlap and the badge is their sum.
 */
export const applicationTodoKinds = ['precheck', 'supplement', 'handle', 'issue', 'collect'] as const;
export type ApplicationTodoKind = (typeof applicationTodoKinds)[number];
export const applicationTodoActions: Record<ApplicationTodoKind, ApplicationAction> = {
  precheck: 'accept',
  supplement: 'supplement',
  handle: 'approve',
  issue: 'issue',
  collect: 'collect',
};
export const applicationTodoReply = z.object({
  total: z.number().int(),
  tiles: z.array(z.object({ kind: z.enum(applicationTodoKinds), count: z.number().int() })),
});
export const applicationListQuery = pageQuery.extend({
  status: z.enum(applicationStates).optional(),
  serviceCode: z.string().max(32).optional(),
  orgUnitId: intId.optional(),
  overdue: booleanQuery.optional(),
  /** Past 80 % of the time limit and not yet overdue (临期). */
  warning: booleanQuery.optional(),
  /** The user's to-do of this kind (我的待办): what the tile counts, the list shows. */
  todo: z.enum(applicationTodoKinds).optional(),
});
export type ApplicationListQuery = z.infer<typeof applicationListQuery>;

export const applicationSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  serviceVersion: z.number().int(),
  status: z.enum(applicationStates),
  channel: z.enum(applicationChannels),
  applicantName: z.string(),
  /** Masked: region code and the last four characters. */
  applicantIdNumber: z.string(),
  orgUnitId: z.number().int(),
  handlingUnitId: z.number().int().nullable(),
  departmentId: z.number().int().nullable(),
  acceptedAt: z.string().nullable(),
  dueDate: z.string().nullable(),
  dueAt: z.string().nullable(),
  /** Past 80 % of the time limit, not yet done. */
  warning: z.boolean(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export const applicationList = z.object({ items: z.array(applicationSummary), total: z.number().int() });

export const applicationEvent = z.object({
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
});

export const applicationDetail = applicationSummary.extend({
  applicantPhone: z.string().nullable(),
  materials: z.array(
    z.object({
      name: z.string(),
      required: z.boolean(),
      provided: z.boolean(),
      fileId: z.string().nullable(),
      promisedDate: z.string().nullable(),
    }),
  ),
  form: z.record(z.string(), z.union([z.string(), z.number()])),
  /** Materials the applicant was told to bring (一次性告知), while waiting for them. */
  missing: z.array(z.string()),
  /** Working minutes the clock stood still while waiting for material. */
  pausedMinutes: z.number().int(),
  result: z.string().nullable(),
  /** Working days (of the work calendar) left to the due time while the clock runs; negative past it. */
  workingDaysLeft: z.number().nullable(),
  events: z.array(applicationEvent),
  allowedActions: z.array(z.enum(applicationActions)),
  /** Once the application has ended and is not yet rated: /r/rate/{token}, its one-time rating page. */
  ratePath: z.string().nullable(),
});
export type ApplicationDetail = z.infer<typeof applicationDetail>;

export const serviceMetricsQuery = z.object({
  orgUnitId: intId.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
const rate = z.number().min(0).max(1).nullable();
export const serviceMetrics = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  /** Share of the completed done by their due time; null with none completed. */
  onTimeRate: rate,
  /** 好评率 (非常满意 and 满意 among the rated); null until ratings exist. */
  goodRatingRate: rate,
  /** Taken in during the period and running past their due time now / past 80 % of it (临期). */
  overdue: z.number().int(),
  warning: z.number().int(),
  /** Applications rated (好差评) in the period. */
  rated: z.number().int(),
  /** Mean working days from acceptance to the result, the clock's stops (补正) left out. */
  meanWorkingDays: z.number().nullable(),
  /** Share taken in by a proxy agent (帮办代办). */
  proxyShare: rate,
  byService: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      total: z.number().int(),
      completed: z.number().int(),
      onTimeRate: rate,
    }),
  ),
  /** By the unit (window) that took them in. */
  byUnit: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      total: z.number().int(),
      completed: z.number().int(),
      onTimeRate: rate,
    }),
  ),
  byChannel: z.array(z.object({ channel: z.enum(applicationChannels), total: z.number().int() })),
  byStatus: z.array(z.object({ status: z.enum(applicationStates), total: z.number().int() })),
  /** Applications taken in per clerk (the user who took them in) per China day. */
  byClerk: z.array(
    z.object({ userId: z.string(), name: z.string(), day: z.string(), total: z.number().int() }),
  ),
});
export type ServiceMetrics = z.infer<typeof serviceMetrics>;

// ——— certificates (证明开具)

/** A certificate's public code: its number, a dash and 20 hex characters of its signature (server-checked). */
export const certificateCodeParam = z.object({
  // Loose on purpose: a changed code is answered `{valid:false}`, not refused as malformed.
  code: z.string().min(1).max(100),
});
/** The public check of a certificate: nothing of the holder beyond the masked name. */
export const certificateCheck = z.object({
  valid: z.boolean(),
  service: z.string().optional(),
  issuedAt: z.string().optional(),
  issuer: z.string().optional(),
  holder: z.string().optional(),
  revokedAt: z.string().nullable().optional(),
});
export type CertificateCheck = z.infer<typeof certificateCheck>;
/** The certificate of an application, as staff see it. */
export const certificateInfo = z.object({
  id: z.string().uuid(),
  number: z.string(),
  code: z.string(),
  /** The public page the QR code leads to. */
  verifyPath: z.string(),
  service: z.string(),
  issuedAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export const certificateRevokeInput = z.object({
  reason: z.string().trim().min(2, '请填写作废理由').max(500),
});

// ——— 好差评

/** The national five-level scale, in its order: 1 非常满意 … 5 非常不满意. */
export const ratingLevelNames = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;
/** Levels from this one (不满意, 非常不满意) open a rectification. */
export const badRatingFrom = 4;
/** 好评: 非常满意 and 满意. */
export const goodRatingUpTo = 2;
export const ratingChannels = ['window', 'phone', 'online'] as const;
/** `POST /api/public/ratings/{token}`: the five levels from /r/rate/{token} (1 非常满意 … 5 非常不满意). */
export const publicRatingInput = z.object({
  level: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
});
export const ratingTokenParam = z.object({ token: z.string().min(10).max(100) });
export const ratingInput = z.object({
  level: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
  /** How it came in: the window's tablet, a phone follow-up recorded by staff, online. */
  channel: z.enum(ratingChannels).default('window'),
});
export const rectificationInfo = z.object({
  id: z.string().uuid(),
  applicationId: z.string().uuid(),
  applicationCode: z.string(),
  serviceCode: z.string(),
  /** The item's name in the version the application was taken in under. */
  serviceName: z.string(),
  level: z.number().int(),
  comment: z.string().nullable(),
  /** The deadline of the rectification. */
  rectifyBy: z.string(),
  rectifiedAt: z.string().nullable(),
  rectifyNote: z.string().nullable(),
  overdue: z.boolean(),
});
export const ratingInfo = z.object({
  id: z.string().uuid(),
  applicationId: z.string().uuid(),
  level: z.number().int(),
  levelName: z.string(),
  comment: z.string().nullable(),
  channel: z.enum(ratingChannels),
  ratedAt: z.string(),
  /** The rectification a bad rating opened; null for a good one. */
  rectification: rectificationInfo.nullable(),
});
export const rectificationListQuery = pageQuery.extend({
  open: booleanQuery.optional(),
});
export const rectificationList = z.object({ items: z.array(rectificationInfo), total: z.number().int() });
export const rectificationCloseInput = z.object({
  note: z.string().trim().min(2, '请填写整改情况').max(2000),
});

// ——— the catalogue as its admin keeps it (事项清单管理)

export const serviceCatalogueQuery = pageQuery.extend({
  /** Part of the code or the name. */
  q: z.string().trim().max(50).optional(),
  category: z.enum(serviceCategories).optional(),
  /** Retired items only (true), offered ones only (false), or both. */
  retired: booleanQuery.optional(),
});
/** A catalogue entry with what its admin needs: retired or not, when and by whom this version was made. */
export const serviceCatalogueEntry = serviceItem.extend({
  retiredAt: z.string().nullable(),
  versionAt: z.string(),
  versionBy: z.string().nullable(),
});
export type ServiceCatalogueEntry = z.infer<typeof serviceCatalogueEntry>;
export const serviceCatalogue = z.object({ items: z.array(serviceCatalogueEntry), total: z.number().int() });
/** Every version of an item, the newest first. */
export const serviceVersions = z.object({ items: z.array(serviceCatalogueEntry) });

// ——— material scans (per-material upload at the window)

/** PDF or image; what a file is comes from its first bytes, never its name. */
export const materialFileMimes = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export const maxMaterialFileMb = 10;
export const materialFile = z.object({
  id: z.string().uuid(),
  mime: z.enum(materialFileMimes),
  size: z.number().int(),
  url: z.string(),
});
export type MaterialFile = z.infer<typeof materialFile>;

// ——— a new resident registered at the window

/** Relations to the household's head the window offers (户主 when the dwelling has none). */
export const windowRelations = [
  '户主',
  '配偶',
  '子女',
  '父母',
  '孙子女',
  '兄弟姐妹',
  '其他亲属',
  '非亲属',
] as const;
export const windowDwellingQuery = z.object({
  /** Part of the dwelling's standard address (road, number, building, room). */
  q: z.string().trim().max(60).optional(),
});
/** A dwelling of the clerk's area a new resident can be registered into. */
export const windowDwelling = z.object({
  housingUnitId: z.number().int(),
  address: z.string(),
  gridId: z.number().int(),
  gridName: z.string(),
  householdId: z.number().int().nullable(),
  /** People of the household already on file. */
  members: z.number().int(),
  hasHead: z.boolean(),
});
export const windowDwellingList = z.object({ items: z.array(windowDwelling) });
export const windowResidentInput = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(40, '姓名不超过 40 字'),
  idNumber: z.string().trim().min(1, '请填写身份证号').max(18),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '请输入11位手机号')
    .optional(),
  housingUnitId: intId,
  relationToHead: z.enum(windowRelations, '请选择与户主关系'),
  residenceType: z.enum(residenceTypes).default('registered'),
});
export type WindowResidentInput = z.infer<typeof windowResidentInput>;
/** The resident just registered, masked as every reply is. */
export const windowResident = z.object({
  id: z.string().uuid(),
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  householdId: z.number().int(),
});
