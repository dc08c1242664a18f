import { addDays } from '../calendar/weeks.js';
import { isWorkday, type WorkCalendar } from '../calendar/workCalendar.js';

/**
 * The statutory clock of a grievance (信访事项), after the 信访工作条例 (2022):
 * - told within 15 days of receipt whether it is accepted and who handles it (告知);
 * - answered in writing within 60 days of acceptance (处理意见书); a complicated matter may
 *   be extended once, by at most 30 days, with the reason told to the person (延期);
 * - the person may ask for review (复查) within 30 days of receiving the answer; the review
 *   is answered in writing within 30 days of the request.
 *
 * Calendar days, not working days: the 条例 counts its limits in 日 and, unlike the service
 * centre's 承诺时限 (working days), names no working-day rule; periods then follow the general
 * rule of the 民法典: the day an event happens is not counted (第二百零一条: 开始的当日不计入，
 * 自下一日开始计算), and a period whose last day falls on a rest day or holiday ends on the
 * first working day after it (第二百零三条). The work calendar (weekends, holidays, 调休)
 * decides which days are rest days.
 *
 * Days are China dates, YYYY-MM-DD; a deadline is the whole of its day.
 */
export const acknowledgeDays = 15;
export const answerDays = 60;
export const maxExtensionDays = 30;
export const reviewRequestDays = 30;
export const reviewAnswerDays = 30;
/** The share of a period after which the deadline is shown as near (预警). */
export const warnShare = 0.8;

/** The last day of a period of `days` calendar days starting the day after `from`. */
export function periodEnd(cal: WorkCalendar, from: string, days: number): string {
  let day = addDays(from, days);
  while (!isWorkday(cal, day)) day = addDays(day, 1);
  return day;
}

const dayMs = 86_400_000;
/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / dayMs);
}

/** A running deadline: the day it started, the day it ends, the day the warning starts. */
export interface Deadline {
  from: string;
  due: string;
  warn: string;
}

/** The warning day: 80 % of the period (from → due) has passed, rounded up to whole days. */
export function deadline(cal: WorkCalendar, from: string, days: number): Deadline {
  const due = periodEnd(cal, from, days);
  return { from, due, warn: addDays(from, Math.ceil(daysBetween(from, due) * warnShare)) };
}

export type DeadlineState = 'running' | 'warning' | 'overdue';

/** How a running deadline stands on `today`: overdue the day after its last day. */
export function deadlineState(d: Pick<Deadline, 'due' | 'warn'>, today: string): DeadlineState {
  if (today > d.due) return 'overdue';
  if (today >= d.warn) return 'warning';
  return 'running';
}

/** 告知: whether it is accepted and by whom handled, 15 days from receipt. */
export const acknowledgeDeadline = (cal: WorkCalendar, receivedOn: string) =>
  deadline(cal, receivedOn, acknowledgeDays);

/** 办结: the written answer, 60 days from acceptance, or more after the one extension. */
export const answerDeadline = (cal: WorkCalendar, acceptedOn: string, extensionDays = 0) =>
  deadline(cal, acceptedOn, answerDays + extensionDays);

/** The last day the person may ask for review: 30 days from the answer. */
export const reviewRequestDeadline = (cal: WorkCalendar, answeredOn: string) =>
  deadline(cal, answeredOn, reviewRequestDays);

/** 复查意见: 30 days from the request for review. */
export const reviewAnswerDeadline = (cal: WorkCalendar, requestedOn: string) =>
  deadline(cal, requestedOn, reviewAnswerDays);

export type ExtensionRefusal = 'alreadyExtended' | 'tooLong' | 'notPositive';

/** Whether the answer's deadline may be extended by `days`: once only, 1–30 days. */
export function extensionRefusal(extendedBefore: boolean, days: number): ExtensionRefusal | null {
  if (extendedBefore) return 'alreadyExtended';
  if (!Number.isInteger(days) || days < 1) return 'notPositive';
  if (days > maxExtensionDays) return 'tooLong';
  return null;
}

/** Whether a request for review made on `today` is in time for an answer given on `answeredOn`. */
export function reviewInTime(cal: WorkCalendar, answeredOn: string, today: string): boolean {
  return today <= reviewRequestDeadline(cal, answeredOn).due;
}
