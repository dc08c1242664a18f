import { z } from 'zod';
import { intId, pageQuery } from './common.js';

export const riskLevels = ['high', 'medium', 'low'] as const;
export const riskLevelNames: Record<(typeof riskLevels)[number], string> = {
  high: '高',
  medium: '中',
  low: '低',
};

const days = z.number().int().min(1, '走访间隔至少1天').max(365, '走访间隔不超过365天');

export const careCategoryInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-zA-Z][a-zA-Z0-9]{1,31}$/, '编码为字母开头的2–32位字母或数字'),
  name: z.string().trim().min(1, '请填写名称').max(40),
  description: z.string().max(500).optional(),
  visitDays: z.object({ high: days, medium: days, low: days }),
  retentionDays: z.number().int().min(30, '保存期限至少30天').max(36_500),
  active: z.boolean().default(true),
});
export type CareCategoryInput = z.infer<typeof careCategoryInput>;

export const careCategory = careCategoryInput.extend({ description: z.string().nullable() });

export const careCaseInput = z.object({
  residentId: z.string().uuid(),
  categoryCode: z.string().min(1).max(32),
  riskLevel: z.enum(riskLevels),
  plan: z.string().trim().max(2000).optional(),
  workerIds: z.array(z.string().uuid()).min(1, '至少指派一名工作人员').max(10),
});
export type CareCaseInput = z.infer<typeof careCaseInput>;

export const careCasePatch = z.object({
  riskLevel: z.enum(riskLevels).optional(),
  plan: z.string().trim().max(2000).optional(),
  workerIds: z.array(z.string().uuid()).min(1, '至少指派一名工作人员').max(10).optional(),
});

export const careCaseClose = z.object({ reason: z.string().trim().min(1, '请填写结案原因').max(500) });

export const careVisitInput = z.object({
  /** Made on the phone: a visit recorded offline and sent twice is one visit. */
  clientId: z.string().uuid().optional(),
  visitedAt: z.string().datetime({ offset: true }),
  place: z.string().trim().min(1, '请填写走访地点').max(100),
  notes: z.string().trim().min(1, '请填写走访情况').max(4000),
  photoIds: z.array(z.string().uuid()).max(9).default([]),
});
export type CareVisitInput = z.infer<typeof careVisitInput>;

export const careCase = z.object({
  id: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  riskLevel: z.enum(riskLevels),
  status: z.enum(['open', 'closed']),
  gridId: z.number().int(),
  gridName: z.string(),
  plan: z.string().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  lastVisitAt: z.string().nullable(),
  nextVisitDue: z.string().nullable(),
  overdue: z.boolean(),
  anonymised: z.boolean(),
  workers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type CareCase = z.infer<typeof careCase>;

export const careVisit = z.object({
  id: z.number().int(),
  visitedAt: z.string(),
  place: z.string(),
  notes: z.string(),
  photoIds: z.array(z.string()),
  by: z.string(),
});

export const careListQuery = pageQuery.extend({
  categoryCode: z.string().max(32).optional(),
  riskLevel: z.enum(riskLevels).optional(),
  status: z.enum(['open', 'closed']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  orgUnitId: intId.optional(),
});

/** A category as listed: its place in the list besides what an admin enters. */
export const careCategoryListed = careCategory.extend({ sort: z.number() });
export const careCategoryList = z.object({ items: z.array(careCategoryListed) });
export const careCategoryParams = z.object({ code: z.string().max(32) });
export const careCategoryUpdate = careCategoryInput.omit({ code: true });
export const careCaseDetail = careCase.extend({ visits: z.array(careVisit) });
export type CareCaseDetail = z.infer<typeof careCaseDetail>;
export const careCaseList = z.object({ items: z.array(careCase) });
export const careWorkersQuery = z.object({ gridId: intId });
/** Who may be given a care case in a grid. */
export const careWorkerList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
