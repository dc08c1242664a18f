import { describe, expect, it } from 'vitest';
import { capScale, defaultAssessmentRules, itemPoints, periodRange } from './rules.js';

describe('assessment periods', () => {
  it('starts weeks on Monday, also across a year end', () => {
    expect(periodRange('week', '2026-11-29')).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodRange('week', '2026-11-30')).toMatchObject({ from: '2026-11-30', to: '2026-12-06' });
    expect(periodRange('week', '2027-01-01')).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
  });
  it('ends months and quarters on their last day, leap years included', () => {
    expect(periodRange('month', '2028-02-10')).toMatchObject({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('quarter', '2026-11-24')).toMatchObject({
      from: '2026-10-01',
      to: '2026-12-31',
      label: '2026年第四季度',
    });
    expect(periodRange('year', '2026-05-05')).toMatchObject({ from: '2026-01-01', to: '2026-12-31' });
  });
});

describe('item points', () => {
  const found = defaultAssessmentRules.worker.casesFound;
  it('caps a bonus at the monthly cap scaled to the period; penalties are not capped', () => {
    expect(itemPoints(found, 'bonus', 5, 'month')).toBe(5);
    expect(itemPoints(found, 'bonus', 50, 'month')).toBe(30);
    expect(itemPoints(found, 'bonus', 50, 'week')).toBeCloseTo(7);
    expect(itemPoints(found, 'bonus', 500, 'year')).toBe(360);
    expect(itemPoints(defaultAssessmentRules.worker.rework, 'penalty', 40, 'week')).toBe(-80);
    expect(capScale('quarter')).toBe(3);
  });
});
