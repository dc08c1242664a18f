/**
 * The working-time clock of case deadlines (DESIGN.md §4): deadlines count working hours
 * on workdays, skipping weekends and public holidays, and counting the weekend days that
 * the State Council makes working days (调休). Times are China Standard Time (UTC+8, no
 * daylight saving), whatever the server's zone.
 */
export interface WorkCalendar {
  /** Days off that would otherwise be workdays (YYYY-MM-DD). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休). */
  workdays: ReadonlySet<string>;
  /** Working periods of a day in minutes from midnight, ascending, not overlapping. */
  periods: readonly (readonly [number, number])[];
}

export const chinaOffsetMs = 8 * 3600_000;
const dayMs = 86_400_000;

/** 09:00–12:00 and 13:00–18:00: eight working hours, one working day. */
export const defaultPeriods: readonly (readonly [number, number])[] = [
  [9 * 60, 12 * 60],
  [13 * 60, 18 * 60],
];

export function minutesPerWorkday(cal: WorkCalendar): number {
  return cal.periods.reduce((s, [a, b]) => s + (b - a), 0);
}

/** YYYY-MM-DD of the China-local day containing `ms`. */
export function localDay(ms: number): string {
  return new Date(ms + chinaOffsetMs).toISOString().slice(0, 10);
}

export function isWorkday(cal: WorkCalendar, day: string): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export type Duration = { value: number; unit: 'minutes' | 'hours' | 'days' };
export type Clock = 'natural' | 'working';

function durationMinutes(d: Duration, cal: WorkCalendar, clock: Clock): number {
  if (d.unit === 'minutes') return d.value;
  if (d.unit === 'hours') return d.value * 60;
  // A working day is one day's working hours; a natural day is 24 hours.
  return d.value * (clock === 'working' ? minutesPerWorkday(cal) : 1440);
}

/**
 * The moment `duration` of `clock` time after `start`. Working time that starts outside
 * working hours begins at the next working period.
 */
export function addTime(cal: WorkCalendar, startMs: number, duration: Duration, clock: Clock): number {
  const total = durationMinutes(duration, cal, clock);
  if (clock === 'natural') return startMs + Math.round(total * 60_000);
  let remaining = total * 60_000;
  let dayStart = Math.floor((startMs + chinaOffsetMs) / dayMs) * dayMs - chinaOffsetMs;
  let cursor = startMs;
  // Bounded: a year of days covers any deadline the platform sets.
  for (let i = 0; i < 3660; i++) {
    const day = localDay(dayStart);
    if (isWorkday(cal, day)) {
      for (const [a, b] of cal.periods) {
        const from = Math.max(cursor, dayStart + a * 60_000);
        const to = dayStart + b * 60_000;
        if (from >= to) continue;
        if (remaining <= to - from) return from + remaining;
        remaining -= to - from;
      }
    }
    dayStart += dayMs;
    cursor = dayStart;
  }
  throw new Error('deadline beyond ten years');
}

/** Working (or natural) milliseconds elapsed between two moments. */
export function elapsed(cal: WorkCalendar, fromMs: number, toMs: number, clock: Clock): number {
  if (toMs <= fromMs) return 0;
  if (clock === 'natural') return toMs - fromMs;
  let total = 0;
  let dayStart = Math.floor((fromMs + chinaOffsetMs) / dayMs) * dayMs - chinaOffsetMs;
  while (dayStart < toMs) {
    if (isWorkday(cal, localDay(dayStart))) {
      for (const [a, b] of cal.periods) {
        const lo = Math.max(fromMs, dayStart + a * 60_000);
        const hi = Math.min(toMs, dayStart + b * 60_000);
        if (hi > lo) total += hi - lo;
      }
    }
    dayStart += dayMs;
  }
  return total;
}

/** Deadline and the warning point at 80 % of it. */
export function deadlineWithWarning(cal: WorkCalendar, startMs: number, d: Duration, clock: Clock) {
  const minutes = durationMinutes(d, cal, clock);
  return {
    dueAt: addTime(cal, startMs, { value: minutes, unit: 'minutes' }, clock),
    warnAt: addTime(cal, startMs, { value: minutes * 0.8, unit: 'minutes' }, clock),
  };
}

export function makeCalendar(
  entries: { day: string; kind: 'holiday' | 'workday' }[],
  periods = defaultPeriods,
): WorkCalendar {
  return {
    holidays: new Set(entries.filter((e) => e.kind === 'holiday').map((e) => e.day)),
    workdays: new Set(entries.filter((e) => e.kind === 'workday').map((e) => e.day)),
    periods,
  };
}
