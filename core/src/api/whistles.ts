import { z } from 'zod';
import { intId, pageQuery } from './common.js';

/**
 * 街道吹哨、部门报到 (issue 19 item 3): `POST /api/whistles {subject, caseId?, departmentIds,
 * deadline}` → 201; each summoned department `POST /api/whistles/{id}/reports {departmentId, note}`.
 * Every report and its lateness is kept.
 */
export const whistleInput = z.object({
  subject: z.string().trim().min(2, '请填写吹哨事项').max(200),
  caseId: z.string().uuid().optional(),
  departmentIds: z.array(intId).min(1, '请选择至少一个职能部门').max(30),
  /** When the departments must have reported (ISO 8601 with offset); in the future. */
  deadline: z.string().datetime({ offset: true }),
});
export type WhistleInput = z.infer<typeof whistleInput>;

export const whistleReportInput = z.object({
  departmentId: intId,
  note: z.string().trim().min(2, '请说明报到与处置情况').max(2000),
});
export type WhistleReportInput = z.infer<typeof whistleReportInput>;

export const whistleListQuery = pageQuery.extend({
  /** open: some department has yet to report. */
  status: z.enum(['open', 'done']).optional(),
});
export type WhistleListQuery = z.infer<typeof whistleListQuery>;

export const whistleSummon = z.object({
  departmentId: z.number().int(),
  departmentName: z.string(),
  /** waiting (before the deadline), reported (in time), late (reported after it), missing (past it, none). */
  state: z.enum(['waiting', 'reported', 'late', 'missing']),
  reportedAt: z.string().nullable(),
  reportedByName: z.string().nullable(),
  note: z.string().nullable(),
});
export const whistle = z.object({
  id: z.string().uuid(),
  subject: z.string(),
  caseId: z.string().uuid().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  deadline: z.string(),
  raisedByName: z.string().nullable(),
  createdAt: z.string(),
  departments: z.array(whistleSummon),
});
export type Whistle = z.infer<typeof whistle>;
export const whistleList = z.object({ items: z.array(whistle), total: z.number().int() });
