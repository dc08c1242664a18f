import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the assessment module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const assessmentErrors = {
  ASSESSMENT_NO_DISTRICT: { status: 400, zh: '尚未建立区县', en: 'No district has been set up yet' },
  ASSESSMENT_DISTRICT_NOT_FOUND: {
    status: 400,
    zh: '区县不存在或不在您的辖区',
    en: 'No such district in your jurisdiction',
  },
  ASSESSMENT_DEPARTMENT_NOT_FOUND: {
    status: 400,
    zh: '部门不存在或已撤销',
    en: 'The department does not exist or has been retired',
  },
} as const satisfies Record<string, ErrorEntry>;
