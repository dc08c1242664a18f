import { describe, expect, it } from 'vitest';
import { propertyClock, propertyDeadlines, rate, stepOnTime } from './property.js';

describe('红管家 clock', () => {
  it('is 15 minutes to respond, 30 to reply and 24 hours to resolve, on natural time', () => {
    expect(propertyClock).toEqual({ respondMinutes: 15, replyMinutes: 30, resolveMinutes: 1440 });
    // Dispatched at 23:50 on the eve of a public holiday: the clock does not wait for a working day.
    const at = Date.parse('2026-09-30T23:50:00+08:00');
    const d = propertyDeadlines(at);
    expect(d.respond.toISOString()).toBe(new Date('2026-10-01T00:05:00+08:00').toISOString());
    expect(d.reply.toISOString()).toBe(new Date('2026-10-01T00:20:00+08:00').toISOString());
    expect(d.resolve.toISOString()).toBe(new Date('2026-10-01T23:50:00+08:00').toISOString());
  });

  it('judges a step by its deadline: done by it is on time, not done is late only once it passed', () => {
    const due = new Date('2026-10-01T00:05:00Z');
    const before = new Date('2026-10-01T00:04:00Z');
    const after = new Date('2026-10-01T00:06:00Z');
    expect(stepOnTime(due, due, after)).toBe(true);
    expect(stepOnTime(due, after, after)).toBe(false);
    expect(stepOnTime(due, null, before)).toBeNull();
    expect(stepOnTime(due, null, after)).toBe(false);
  });

  it('rates with three decimals, none without anything to rate', () => {
    expect(rate(2, 3)).toBe(0.667);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 5)).toBe(1);
  });
});
