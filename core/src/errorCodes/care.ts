import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the care module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const careErrors = {
  CARE_CLOSED: {
    status: 409,
    zh: '档案已结案',
    en: 'The care case is closed',
  },
  CARE_SUPERVISE_REQUIRED: {
    status: 403,
    zh: '指派工作人员需要督导权限',
    en: 'Assigning workers needs the supervision permission',
  },
  CARE_WORKER_NOT_ASSIGNABLE: {
    status: 400,
    zh: '所选工作人员不存在、已停用或不负责该网格',
    en: 'A chosen worker does not exist, is disabled or does not cover this grid',
  },
  CARE_CATEGORY_CODE_TAKEN: {
    status: 400,
    zh: '类别编码已存在',
    en: 'The category code is already in use',
  },
  CARE_CATEGORY_INACTIVE: {
    status: 400,
    zh: '帮扶类别不存在或已停用',
    en: 'The care category does not exist or is no longer in use',
  },
  CARE_RESIDENT_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '居民不存在或不在您的辖区',
    en: 'The resident does not exist or is outside your jurisdiction',
  },
  CARE_CASE_ALREADY_OPEN: {
    status: 400,
    zh: '该居民在此类别下已有在帮扶的档案',
    en: 'This resident already has an open care case in this category',
  },
  CARE_VISIT_IN_FUTURE: {
    status: 400,
    zh: '走访时间不能晚于现在',
    en: 'The visit time cannot be in the future',
  },
  CARE_VISIT_BEFORE_OPENING: {
    status: 400,
    zh: '走访时间早于建档时间',
    en: 'The visit time is before the case was opened',
  },
  CARE_VISIT_ID_TAKEN: {
    status: 400,
    zh: '该走访记录编号已被使用',
    en: 'This visit record number is already in use',
  },
} as const satisfies Record<string, ErrorEntry>;
