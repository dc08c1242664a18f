import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaHolidays } from '../calendar/chinaHolidays.js';
import { addDays } from '../calendar/weeks.js';
import { isWorkday, makeCalendar } from '../calendar/workCalendar.js';
import {
  acknowledgeDeadline,
  answerDeadline,
  daysBetween,
  deadlineState,
  extensionRefusal,
  periodEnd,
  reviewAnswerDeadline,
  reviewInTime,
  reviewRequestDeadline,
} from './clock.js';

const cal = makeCalendar(Object.values(chinaHolidays).flatMap((y) => y.entries));
/** A China date between 2025 and 2027 (the years the holiday table holds). */
const day = fc.integer({ min: 0, max: 3 * 365 - 120 }).map((n) => addDays('2025-01-01', n));
const span = fc.integer({ min: 1, max: 120 });

describe('the grievance clock (信访工作条例, calendar days)', () => {
  it('counts 15 days to tell, 60 to answer, 30 for review, from the day after the event', () => {
    // Monday 2026-11-02: +15 = Tue 17 Nov; +60 = Fri 1 Jan 2027 (New Year) → Mon 4 Jan.
    expect(acknowledgeDeadline(cal, '2026-11-02').due).toBe('2026-11-17');
    expect(answerDeadline(cal, '2026-11-02').due).toBe('2027-01-04');
    expect(answerDeadline(cal, '2026-11-02', 30).due).toBe('2027-02-01');
    expect(reviewRequestDeadline(cal, '2026-11-02').due).toBe('2026-12-02');
    expect(reviewAnswerDeadline(cal, '2026-11-02').due).toBe('2026-12-02');
  });

  it('moves a last day on a holiday to the first working day after it (民法典 §203)', () => {
    // 2026-09-16 + 15 = Thu 1 Oct, National Day week → Thu 8 Oct.
    expect(acknowledgeDeadline(cal, '2026-09-16').due).toBe('2026-10-08');
    // A Saturday → Monday.
    expect(periodEnd(cal, '2026-11-13', 15)).toBe('2026-11-30');
  });

  it('ends on a working day, never before the calendar days, with only rest days skipped', () => {
    fc.assert(
      fc.property(day, span, (from, n) => {
        const due = periodEnd(cal, from, n);
        expect(isWorkday(cal, due)).toBe(true);
        expect(daysBetween(from, due)).toBeGreaterThanOrEqual(n);
        for (let d = addDays(from, n); d < due; d = addDays(d, 1)) expect(isWorkday(cal, d)).toBe(false);
      }),
    );
  });

  it('never ends earlier for a later start or a longer period', () => {
    fc.assert(
      fc.property(day, span, fc.integer({ min: 0, max: 60 }), (from, n, more) => {
        expect(periodEnd(cal, addDays(from, more), n) >= periodEnd(cal, from, n)).toBe(true);
        expect(periodEnd(cal, from, n + more) >= periodEnd(cal, from, n)).toBe(true);
      }),
    );
  });

  it('warns at 80 % of the period and is overdue only after its last day', () => {
    fc.assert(
      fc.property(day, span, fc.integer({ min: -5, max: 200 }), (from, n, k) => {
        const d = answerDeadline(cal, from, n % 31);
        const today = addDays(from, k);
        const state = deadlineState(d, today);
        const passed = daysBetween(from, today) / daysBetween(from, d.due);
        if (today > d.due) expect(state).toBe('overdue');
        else if (passed >= 0.8) expect(state).toBe('warning');
        else expect(state).toBe('running');
        expect(d.warn <= d.due && d.warn > from).toBe(true);
      }),
    );
  });

  it('extends the answer once, by 1 to 30 days, never shortening it', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -10, max: 60 }), fc.boolean(), (from, days, before) => {
        const refused = extensionRefusal(before, days);
        if (before) expect(refused).toBe('alreadyExtended');
        else if (days < 1) expect(refused).toBe('notPositive');
        else if (days > 30) expect(refused).toBe('tooLong');
        else {
          expect(refused).toBeNull();
          const extended = answerDeadline(cal, from, days).due;
          expect(extended >= answerDeadline(cal, from).due).toBe(true);
          expect(extended <= answerDeadline(cal, from, 30).due).toBe(true);
        }
      }),
    );
  });

  it('takes a request for review up to its deadline and not a day later', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (answered, k) => {
        const today = addDays(answered, k);
        expect(reviewInTime(cal, answered, today)).toBe(today <= reviewRequestDeadline(cal, answered).due);
        if (k <= 30) expect(reviewInTime(cal, answered, today)).toBe(true);
      }),
    );
  });
});
