import { describe, expect, it } from 'vitest';
import { ageOnDay, type SubsidyRule, splitSubsidy } from './subsidy.js';

const byLevel: SubsidyRule = {
  mode: 'percent',
  tiers: [
    { careLevels: ['dependent'], value: 80 },
    { minAge: 80, value: 60 },
    { careLevels: ['partial'], value: 50 },
  ],
};

describe('splitSubsidy', () => {
  it('takes the first tier the elder matches, in order', () => {
    // A dependent elder of 85 matches two tiers: the first one (80 %) decides.
    expect(splitSubsidy(byLevel, 3000, { age: 85, careLevel: 'dependent' })).toEqual({
      amount: 3000,
      subsidy: 2400,
      selfPaid: 600,
    });
    expect(splitSubsidy(byLevel, 3000, { age: 85, careLevel: 'selfCare' }).subsidy).toBe(1800);
    expect(splitSubsidy(byLevel, 3000, { age: 70, careLevel: 'partial' }).subsidy).toBe(1500);
  });

  it('an elder matching no tier pays the whole price', () => {
    expect(splitSubsidy(byLevel, 3000, { age: 70, careLevel: 'selfCare' })).toEqual({
      amount: 3000,
      subsidy: 0,
      selfPaid: 3000,
    });
    expect(splitSubsidy(null, 1234, { age: 90, careLevel: 'dependent' }).selfPaid).toBe(1234);
  });

  it('a fixed amount per unit never exceeds the price', () => {
    const fixed: SubsidyRule = { mode: 'fixed', tiers: [{ minAge: 60, value: 500 }] };
    expect(splitSubsidy(fixed, 1200, { age: 66, careLevel: 'selfCare' }, 2)).toEqual({
      amount: 2400,
      subsidy: 1000,
      selfPaid: 1400,
    });
    expect(splitSubsidy(fixed, 300, { age: 66, careLevel: 'selfCare' }).subsidy).toBe(300);
  });

  it('percentages round to the fen and the parts always add up to the amount', () => {
    const odd: SubsidyRule = { mode: 'percent', tiers: [{ value: 33 }] };
    for (const price of [1, 7, 999, 1001, 2599]) {
      const s = splitSubsidy(odd, price, { age: 61, careLevel: 'selfCare' });
      expect(s.subsidy + s.selfPaid).toBe(price);
      expect(s.subsidy).toBe(Math.round((price * 33) / 100));
    }
  });

  it('an age tier counts full years on the day of service', () => {
    expect(ageOnDay('1946-12-03', '2026-12-02')).toBe(79);
    expect(ageOnDay('1946-12-02', '2026-12-02')).toBe(80);
    const eighty: SubsidyRule = { mode: 'percent', tiers: [{ minAge: 80, value: 100 }] };
    expect(
      splitSubsidy(eighty, 500, { age: ageOnDay('1946-12-03', '2026-12-02'), careLevel: 'selfCare' }).subsidy,
    ).toBe(0);
  });
});
