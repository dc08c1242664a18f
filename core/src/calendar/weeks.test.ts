import { describe, expect, it } from 'vitest';
import { daysOfWeek, weekOf, weekOfDay } from './weeks.js';

describe('weeks', () => {
  it('start on Monday and end on Sunday, numbered as ISO 8601', () => {
    expect(weekOfDay('2025-11-30')).toEqual({ from: '2025-11-24', to: '2025-11-30', year: 2025, week: 48 });
    expect(weekOfDay('2025-12-01')).toEqual({ from: '2025-12-01', to: '2025-12-07', year: 2025, week: 49 });
    // 2024-12-30 is a Monday in the week of 2 January 2025: week 1 of 2025.
    expect(weekOfDay('2024-12-31')).toMatchObject({ from: '2024-12-30', year: 2025, week: 1 });
    // 2021-01-03 (a Sunday) still belongs to the last week of 2020, week 53.
    expect(weekOfDay('2021-01-03')).toMatchObject({ from: '2020-12-28', year: 2020, week: 53 });
    expect(daysOfWeek(weekOfDay('2025-12-03'))).toEqual([
      '2025-12-01',
      '2025-12-02',
      '2025-12-03',
      '2025-12-04',
      '2025-12-05',
      '2025-12-06',
      '2025-12-07',
    ]);
  });

  it('turn at midnight in Beijing, not in UTC or the browser’s zone', () => {
    // Sunday 23:59 in Beijing is 15:59 UTC; one minute past midnight on Monday is 16:01 UTC, still Sunday in UTC.
    expect(weekOf(new Date('2025-11-30T15:59:00Z')).from).toBe('2025-11-24');
    expect(weekOf(new Date('2025-11-30T16:01:00Z')).from).toBe('2025-12-01');
    expect(weekOf(Date.parse('2025-12-07T23:30:00+08:00')).to).toBe('2025-12-07');
  });
});
