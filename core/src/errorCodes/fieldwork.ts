import type { ErrorEntry } from './entry.js';

/**
 * Domain refusals of the fieldwork module: a stable code, its HTTP status and the message in
 * both languages. `{name}` marks a parameter the server sends in the field error's `params`.
 */
export const fieldworkErrors = {
  FIELDWORK_HOUSEHOLD_NOT_IN_JURISDICTION: {
    status: 400,
    zh: '家庭户不存在或不在您的辖区',
    en: 'The household does not exist or is outside your jurisdiction',
  },
  PATROL_START_IN_FUTURE: {
    status: 400,
    zh: '开始时间不能晚于现在',
    en: 'The start time cannot be in the future',
  },
  PATROL_END_BEFORE_START: {
    status: 400,
    zh: '结束时间早于开始时间',
    en: 'The end time is before the start time',
  },
  WORK_LOG_DAY_IN_FUTURE: {
    status: 400,
    zh: '不能填报未来的日志',
    en: 'A work log cannot be filed for a future day',
  },
  WORK_LOG_DAY_TOO_OLD: {
    status: 400,
    zh: '只能补报近{days}天的日志',
    en: 'Only the logs of the last {days} days can be filed late',
  },
  WORK_LOG_RANGE_REVERSED: {
    status: 400,
    zh: '结束日期早于开始日期',
    en: 'The end date is before the start date',
  },
  WORK_LOG_RANGE_TOO_LONG: {
    status: 400,
    zh: '一次最多查看{days}天',
    en: 'At most {days} days can be viewed at once',
  },
  HOUSEHOLD_VISIT_IN_FUTURE: {
    status: 400,
    zh: '走访时间不能晚于现在',
    en: 'The visit time cannot be in the future',
  },
  HOUSEHOLD_VISIT_ID_TAKEN: {
    status: 400,
    zh: '该走访记录编号已被使用',
    en: 'This visit record number is already in use',
  },
} as const satisfies Record<string, ErrorEntry>;
