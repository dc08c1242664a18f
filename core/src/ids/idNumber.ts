/**
 * Citizen identity numbers, GB 11643-1999: 6-digit address code (GB/T 2260),
 * 8-digit birth date, 3-digit sequence (odd for men, even for women) and a check
 * character computed by ISO 7064 MOD 11-2.
 */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

export type IdNumberProblem = 'format' | 'birthDate' | 'checkDigit';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] as number);
  return checkChars[sum % 11] as string;
}

export interface IdNumberInfo {
  birthDate: string;
  sex: 'male' | 'female';
  regionCode: string;
}

/** Returns the derived facts, or the first rule the number breaks. */
export function parseIdNumber(
  raw: string,
  today: Date = new Date(),
): { ok: true; value: IdNumberInfo; normalized: string } | { ok: false; problem: IdNumberProblem } {
  const id = raw.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const valid = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  if (!valid || y < 1900 || birth.getTime() > today.getTime()) return { ok: false, problem: 'birthDate' };
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'checkDigit' };
  return {
    ok: true,
    normalized: id,
    value: {
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
      regionCode: id.slice(0, 6),
    },
  };
}

/** Masked for display: region code kept, birth date and sequence hidden, last four kept. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}

export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
