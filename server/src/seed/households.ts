/**
 * Demo households that could be real families: a head of full age, a spouse of about the
 * same age, children a generation younger, now and then a parent a generation older. The
 * rules below are the ones the seed-invariants test holds the demo to (`relationRules`).
 */
export interface Person {
  id: string;
  birthDate: string;
  sex: 'male' | 'female';
}

export type Relation = '户主' | '配偶' | '子女' | '父母';

export interface Household {
  members: { id: string; relation: Relation }[];
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * What makes a member's age plausible beside the head's (ages in whole years): the head is
 * of full age (18, the age of majority; GB/T 4761 sets no age, the household register needs
 * an adult); a spouse of marriageable age (20 is the lower of the legal ages, 22 and 20) and
 * within 15 years of the head; a child and a parent at least 15 years apart from the head.
 */
export const relationRules = {
  headMinAge: 18,
  spouseMinAge: 20,
  spouseMaxGap: 15,
  generationMinGap: 15,
} as const;

/** Why a member's age does not fit their relation to the head, or null when it does. */
export function implausible(relation: string, age: number, headAge: number): string | null {
  const r = relationRules;
  switch (relation) {
    case '户主':
      return age < r.headMinAge ? `户主 ${age} 岁，未成年` : null;
    case '配偶':
      if (age < r.spouseMinAge) return `配偶 ${age} 岁，未到婚龄`;
      return Math.abs(age - headAge) > r.spouseMaxGap ? `配偶 ${age} 岁，户主 ${headAge} 岁` : null;
    case '子女':
      return headAge - age < r.generationMinGap ? `子女 ${age} 岁，户主 ${headAge} 岁` : null;
    case '父母':
      return age - headAge < r.generationMinGap ? `父母 ${age} 岁，户主 ${headAge} 岁` : null;
    default:
      return null;
  }
}

/**
 * Groups one grid's people into households. Children first find parents (a head 22–40
 * years older, with a spouse when one fits), so that nearly every minor lives with adults;
 * then the remaining adults live alone, as couples, with a grown child or with a parent. A
 * minor for whom no adult fits stays without a household (the residents list shows them
 * as to be checked, as it would a real one).
 */
export function formHouseholds(people: Person[], day: string, rand: () => number): Household[] {
  const age = new Map(people.map((p) => [p.id, ageOn(p.birthDate, day)]));
  const ageOf = (p: Person) => age.get(p.id) as number;
  const free = new Set(people.map((p) => p.id));
  const take = (p: Person) => free.delete(p.id);
  const shuffled = <T>(xs: T[]) =>
    xs
      .map((x) => [rand(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
  const households: (Household & { headAge: number; spouseAge: number | null; children: number })[] = [];

  /** The free person nearest to `target` years old within [min, max], of `sex` if given. */
  const nearest = (min: number, max: number, target: number, sex?: Person['sex']) => {
    let best: Person | undefined;
    for (const p of people) {
      if (!free.has(p.id) || (sex && p.sex !== sex)) continue;
      const a = ageOf(p);
      if (a < min || a > max) continue;
      if (!best || Math.abs(a - target) < Math.abs(ageOf(best) - target)) best = p;
    }
    return best;
  };
  const r = relationRules;
  /** A new household around `head`, with a spouse (at least `spouseFrom` years old) if asked and one fits. */
  const found = (head: Person, withSpouse: boolean, spouseFrom = 0) => {
    take(head);
    const headAge = ageOf(head);
    const h = {
      members: [{ id: head.id, relation: '户主' as Relation }],
      headAge,
      spouseAge: null as number | null,
      children: 0,
    };
    if (withSpouse) {
      const spouse = nearest(
        Math.max(r.spouseMinAge, headAge - 8, spouseFrom),
        headAge + 8,
        headAge + (head.sex === 'male' ? -2 : 2),
        head.sex === 'male' ? 'female' : 'male',
      );
      if (spouse) {
        take(spouse);
        h.members.push({ id: spouse.id, relation: '配偶' });
        h.spouseAge = ageOf(spouse);
      }
    }
    households.push(h);
    return h;
  };
  const parentsFit = (h: (typeof households)[number], childAge: number) =>
    h.headAge - childAge >= 20 &&
    h.headAge - childAge <= 42 &&
    (h.spouseAge === null || h.spouseAge - childAge >= 18);

  for (const child of shuffled(people.filter((p) => ageOf(p) < r.headMinAge))) {
    if (!free.has(child.id)) continue;
    const a = ageOf(child);
    let home = households.find((h) => h.children < 3 && parentsFit(h, a));
    if (!home) {
      const head = nearest(a + 22, a + 40, a + 30);
      if (!head) continue;
      home = found(head, rand() < 0.8, a + 18);
    }
    take(child);
    home.members.push({ id: child.id, relation: '子女' });
    home.children++;
  }
  for (const head of shuffled(people.filter((p) => ageOf(p) >= r.headMinAge))) {
    if (!free.has(head.id)) continue;
    const h = found(head, ageOf(head) >= 22 && rand() < 0.6);
    if (h.headAge >= 45 && rand() < 0.3) {
      const child = nearest(r.headMinAge, h.headAge - 22, h.headAge - 28);
      if (child && (h.spouseAge === null || h.spouseAge - ageOf(child) >= 18)) {
        take(child);
        h.members.push({ id: child.id, relation: '子女' });
      }
    } else if (h.headAge >= 30 && h.headAge < 60 && rand() < 0.15) {
      const parent = nearest(h.headAge + 22, h.headAge + 40, h.headAge + 28);
      if (parent) {
        take(parent);
        h.members.push({ id: parent.id, relation: '父母' });
      }
    }
  }
  return households.map(({ members }) => ({ members }));
}
