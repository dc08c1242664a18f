import { type OrgLevel, orgCodeLength } from '../org/levels.js';

/**
 * GB/T 2260 region codes and their statistical extensions: 2 digits province,
 * 2 city, 2 county; then 3 street (乡镇/街道), 3 community (村/居委会) and, for grids,
 * 3 more (GB/T 30428.1). A child's code starts with its parent's.
 */
export function isValidOrgCode(code: string, level: OrgLevel): boolean {
  if (!/^\d+$/.test(code) || code.length !== orgCodeLength[level]) return false;
  if (level === 'district') return !code.startsWith('00') && code.slice(4) !== '00';
  return !code.endsWith('000');
}

export function isChildCode(parentCode: string, childCode: string): boolean {
  return childCode.startsWith(parentCode) && childCode.length > parentCode.length;
}
