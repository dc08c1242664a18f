import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the places module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const placesErrors = {
  BUILDING_NAME_TAKEN: {
    status: 400,
    zh: '该网格内已有同名楼栋',
    en: 'The grid already has a building of that name',
  },
  BUILDING_CODES_EXHAUSTED: {
    status: 400,
    zh: '该网格的楼栋编号已用完（999）',
    en: 'The grid has used all its building numbers (999)',
  },
  BUILDING_NOT_IN_GRID: {
    status: 400,
    zh: '楼栋不存在或不在该网格',
    en: 'No such building in that grid',
  },
  FLOOR_ABOVE_BUILDING: {
    status: 400,
    zh: '楼层不能高于该楼的 {floors} 层',
    en: 'The floor cannot be above the building’s {floors} floors',
  },
  HOUSING_UNIT_TAKEN: { status: 400, zh: '该房屋已登记', en: 'The housing unit is already registered' },
  HOUSING_UNIT_NOT_IN_GRID: {
    status: 400,
    zh: '房屋不存在或不在该网格',
    en: 'No such housing unit in that grid',
  },
  HOUSING_UNIT_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '房屋不存在或不在您的辖区',
    en: 'No such housing unit in your jurisdiction',
  },
  CREDIT_CODE_CHECK_DIGIT: {
    status: 400,
    zh: '统一社会信用代码不正确（GB 32100 校验位不符）',
    en: 'The unified social credit code is wrong (its GB 32100 check character does not match)',
  },
  CREDIT_CODE_TAKEN: {
    status: 400,
    zh: '该统一社会信用代码已登记',
    en: 'The unified social credit code is already registered',
  },
} as const satisfies Record<string, ErrorEntry>;
