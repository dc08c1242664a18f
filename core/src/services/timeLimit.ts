import {
  addTime,
  deadlineWithWarning,
  elapsed,
  minutesPerWorkday,
  type WorkCalendar,
} from '../calendar/workCalendar.js';

/**
 * The time limit of an application (限时办结), in working days of the work calendar: it
 * starts when the application is accepted, warns at 80 %, and stands still while the
 * application waits for material (补正) — the applicant's delay is not the office's.
 */
export interface ApplicationClock {
  dueAt: number;
  warnAt: number;
}

/**
 * 即办件 (a time limit of 0 days) are done while the applicant waits; an hour of working
 * time is their limit, so one left over the lunch break still shows as late.
 */
const immediateMinutes = 60;

export function startClock(cal: WorkCalendar, startMs: number, days: number): ApplicationClock {
  const minutes = days === 0 ? immediateMinutes : days * minutesPerWorkday(cal);
  return deadlineWithWarning(cal, startMs, { value: minutes, unit: 'minutes' }, 'working');
}

/**
 * The clock stopped at `pausedAtMs` runs again at `nowMs`: the working time that was left
 * to the deadline (and to the warning) is counted from now; `pausedMinutes` is the working
 * time it stood still.
 */
export function resumeClock(
  cal: WorkCalendar,
  clock: ApplicationClock,
  pausedAtMs: number,
  nowMs: number,
): ApplicationClock & { pausedMinutes: number } {
  const left = (until: number) => ({
    value: elapsed(cal, pausedAtMs, until, 'working') / 60_000,
    unit: 'minutes' as const,
  });
  return {
    dueAt: addTime(cal, nowMs, left(clock.dueAt), 'working'),
    warnAt: addTime(cal, nowMs, left(clock.warnAt), 'working'),
    pausedMinutes: Math.round(elapsed(cal, pausedAtMs, nowMs, 'working') / 60_000),
  };
}
