import { z } from 'zod';
import { intId, pageQuery } from './common.js';

/**
 * 红管家 (issue 19 item 6, seed 004): property companies serve the estates (小区) of a community;
 * a case located in an estate may be dispatched to its company, whose staff (物管员) handle it as
 * a department handles its cases, on the clock "15 分钟响应、30 分钟回复、24 小时解决".
 */

/** 统一社会信用代码: 18 characters, no I, O, S, V or Z. */
const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '统一社会信用代码应为 18 位');

/** A point [lng, lat] in WGS-84 degrees. */
const point = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const estateInput = z.object({
  name: z.string().trim().min(2, '请填写小区名称（至少 2 个字）').max(40),
  /** The estate's outline: its corners in order (the ring is closed by the server). */
  outline: z.array(point).min(3, '小区范围至少需要 3 个点').max(200, '小区范围最多 200 个点'),
});
export type EstateInput = z.infer<typeof estateInput>;

export const propertyCompanyInput = z.object({
  name: z.string().trim().min(4, '请填写企业名称（至少 4 个字）').max(60),
  creditCode,
  contactName: z.string().trim().min(2, '请填写联系人姓名').max(30),
  phone: z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号'),
  /** The community the company serves in (its estates lie in it). */
  orgUnitId: intId,
  estates: z.array(estateInput).max(20).default([]),
});
export type PropertyCompanyInput = z.infer<typeof propertyCompanyInput>;

export const propertyCompanyQuery = pageQuery.extend({
  q: z.string().trim().max(30).optional(),
  orgUnitId: intId.optional(),
});
export type PropertyCompanyQuery = z.infer<typeof propertyCompanyQuery>;

export const estate = z.object({
  id: z.number().int(),
  name: z.string(),
  /** GeoJSON polygon, closed ring. */
  geometry: z.object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.array(z.number()))),
  }),
});
export type Estate = z.infer<typeof estate>;

export const propertyStaffMember = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
});

export const propertyCompany = z.object({
  id: z.number().int(),
  name: z.string(),
  creditCode: z.string(),
  contactName: z.string(),
  /** Always masked (138****5678). */
  phone: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  /** The handling unit the cases module dispatches to (a department row of the company's own). */
  departmentId: z.number().int(),
  estates: z.array(estate),
  staff: z.array(propertyStaffMember),
  createdAt: z.string(),
});
export type PropertyCompany = z.infer<typeof propertyCompany>;
export const propertyCompanyList = z.object({ items: z.array(propertyCompany), total: z.number().int() });

/** The company a case's place falls to, offered to the dispatcher; null when it lies in no estate. */
export const casePropertySuggestion = z.object({
  company: z
    .object({
      id: z.number().int(),
      name: z.string(),
      departmentId: z.number().int(),
      estateId: z.number().int(),
      estateName: z.string(),
    })
    .nullable(),
});
export type CasePropertySuggestion = z.infer<typeof casePropertySuggestion>;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export const propertyPerformanceQuery = z
  .object({
    from: month,
    to: month,
    orgUnitId: intId.optional(),
  })
  .refine((q) => q.from <= q.to, { message: '起始月份不能晚于截止月份', path: ['from'] });
export type PropertyPerformanceQuery = z.infer<typeof propertyPerformanceQuery>;

export const propertyPerformanceRow = z.object({
  companyId: z.number().int(),
  companyName: z.string(),
  month: z.string(),
  /** Dispatches to the company in the month. */
  dispatched: z.number().int(),
  respondedOnTime: z.number().int(),
  repliedOnTime: z.number().int(),
  resolvedOnTime: z.number().int(),
  /** Dispatches that missed at least one of the three deadlines (open ones past it included). */
  late: z.number().int(),
  /** On-time rates among the steps done or past their deadline, 0–1 with three decimals; null without any. */
  respondRate: z.number().nullable(),
  replyRate: z.number().nullable(),
  resolveRate: z.number().nullable(),
});
export type PropertyPerformanceRow = z.infer<typeof propertyPerformanceRow>;
export const propertyPerformance = z.object({ items: z.array(propertyPerformanceRow) });

/** One step of a dispatch's clock: its deadline, when it was done, and whether in time (null: running). */
export const propertyClockStep = z.object({
  step: z.enum(['respond', 'reply', 'resolve']),
  dueAt: z.string(),
  doneAt: z.string().nullable(),
  onTime: z.boolean().nullable(),
});

/** The case's dispatches to property companies, each with its 15 min / 30 min / 24 h clock. */
export const casePropertyClock = z.object({
  dispatches: z.array(
    z.object({
      companyName: z.string(),
      estateName: z.string(),
      dispatchedAt: z.string(),
      steps: z.array(propertyClockStep),
    }),
  ),
});
export type CasePropertyClock = z.infer<typeof casePropertyClock>;
