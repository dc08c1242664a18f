import { z } from 'zod';
import { intId, pageQuery } from './common.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');

/** What the platform puts on a briefing's agenda (会商研判), and why. */
export const agendaKinds = ['dispute', 'grievance', 'case', 'hotspot'] as const;
export const agendaQuery = z.object({ orgUnitId: intId.optional() });
export const agendaItem = z.object({
  kind: z.enum(agendaKinds),
  /** The dispute, grievance or case id; for a hot spot `categoryCode:gridId`. */
  refId: z.string(),
  title: z.string(),
  reason: z.string(),
});
export type AgendaItem = z.infer<typeof agendaItem>;
export const agendaReply = z.object({ items: z.array(agendaItem) });

/** 热点: the same category in the same grid three or more times in `days` days (30 by default). */
export const hotspotQuery = z.object({
  orgUnitId: intId.optional(),
  days: z.coerce.number().int().min(1).max(365).default(30),
});
export const hotspot = z.object({
  categoryCode: z.string(),
  categoryName: z.string().nullable(),
  gridId: z.number().int(),
  gridName: z.string().nullable(),
  count: z.number().int(),
  caseIds: z.array(z.string().uuid()),
});
/** 热点 by building: the same category at one building (or one address) ≥3 times. */
export const buildingHotspot = z.object({
  categoryCode: z.string(),
  categoryName: z.string().nullable(),
  gridId: z.number().int().nullable(),
  gridName: z.string().nullable(),
  /** The building of the places register; null when the cases give an address only. */
  buildingId: z.number().int().nullable(),
  place: z.string(),
  count: z.number().int(),
  caseIds: z.array(z.string().uuid()),
});
export type BuildingHotspot = z.infer<typeof buildingHotspot>;
export const hotspotReply = z.object({ items: z.array(hotspot), buildings: z.array(buildingHotspot) });
export type Hotspot = z.infer<typeof hotspot>;

/** A decision of the meeting: a supervised task with one owner (a person or a department) and a deadline. */
export const decisionInput = z
  .object({
    text: z.string().trim().min(2, '请填写决定事项').max(1000),
    ownerUserId: z.string().uuid().optional(),
    departmentId: intId.optional(),
    dueOn: day,
  })
  .refine((d) => (d.ownerUserId === undefined) !== (d.departmentId === undefined), {
    message: '每项决定须指定一名责任人或一个责任部门',
    path: ['ownerUserId'],
  });
export const briefingInput = z.object({
  orgUnitId: intId,
  title: z.string().trim().min(2).max(200),
  heldOn: day,
  attendees: z.string().trim().min(2, '请填写参会人员').max(2000),
  minutes: z.string().trim().max(20000).default(''),
  /** The agenda as discussed (drawn up by the platform, edited by the meeting). */
  agenda: z.array(agendaItem).max(200).default([]),
  decisions: z.array(decisionInput).min(1, '请至少形成一项决定').max(50),
});
export type BriefingInput = z.infer<typeof briefingInput>;
export const briefingCreated = z.object({ id: z.string().uuid() });

export const briefingTask = z.object({
  id: z.number().int(),
  briefingId: z.string().uuid(),
  briefingTitle: z.string(),
  text: z.string(),
  ownerUserId: z.string().uuid().nullable(),
  ownerName: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  dueOn: day,
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
  overdue: z.boolean(),
});
export const briefingSummary = z.object({
  id: z.string().uuid(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string().nullable(),
  title: z.string(),
  heldOn: day,
  decisions: z.number().int(),
  done: z.number().int(),
});
export const briefingList = z.object({ items: z.array(briefingSummary), total: z.number().int() });
export const briefingListQuery = pageQuery.extend({ orgUnitId: intId.optional() });
export const briefingDetail = briefingSummary.extend({
  attendees: z.string(),
  minutes: z.string(),
  agenda: z.array(agendaItem),
  tasks: z.array(briefingTask),
});
export type BriefingDetail = z.infer<typeof briefingDetail>;
export const briefingTaskQuery = pageQuery.extend({
  orgUnitId: intId.optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const briefingTaskList = z.object({ items: z.array(briefingTask), total: z.number().int() });
export const briefingTaskDone = z.object({ note: z.string().trim().min(2, '请填写落实情况').max(2000) });
