/**
 * 为老服务补贴: the part of a service's price the government pays, by the elder's care level
 * and age. A rule is an ordered list of tiers; the first tier the elder matches decides: a
 * percentage of the price, or a fixed amount (never more than the price). An elder matching
 * no tier pays the whole price. Money is in fen (integers), so a bill adds up to the fen.
 */
export const serviceKinds = [
  'meals',
  'cleaning',
  'bathing',
  'medical',
  'mobility',
  'repair',
  'shopping',
  'companion',
  'rehab',
  'comfort',
] as const;
export type ServiceKind = (typeof serviceKinds)[number];
export const serviceKindNames: Record<ServiceKind, string> = {
  meals: '助餐',
  cleaning: '助洁',
  bathing: '助浴',
  medical: '助医',
  mobility: '助行',
  repair: '维修',
  shopping: '代购',
  companion: '陪护',
  rehab: '康复',
  comfort: '精神慰藉',
};

export const subsidyCareLevels = ['selfCare', 'partial', 'dependent'] as const;
export type SubsidyCareLevel = (typeof subsidyCareLevels)[number];

export interface SubsidyTier {
  /** The elder's care level is one of these; any when absent. */
  careLevels?: SubsidyCareLevel[];
  /** The elder is at least this old (full years) on the day of service; any when absent. */
  minAge?: number;
  /** Percent of the price (0–100) for a `percent` rule; fen for a `fixed` one. */
  value: number;
}

export interface SubsidyRule {
  mode: 'percent' | 'fixed';
  tiers: SubsidyTier[];
}

export interface SubsidySplit {
  /** The price of the service (fen). */
  amount: number;
  subsidy: number;
  selfPaid: number;
}

export function subsidyTier(rule: SubsidyRule | null, elder: { age: number; careLevel: SubsidyCareLevel }) {
  return (
    rule?.tiers.find(
      (t) =>
        (t.careLevels === undefined || t.careLevels.includes(elder.careLevel)) &&
        (t.minAge === undefined || elder.age >= t.minAge),
    ) ?? null
  );
}

/** The subsidy and self-paid parts of `price` fen × `quantity` for this elder. */
export function splitSubsidy(
  rule: SubsidyRule | null,
  price: number,
  elder: { age: number; careLevel: SubsidyCareLevel },
  quantity = 1,
): SubsidySplit {
  const amount = Math.max(0, Math.round(price * quantity));
  const tier = subsidyTier(rule, elder);
  let subsidy = 0;
  if (tier && rule) {
    subsidy =
      rule.mode === 'percent'
        ? Math.round((amount * Math.min(100, Math.max(0, tier.value))) / 100)
        : Math.round(Math.max(0, tier.value) * quantity);
  }
  subsidy = Math.min(subsidy, amount);
  return { amount, subsidy, selfPaid: amount - subsidy };
}

/** Full years between a birth date (YYYY-MM-DD) and a day (YYYY-MM-DD). */
export function ageOnDay(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
