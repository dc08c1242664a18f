import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaHolidays } from './chinaHolidays.js';
import { addTime, deadlineWithWarning, elapsed, isWorkday, makeCalendar } from './workCalendar.js';

const cal = makeCalendar(Object.values(chinaHolidays).flatMap((y) => y.entries));
/** A China-local wall-clock time as epoch ms. */
const cst = (s: string) => Date.parse(`${s}+08:00`);
const iso = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working calendar', () => {
  it('knows weekends, holidays and 调休 days', () => {
    expect(isWorkday(cal, '2026-11-24')).toBe(true); // Tuesday
    expect(isWorkday(cal, '2026-11-28')).toBe(false); // Saturday
    expect(isWorkday(cal, '2026-10-05')).toBe(false); // National Day holiday, a Monday
    expect(isWorkday(cal, '2026-10-10')).toBe(true); // 调休 Saturday
    expect(isWorkday(cal, '2025-01-26')).toBe(true); // 调休 Sunday before Spring Festival
  });

  it('adds working hours within a day and across lunch', () => {
    expect(iso(addTime(cal, cst('2026-11-24T09:30'), { value: 2, unit: 'hours' }, 'working'))).toBe(
      '2026-11-24 11:30',
    );
    expect(iso(addTime(cal, cst('2026-11-24T11:00'), { value: 2, unit: 'hours' }, 'working'))).toBe(
      '2026-11-24 14:00',
    );
  });

  it('skips the weekend', () => {
    // Friday 17:00 + 2 h → Monday 10:00.
    expect(iso(addTime(cal, cst('2026-11-27T17:00'), { value: 2, unit: 'hours' }, 'working'))).toBe(
      '2026-11-30 10:00',
    );
  });

  it('skips a holiday week and counts the 调休 Saturday', () => {
    // Wed 30 Sep 2026 17:00 + 2 working hours: 1 h left on the 30th, Oct 1–7 off, 8–9 work.
    expect(iso(addTime(cal, cst('2026-09-30T17:00'), { value: 2, unit: 'hours' }, 'working'))).toBe(
      '2026-10-08 10:00',
    );
    // Fri 9 Oct 17:00 + 2 h → the 调休 Saturday 10 Oct 10:00.
    expect(iso(addTime(cal, cst('2026-10-09T17:00'), { value: 2, unit: 'hours' }, 'working'))).toBe(
      '2026-10-10 10:00',
    );
  });

  it('starts the clock at the next working period when reported after hours', () => {
    expect(iso(addTime(cal, cst('2026-11-24T20:00'), { value: 1, unit: 'hours' }, 'working'))).toBe(
      '2026-11-25 10:00',
    );
  });

  it('a working day is eight working hours', () => {
    expect(iso(addTime(cal, cst('2026-11-24T10:00'), { value: 1, unit: 'days' }, 'working'))).toBe(
      '2026-11-25 10:00',
    );
    expect(iso(addTime(cal, cst('2026-11-27T10:00'), { value: 5, unit: 'days' }, 'working'))).toBe(
      '2026-12-04 10:00',
    );
  });

  it('natural time ignores the calendar', () => {
    expect(iso(addTime(cal, cst('2026-10-01T23:30'), { value: 0.5, unit: 'hours' }, 'natural'))).toBe(
      '2026-10-02 00:00',
    );
  });

  it('warns at 80 % of the working time', () => {
    const { dueAt, warnAt } = deadlineWithWarning(
      cal,
      cst('2026-11-24T09:00'),
      { value: 5, unit: 'hours' },
      'working',
    );
    expect(iso(dueAt)).toBe('2026-11-24 15:00');
    expect(iso(warnAt)).toBe('2026-11-24 14:00');
  });

  it('elapsed working time inverts addTime', () => {
    const start = fc.integer({ min: cst('2025-01-01T00:00'), max: cst('2027-06-30T00:00') });
    const minutes = fc.integer({ min: 1, max: 60 * 8 * 30 });
    fc.assert(
      fc.property(start, minutes, (s, m) => {
        const end = addTime(cal, s, { value: m, unit: 'minutes' }, 'working');
        expect(end).toBeGreaterThan(s);
        expect(elapsed(cal, s, end, 'working')).toBe(m * 60_000);
      }),
    );
  });

  it('deadlines never end on a day off', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: cst('2025-01-01T00:00'), max: cst('2027-06-30T00:00') }),
        fc.integer({ min: 1, max: 100 }),
        (s, h) => {
          const end = addTime(cal, s, { value: h, unit: 'hours' }, 'working');
          expect(isWorkday(cal, new Date(end + 8 * 3600_000).toISOString().slice(0, 10))).toBe(true);
        },
      ),
    );
  });
});
