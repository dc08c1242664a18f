import { describe, expect, it } from 'vitest';
import { type ErrorCode, errorCodes, errorText } from './errors.js';

const codes = Object.keys(errorCodes) as ErrorCode[];
const paramsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('error catalogue', () => {
  it('has codes', () => {
    expect(codes.length).toBeGreaterThan(0);
  });

  it('names every code in UPPER_SNAKE', () => {
    expect(codes.filter((c) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(c))).toEqual([]);
  });

  it('says every code in Chinese and English, with an HTTP status', () => {
    const bad = codes.filter((c) => {
      const e = errorCodes[c];
      return !e.zh.trim() || !e.en.trim() || !Number.isInteger(e.status) || e.status < 400 || e.status > 599;
    });
    expect(bad).toEqual([]);
  });

  it('uses the same {params} in both languages', () => {
    const bad = codes.filter((c) => {
      const e = errorCodes[c];
      return JSON.stringify(paramsOf(e.zh)) !== JSON.stringify(paramsOf(e.en));
    });
    expect(bad).toEqual([]);
  });

  it('keeps Chinese out of the English text', () => {
    expect(codes.filter((c) => /[\u4e00-\u9fff]/.test(errorCodes[c].en))).toEqual([]);
  });

  it('fills params and leaves an unknown one visible', () => {
    expect(errorText('EXPORT_TOO_MANY_ROWS', 'en', { max: 5000 })).toBe(
      'An export holds at most 5000 rows; narrow the filters',
    );
    expect(errorText('EXPORT_TOO_MANY_ROWS', 'zh')).toContain('{max}');
  });
});
