import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the residents module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const residentsErrors = {
  // GB 11643-1999: 17 digits and a check character; digits 7–14 are the birth date.
  ID_NUMBER_FORMAT: {
    status: 400,
    zh: '身份证号应为18位，最后一位可以是X',
    en: 'An ID number has 18 characters; the last may be X',
  },
  ID_BIRTH_DATE: {
    status: 400,
    zh: '身份证号中的出生日期不存在',
    en: 'The birth date in the ID number does not exist',
  },
  ID_CHECK_DIGIT: { status: 400, zh: '身份证号校验位不正确', en: 'The ID number check digit is wrong' },
  ID_NUMBER_TAKEN: { status: 400, zh: '该身份证号已登记', en: 'The ID number is already registered' },
  RESIDENT_ALREADY_IN_GRID: { status: 400, zh: '已在该网格', en: 'Already in that grid' },
  RESIDENT_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '居民不存在或不在您的辖区',
    en: 'No such resident in your jurisdiction',
  },
  HOUSEHOLD_HAS_HEAD: { status: 400, zh: '该户已有户主', en: 'The household already has a head' },
  RESIDENT_TAG_UNKNOWN: {
    status: 400,
    zh: '标签“{tags}”不在标签库中（或已停用），请先由管理员添加',
    en: 'The tags “{tags}” are not in the library (or retired); an administrator must add them first',
  },
  RESIDENT_TAG_TAKEN: { status: 400, zh: '已有同名标签', en: 'A tag of that name exists' },
  RESIDENT_EXPORT_REVEAL_MAX: {
    status: 400,
    zh: '含完整身份证号的导出每次最多 {max} 人（当前 {total} 人），请缩小筛选范围',
    en: 'An export with full ID numbers holds at most {max} people (now {total}); narrow the filters',
  },
} as const satisfies Record<string, ErrorEntry>;
