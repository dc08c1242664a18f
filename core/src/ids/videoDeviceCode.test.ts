import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidVideoDeviceCode, parseVideoDeviceCode } from './videoDeviceCode.js';

describe('GB/T 28181 video-device codes', () => {
  it('accepts a Kundulun network camera and reads its parts', () => {
    expect(parseVideoDeviceCode('15020300001321000001')).toEqual({
      ok: true,
      parts: { region: '150203', unit: '00', trade: '00', type: 132, network: 1, serial: '000001' },
    });
  });

  it('refuses the wrong shape, region or device type, saying which', () => {
    expect(parseVideoDeviceCode('1502030000132100000')).toEqual({ ok: false, problem: 'format' });
    expect(parseVideoDeviceCode('1502030000132100000A')).toEqual({ ok: false, problem: 'format' });
    expect(parseVideoDeviceCode('15000000001321000001')).toEqual({ ok: false, problem: 'region' });
    expect(parseVideoDeviceCode('99020300001321000001')).toEqual({ ok: false, problem: 'region' });
    // 200: a platform, not a front-end device.
    expect(parseVideoDeviceCode('15020300002001000001')).toEqual({ ok: false, problem: 'type' });
  });

  it('anything but 20 digits is a format error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        if (!/^\d{20}$/.test(s)) expect(parseVideoDeviceCode(s)).toEqual({ ok: false, problem: 'format' });
      }),
    );
  });

  it('every code built from a county, a front-end type and a serial is valid', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 82 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 99 }),
        digits(4),
        fc.integer({ min: 111, max: 199 }),
        digits(7),
        (p, c, d, unitTrade, type, rest) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          expect(isValidVideoDeviceCode(`${pad(p)}${pad(c)}${pad(d)}${unitTrade}${type}${rest}`)).toBe(true);
        },
      ),
    );
  });
});
