import type { ErrorEntry } from './entry.js';

/** Refusals of the grievance workflow (信访事项, 信访工作条例 2022). */
export const grievancesErrors = {
  GRIEVANCE_INVALID_STATE: {
    status: 409,
    zh: '信访事项当前状态不允许此操作',
    en: 'The grievance is not in a state that allows this',
  },
  GRIEVANCE_NO_UNIT: {
    status: 400,
    zh: '您的账号不属于任何单位，不能登记信访事项',
    en: 'Your account belongs to no unit that registers grievances',
  },
  GRIEVANCE_UNIT_OUTSIDE: {
    status: 400,
    zh: '所选单位不在您的辖区内',
    en: 'The unit lies outside your jurisdiction',
  },
  GRIEVANCE_DEPARTMENT_UNKNOWN: { status: 400, zh: '办理部门不存在', en: 'No such department' },
  GRIEVANCE_ALREADY_EXTENDED: {
    status: 409,
    zh: '办理期限只能延长一次',
    en: 'The time limit may be extended only once',
  },
  GRIEVANCE_EXTENSION_TOO_LONG: {
    status: 400,
    zh: '延长期限为 1 至 {max} 日',
    en: 'An extension is 1 to {max} days',
  },
  GRIEVANCE_REVIEW_TOO_LATE: {
    status: 409,
    zh: '复查请求须在收到书面答复之日起 30 日内（截至 {due}）提出',
    en: 'A review must be asked within 30 days of the answer (by {due})',
  },
  GRIEVANCE_REVIEW_DATE_FUTURE: {
    status: 400,
    zh: '复查请求日期不能晚于今天，也不能早于答复日期',
    en: 'The day of the request lies between the answer and today',
  },
  GRIEVANCE_NOT_ANSWERED: {
    status: 409,
    zh: '尚未作出书面答复，没有处理意见书',
    en: 'There is no written answer yet',
  },
} as const satisfies Record<string, ErrorEntry>;
