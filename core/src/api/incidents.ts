import { z } from 'zod';
import { latLng } from './cases.js';
import { intId, pageQuery } from './common.js';

/** 突发事件应对法 §3: the four kinds of emergency, and its four levels (I 特别重大 … IV 一般). */
export const incidentTypes = [
  'naturalDisaster',
  'accidentDisaster',
  'publicHealth',
  'socialSecurity',
] as const;
export const incidentTypeNames: Record<(typeof incidentTypes)[number], string> = {
  naturalDisaster: '自然灾害',
  accidentDisaster: '事故灾难',
  publicHealth: '公共卫生事件',
  socialSecurity: '社会安全事件',
};
export const incidentLevels = ['I', 'II', 'III', 'IV'] as const;
export const incidentLevelNames: Record<(typeof incidentLevels)[number], string> = {
  I: 'I级（特别重大）',
  II: 'II级（重大）',
  III: 'III级（较大）',
  IV: 'IV级（一般）',
};
export const incidentStates = ['active', 'closed'] as const;
/** Why someone was told: on duty at the unit, its leader on duty, or the leader one level up. */
export const notifiedAs = ['onCall', 'leader', 'upperLeader'] as const;
export const logKinds = ['report', 'order', 'resource', 'note'] as const;
export const logKindNames: Record<(typeof logKinds)[number], string> = {
  report: '情况报告',
  order: '指挥指令',
  resource: '调度资源',
  note: '备注',
};

/** The contract: `{type, level, description, location}` → 201 `{id, notified:[{userId, at}]}`. */
export const incidentInput = z.object({
  type: z.enum(incidentTypes),
  level: z.enum(incidentLevels),
  description: z.string().trim().min(4, '请描述事件情况').max(5000),
  location: latLng,
});
export type IncidentInput = z.infer<typeof incidentInput>;
export const incidentCreated = z.object({
  id: z.string().uuid(),
  code: z.string(),
  notified: z.array(z.object({ userId: z.string().uuid(), at: z.string() })),
});

export const incidentListQuery = pageQuery.extend({
  status: z.enum(incidentStates).optional(),
  type: z.enum(incidentTypes).optional(),
  orgUnitId: intId.optional(),
});
export type IncidentListQuery = z.infer<typeof incidentListQuery>;

export const incidentSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  type: z.enum(incidentTypes),
  level: z.enum(incidentLevels),
  description: z.string(),
  location: latLng,
  status: z.enum(incidentStates),
  orgUnitId: z.number().int(),
  orgUnitName: z.string().nullable(),
  reportedAt: z.string(),
  closedAt: z.string().nullable(),
  notifiedCount: z.number().int(),
  acknowledgedCount: z.number().int(),
});
export const incidentList = z.object({ items: z.array(incidentSummary), total: z.number().int() });

export const incidentDetail = incidentSummary.extend({
  summary: z.string().nullable(),
  notifications: z.array(
    z.object({
      userId: z.string().uuid(),
      name: z.string(),
      as: z.enum(notifiedAs),
      unitName: z.string().nullable(),
      at: z.string(),
      acknowledgedAt: z.string().nullable(),
      /** Seconds from the notice to the acknowledgement. */
      secondsToAcknowledge: z.number().int().nullable(),
    }),
  ),
  logs: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(logKinds),
      text: z.string(),
      actorName: z.string().nullable(),
      at: z.string(),
    }),
  ),
  tasks: z.array(
    z.object({
      id: z.number().int(),
      departmentId: z.number().int(),
      departmentName: z.string(),
      title: z.string(),
      dueAt: z.string(),
      doneAt: z.string().nullable(),
      note: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
  /** What the actor may do now: acknowledge (a notified user), log, task, close. */
  allowedActions: z.array(z.enum(['acknowledge', 'log', 'task', 'close'])),
});
export type IncidentDetail = z.infer<typeof incidentDetail>;

export const incidentLogInput = z.object({
  kind: z.enum(logKinds),
  text: z.string().trim().min(1).max(2000),
});
export const incidentTaskInput = z.object({
  departmentId: intId,
  title: z.string().trim().min(2).max(200),
  /** ISO time; must lie ahead. */
  dueAt: z.string().datetime({ offset: true }),
});
export const incidentTaskParam = z.object({ id: z.string().uuid(), taskId: intId });
export const incidentTaskDone = z.object({ note: z.string().max(1000).optional() });
export const incidentCloseInput = z.object({
  summary: z.string().trim().min(10, '请填写处置总结').max(10000),
});

/** 值班表: one day of one unit — who is on duty, and the leaders (带班领导). */
export const rosterQuery = z.object({
  orgUnitId: intId,
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export const rosterDay = z.object({
  orgUnitId: intId,
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  onCall: z.array(z.string().uuid()).max(20),
  leaders: z.array(z.string().uuid()).max(10),
});
export type RosterDay = z.infer<typeof rosterDay>;
export const rosterReply = z.object({
  items: z.array(
    z.object({
      day: z.string(),
      onCall: z.array(z.object({ userId: z.string().uuid(), name: z.string() })),
      leaders: z.array(z.object({ userId: z.string().uuid(), name: z.string() })),
    }),
  ),
});

/** Who may be put on a unit's roster: the active staff accounts of the unit and below it. */
export const rosterCandidatesQuery = z.object({ orgUnitId: intId });
export const rosterCandidates = z.object({
  items: z.array(
    z.object({ userId: z.string().uuid(), name: z.string(), orgUnitName: z.string().nullable() }),
  ),
});

export const incidentAcknowledged = z.object({ acknowledgedAt: z.string() });
