/**
 * Unified social credit codes, GB 32100-2015: 18 characters from a 31-character set
 * (digits and capitals without I, O, Z, S, V); the 18th is a check character,
 * 31 − (Σ value × weight mod 31), with 31 written as 0.
 */
const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = charset.indexOf(first17[i] as string);
    if (v < 0) return null;
    sum += v * (weights[i] as number);
  }
  const c = 31 - (sum % 31);
  return charset[c === 31 ? 0 : c] as string;
}

export function isValidCreditCode(raw: string): boolean {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return false;
  const check = creditCodeCheckChar(code.slice(0, 17));
  return check !== null && check === code[17];
}
