import { describe, expect, it } from 'vitest';
import { elapsed, makeCalendar } from '../calendar/workCalendar.js';
import { resumeClock, startClock } from './timeLimit.js';

const cal = makeCalendar([]);
/** Monday 2026-03-02, 10:00 China time. */
const monday10 = Date.parse('2026-03-02T10:00:00+08:00');
const day = 8 * 60 * 60_000;

describe('application time limit', () => {
  it('counts working days and warns at 80 %', () => {
    const c = startClock(cal, monday10, 5);
    expect(new Date(c.dueAt).toISOString()).toBe(new Date('2026-03-09T10:00:00+08:00').toISOString());
    expect(elapsed(cal, monday10, c.warnAt, 'working')).toBe(4 * day);
  });

  it('stands still while waiting for material', () => {
    const c = startClock(cal, monday10, 5);
    // Paused after one working day, resumed two working days later: four are left.
    const pausedAt = Date.parse('2026-03-03T10:00:00+08:00');
    const now = Date.parse('2026-03-05T10:00:00+08:00');
    const r = resumeClock(cal, c, pausedAt, now);
    expect(r.pausedMinutes).toBe(2 * 8 * 60);
    expect(elapsed(cal, now, r.dueAt, 'working')).toBe(4 * day);
    expect(r.dueAt - c.dueAt).toBeGreaterThan(0);
  });

  it('gives an on-the-spot item an hour', () => {
    const c = startClock(cal, monday10, 0);
    expect(c.dueAt - monday10).toBe(60 * 60_000);
  });
});
