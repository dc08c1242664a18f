import { z } from 'zod';
import {
  incubationStages,
  socialOrgFields,
  socialOrgTypes,
  socialProjectActions,
  socialProjectStates,
} from '../participation/socialOrgs.js';
import { intId, pageQuery } from './common.js';

/**
 * 社会组织 and 公益创投 (issue 19 item 8): the registry of the area's social organizations,
 * their incubation, and the projects bought from them with public money, with milestones
 * (done with evidence) and spending against the budget. Money is integer fen.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const fen = (what: string) =>
  z
    .number({ error: `请填写${what}` })
    .int(`${what}以分为单位，须为整数`)
    .min(1, `${what}须大于 0`)
    .max(100_000_000_00, `${what}过大`);
const people = (what: string) =>
  z
    .number({ error: `请填写${what}` })
    .int(`${what}须为整数`)
    .min(0, `${what}不能为负数`)
    .max(100_000);

export const socialOrgInput = z.object({
  name: z.string().trim().min(2, '请填写组织名称（至少 2 个字）').max(60),
  type: z.enum(socialOrgTypes, { error: '请选择组织类型' }),
  /** GB 32100 统一社会信用代码: required for a registered type, none for a filed community group. */
  creditCode: z.string().trim().toUpperCase().length(18, '统一社会信用代码应为18位').optional(),
  /** 登记管理机关 (昆都仑区民政局), or where a community group is filed (街道、社区). */
  registrationAuthority: z.string().trim().min(2, '请填写登记管理机关或备案单位').max(60),
  /** The day it was registered or filed. */
  registeredOn: day,
  /** The area it serves: a street or a community of the actor's jurisdiction. */
  orgUnitId: intId,
  fields: z.array(z.enum(socialOrgFields)).min(1, '请至少选择一个服务领域').max(socialOrgFields.length),
  /** What it offers, in its own words. */
  services: z.string().trim().min(2, '请填写服务内容（至少 2 个字）').max(1000),
  legalRepresentative: z.string().trim().min(2, '请填写法定代表人或负责人').max(30),
  contactName: z.string().trim().min(2, '请填写联系人').max(30),
  contactPhone: z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号'),
  staffCount: people('专职人数'),
  volunteerCount: people('志愿者人数'),
});
export type SocialOrgInput = z.infer<typeof socialOrgInput>;

/**
 * What changes after registration: services, people and where it is registered. The name, type,
 * credit code and area served are its identity: a change there is a new registration.
 */
export const socialOrgPatch = socialOrgInput
  .pick({
    registrationAuthority: true,
    fields: true,
    services: true,
    legalRepresentative: true,
    contactName: true,
    contactPhone: true,
    staffCount: true,
    volunteerCount: true,
  })
  .partial();
export type SocialOrgPatch = z.infer<typeof socialOrgPatch>;

export const socialOrgQuery = pageQuery.extend({
  q: z.string().trim().max(30).optional(),
  type: z.enum(socialOrgTypes).optional(),
  field: z.enum(socialOrgFields).optional(),
  /** `none`: never incubated. */
  incubation: z.enum([...incubationStages, 'none']).optional(),
  orgUnitId: intId.optional(),
});
export type SocialOrgQuery = z.infer<typeof socialOrgQuery>;

export const socialOrg = z.object({
  id: z.string().uuid(),
  name: z.string(),
  type: z.enum(socialOrgTypes),
  creditCode: z.string().nullable(),
  registrationAuthority: z.string(),
  registeredOn: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  fields: z.array(z.enum(socialOrgFields)),
  services: z.string(),
  legalRepresentative: z.string(),
  contactName: z.string(),
  /** Always masked (138****5678); the whole number through POST …/reveal (audited). */
  contactPhone: z.string(),
  staffCount: z.number().int(),
  volunteerCount: z.number().int(),
  incubationStage: z.enum(incubationStages).nullable(),
  incubationSince: z.string().nullable(),
  /** Its 公益创投 projects the actor may see, and how many are being carried out. */
  projects: z.number().int(),
  activeProjects: z.number().int(),
  createdAt: z.string(),
});
export type SocialOrg = z.infer<typeof socialOrg>;
export const socialOrgList = z.object({ items: z.array(socialOrg), total: z.number().int() });

export const incubationInput = z.object({
  stage: z.enum(incubationStages, { error: '请选择孵化阶段' }),
  on: day,
  /** 孵化基地 (社区社会组织孵化中心). */
  base: z.string().trim().max(60).optional(),
  note: z.string().trim().max(500).optional(),
});
export type IncubationInput = z.infer<typeof incubationInput>;

export const revealedContact = z.object({ contactPhone: z.string() });

