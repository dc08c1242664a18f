import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disputeOutcome, mean1, median, mediationRates, percentile, rate } from './stats.js';

describe('governance statistics arithmetic', () => {
  it('a rate is null over nothing and rounds to three decimals', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(2, 3)).toBe(0.667);
    expect(rate(3, 3)).toBe(1);
  });

  it('the median of an even count is the mean of the two middle samples', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('p90 by nearest rank is a sample that happened', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 0.9)).toBe(9);
    expect(percentile([...ten, 11], 0.9)).toBe(10);
    expect(percentile([42], 0.9)).toBe(42);
    expect(percentile([], 0.9)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it('a percentile lies within the samples and at least p of them lie at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, p) => {
          const v = percentile(xs, p) as number;
          expect(xs).toContain(v);
          expect(xs.filter((x) => x <= v).length).toBeGreaterThanOrEqual(Math.ceil(p * xs.length));
          const m = median(xs) as number;
          expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(m).toBeLessThanOrEqual(Math.max(...xs));
        },
      ),
    );
  });

  it('the mean has one decimal', () => {
    expect(mean1([])).toBeNull();
    expect(mean1([1, 2, 2])).toBe(1.7);
  });

  it('outcomes: written, oral, referred, failed, pending', () => {
    expect(disputeOutcome({ agreement: { oral: false }, failure: null })).toBe('agreed');
    expect(disputeOutcome({ agreement: { oral: true }, failure: null })).toBe('oral');
    expect(disputeOutcome({ agreement: null, failure: { referral: { kind: 'court' } } })).toBe('referred');
    expect(disputeOutcome({ agreement: null, failure: { referral: null } })).toBe('failed');
    expect(disputeOutcome({ agreement: null, failure: null })).toBe('pending');
  });

  it('调解成功率 counts oral agreements and ignores pending; partly performed is its own bucket', () => {
    const r = mediationRates(
      ['agreed', 'oral', 'failed', 'referred', 'pending'],
      ['yes', 'partly', 'no', 'yes'],
    );
    expect(r).toMatchObject({
      ended: 4,
      agreed: 2,
      successRate: 0.5,
      followedUp: 4,
      performed: 2,
      partly: 1,
    });
    expect(r.performanceRate).toBe(0.5);
    expect(r.partlyShare).toBe(0.25);
    expect(mediationRates([], []).successRate).toBeNull();
  });
});
