import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from './creditCode.js';
import { idNumberCheckChar, maskIdNumber, parseIdNumber } from './idNumber.js';
import { isValidOrgCode } from './regionCode.js';

const today = new Date('2026-11-24T00:00:00Z');
const birth = fc.date({
  min: new Date('1900-01-01T00:00:00Z'),
  max: new Date('2026-11-23T00:00:00Z'),
  noInvalidDate: true,
});
const idBody = fc
  .tuple(fc.constantFrom('150203', '110101', '440305'), birth, fc.integer({ min: 0, max: 999 }))
  .map(
    ([region, d, seq]) =>
      `${region}${d.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`,
  );

describe('GB 11643 ID numbers', () => {
  it('accepts the GB 11643-1999 example 11010519491231002X', () => {
    const r = parseIdNumber('11010519491231002X', today);
    expect(r).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      value: { birthDate: '1949-12-31', sex: 'female', regionCode: '110105' },
    });
  });

  it('every number with its computed check character is valid, and the facts are derived', () => {
    fc.assert(
      fc.property(idBody, (body) => {
        const id = body + idNumberCheckChar(body);
        const r = parseIdNumber(id, today);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value.birthDate.replaceAll('-', '')).toBe(body.slice(6, 14));
          expect(r.value.sex).toBe(Number(body[16]) % 2 === 1 ? 'male' : 'female');
        }
      }),
    );
  });

  it('any other check character is refused as a check-digit error', () => {
    fc.assert(
      fc.property(idBody, fc.constantFrom(...'0123456789X'), (body, ch) => {
        fc.pre(ch !== idNumberCheckChar(body));
        expect(parseIdNumber(body + ch, today)).toEqual({ ok: false, problem: 'checkDigit' });
      }),
    );
  });

  it('impossible birth dates are refused', () => {
    for (const date of ['20230230', '19000001', '20991231', '18991231']) {
      const body = `150203${date}123`;
      expect(parseIdNumber(body + idNumberCheckChar(body), today)).toEqual({
        ok: false,
        problem: 'birthDate',
      });
    }
  });

  it('wrong shapes are a format error', () => {
    for (const s of ['', '1234', '01010519491231002X', '11010519491231002Y', '1101051949123100211']) {
      expect(parseIdNumber(s, today)).toEqual({ ok: false, problem: 'format' });
    }
  });

  it('masks all but the region code and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});

describe('GB 32100 unified social credit codes', () => {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = fc.array(fc.constantFrom(...charset), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

  it('accepts a published code', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('every body with its check character is valid; every other character is not', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...charset), (b, ch) => {
        const check = creditCodeCheckChar(b) as string;
        expect(isValidCreditCode(b + check)).toBe(true);
        if (ch !== check) expect(isValidCreditCode(b + ch)).toBe(false);
      }),
    );
  });

  it('refuses letters outside the set (I, O, Z, S, V)', () => {
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
  });
});

describe('org codes', () => {
  it('checks length per level', () => {
    expect(isValidOrgCode('150203', 'district')).toBe(true);
    expect(isValidOrgCode('150203012', 'street')).toBe(true);
    expect(isValidOrgCode('150203012027', 'community')).toBe(true);
    expect(isValidOrgCode('150203012027001', 'grid')).toBe(true);
    expect(isValidOrgCode('150203012027000', 'grid')).toBe(false);
    expect(isValidOrgCode('15020301202', 'community')).toBe(false);
  });
});
