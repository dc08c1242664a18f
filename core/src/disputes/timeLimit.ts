import { addDays } from '../calendar/weeks.js';
import { localDay } from '../calendar/workCalendar.js';
import { disputeTimeLimitDays } from './stateMachine.js';

/**
 * The time limit of a mediation: 30 calendar days from acceptance (人民调解法 practice, not
 * working days), as the China date it ends on; an extension adds days with a reason.
 */
export function disputeDeadline(acceptedAt: number): string {
  return addDays(localDay(acceptedAt), disputeTimeLimitDays);
}

export function extendDeadline(deadline: string, days: number): string {
  return addDays(deadline, days);
}

/** Past its last day (China time), still open. */
export function disputeOverdue(deadline: string | null, now: number): boolean {
  return deadline !== null && localDay(now) > deadline;
}