export const socialProjectInput = z.object({
  socialOrgId: z.string().uuid(),
  title: z.string().trim().min(2, '请填写项目名称（至少 2 个字）').max(100),
  summary: z.string().trim().max(2000).optional(),
  /** 购买方: the street or community that buys the service. */
  orgUnitId: intId,
  /** 申报金额, fen. */
  amountFen: fen('申报金额'),
  startsOn: day,
  endsOn: day,
  milestones: z
    .array(
      z.object({
        title: z.string().trim().min(2, '请填写里程碑（至少 2 个字）').max(100),
        dueOn: day,
      }),
    )
    .min(1, '请至少设置一个里程碑')
    .max(20),
  /** A retry of the same application is the same project. */
  idempotencyKey: z.string().min(8).max(64),
});
export type SocialProjectInput = z.infer<typeof socialProjectInput>;
export const socialProjectCreated = z.object({ id: z.string().uuid(), status: z.enum(socialProjectStates) });

export const socialProjectQuery = pageQuery.extend({
  q: z.string().trim().max(30).optional(),
  status: z.enum(socialProjectStates).optional(),
  socialOrgId: z.string().uuid().optional(),
  orgUnitId: intId.optional(),
});
export type SocialProjectQuery = z.infer<typeof socialProjectQuery>;

export const socialProjectSummary = z.object({
  id: z.string().uuid(),
  title: z.string(),
  socialOrgId: z.string().uuid(),
  socialOrgName: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  status: z.enum(socialProjectStates),
  amountFen: z.number().int(),
  /** 立项金额: set when approved. */
  budgetFen: z.number().int().nullable(),
  spentFen: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  milestones: z.number().int(),
  milestonesDone: z.number().int(),
  createdAt: z.string(),
});
export type SocialProjectSummary = z.infer<typeof socialProjectSummary>;
export const socialProjectList = z.object({ items: z.array(socialProjectSummary), total: z.number().int() });

export const socialOrgDetail = socialOrg.extend({
  incubations: z.array(
    z.object({
      stage: z.enum(incubationStages),
      on: z.string(),
      base: z.string().nullable(),
      note: z.string().nullable(),
      actorName: z.string().nullable(),
    }),
  ),
  projectList: z.array(socialProjectSummary),
});
export type SocialOrgDetail = z.infer<typeof socialOrgDetail>;

export const socialProjectDetail = socialProjectSummary.extend({
  summary: z.string().nullable(),
  milestoneList: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      dueOn: z.string(),
      doneOn: z.string().nullable(),
      note: z.string().nullable(),
      fileIds: z.array(z.string().uuid()),
      overdue: z.boolean(),
    }),
  ),
  spendings: z.array(
    z.object({
      id: z.number().int(),
      item: z.string(),
      amountFen: z.number().int(),
      spentOn: z.string(),
      createdByName: z.string().nullable(),
    }),
  ),
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
  allowedActions: z.array(z.enum(socialProjectActions)),
  /** Milestones may be ticked and spending recorded now, by this user. */
  mayRecord: z.boolean(),
});
export type SocialProjectDetail = z.infer<typeof socialProjectDetail>;

export const socialProjectActionBodies = {
  approve: z.object({
    /** 立项金额 (fen); the amount applied for when absent. */
    budgetFen: fen('立项金额').optional(),
    note: z.string().trim().max(1000).optional(),
  }),
  start: z.object({ note: z.string().trim().max(1000).optional() }),
  complete: z.object({ note: z.string().trim().min(2, '请填写结项验收意见（至少 2 个字）').max(1000) }),
  terminate: z.object({ note: z.string().trim().min(2, '请填写终止原因（至少 2 个字）').max(1000) }),
};
export type SocialProjectActionBody<A extends keyof typeof socialProjectActionBodies> = z.infer<
  (typeof socialProjectActionBodies)[A]
>;
export const socialProjectActionParam = z.object({
  id: z.string().uuid(),
  action: z.enum(socialProjectActions),
});
export const socialProjectActionBody = z.object({
  budgetFen: z.number().optional(),
  note: z.string().optional(),
});

export const milestoneParam = z.object({ id: z.string().uuid(), milestoneId: intId });
export const milestoneDoneInput = z.object({
  doneOn: day,
  /** Evidence: photos uploaded through POST /api/files by the same user. */
  fileIds: z.array(z.string().uuid()).min(1, '请上传至少一份佐证材料').max(9),
  note: z.string().trim().max(1000).optional(),
});
export type MilestoneDoneInput = z.infer<typeof milestoneDoneInput>;

export const spendingInput = z.object({
  item: z.string().trim().min(2, '请填写支出事项（至少 2 个字）').max(100),
  amountFen: fen('支出金额'),
  spentOn: day,
  idempotencyKey: z.string().min(8).max(64),
});
export type SpendingInput = z.infer<typeof spendingInput>;
