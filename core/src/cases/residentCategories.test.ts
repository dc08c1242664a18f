import { describe, expect, it } from 'vitest';
import { residentCategories, residentCategory } from './residentCategories.js';

describe('resident-facing categories', () => {
  it('have unique lowercase codes usable as Open311 service codes', () => {
    const codes = residentCategories.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z][a-z0-9_]{1,31}$/);
  });

  it('each name a taxonomy leaf (a four-digit code under its section)', () => {
    for (const c of residentCategories) expect(c.categoryCode).toMatch(/^[A-Z]\d{4}$/);
    expect(residentCategory('streetlight')?.categoryCode).toBe('C0103');
    expect(residentCategory('nope')).toBeUndefined();
  });
});
