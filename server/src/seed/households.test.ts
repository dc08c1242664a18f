import { describe, expect, it } from 'vitest';
import { seeded } from './geometry.js';
import { ageOn, formHouseholds, implausible, type Person } from './households.js';

/** People as the demo makes them: ages from newborn to 95, 15 % over 70. */
function grid(rand: () => number, n: number, i: number): Person[] {
  return Array.from({ length: n }, (_, k) => {
    const age = Math.floor(rand() < 0.15 ? 70 + rand() * 25 : rand() * 70);
    return {
      id: `${i}-${k}`,
      birthDate: `${2025 - age - 1}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-15`,
      sex: rand() < 0.5 ? 'male' : 'female',
    };
  });
}

describe('demo households', () => {
  it('counts age in whole years, turning on the birthday', () => {
    expect(ageOn('2017-06-15', '2025-06-14')).toBe(7);
    expect(ageOn('2017-06-15', '2025-06-15')).toBe(8);
  });

  it('judges ages against the head: an 8-year-old head, a 16-year-old spouse, a child older than the head', () => {
    expect(implausible('户主', 8, 8)).not.toBeNull();
    expect(implausible('配偶', 16, 40)).not.toBeNull();
    expect(implausible('配偶', 35, 70)).not.toBeNull();
    expect(implausible('子女', 30, 40)).not.toBeNull();
    expect(implausible('父母', 45, 40)).not.toBeNull();
    expect(implausible('子女', 10, 38)).toBeNull();
    expect(implausible('配偶', 36, 38)).toBeNull();
  });

  it('forms families that pass those rules, one head each, nearly everyone housed', () => {
    const rand = seeded('households-test');
    let people = 0;
    let housed = 0;
    for (let i = 0; i < 300; i++) {
      const ps = grid(rand, 20, i);
      const byId = new Map(ps.map((p) => [p.id, p]));
      const hs = formHouseholds(ps, '2025-12-01', rand);
      people += ps.length;
      const seen = new Set<string>();
      for (const h of hs) {
        const heads = h.members.filter((m) => m.relation === '户主');
        expect(heads).toHaveLength(1);
        const headAge = ageOn(byId.get(heads[0]?.id as string)?.birthDate as string, '2025-12-01');
        for (const m of h.members) {
          expect(seen.has(m.id)).toBe(false);
          seen.add(m.id);
          const a = ageOn(byId.get(m.id)?.birthDate as string, '2025-12-01');
          expect(implausible(m.relation, a, headAge), `${m.relation} ${a} / ${headAge}`).toBeNull();
        }
      }
      housed += seen.size;
    }
    expect(housed / people).toBeGreaterThan(0.95);
  });
});
