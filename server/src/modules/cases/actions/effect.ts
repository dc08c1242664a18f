import type { ActionBody } from '@civicgrid/core/api/cases';
import { deadlineWithWarning, type WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import type { CaseAction, CaseState } from '@civicgrid/core/cases/stateMachine';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db.js';
import { fieldError } from '../../../platform/errors.js';
import type { NameBook } from '../names.js';
import type { GuardFacts } from '../policy.js';
import type { cases } from '../tables.js';

export type CaseRow = typeof cases.$inferSelect;
export type CaseUpdate = Partial<typeof cases.$inferInsert>;
export type CategoryRow = NonNullable<ReturnType<NameBook['categories']['get']>>;

/** What an action is given: the locked case, who acts, and the rules it reads. */
export interface ActionContext {
  /** The transaction the action runs in (its reads and its own side rows). */
  tx: Db;
  actor: Actor;
  row: CaseRow;
  /** The state the transition table leads to. */
  to: CaseState;
  facts: GuardFacts;
  book: NameBook;
  cat: CategoryRow;
  cal: WorkCalendar;
  now: number;
}

/** Who is told in the app, and with which title; the body is the case's description. */
export interface Notice {
  ids: string[];
  kind: string;
  title: string;
}

/**
 * What an action decides; `performAction` writes it: the case's fields, the trail event's
 * note, data and photos, the notice to users and the texts to the reporter.
 */
export interface ActionEffect {
  set?: CaseUpdate;
  note?: string | null;
  data?: Record<string, unknown> | null;
  attachmentIds?: string[];
  notify?: Notice | null;
  /** Texts to the reporter, sent after the commit. */
  sms?: { phoneEnc: string; text: string }[];
  /** Notes in the trail of other cases (a merge's target), their state unchanged. */
  otherEvents?: { caseId: string; state: string; note: string; data: Record<string, unknown> }[];
}

export type ActionHandler<A extends CaseAction> = (
  ctx: ActionContext,
  body: ActionBody<A>,
) => Promise<ActionEffect>;

/** A step's deadline from now by the category's clock, or none when the category sets none. */
export function stepDeadline(cal: WorkCalendar, cat: CategoryRow, minutes: number | null, fromMs: number) {
  if (!minutes) return { dueAt: null, warnAt: null };
  const d = deadlineWithWarning(cal, fromMs, { value: minutes, unit: 'minutes' }, cat.clock);
  return { dueAt: new Date(d.dueAt), warnAt: new Date(d.warnAt) };
}

/** The fields that start a step's clock (none when the category gives the step no deadline). */
export function startStep(
  step: 'accept' | 'dispatch' | 'resolve',
  d: { dueAt: Date | null; warnAt: Date | null },
): CaseUpdate {
  return { step: d.dueAt ? step : 'none', dueAt: d.dueAt, warnAt: d.warnAt, overdue: false, warned: false };
}

/** The fields that stop the clock: the case waits on nobody's step. */
export const endSteps: CaseUpdate = {
  step: 'none',
  dueAt: null,
  warnAt: null,
  overdue: false,
  warned: false,
};

/** A deadline the user gave, which must lie ahead; the warning falls at 80 % of the time left. */
export function futureDeadline(value: string, field: string, now: number): { dueAt: Date; warnAt: Date } {
  const dueAt = new Date(value);
  if (dueAt.getTime() <= now) throw fieldError(field, 'future', 'CASE_DEADLINE_PAST');
  return { dueAt, warnAt: new Date(now + (dueAt.getTime() - now) * 0.8) };
}

/** No assignee: the case waits for the handling unit's dispatchers again. */
export const clearAssignee: CaseUpdate = {
  assigneeKind: null,
  assigneeDepartmentId: null,
  assigneeUnitId: null,
  assigneeUserId: null,
  extension: null,
};

/** Titles of the notices, by what happened. */
export const noticeTitle = {
  dispatch: '新派遣事件',
  return: '事件被退回',
  resolve: '事件待核查',
  verifyFailed: '核查未通过，请返工',
  reopened: '群众反映没修好，请返工',
  escalate: '上级事件待处理',
  supervise: '督办事件',
  requestExtension: '延期申请待审批',
} as const;
